"""The queries: usage rows, the statistics summary, the render cache and task scheduling.

Parameterised queries only; every write in ``BEGIN IMMEDIATE``.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .database import write_transaction


@dataclass(frozen=True)
class UsageRecord:
    """One handled upload, successful or not."""

    ip_address: str | None
    user_agent: str | None
    file_size: int | None
    processing_time: float
    success: bool
    error_code: str | None = None
    video_filename: str | None = None
    style: str | None = None
    cached: bool = False


def utc_now_iso() -> str:
    """Return the current time as ISO 8601 in UTC, e.g. ``2025-01-31T12:00:00.123Z``."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def record_usage(connection: sqlite3.Connection, record: UsageRecord) -> None:
    """Insert one ``usage_stats`` row for ``record``."""
    with write_transaction(connection):
        connection.execute(
            "INSERT INTO usage_stats (timestamp, ip_address, user_agent, file_size, processing_time,"
            " success, error_code, video_filename, style, cached) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                utc_now_iso(),
                record.ip_address,
                (record.user_agent or "")[:512] or None,
                record.file_size,
                round(record.processing_time, 4),
                int(record.success),
                record.error_code,
                record.video_filename,
                record.style,
                int(record.cached),
            ),
        )


def usage_summary(connection: sqlite3.Connection) -> dict[str, Any]:
    """Return the numbers of ``GET /api/stats``."""
    row = connection.execute(
        "SELECT COUNT(*) AS total, COALESCE(SUM(success), 0) AS ok,"
        " AVG(CASE WHEN success = 1 THEN processing_time END) AS average,"
        " COALESCE(SUM(file_size), 0) AS bytes, MAX(timestamp) AS last FROM usage_stats"
    ).fetchone()
    return {
        "total_uploads": row["total"],
        "successful_uploads": row["ok"],
        "failed_uploads": row["total"] - row["ok"],
        "average_processing_time": round(row["average"], 3) if row["average"] is not None else 0.0,
        "total_file_size": row["bytes"],
        "last_upload": row["last"],
    }


def cached_render(connection: sqlite3.Connection, cache_key: str) -> tuple[str, dict[str, Any]] | None:
    """Return ``(video_filename, result)`` stored under ``cache_key``, or None."""
    row = connection.execute(
        "SELECT video_filename, result_json FROM render_cache WHERE cache_key = ?", (cache_key,)
    ).fetchone()
    return None if row is None else (row["video_filename"], json.loads(row["result_json"]))


def store_render(
    connection: sqlite3.Connection, cache_key: str, video_filename: str, result: dict[str, Any]
) -> None:
    """Remember that ``cache_key`` rendered to ``video_filename`` with ``result``."""
    with write_transaction(connection):
        connection.execute(
            "INSERT OR REPLACE INTO render_cache (cache_key, video_filename, result_json, created)"
            " VALUES (?, ?, ?, ?)",
            (cache_key, video_filename, json.dumps(result), utc_now_iso()),
        )


def forget_renders(connection: sqlite3.Connection, video_filenames: list[str]) -> None:
    """Drop the cache entries pointing at ``video_filenames`` (deleted videos)."""
    with write_transaction(connection):
        connection.executemany(
            "DELETE FROM render_cache WHERE video_filename = ?", [(name,) for name in video_filenames]
        )


def claim_task(connection: sqlite3.Connection, task: str, *, interval: float, now: float) -> bool:
    """Return True if this process should run ``task`` now: at most once per ``interval`` seconds.

    The check and the update share one write transaction, so of several workers
    asking at the same moment exactly one gets True.
    """
    with write_transaction(connection):
        row = connection.execute("SELECT last_run FROM maintenance WHERE task = ?", (task,)).fetchone()
        if row is not None and now - row["last_run"] < interval:
            return False
        connection.execute("INSERT OR REPLACE INTO maintenance (task, last_run) VALUES (?, ?)", (task, now))
    return True
