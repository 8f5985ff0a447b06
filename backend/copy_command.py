"""``flask copy-to-postgres``: moving up from one host. Copies the SQLite analytics (every usage
row and the running totals) into the PostgreSQL database named by ``DATABASE_URL``::

    DATABASE_URL=postgresql://paint:...@db:5432/paint flask --app main copy-to-postgres sqlite:///app.db

The target must hold no uploads yet (the copy runs once, in one transaction). Render-cache
entries are not copied: they point at local video files, which the shared store does not have.
"""

from __future__ import annotations

from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from .database import Connection, DatabaseManager, write_transaction
from .queries import usage_summary

BATCH = 1000
COLUMNS = (
    "timestamp, ip_address, user_agent, file_size, processing_time, success, error_code, video_filename,"
    " style, cached"
)


def copy_usage(source: Connection, target: Connection) -> tuple[int, dict[str, Any]]:
    """Copy every usage row and the running totals of ``source`` into the empty ``target``;
    return the number of rows copied and the totals. Raises ValueError if ``target`` has uploads."""
    totals = source.execute(
        "SELECT total_uploads, successful_uploads, processing_time_sum, total_file_size, last_upload"
        " FROM usage_totals"
    ).fetchone()
    copied = 0
    with write_transaction(target):
        present = usage_summary(target)["total_uploads"]
        rows = target.execute("SELECT COUNT(*) AS n FROM usage_stats").fetchone()["n"]
        if present or rows:
            raise ValueError(f"the target database already holds {max(present, rows)} uploads")
        cursor = source.execute(f"SELECT {COLUMNS} FROM usage_stats ORDER BY id")
        while batch := cursor.fetchmany(BATCH):
            target.executemany(
                f"INSERT INTO usage_stats ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [tuple(row) for row in batch],
            )
            copied += len(batch)
        target.execute(
            "UPDATE usage_totals SET total_uploads = ?, successful_uploads = ?, processing_time_sum = ?,"
            " total_file_size = ?, last_upload = ?",
            tuple(totals),
        )
    return copied, usage_summary(target)


@click.command("copy-to-postgres")
@click.argument("sqlite_url")
@with_appcontext
def copy_to_postgres_command(sqlite_url: str) -> None:
    """Copy the usage statistics of SQLITE_URL (sqlite:///app.db) into DATABASE_URL (PostgreSQL)."""
    target: DatabaseManager = current_app.extensions["database"]
    if target.engine != "postgresql":
        raise click.ClickException("DATABASE_URL must name the PostgreSQL database to copy into")
    if not sqlite_url.startswith("sqlite:///"):
        raise click.ClickException("the source must look like sqlite:///app.db")
    source = DatabaseManager(sqlite_url)
    if source.path is None or not source.path.is_file():
        raise click.ClickException(f"no SQLite database at {sqlite_url}")
    source.init_schema()  # an older file gains its running totals first
    target.ensure_schema()
    source_connection, target_connection = source.connect(), target.connect()
    try:
        copied, summary = copy_usage(source_connection, target_connection)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        source_connection.close()
        target_connection.close()
    click.echo(
        f"Copied {copied} usage rows into PostgreSQL; /api/stats now counts {summary['total_uploads']} "
        f"uploads ({summary['successful_uploads']} successful, {summary['total_file_size']} bytes)."
    )
