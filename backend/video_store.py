"""Where finished videos live: a :class:`VideoStore`, files in ``OUTPUT_FOLDER`` (one host) or
objects in an S3-compatible store (:mod:`.s3_store`, several hosts), chosen by ``VIDEO_STORE_URL``.

Renders always go to a local file first; :meth:`VideoStore.publish` then makes the complete
video visible to readers at once (a local rename already did; an object is uploaded whole).
"""

from __future__ import annotations

import os
import re
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any

from flask import Response, send_file

from algorithms import FORMATS

VIDEO_EXTENSIONS = "|".join(re.escape(video_format.extension) for video_format in FORMATS.values())
VIDEO_NAME = re.compile(rf"^[0-9a-f-]{{36}}_output({VIDEO_EXTENSIONS})$")
_MEDIA_TYPES = {video_format.extension: video_format.media_type for video_format in FORMATS.values()}


def media_type(name: str) -> str:
    """The Content-Type of video ``name`` (a :data:`VIDEO_NAME`), from its extension."""
    return _MEDIA_TYPES[Path(name).suffix]


class StoreUnavailableError(RuntimeError):
    """The video store cannot be reached, or failed an operation (answered 503 STORAGE_UNAVAILABLE)."""


class VideoStore(ABC):
    """The finished videos, by name (``<uuid4>_output.<ext>``, an extension of :data:`algorithms.FORMATS`)."""

    @abstractmethod
    def check(self) -> None:
        """Raise StoreUnavailableError unless the store answers now (asked before rendering)."""

    @abstractmethod
    def publish(self, path: Path) -> None:
        """Make the finished local render at ``path`` available under its name, complete;
        the local file is gone afterwards either way. Raises StoreUnavailableError."""

    @abstractmethod
    def touch(self, name: str) -> bool:
        """Renew the age of video ``name`` (a cache hit keeps it); False if it is gone."""

    @abstractmethod
    def send(self, name: str, *, as_attachment: bool) -> Response | None:
        """The response serving video ``name`` to this request (Range, ETag, conditional
        requests), or None if there is no such video. Raises StoreUnavailableError."""

    @abstractmethod
    def remove_old(self, *, older_than: float, now: float) -> list[str]:
        """Remove videos older than ``older_than`` seconds; return their names."""

    @abstractmethod
    def health(self) -> dict[str, Any]:
        """The store's part of ``/api/health``: ``ok`` and, when failing, a short ``error``."""


class LocalVideoStore(VideoStore):
    """Videos as files in one folder: the renderer writes them there directly."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def check(self) -> None:
        """Nothing to reach: the folder's disk is checked with the uploads (MIN_FREE_SPACE)."""

    def publish(self, path: Path) -> None:
        """The render is already in place (the renderer renamed its partial file at the end)."""

    def find(self, name: str) -> Path | None:
        """The path of the finished video ``name``: a strict name, a regular file, never a symlink."""
        if not VIDEO_NAME.match(name):
            return None
        path = self.folder / name
        return path if path.is_file() and not path.is_symlink() else None

    def touch(self, name: str) -> bool:
        """Renew the file's modification time; False if it is gone."""
        try:
            os.utime(self.folder / name)
        except FileNotFoundError:
            return False
        return True

    def send(self, name: str, *, as_attachment: bool) -> Response | None:
        """``send_file`` of the video: Werkzeug answers ranges, ETag and Last-Modified."""
        path = self.find(name)
        if path is None:
            return None
        download_name = name if as_attachment else None
        return send_file(
            path,
            mimetype=media_type(name),
            as_attachment=as_attachment,
            download_name=download_name,
            conditional=True,
            etag=True,
        )

    def remove_old(self, *, older_than: float, now: float) -> list[str]:
        """Remove the video files last modified more than ``older_than`` seconds ago."""
        from .storage import remove_old_files

        return remove_old_files(self.folder, VIDEO_NAME, older_than=older_than, now=now)

    def health(self) -> dict[str, Any]:
        """Always ok: the folder is checked by the storage check."""
        return {"ok": True, "kind": "local"}
