"""The database layer on both engines: schema, transactions, the queries and several writer
processes (backend/database.py, backend/schema.py, backend/queries.py). ``manager`` is SQLite,
then PostgreSQL; the SQLite-only parts (WAL, busy timeout) use ``sqlite_manager``."""

from __future__ import annotations

import multiprocessing
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend.database import SCHEMA_VERSION, DatabaseManager, write_transaction
from backend.queries import (
    UsageRecord,
    cached_render,
    claim_task,
    forget_old_usage,
    forget_renders,
    record_usage,
    store_render,
    usage_summary,
)
from backend.schema import schema_version
from tests.helpers.network import run_processes_at_once


@pytest.fixture
def manager(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[DatabaseManager]:
    """A migrated database of either engine; the connections a test opens are closed after it."""
    db = DatabaseManager(database_url)
    db.init_schema()
    opened = []

    def connect(**options):
        opened.append(DatabaseManager.connect(db, **options))
        return opened[-1]

    monkeypatch.setattr(db, "connect", connect)
    yield db
    for connection in opened:
        connection.close()
    db.close()


@pytest.fixture
def sqlite_manager(tmp_path: Path) -> DatabaseManager:
    """A database manager on a fresh SQLite file, its schema made."""
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


def test_schema_version_wal_and_tables(sqlite_manager):
    connection = sqlite_manager.connect()
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


def test_schema_version_and_columns_on_either_engine(manager):
    connection = manager.connect()
    assert schema_version(connection) == SCHEMA_VERSION
    row = connection.execute("SELECT * FROM usage_stats").fetchone()
    assert row is None
    names = [
        column.name if hasattr(column, "name") else column[0]
        for column in connection.raw.execute(
            "SELECT id, timestamp, ip_address, user_agent, file_size, processing_time, success, error_code,"
            " video_filename, style, cached FROM usage_stats"
        ).description
    ]
    assert names[:7] == [
        "id",
        "timestamp",
        "ip_address",
        "user_agent",
        "file_size",
        "processing_time",
        "success",
    ]


def test_only_sqlite_and_postgresql_urls_are_accepted():
    with pytest.raises(ValueError):
        DatabaseManager("mysql://localhost/db")
    assert DatabaseManager("postgresql://localhost/db").engine == "postgresql"


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
    assert usage_summary(connection)["total_uploads"] == 1


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
    connection = DatabaseManager(database_url).connect()  # after the fork: a connection of its own
    start.wait()
    for index in range(count):
        record_usage(connection, _record(file_size=index))


def _claim(database_url: str, start: multiprocessing.Event, results: multiprocessing.Queue) -> None:
    """Try to claim the task once ``start`` is set; put whether it did in ``results``."""
    connection = DatabaseManager(database_url).connect()
    start.wait()
    results.put(claim_task(connection, "cleanup", interval=3600, now=time.time()))


def test_several_processes_writing_at_once_lose_nothing(manager):
    url = manager.url
    run_processes_at_once(_write_rows, lambda _index, start: (url, 50, start), count=4)
    summary = usage_summary(manager.connect())
    assert summary["total_uploads"] == 200
    assert summary["total_file_size"] == 4 * sum(range(50))


@pytest.mark.parametrize("round_", range(5))
def test_exactly_one_of_eight_processes_claims_a_task(manager, round_):
    """The claim is one atomic statement: a read then a write let 3-8 of 8 through on PostgreSQL."""
    url = manager.url
    results = multiprocessing.get_context("fork").Queue()
    run_processes_at_once(_claim, lambda _index, start: (url, start, results), count=8)
    claims = [results.get(timeout=10) for _ in range(8)]
    assert sorted(claims) == [False] * 7 + [True]


def test_numbers_keep_their_types_on_both_engines(manager):
    """PostgreSQL's SUM of integers is a Decimal (JSON wrote it as a string) and its REAL has
    4 bytes (an epoch lost its fraction): neither may reach an answer."""
    connection = manager.connect()
    record_usage(connection, _record(file_size=1000, processing_time=1.25))
    record_usage(connection, _record(file_size=500, processing_time=0.75))
    summary = usage_summary(connection)
    assert summary["total_file_size"] == 1500 and type(summary["total_file_size"]) is int
    assert summary["average_processing_time"] == 1.0 and type(summary["average_processing_time"]) is float
    assert claim_task(connection, "epoch", interval=1, now=1764000000.123)
    last_run = connection.execute("SELECT last_run FROM maintenance WHERE task = ?", ("epoch",)).fetchone()
    assert last_run["last_run"] == 1764000000.123


def test_store_render_replaces_an_entry(manager):
    connection = manager.connect()
    store_render(connection, "k", "a_output.mp4", {"width": 1})
    store_render(connection, "k", "b_output.mp4", {"width": 2})
    assert cached_render(connection, "k") == ("b_output.mp4", {"width": 2})


def test_stats_come_from_running_totals_and_survive_usage_retention(manager):
    connection = manager.connect()
    for size in (10, 20, 30):
        record_usage(connection, _record(file_size=size))
    before = usage_summary(connection)
    assert forget_old_usage(connection, older_than=3600, now=time.time() + 7200) == 3
    assert connection.execute("SELECT COUNT(*) AS n FROM usage_stats").fetchone()["n"] == 0
    assert usage_summary(connection) == before  # the totals keep what the rows no longer hold
    record_usage(connection, _record(file_size=5))
    assert forget_old_usage(connection, older_than=3600, now=time.time()) == 0
    assert usage_summary(connection)["total_file_size"] == 65


def test_a_version_1_database_gains_totals_from_its_rows(tmp_path):
    """An existing SQLite file (schema 1, before the running totals) is migrated in place."""
    import sqlite3

    from backend.schema import MIGRATIONS

    path = tmp_path / "old.db"
    raw = sqlite3.connect(path)
    raw.executescript(MIGRATIONS["sqlite"][0])
    raw.execute(
        "INSERT INTO usage_stats (timestamp, file_size, processing_time, success) VALUES"
        " ('2025-01-01T00:00:00.000Z', 7, 2.0, 1), ('2025-01-02T00:00:00.000Z', 3, 9.0, 0)"
    )
    raw.execute("PRAGMA user_version = 1")
    raw.commit()
    raw.close()
    db = DatabaseManager(f"sqlite:///{path}")
    db.init_schema()
    connection = db.connect()
    summary = usage_summary(connection)
    connection.close()
    assert (summary["total_uploads"], summary["successful_uploads"], summary["total_file_size"]) == (2, 1, 10)
    assert summary["average_processing_time"] == 2.0 and summary["last_upload"] == "2025-01-02T00:00:00.000Z"


def test_several_processes_migrating_at_once_migrate_once(database_url):
    """Hosts starting together: every one runs init_schema; one migrates, the others find it done."""
    run_processes_at_once(_migrate, lambda _index, start: (database_url, start), count=6)
    connection = DatabaseManager(database_url).connect()
    try:
        assert schema_version(connection) == SCHEMA_VERSION
        assert connection.execute("SELECT COUNT(*) AS n FROM usage_totals").fetchone()["n"] == 1
    finally:
        connection.close()


def _migrate(database_url: str, start: multiprocessing.Event) -> None:
    manager = DatabaseManager(database_url)
    start.wait()
    manager.init_schema()


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
