"""The render service: check a saved upload, reuse a cached video or render a new one.

A worker serves several requests at once on threads (slow clients, health checks, video
ranges), but renders at most ``RENDERS_PER_WORKER`` at a time: renders are CPU- and
memory-heavy, and one per worker is one per core.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask

import algorithms
from algorithms import RenderOptions, RenderTimeoutError

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
    connection: sqlite3.Connection | None,
    slots: threading.Semaphore,
) -> RenderOutcome:
    """Check ``saved`` and turn it into a video, reusing a cached one when it still exists.

    ``connection`` None (the database is unavailable) renders without the cache.
    Raises the core's errors (ImageTooLargeError, ImageDecodeError, RenderTimeoutError, ...).
    """
    algorithms.probe_image(saved.path, max_pixels=options.max_pixels)  # limits apply to cache hits too
    key = cache_key(saved.sha256, options)
    reused = _reuse_cached(connection, key, storage)
    if reused is not None:
        return reused
    output_path = storage.new_video_path()
    try:
        with render_slot(slots, deadline):
            rendered = algorithms.paint_image(saved.path, output_path, options, deadline=deadline)
    except BaseException:
        output_path.unlink(missing_ok=True)
        raise
    result = {name: getattr(rendered, name) for name in RESULT_FIELDS}
    if connection is not None:
        try:
            store_render(connection, key, output_path.name, result)
        except sqlite3.Error:
            log.exception("could not store the render cache entry")
    return RenderOutcome(output_path.name, result, cached=False)


def _reuse_cached(connection: sqlite3.Connection | None, key: str, storage: Storage) -> RenderOutcome | None:
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
    # Refresh its age, so the cleanup keeps a video that is still being asked for.
    if storage.touch_video(video_filename):
        return RenderOutcome(video_filename, result, cached=True)
    try:
        forget_renders(connection, [video_filename])
    except sqlite3.Error:
        log.exception("could not drop a stale render cache entry")
    return None


def init_app(app: Flask) -> None:
    """Give this worker process its ``RENDERS_PER_WORKER`` render slots."""
    app.extensions["render_slots"] = threading.BoundedSemaphore(app.config["RENDERS_PER_WORKER"])
