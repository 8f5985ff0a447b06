"""The database behind one small manager: SQLite (the default, one host) or PostgreSQL (several hosts).

SQLite: a new connection per use, WAL mode, a busy timeout and every write in ``BEGIN
IMMEDIATE``. PostgreSQL: connections from a psycopg pool of ``DATABASE_POOL_SIZE`` per worker
process, ``NETWORK_TIMEOUT`` on connecting, on every statement and on waiting for the pool.
Queries are written once with ``?`` placeholders; rows read by name or position on both.
The schema and its migrations are in :mod:`.schema`.
"""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from flask import Flask, current_app, g
from psycopg_pool import ConnectionPool

from .db_connection import Connection, rows, write_transaction
from .schema import SCHEMA_VERSION, migrate

__all__ = ["SCHEMA_VERSION", "Connection", "DatabaseError", "DatabaseManager", "get_db", "write_transaction"]
log = logging.getLogger(__name__)
BUSY_TIMEOUT_SECONDS = 5.0
# What a database that is locked, gone or unreachable raises (psycopg_pool's PoolTimeout included).
DatabaseError: tuple[type[Exception], type[Exception]] = (sqlite3.Error, psycopg.Error)


class DatabaseManager:
    """Connections to the database named by ``database_url`` (``sqlite:///path`` or ``postgresql://``)."""

    def __init__(
        self,
        database_url: str,
        *,
        busy_timeout: float = BUSY_TIMEOUT_SECONDS,
        pool_size: int = 4,
        timeout: float = 3.0,
    ) -> None:
        self.path: Path | None = None
        if database_url.startswith("sqlite:///"):
            self.engine, self.path = "sqlite", Path(database_url[len("sqlite:///") :])
        elif database_url.startswith("postgresql://"):
            self.engine = "postgresql"
        else:
            raise ValueError("database_url must start with sqlite:/// or postgresql://")
        self.url, self.busy_timeout, self.pool_size, self.timeout = (
            database_url,
            busy_timeout,
            pool_size,
            timeout,
        )
        self.schema_ready = False
        self._pool: ConnectionPool | None = None
        self._lock = threading.Lock()

    def _pg_settings(self) -> dict[str, Any]:
        milliseconds = int(self.timeout * 1000)
        return {
            "autocommit": True,
            "row_factory": rows,
            "connect_timeout": max(2, math.ceil(self.timeout)),  # libpq's floor is 2 s
            "options": f"-c statement_timeout={milliseconds}",
            "tcp_user_timeout": milliseconds,  # a vanished server: seconds, not the kernel's minutes
            "application_name": "paint-animation",
        }

    def connect(self, *, busy_timeout: float | None = None) -> Connection:
        """Open a new connection of its own (not pooled): rows by name or position, explicit
        transactions only. ``busy_timeout`` (SQLite, seconds) defaults to the manager's."""
        if self.engine == "postgresql":
            return Connection(psycopg.connect(self.url, **self._pg_settings()), "postgresql")
        timeout = self.busy_timeout if busy_timeout is None else busy_timeout
        raw = sqlite3.connect(self.path or "", timeout=timeout, isolation_level=None)
        raw.row_factory = sqlite3.Row
        return Connection(raw, "sqlite")

    def borrow(self) -> Connection:
        """A connection for a short piece of work; give it back with :meth:`give_back`."""
        if self.engine == "sqlite":
            return self.connect()
        self.ensure_schema()
        with self._lock:
            if self._pool is None:  # made on first use: in the worker, after gunicorn's fork
                self._pool = ConnectionPool(
                    self.url,
                    kwargs=self._pg_settings(),
                    min_size=1,
                    max_size=self.pool_size,
                    timeout=self.timeout,
                    reconnect_timeout=10.0,  # then give up and try afresh on the next request
                    check=ConnectionPool.check_connection,  # no dead connection after a restart
                    name="paint-animation",
                    open=True,
                )
        return Connection(self._pool.getconn(), "postgresql")

    def give_back(self, connection: Connection) -> None:
        """Return a connection from :meth:`borrow` (to the pool, or closed)."""
        if self._pool is not None and connection.engine == "postgresql":
            self._pool.putconn(connection.raw)
        else:
            connection.close()

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """Borrow a connection for the block only (never across a render)."""
        connection = self.borrow()
        try:
            yield connection
        finally:
            self.give_back(connection)

    def init_schema(self) -> None:
        """Create or upgrade the schema to :data:`SCHEMA_VERSION`; safe to run from every worker."""
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = self.connect()
        try:
            if self.engine == "sqlite":
                self._use_wal(connection)
            migrate(connection)
        finally:
            connection.close()
        self.schema_ready = True

    def _use_wal(self, connection: Connection) -> None:
        """Switch a SQLite file to WAL. The switch takes the file's exclusive lock and SQLite does not
        wait for it as it waits for a write lock: when several workers start at once, it is retried
        within the busy timeout."""
        deadline = time.monotonic() + self.busy_timeout
        while True:
            try:
                connection.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def ensure_schema(self) -> None:
        """Migrate now if it could not be done at start-up (PostgreSQL was unreachable)."""
        if not self.schema_ready:
            with self._lock:
                if not self.schema_ready:
                    self.init_schema()

    def close(self) -> None:
        """Close the pool, if one was opened."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.close()


def get_db() -> Connection:
    """Return this request's connection, borrowing it on first use (given back on teardown)."""
    if "db" not in g:
        g.db = current_app.extensions["database"].borrow()
    return g.db


def close_db(_error: BaseException | None = None) -> None:
    """Give back this request's connection, if one was borrowed."""
    connection = g.pop("db", None)
    if connection is not None:
        current_app.extensions["database"].give_back(connection)


def init_app(app: Flask) -> None:
    """Bind the database named by ``DATABASE_URL`` to ``app`` and make sure its schema is current.

    An unreachable PostgreSQL does not stop the worker (a host must survive a database outage
    and a worker recycled during one): the schema is checked again on first use.
    """
    config = app.config
    manager = DatabaseManager(
        config["DATABASE_URL"], pool_size=config["DATABASE_POOL_SIZE"], timeout=config["NETWORK_TIMEOUT"]
    )
    try:
        manager.init_schema()
    except psycopg.Error:
        log.exception("the database is unreachable at start-up; the schema is checked again on first use")
    app.extensions["database"] = manager
    app.teardown_appcontext(close_db)
    from .copy_command import copy_to_postgres_command

    app.cli.add_command(copy_to_postgres_command)
