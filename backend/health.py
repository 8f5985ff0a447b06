"""The checks behind ``GET /api/health``: database, storage and the H.264 encoder, and with the
shared engines the video store and the rate-limit storage."""

from __future__ import annotations

import functools
import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

import av

from .database import DatabaseError, DatabaseManager, write_transaction
from .storage import Storage

log = logging.getLogger(__name__)
HEALTH_DB_TIMEOUT = 2.0


def check_database(manager: DatabaseManager) -> dict[str, Any]:
    """The database answers, has the current schema and its write lock can be taken."""
    try:
        if manager.engine == "sqlite":
            connection = manager.connect(busy_timeout=HEALTH_DB_TIMEOUT)
        else:
            connection = manager.borrow()  # within NETWORK_TIMEOUT, from the pool
        try:
            connection.execute("SELECT total_uploads FROM usage_totals").fetchone()
            with write_transaction(connection):
                pass
        finally:
            manager.give_back(connection)
    except DatabaseError as exc:
        log.error("health: database check failed: %s", exc)
        return {"ok": False, "error": "database unavailable"}
    return {"ok": True}


def check_storage(folders: list[Path], *, min_free_bytes: int) -> dict[str, Any]:
    """Every folder exists and takes a file, and the disk has ``min_free_bytes`` free."""
    try:
        for folder in folders:
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".health-"):
                pass
        free_bytes = min(shutil.disk_usage(folder).free for folder in folders)
    except OSError as exc:
        log.error("health: storage check failed: %s", exc)
        return {"ok": False, "writable": False, "error": "storage not writable"}
    result: dict[str, Any] = {"ok": free_bytes >= min_free_bytes, "writable": True, "free_bytes": free_bytes}
    if not result["ok"]:
        result["error"] = "low disk space"
    return result


@functools.cache
def check_encoder() -> dict[str, Any]:
    """The libx264 encoder is available to PyAV (it cannot appear or vanish while running)."""
    try:
        av.codec.Codec("libx264", "w")
    except Exception as exc:  # PyAV raises several unrelated types for a missing codec
        log.error("health: encoder check failed: %s", exc)
        return {"ok": False, "error": "H.264 encoder unavailable"}
    return {"ok": True, "codec": "libx264"}


def check_rate_limits(limiter: Any) -> dict[str, Any]:
    """The shared rate-limit storage (Redis) answers; while it does not, every worker counts
    the limits on its own (flask-limiter's in-memory fallback), so uploads go on."""
    try:
        alive = bool(limiter.storage.check())
    except Exception as exc:  # the storage library's own error types
        log.error("health: rate-limit storage check failed: %s", exc)
        alive = False
    if not alive:
        return {"ok": False, "error": "rate-limit storage unavailable; limits counted per process"}
    return {"ok": True}


# Checks whose failure leaves the service working (answered 200, "degraded").
NON_CRITICAL = frozenset({"rate_limits"})


def health_checks(config: dict, manager: DatabaseManager, storage: Storage, limiter: Any) -> dict[str, dict]:
    """Run every check; each result has ``ok`` and, when failing, a short ``error``."""
    folders = [Path(config["UPLOAD_FOLDER"]), Path(config["OUTPUT_FOLDER"])]
    checks = {
        "database": check_database(manager),
        "storage": check_storage(folders, min_free_bytes=config["MIN_FREE_SPACE"]),
        "encoder": check_encoder(),
    }
    if config.get("VIDEO_STORE_URL"):
        checks["video_store"] = storage.videos.health()
    if config["RATELIMIT_STORAGE_URI"] != "memory://":
        checks["rate_limits"] = check_rate_limits(limiter)
    return checks
