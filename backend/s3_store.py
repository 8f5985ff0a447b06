"""Videos as objects in an S3-compatible store (``VIDEO_STORE_URL=s3://bucket/prefix``), so that
any host serves any video. Endpoint, keys and region come from boto3's standard variables
(``AWS_ENDPOINT_URL``, ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_DEFAULT_REGION``).

Videos stream through the app (same URLs, same Content-Security-Policy): Werkzeug parses the
Range and builds the answer; the store gets the same byte range in one GET.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import IO, Any, cast

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError
from flask import Response, request
from werkzeug.wsgi import FileWrapper

from .s3_reader import ObjectReader
from .video_store import VIDEO_NAME, StoreUnavailableError, VideoStore, media_type

log = logging.getLogger(__name__)
CHUNK_SIZE = 64 * 1024
_NOT_FOUND = frozenset({"404", "NoSuchKey", "NotFound"})


class _Missing(LookupError):
    """The object does not exist."""


class S3VideoStore(VideoStore):
    """The videos under ``prefix`` in ``bucket``; every call times out after ``timeout`` seconds."""

    def __init__(self, url: str, *, timeout: float) -> None:
        self.bucket, _, prefix = url.removeprefix("s3://").partition("/")
        self.prefix = prefix.strip("/")
        config = BotoConfig(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"mode": "standard", "max_attempts": 2},
            # S3-compatible stores take path-style addressing and classic checksums.
            s3={"addressing_style": "path"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self.client = boto3.session.Session().client("s3", config=config)

    def key(self, name: str) -> str:
        """The object key of video ``name``."""
        return f"{self.prefix}/{name}" if self.prefix else name

    def call(self, operation: str, **params: Any) -> Any:
        """Run one S3 operation on the bucket; _Missing for a missing object, StoreUnavailableError
        (logged) for anything else that fails."""
        try:
            return getattr(self.client, operation)(Bucket=self.bucket, **params)
        except ClientError as exc:
            if str(exc.response.get("Error", {}).get("Code")) in _NOT_FOUND and "Key" in params:
                raise _Missing(params["Key"]) from exc
            log.error("video store: %s failed: %s", operation, exc)
            raise StoreUnavailableError(operation) from exc
        except BotoCoreError as exc:
            log.error("video store: %s failed: %s", operation, exc)
            raise StoreUnavailableError(operation) from exc

    def check(self) -> None:
        """The bucket answers (HEAD bucket)."""
        self.call("head_bucket")

    def publish(self, path: Path) -> None:
        """Upload the finished render in one PUT: the object appears complete or not at all."""
        try:
            with open(path, "rb") as body:
                self.call("put_object", Key=self.key(path.name), Body=body, ContentType=media_type(path.name))
        finally:
            path.unlink(missing_ok=True)

    def touch(self, name: str) -> bool:
        """Copy the object onto itself: a new Last-Modified, so the cleanup keeps it."""
        key = self.key(name)
        try:
            self.call(
                "copy_object",
                Key=key,
                CopySource={"Bucket": self.bucket, "Key": key},
                MetadataDirective="REPLACE",
                ContentType=media_type(name),
            )
        except _Missing:
            return False
        return True

    def send(self, name: str, *, as_attachment: bool) -> Response | None:
        """Stream the object: HEAD for size, ETag and date, Werkzeug's conditional answer, then
        one GET of exactly the bytes that answer sends (none for 304, 416 or HEAD)."""
        if not VIDEO_NAME.match(name):
            return None
        key = self.key(name)
        try:
            head = self.call("head_object", Key=key)
        except _Missing:
            return None
        size = int(head["ContentLength"])
        reader = ObjectReader(self.call, key, size)
        # Werkzeug's own wrapper, not the server's wsgi.file_wrapper: it is seekable, so a range
        # starts at its first byte instead of reading (and fetching) everything before it.
        body = FileWrapper(cast(IO[bytes], reader), CHUNK_SIZE)
        response = Response(body, mimetype=media_type(name), direct_passthrough=True)
        response.content_length = size
        response.last_modified = head["LastModified"]
        response.set_etag(str(head["ETag"]).strip('"'))
        response.cache_control.no_cache = True
        if as_attachment:
            response.headers.set("Content-Disposition", "attachment", filename=name)
        response.make_conditional(request.environ, accept_ranges=True, complete_length=size)  # in place
        if response.status_code in (200, 206) and request.method != "HEAD":
            span = response.content_range
            start, stop = (span.start, span.stop) if span and span.start is not None else (0, size)
            reader.prefetch(start, stop or size)  # a store failure is still a JSON 503 here
        return response

    def remove_old(self, *, older_than: float, now: float) -> list[str]:
        """Delete the video objects last modified more than ``older_than`` seconds ago."""
        old: list[str] = []
        prefix = f"{self.prefix}/" if self.prefix else ""
        token: dict[str, str] = {}
        for _page in range(10_000):  # bounded: at most ten million objects a pass
            listing = self.call("list_objects_v2", Prefix=prefix, **token)
            for entry in listing.get("Contents", []):
                name = entry["Key"][len(prefix) :]
                if VIDEO_NAME.match(name) and now - entry["LastModified"].timestamp() > older_than:
                    old.append(name)
            if not listing.get("IsTruncated"):
                break
            token = {"ContinuationToken": listing["NextContinuationToken"]}
        for name in old:
            try:
                self.call("delete_object", Key=self.key(name))
            except _Missing:
                continue
        return old

    def health(self) -> dict[str, Any]:
        """The bucket answers within the timeout."""
        try:
            self.check()
        except StoreUnavailableError:
            return {"ok": False, "error": "video store unavailable"}
        return {"ok": True, "kind": "s3"}
