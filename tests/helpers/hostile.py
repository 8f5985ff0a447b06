"""Helpers of the hostile-request tests (tests/system/hostile): send an upload and check that
/api/stats counted it, check an answer and that the server is unharmed, stream a body."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from collections.abc import Callable, Iterator

import cv2

from tests.helpers import images
from tests.helpers.multipart import encode_form
from tests.helpers.paths import PROJECT_ROOT
from tests.helpers.renders import SMALL_FIELDS
from tests.helpers.servers import LiveServer, Reply

REJECTION_SECONDS = 5.0  # "within a few seconds": a rejection takes milliseconds
WORKER_PEAK_MB = 500
ERROR_KEYS = {"success", "error", "code"}


def upload_counts(server: LiveServer) -> tuple[int, int]:
    """/api/stats' (total uploads, successful uploads)."""
    stats = server.request("GET", "/api/stats", timeout=10).json()
    return stats["total_uploads"], stats["successful_uploads"]


def counted(server: LiveServer, send: Callable[[], Reply]) -> Reply:
    """``send()`` one upload request; /api/stats must count it once, and its success if it had one."""
    total, successful = upload_counts(server)
    reply = send()
    assert upload_counts(server) == (total + 1, successful + (reply.status == 200)), reply.status
    return reply


def post_upload(server: LiveServer, parts: list[tuple[str, str | None, bytes]]) -> Reply:
    """POST /api/upload with ``parts`` and the small render options, checked as :func:`counted`."""
    fields = [
        (name, None, value.encode())
        for name, value in SMALL_FIELDS.items()
        if name not in {part[0] for part in parts}
    ]
    return post_body(server, *encode_form(fields + parts))


def post_body(server: LiveServer, body: bytes, content_type: str) -> Reply:
    """POST ``body`` as it is to /api/upload, checked as :func:`counted`."""
    return counted(
        server, lambda: server.request("POST", "/api/upload", body, {"Content-Type": content_type})
    )


def upload_file(server: LiveServer, content: bytes, filename: str, **fields: str) -> Reply:
    """POST ``content`` as the ``file`` part with extra form ``fields``, as :func:`post_upload`."""
    return post_upload(
        server,
        [(name, None, value.encode()) for name, value in fields.items()] + [("file", filename, content)],
    )


def assert_unharmed(server: LiveServer) -> None:
    """The server is as it was: healthy, same workers, no upload left, no partial render,
    and no worker has ever gone over the memory limit."""
    health = server.request("GET", "/api/health", timeout=10)
    assert health.status == 200, health.body
    assert server.worker_pids() == server.workers_at_start
    assert list(server.uploads.iterdir()) == []
    assert [path.name for path in server.outputs.iterdir() if ".part-" in path.name] == []
    peaks = {pid: fields["VmHWM"] for pid, fields in server.worker_memory_mb().items()}
    assert max(peaks.values()) < WORKER_PEAK_MB, peaks


def assert_error(server: LiveServer, reply: Reply, status: int, code: str, *, quick: bool = True) -> dict:
    """``reply`` is the JSON error ``code`` with ``status``, says nothing internal, came quickly,
    and the server is unharmed."""
    assert reply.status == status, reply.body[:500]
    assert reply.headers["content-type"] == "application/json"
    body = reply.json()
    assert set(body) == ERROR_KEYS and body["success"] is False and body["code"] == code, body
    assert_nothing_internal(server, reply.body)
    if quick:
        assert reply.seconds < REJECTION_SECONDS
    assert_unharmed(server)
    return body


def assert_nothing_internal(server: LiveServer, payload: bytes) -> None:
    """``payload`` names no traceback, file, folder of the server or the checkout, nor a library."""
    text = payload.decode("utf-8", "replace")
    for leak in ("Traceback", 'File "', str(server.root), str(PROJECT_ROOT), "/tmp/", "sqlite3", "cv2."):
        assert leak not in text, f"{leak!r} in {text[:300]!r}"


def assert_rendered(server: LiveServer, reply: Reply) -> dict:
    """``reply`` is a rendered 24-frame video, on disk as announced, and the server is unharmed."""
    assert reply.status == 200, reply.body[:500]
    body = reply.json()
    assert body["success"] is True and body["frames"] == 24, body
    video = server.outputs / body["video_filename"]
    assert video.stat().st_size == body["video_size"] and video.read_bytes()[4:8] == b"ftyp"
    assert_unharmed(server)
    return body


def stream_request(server: LiveServer, head: bytes, chunks: Iterator[bytes]) -> Reply:
    """Send ``head`` then ``chunks`` on a raw socket from a thread while reading the answer,
    as curl does: a server may answer (413) and close before the body is all sent."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    stop = threading.Event()

    def send() -> None:
        try:
            sock.sendall(head)
            for chunk in chunks:
                if stop.is_set():
                    return
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed: expected

    sender = threading.Thread(target=send, daemon=True)
    try:
        started = time.monotonic()
        sender.start()
        response = http.client.HTTPResponse(sock)
        response.begin()
        payload = response.read()
        seconds = time.monotonic() - started
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, payload, seconds)
    finally:
        stop.set()
        sock.close()
        sender.join(timeout=10)


def png(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """A small seeded PNG."""
    return images.encode(".png", images.pattern(width, height, seed=seed))


def jpeg(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    """A small photo-like JPEG (quality 95)."""
    return images.encode(
        ".jpg", images.smooth_picture(width, height, seed=seed), [cv2.IMWRITE_JPEG_QUALITY, 95]
    )
