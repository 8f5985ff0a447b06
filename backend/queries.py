"""The queries: usage rows, the statistics summary, the render cache and task scheduling.

Parameterised queries only, each meaning the same on SQLite and PostgreSQL (no ``INSERT OR
REPLACE``; sums kept as integers); every write in one transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .database import Connection, write_transaction


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


def record_usage(connection: Connection, record: UsageRecord) -> None:
    """Insert one ``usage_stats`` row for ``record`` and add it to the running totals."""
    now = utc_now_iso()
    processing_time = round(record.processing_time, 4)
    with write_transaction(connection):
        connection.execute(
            "INSERT INTO usage_stats (timestamp, ip_address, user_agent, file_size, processing_time,"
            " success, error_code, video_filename, style, cached) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                now,
                record.ip_address,
                (record.user_agent or "")[:512] or None,
                record.file_size,
                processing_time,
                int(record.success),
                record.error_code,
                record.video_filename,
                record.style,
                int(record.cached),
            ),
        )
        connection.execute(
            "UPDATE usage_totals SET total_uploads = total_uploads + 1,"
            " successful_uploads = successful_uploads + ?, processing_time_sum = processing_time_sum + ?,"
            " total_file_size = total_file_size + ?,"
            " last_upload = CASE WHEN last_upload IS NULL OR last_upload < ? THEN ? ELSE last_upload END",
            (
                int(record.success),
                processing_time if record.success else 0.0,
                record.file_size or 0,
                now,
                now,
            ),
        )


def usage_summary(connection: Connection) -> dict[str, Any]:
    """Return the numbers of ``GET /api/stats``: one row of running totals, whatever the number
    of usage rows (old ones leave after ``USAGE_RETENTION``; the totals keep counting them)."""
    row = connection.execute(
        "SELECT total_uploads, successful_uploads, processing_time_sum, total_file_size, last_upload"
        " FROM usage_totals"
    ).fetchone()
    total, ok = int(row["total_uploads"]), int(row["successful_uploads"])
    return {
        "total_uploads": total,
        "successful_uploads": ok,
        "failed_uploads": total - ok,
        "average_processing_time": round(float(row["processing_time_sum"]) / ok, 3) if ok else 0.0,
        "total_file_size": int(row["total_file_size"]),
        "last_upload": row["last_upload"],
    }


def forget_old_usage(connection: Connection, *, older_than: float, now: float) -> int:
    """Delete the usage rows (with their client addresses) older than ``older_than`` seconds;
    the running totals keep them. Return how many went."""
    cutoff = datetime.fromtimestamp(now - older_than, UTC).isoformat(timespec="milliseconds")
    with write_transaction(connection):
        cursor = connection.execute(
            "DELETE FROM usage_stats WHERE timestamp < ?", (cutoff.replace("+00:00", "Z"),)
        )
    return int(cursor.rowcount)


def cached_render(connection: Connection, cache_key: str) -> tuple[str, dict[str, Any]] | None:
    """Return ``(video_filename, result)`` stored under ``cache_key``, or None."""
    row = connection.execute(
        "SELECT video_filename, result_json FROM render_cache WHERE cache_key = ?", (cache_key,)
    ).fetchone()
    return None if row is None else (row["video_filename"], json.loads(row["result_json"]))


def store_render(connection: Connection, cache_key: str, video_filename: str, result: dict[str, Any]) -> None:
    """Remember that ``cache_key`` rendered to ``video_filename`` with ``result``."""
    with write_transaction(connection):
        connection.execute(
            "INSERT INTO render_cache (cache_key, video_filename, result_json, created) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (cache_key) DO UPDATE SET video_filename = excluded.video_filename,"
            " result_json = excluded.result_json, created = excluded.created",
            (cache_key, video_filename, json.dumps(result), utc_now_iso()),
        )


def forget_renders(connection: Connection, video_filenames: list[str]) -> None:
    """Drop the cache entries pointing at ``video_filenames`` (deleted videos)."""
    with write_transaction(connection):
        connection.executemany(
            "DELETE FROM render_cache WHERE video_filename = ?", [(name,) for name in video_filenames]
        )


def claim_task(connection: Connection, task: str, *, interval: float, now: float) -> bool:
    """Return True if this process should run ``task`` now: at most once per ``interval`` seconds.

    One atomic statement claims it, so of several workers on several hosts asking at the same
    moment exactly one gets True (a read then a write let several through on PostgreSQL).
    """
    with write_transaction(connection):
        claimed = connection.execute(
            "INSERT INTO maintenance (task, last_run) VALUES (?, ?)"
            " ON CONFLICT (task) DO UPDATE SET last_run = excluded.last_run"
            " WHERE maintenance.last_run <= ? RETURNING last_run",
            (task, now, now - interval),
        ).fetchone()
    return claimed is not None
