"""Where uploads and videos live: their names, saving an upload, the free-space check, the video
store, and removing old files and the partial files of killed renders.

Uploads and renders in progress are local files of each host; finished videos are in
:attr:`Storage.videos`, a :class:`VideoStore` chosen by ``VIDEO_STORE_URL``: files in
``OUTPUT_FOLDER`` (:class:`LocalVideoStore`) or an S3-compatible store (:class:`S3VideoStore`).
Only names this service creates are ever touched: ``<uuid4 hex>.<ext>`` uploads,
``<uuid4>_output.<mp4|webm|gif>`` videos and the renderer's ``.<video>.part-<hex>`` temporaries; never
symlinks or other files. The rest of the service reaches files through :class:`Storage` only.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from flask import Flask, current_app

from algorithms import PART_MARKER, StorageFullError, sniff_format

from .video_store import VIDEO_EXTENSIONS, VIDEO_NAME, LocalVideoStore, StoreUnavailableError, VideoStore

__all__ = ["VIDEO_NAME", "Storage", "StoreUnavailableError", "VideoStore", "get_storage"]

ALLOWED_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff"})
UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")
PARTIAL_NAME = re.compile(rf"^\.[0-9a-f-]{{36}}_output({VIDEO_EXTENSIONS}){re.escape(PART_MARKER)}[0-9a-f]+$")
CHUNK_SIZE = 64 * 1024


class NotAnImageError(ValueError):
    """The saved bytes carry none of the accepted formats' signatures (the file is removed)."""


@dataclass(frozen=True)
class SavedUpload:
    """An upload written to disk: where, how many bytes, their SHA-256 and the sniffed format."""

    path: Path
    size: int
    sha256: str
    image_format: str


def file_extension(filename: str) -> str:
    """The lower-case extension of the last path component of ``filename`` ('' if none)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@dataclass(frozen=True)
class Storage:
    """The upload and output folders, the free space a new upload needs, and the video store."""

    upload_folder: Path
    output_folder: Path
    min_free_space: int
    videos: VideoStore

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Storage:
        """The storage named by ``UPLOAD_FOLDER``, ``OUTPUT_FOLDER``, ``MIN_FREE_SPACE`` and
        ``VIDEO_STORE_URL`` (renders then go to OUTPUT_FOLDER and are uploaded when complete)."""
        output_folder = Path(config["OUTPUT_FOLDER"])
        videos: VideoStore = LocalVideoStore(output_folder)
        if config.get("VIDEO_STORE_URL"):
            from .s3_store import S3VideoStore

            videos = S3VideoStore(config["VIDEO_STORE_URL"], timeout=config["NETWORK_TIMEOUT"])
        return cls(Path(config["UPLOAD_FOLDER"]), output_folder, int(config["MIN_FREE_SPACE"]), videos)

    def require_free_space(self) -> None:
        """Raise StorageFullError when the output disk has less than ``min_free_space`` free.

        Checked before an upload is saved: a render that would fill the disk is refused up
        front (507), rather than failing half-way and starving the database and logs.
        """
        if shutil.disk_usage(self.output_folder).free < self.min_free_space:
            raise StorageFullError("free disk space is below MIN_FREE_SPACE")

    def save_upload(self, stream: IO[bytes], filename: str, on_saved: Callable[[int], None]) -> SavedUpload:
        """Write ``stream`` to the upload folder under a UUID name, hashing it on the way.

        ``on_saved`` gets the byte count as soon as the file is on disk (the caller records
        it even if the signature check then fails). Raises NotAnImageError, removing the
        file, when the bytes are not a PNG, JPEG, GIF, BMP or TIFF; a failed write (a full
        disk) removes the partial file too.
        """
        path = self.upload_folder / f"{uuid.uuid4().hex}.{file_extension(filename)}"
        digest, size, head = hashlib.sha256(), 0, b""
        try:
            with open(path, "xb") as target:
                while chunk := stream.read(CHUNK_SIZE):
                    head += chunk[: max(0, 32 - len(head))]
                    digest.update(chunk)
                    target.write(chunk)
                    size += len(chunk)
        except BaseException:  # e.g. ENOSPC: no half-written upload is left behind
            path.unlink(missing_ok=True)
            raise
        on_saved(size)
        image_format = sniff_format(head)
        if image_format is None:
            path.unlink(missing_ok=True)
            raise NotAnImageError(filename)
        return SavedUpload(path, size, digest.hexdigest(), image_format)

    def new_video_path(self, extension: str = ".mp4") -> Path:
        """The path of a new video: a fresh ``<uuid4>_output<extension>`` in the output folder."""
        return self.output_folder / f"{uuid.uuid4()}_output{extension}"

    def sweep_partials(self, *, older_than: float = 0.0, now: float | None = None) -> list[str]:
        """Remove temporaries of renders that were killed (none is alive for ``older_than`` seconds)."""
        return remove_old_files(self.output_folder, PARTIAL_NAME, older_than=older_than, now=now)

    def remove_old_uploads(self, *, older_than: float, now: float | None = None) -> list[str]:
        """Remove uploads older than ``older_than`` seconds; return their names."""
        return remove_old_files(self.upload_folder, UPLOAD_NAME, older_than=older_than, now=now)

    def remove_old_videos(self, *, older_than: float, now: float | None = None) -> list[str]:
        """Remove videos older than ``older_than`` seconds from the video store; return their names."""
        return self.videos.remove_old(older_than=older_than, now=time.time() if now is None else now)


def remove_old_files(
    folder: Path, pattern: re.Pattern[str], *, older_than: float, now: float | None = None
) -> list[str]:
    """Remove the regular files in ``folder`` whose names match ``pattern``, last modified
    more than ``older_than`` seconds ago; return their names."""
    now = time.time() if now is None else now
    removed: list[str] = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return removed
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if pattern.match(entry.name) and stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
                os.unlink(entry.path)
                removed.append(entry.name)
        except FileNotFoundError:
            continue  # another worker got there first
    return removed


def get_storage() -> Storage:
    """The current app's :class:`Storage`."""
    storage: Storage = current_app.extensions["storage"]
    return storage


def init_app(app: Flask) -> None:
    """Bind the configured folders to ``app`` and sweep dead renders' temporaries."""
    storage = Storage.from_config(app.config)
    storage.sweep_partials(older_than=app.config["MAX_PROCESSING_TIME"])
    app.extensions["storage"] = storage
