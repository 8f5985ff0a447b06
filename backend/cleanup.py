"""The cleanup pass: old uploads, videos and their cache entries, and dead renders' temporaries;
run periodically inside the service (one worker of all per interval) and by ``flask cleanup``.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass, field
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .database import get_db
from .queries import claim_task, forget_renders
from .storage import Storage, get_storage

log = logging.getLogger(__name__)


@dataclass
class CleanupReport:
    """What one cleanup pass removed."""

    uploads: list[str] = field(default_factory=list)
    videos: list[str] = field(default_factory=list)
    partials: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Number of files removed."""
        return len(self.uploads) + len(self.videos) + len(self.partials)


def run_cleanup(
    config: dict[str, Any],
    storage: Storage,
    connection: sqlite3.Connection | None,
    *,
    now: float | None = None,
) -> CleanupReport:
    """Remove uploads and videos older than ``FILE_RETENTION`` and stale render temporaries.

    A live render's temporary file is written continuously and cannot outlive its deadline,
    so temporaries untouched for ``MAX_PROCESSING_TIME`` belong to dead renders.
    """
    retention = config["FILE_RETENTION"]
    report = CleanupReport(
        uploads=storage.remove_old_uploads(older_than=retention, now=now),
        videos=storage.remove_old_videos(older_than=retention, now=now),
        partials=storage.sweep_partials(older_than=config["MAX_PROCESSING_TIME"], now=now),
    )
    if report.videos and connection is not None:
        forget_renders(connection, report.videos)
    if report.total:
        log.info(
            "cleanup removed %d uploads, %d videos, %d partial renders",
            len(report.uploads),
            len(report.videos),
            len(report.partials),
        )
    return report


def cleanup_if_due() -> None:
    """``before_request`` hook: run the cleanup when ``CLEANUP_INTERVAL`` has passed.

    Each worker asks the database at most once per interval; the claim in SQLite makes
    exactly one worker of all run each pass. Failures are logged, never raised.
    """
    state = current_app.extensions["cleanup"]
    now = time.time()
    if now < state["next_check"]:
        return
    interval = current_app.config["CLEANUP_INTERVAL"]
    state["next_check"] = now + interval
    try:
        connection = get_db()
        if claim_task(connection, "cleanup", interval=interval, now=now):
            run_cleanup(current_app.config, get_storage(), connection, now=now)
    except (OSError, sqlite3.Error):
        log.exception("periodic cleanup failed")


@click.command("cleanup")
@with_appcontext
def cleanup_command() -> None:
    """Remove uploads and videos older than FILE_RETENTION now."""
    report = run_cleanup(current_app.config, get_storage(), get_db())
    click.echo(
        f"Removed {len(report.uploads)} uploads, {len(report.videos)} videos and "
        f"{len(report.partials)} partial renders."
    )


def init_app(app: Flask) -> None:
    """Schedule the periodic cleanup and add ``flask cleanup``."""
    app.extensions["cleanup"] = {"next_check": 0.0}
    app.before_request(cleanup_if_due)
    app.cli.add_command(cleanup_command)
