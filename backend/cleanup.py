"""The cleanup pass: old uploads, videos (from the video store) with their cache entries, usage
rows past ``USAGE_RETENTION`` and dead renders' temporaries; run periodically inside the service
(one worker of all hosts per interval, claimed in the database) and by ``flask cleanup``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .database import Connection, DatabaseError, get_db
from .progress import forget_old_progress
from .queries import claim_task, forget_old_usage, forget_renders
from .storage import Storage, StoreUnavailableError, get_storage

log = logging.getLogger(__name__)


@dataclass
class CleanupReport:
    """What one cleanup pass removed."""

    uploads: list[str] = field(default_factory=list)
    videos: list[str] = field(default_factory=list)
    partials: list[str] = field(default_factory=list)
    usage_rows: int = 0
    progress_rows: int = 0

    @property
    def total(self) -> int:
        """Number of files removed."""
        return len(self.uploads) + len(self.videos) + len(self.partials)


def run_cleanup(
    config: dict[str, Any],
    storage: Storage,
    connection: Connection | None,
    *,
    now: float | None = None,
) -> CleanupReport:
    """Remove uploads and videos older than ``FILE_RETENTION``, their cache entries and render
    progress entries, usage rows older than ``USAGE_RETENTION`` and stale render temporaries.

    A live render's temporary file is written continuously and cannot outlive its deadline,
    so temporaries untouched for ``MAX_PROCESSING_TIME`` belong to dead renders.
    """
    retention, now = config["FILE_RETENTION"], time.time() if now is None else now
    report = CleanupReport(
        uploads=storage.remove_old_uploads(older_than=retention, now=now),
        videos=storage.remove_old_videos(older_than=retention, now=now),
        partials=storage.sweep_partials(older_than=config["MAX_PROCESSING_TIME"], now=now),
    )
    if connection is not None:
        if report.videos:  # the objects went first: a row left by a failure here finds no video
            forget_renders(connection, report.videos)
        report.usage_rows = forget_old_usage(connection, older_than=config["USAGE_RETENTION"], now=now)
        report.progress_rows = forget_old_progress(connection, older_than=retention, now=now)
    if report.total or report.usage_rows or report.progress_rows:
        log.info(
            "cleanup removed %d uploads, %d videos, %d partial renders, %d usage rows, %d progress entries",
            len(report.uploads),
            len(report.videos),
            len(report.partials),
            report.usage_rows,
            report.progress_rows,
        )
    return report


def cleanup_if_due() -> None:
    """``before_request`` hook: run the cleanup when ``CLEANUP_INTERVAL`` has passed.

    Each worker asks the database at most once per interval; the claim makes exactly one
    worker of all hosts run each pass. The connection is borrowed for the pass only (not for
    the rest of the request). Failures are logged, never raised.
    """
    state = current_app.extensions["cleanup"]
    now = time.time()
    if now < state["next_check"]:
        return
    interval = current_app.config["CLEANUP_INTERVAL"]
    state["next_check"] = now + interval
    try:
        with current_app.extensions["database"].connection() as connection:
            if claim_task(connection, "cleanup", interval=interval, now=now):
                run_cleanup(current_app.config, get_storage(), connection, now=now)
    except (OSError, StoreUnavailableError, *DatabaseError):
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
