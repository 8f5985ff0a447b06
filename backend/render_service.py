"""The render service: check a saved upload, reuse a cached video or render a new one.

A worker serves several requests at once on threads (slow clients, health checks, video
ranges), but renders at most ``RENDERS_PER_WORKER`` at a time: renders are CPU- and
memory-heavy, and one per worker is one per core.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask

import algorithms
from algorithms import RenderOptions, RenderTimeoutError

from .database import DatabaseError, DatabaseManager
from .progress import ProgressTracker
from .queries import cached_render, forget_renders, store_render
from .storage import SavedUpload, Storage

log = logging.getLogger(__name__)
RESULT_FIELDS = ("width", "height", "duration", "fps", "frames", "style", "seed", "video_size")


@dataclass(frozen=True)
class RenderOutcome:
    """A video ready to serve: its file name, the render's facts and whether it was reused."""

    video_filename: str
    result: dict[str, Any]
    cached: bool


def cache_key(image_sha256: str, options: RenderOptions) -> str:
    """Key of a render: the image bytes' hash, the options that decide the video and the
    style's renderer revision (which moves whenever the style's output changes)."""
    payload = {
        "image": image_sha256,
        "options": options.video_settings(),
        "renderer": algorithms.renderer_revision(options.style),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@contextmanager
def render_slot(slots: threading.Semaphore, deadline: float) -> Iterator[None]:
    """Hold one of this worker's render slots; RenderTimeoutError if none frees up by ``deadline``."""
    if not slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise RenderTimeoutError("no render slot became free before the deadline")
    try:
        yield
    finally:
        slots.release()


def render_saved_upload(
    saved: SavedUpload,
    options: RenderOptions,
    *,
    storage: Storage,
    deadline: float,
    database: DatabaseManager,
    slots: threading.Semaphore,
    progress: ProgressTracker | None = None,
) -> RenderOutcome:
    """Check ``saved`` and turn it into a video, reusing a cached one when it still exists.

    The database is borrowed only for the cache look-up and the cache entry, never across the
    render; when it is unavailable the upload renders without the cache (logged). ``progress``
    hears when the render gets its slot and how far it is. The video
    is rendered to a local file, then published to the video store complete.
    Raises the core's errors (ImageTooLargeError, ImageDecodeError, RenderTimeoutError, ...)
    and StoreUnavailableError.
    """
    algorithms.probe_image(saved.path, max_pixels=options.max_pixels)  # limits apply to cache hits too
    key = cache_key(saved.sha256, options)
    reused, database_up = _reuse_cached(database, key, storage)
    if reused is not None:
        return reused
    output_path = storage.new_video_path(algorithms.FORMATS[options.format].extension)
    try:
        with render_slot(slots, deadline):
            if progress is not None:
                progress.rendering()
            rendered = algorithms.paint_image(
                saved.path,
                output_path,
                options,
                deadline=deadline,
                progress=None if progress is None else progress.update,
            )
    except BaseException:
        output_path.unlink(missing_ok=True)
        raise
    storage.videos.publish(output_path)
    result = {name: getattr(rendered, name) for name in RESULT_FIELDS}
    try:
        if database_up:  # else the look-up already waited for it once: the usage row tries again
            with database.connection() as connection:
                store_render(connection, key, output_path.name, result)
    except DatabaseError:
        log.exception("could not store the render cache entry")
    return RenderOutcome(output_path.name, result, cached=False)


def _reuse_cached(database: DatabaseManager, key: str, storage: Storage) -> tuple[RenderOutcome | None, bool]:
    """The cached video of ``key`` if it still exists, and whether the database answered."""
    try:
        with database.connection() as connection:
            entry = cached_render(connection, key)
    except DatabaseError:
        log.exception("database unavailable during upload; rendering without the cache")
        return None, False
    if entry is None:
        return None, True
    video_filename, result = entry
    # Refresh its age, so the cleanup keeps a video that is still being asked for.
    if storage.videos.touch(video_filename):
        return RenderOutcome(video_filename, result, cached=True), True
    try:
        with database.connection() as connection:
            forget_renders(connection, [video_filename])
    except DatabaseError:
        log.exception("could not drop a stale render cache entry")
    return None, True


def init_app(app: Flask) -> None:
    """Give this worker process its ``RENDERS_PER_WORKER`` render slots."""
    app.extensions["render_slots"] = threading.BoundedSemaphore(app.config["RENDERS_PER_WORKER"])
