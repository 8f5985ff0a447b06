"""SQLite storage: the usage statistics, the render cache and the cleanup schedule.

One connection per request on ``g`` (closed on teardown), WAL mode, a busy timeout and
every write in ``BEGIN IMMEDIATE``, so several gunicorn workers can write at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask, current_app, g

SCHEMA_VERSION = 1
BUSY_TIMEOUT_SECONDS = 5.0

# The schema, in one place: migrations[n] takes the database from version n to n + 1.
MIGRATIONS = (
    """
    CREATE TABLE usage_stats (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        timestamp TEXT NOT NULL,
        ip_address TEXT,
        user_agent TEXT,
        file_size INTEGER,
        processing_time REAL,
        success INTEGER NOT NULL,
        error_code TEXT,
        video_filename TEXT,
        style TEXT,
        cached INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX usage_stats_timestamp ON usage_stats (timestamp);
    CREATE TABLE render_cache (
        cache_key TEXT PRIMARY KEY,
        video_filename TEXT NOT NULL,
        result_json TEXT NOT NULL,
        created TEXT NOT NULL
    );
    CREATE INDEX render_cache_video ON render_cache (video_filename);
    CREATE TABLE maintenance (
        task TEXT PRIMARY KEY,
        last_run REAL NOT NULL
    );
    """,
)
assert len(MIGRATIONS) == SCHEMA_VERSION


class DatabaseManager:
    """Connections to the SQLite database named by ``database_url`` (``sqlite:///path``)."""

    def __init__(self, database_url: str, *, busy_timeout: float = BUSY_TIMEOUT_SECONDS) -> None:
        prefix = "sqlite:///"
        if not database_url.startswith(prefix):
            raise ValueError("database_url must start with sqlite:///")
        self.path = Path(database_url[len(prefix) :])
        self.busy_timeout = busy_timeout

    def connect(self, *, busy_timeout: float | None = None) -> sqlite3.Connection:
        """Open a new connection: rows as :class:`sqlite3.Row`, explicit transactions only.

        ``busy_timeout`` (default: the manager's, in seconds) becomes SQLite's busy timeout:
        ``sqlite3.connect(timeout=...)`` sets it, as ``PRAGMA busy_timeout`` would.
        """
        timeout = self.busy_timeout if busy_timeout is None else busy_timeout
        connection = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        connection.row_factory = sqlite3.Row
        return connection

    def init_schema(self) -> None:
        """Create or upgrade the schema to :data:`SCHEMA_VERSION`; safe to run from every worker."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = self.connect()
        try:
            connection.execute("PRAGMA journal_mode = WAL")
            with write_transaction(connection):
                version = connection.execute("PRAGMA user_version").fetchone()[0]
                for migration in MIGRATIONS[version:]:
                    for statement in filter(str.strip, migration.split(";")):
                        connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        finally:
            connection.close()


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run a block in ``BEGIN IMMEDIATE`` (take the write lock first), commit or roll back."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def get_db() -> sqlite3.Connection:
    """Return this request's connection, opening it on first use."""
    if "db" not in g:
        g.db = current_app.extensions["database"].connect()
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    """Close this request's connection, if one was opened."""
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def init_app(app: Flask) -> None:
    """Bind the database named by ``DATABASE_URL`` to ``app`` and make sure its schema is current."""
    manager = DatabaseManager(app.config["DATABASE_URL"])
    manager.init_schema()
    app.extensions["database"] = manager
    app.teardown_appcontext(close_db)
