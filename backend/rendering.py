"""The upload service: check the saved image, reuse a cached video or render a new one.

The upload is deleted whatever the outcome; the video is written atomically by the core.
A worker serves several requests at once on threads (slow clients, health checks, video
ranges), but renders at most ``RENDERS_PER_WORKER`` at a time: renders are CPU- and
memory-heavy, and one per worker is one per core.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask

import algorithms
from algorithms import RenderOptions, RenderTimeoutError, StorageFullError
from algorithms.loading import probe_image

from .records import cached_render, forget_renders, store_render
from .uploads import SavedUpload

log = logging.getLogger(__name__)
RESULT_FIELDS = ("width", "height", "duration", "fps", "frames", "style", "seed", "video_size")


@dataclass
class UploadAttempt:
    """What is known about one upload so far; filled in as it goes, recorded at the end."""

    file_size: int | None = None
    style: str | None = None
    started: float = field(default_factory=time.perf_counter)

    def saved(self, size: int) -> None:
        """The upload is on disk: note its size; processing time counts from here."""
        self.file_size = size
        self.started = time.perf_counter()


@dataclass(frozen=True)
class RenderOutcome:
    """A video ready to serve: its file name, the render's facts and whether it was reused."""

    video_filename: str
    result: dict[str, Any]
    cached: bool


def cache_key(image_sha256: str, options: RenderOptions) -> str:
    """Key of a render: the image bytes' hash, the normalised options and the core's version."""
    normalized = asdict(options)
    normalized.pop("max_pixels")  # a limit on the input, not a property of the video
    payload = {"image": image_sha256, "options": normalized, "renderer": algorithms.__version__}
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def require_free_space(folder: Path, min_free_bytes: int) -> None:
    """Raise StorageFullError when ``folder``'s disk has less than ``min_free_bytes`` free.

    Checked before an upload is saved: a render that would fill the disk is refused
    up front (507), rather than failing half-way and starving the database and logs.
    """
    if shutil.disk_usage(folder).free < min_free_bytes:
        raise StorageFullError("free disk space is below MIN_FREE_SPACE")


@contextmanager
def render_slot(slots: threading.Semaphore, deadline: float) -> Iterator[None]:
    """Hold one of this worker's render slots; RenderTimeoutError if none frees up by ``deadline``."""
    if not slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise RenderTimeoutError("no render slot became free before the deadline")
    try:
        yield
    finally:
        slots.release()


def render_saved_upload(saved: SavedUpload, options: RenderOptions, *, output_folder: Path,
                        deadline: float, connection: sqlite3.Connection | None,
                        slots: threading.Semaphore) -> RenderOutcome:
    """Check ``saved`` and turn it into a video, reusing a cached one when it still exists.

    ``connection`` None (the database is unavailable) renders without the cache.
    Raises the core's errors (ImageTooLargeError, ImageDecodeError, RenderTimeoutError, ...).
    """
    probe_image(saved.path, max_pixels=options.max_pixels)  # header limits apply to cache hits too
    key = cache_key(saved.sha256, options)
    reused = _reuse_cached(connection, key, output_folder)
    if reused is not None:
        return reused
    video_filename = f"{uuid.uuid4()}_output.mp4"
    output_path = output_folder / video_filename
    try:
        with render_slot(slots, deadline):
            rendered = algorithms.paint_image(
                saved.path, output_path, style=options.style, duration=options.duration, fps=options.fps,
                max_size=options.max_size, seed=options.seed, show_tools=options.show_tools,
                finish=options.finish, max_pixels=options.max_pixels, deadline=deadline)
    except BaseException:
        output_path.unlink(missing_ok=True)
        raise
    result = {name: getattr(rendered, name) for name in RESULT_FIELDS}
    if connection is not None:
        try:
            store_render(connection, key, video_filename, result)
        except sqlite3.Error:
            log.exception("could not store the render cache entry")
    return RenderOutcome(video_filename, result, cached=False)


def _reuse_cached(connection: sqlite3.Connection | None, key: str,
                  output_folder: Path) -> RenderOutcome | None:
    if connection is None:
        return None
    try:
        entry = cached_render(connection, key)
    except sqlite3.Error:
        log.exception("render cache lookup failed; rendering anew")
        return None
    if entry is None:
        return None
    video_filename, result = entry
    try:  # refresh its age, so the cleanup keeps a video that is still being asked for
        os.utime(output_folder / video_filename)
    except FileNotFoundError:
        try:
            forget_renders(connection, [video_filename])
        except sqlite3.Error:
            log.exception("could not drop a stale render cache entry")
        return None
    return RenderOutcome(video_filename, result, cached=True)


def init_app(app: Flask) -> None:
    """Give this worker process its ``RENDERS_PER_WORKER`` render slots."""
    app.extensions["render_slots"] = threading.BoundedSemaphore(app.config["RENDERS_PER_WORKER"])
