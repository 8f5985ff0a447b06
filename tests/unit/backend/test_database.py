"""The SQLite layer: schema, WAL, transactions and several writer processes (backend/database.py,
backend/records.py)."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from pathlib import Path

import pytest

from backend.database import SCHEMA_VERSION, DatabaseManager, write_transaction
from backend.queries import (
    UsageRecord,
    cached_render,
    claim_task,
    forget_renders,
    record_usage,
    store_render,
    usage_summary,
)
from tests.helpers.network import run_processes_at_once


@pytest.fixture
def manager(tmp_path: Path) -> DatabaseManager:
    """A database manager on a fresh file, its schema made."""
    db = DatabaseManager(f"sqlite:///{tmp_path / 'stats.db'}")
    db.init_schema()
    return db


def _record(success: bool = True, **fields) -> UsageRecord:
    """A usage row with defaults, ``fields`` overriding them."""
    values = {
        "ip_address": "127.0.0.1",
        "user_agent": "pytest",
        "file_size": 100,
        "processing_time": 0.5,
        "success": success,
    }
    values.update(fields)
    return UsageRecord(**values)


def test_schema_version_wal_and_tables(manager):
    connection = manager.connect()
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    columns = [row["name"] for row in connection.execute("PRAGMA table_info(usage_stats)")]
    assert columns[:7] == [
        "id",
        "timestamp",
        "ip_address",
        "user_agent",
        "file_size",
        "processing_time",
        "success",
    ]
    assert {"error_code", "video_filename", "style"} <= set(columns)


def test_init_schema_is_idempotent_and_keeps_data(manager):
    record_usage(manager.connect(), _record())
    manager.init_schema()
    assert usage_summary(manager.connect())["total_uploads"] == 1


def test_only_sqlite_urls_are_accepted():
    with pytest.raises(ValueError):
        DatabaseManager("postgresql://localhost/db")


def test_summary_counts_successes_failures_and_bytes(manager):
    connection = manager.connect()
    record_usage(connection, _record(processing_time=1.0, file_size=10))
    record_usage(connection, _record(processing_time=3.0, file_size=20))
    record_usage(
        connection, _record(success=False, error_code="CORRUPT_IMAGE", processing_time=9.0, file_size=5)
    )
    summary = usage_summary(connection)
    assert summary["total_uploads"] == 3 and summary["successful_uploads"] == 2
    assert summary["failed_uploads"] == 1 and summary["total_file_size"] == 35
    assert summary["average_processing_time"] == 2.0  # successful renders only
    assert summary["last_upload"].endswith("Z")


def test_values_are_bound_not_interpolated(manager):
    connection = manager.connect()
    hostile = "x'); DROP TABLE usage_stats; --"
    record_usage(connection, _record(user_agent=hostile))
    assert connection.execute("SELECT user_agent FROM usage_stats").fetchone()[0] == hostile


def test_a_failed_transaction_rolls_back(manager):
    connection = manager.connect()
    with pytest.raises(RuntimeError):
        with write_transaction(connection):
            connection.execute("INSERT INTO maintenance (task, last_run) VALUES ('t', 1)")
            raise RuntimeError("abort")
    assert connection.execute("SELECT COUNT(*) FROM maintenance").fetchone()[0] == 0


def test_render_cache_round_trip(manager):
    connection = manager.connect()
    assert cached_render(connection, "k") is None
    store_render(connection, "k", "v_output.mp4", {"width": 2})
    assert cached_render(connection, "k") == ("v_output.mp4", {"width": 2})
    forget_renders(connection, ["v_output.mp4"])
    assert cached_render(connection, "k") is None


def test_claim_task_once_per_interval(manager):
    connection = manager.connect()
    assert claim_task(connection, "cleanup", interval=60, now=1000.0) is True
    assert claim_task(connection, "cleanup", interval=60, now=1030.0) is False
    assert claim_task(connection, "cleanup", interval=60, now=1061.0) is True


def _write_rows(database_url: str, count: int, start: multiprocessing.Event) -> None:
    """Write ``count`` usage rows once ``start`` is set (run in a forked process)."""
    connection = DatabaseManager(database_url).connect()
    start.wait()
    for index in range(count):
        record_usage(connection, _record(file_size=index))


def _claim(database_url: str, start: multiprocessing.Event, results: multiprocessing.Queue) -> None:
    """Try to claim the task once ``start`` is set; put whether it did in ``results``."""
    connection = DatabaseManager(database_url).connect()
    start.wait()
    results.put(claim_task(connection, "cleanup", interval=3600, now=time.time()))


def test_several_processes_writing_at_once_lose_nothing(manager):
    url = f"sqlite:///{manager.path}"
    run_processes_at_once(_write_rows, lambda _index, start: (url, 50, start), count=4)
    summary = usage_summary(manager.connect())
    assert summary["total_uploads"] == 200
    assert summary["total_file_size"] == 4 * sum(range(50))


def test_exactly_one_process_claims_a_task(manager):
    url = f"sqlite:///{manager.path}"
    results = multiprocessing.get_context("fork").Queue()
    run_processes_at_once(_claim, lambda _index, start: (url, start, results), count=4)
    claims = [results.get(timeout=10) for _ in range(4)]
    assert sorted(claims) == [False, False, False, True]


def test_a_locked_database_raises_after_the_busy_timeout(tmp_path):
    db = DatabaseManager(f"sqlite:///{tmp_path / 'locked.db'}", busy_timeout=0.2)
    db.init_schema()
    holder = db.connect()
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        record_usage(db.connect(), _record())
    assert time.monotonic() - started >= 0.15
    holder.execute("ROLLBACK")
