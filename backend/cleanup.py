"""Removing old uploads and videos: periodically inside the service and by ``flask cleanup``.

Only names this service creates are touched (``<uuid>.<ext>`` uploads, ``<uuid>_output.mp4``
videos and their ``.part-`` temporaries), never symlinks or other files.
"""

from __future__ import annotations

import logging
import os
import re
import sqlite3
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from algorithms.video import PART_MARKER

from .database import get_db
from .records import claim_task, forget_renders

log = logging.getLogger(__name__)

UPLOAD_NAME = re.compile(r"^[0-9a-f]{32}\.[a-z]{3,4}$")
VIDEO_NAME = re.compile(r"^[0-9a-f-]{36}_output\.mp4$")
PARTIAL_NAME = re.compile(r"^\.[0-9a-f-]{36}_output\.mp4" + re.escape(PART_MARKER) + r"[0-9a-f]+$")


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


def remove_old_files(folder: Path, pattern: re.Pattern[str], *, older_than: float,
                     now: float | None = None) -> list[str]:
    """Remove the regular files in ``folder`` whose names match ``pattern``, last modified
    more than ``older_than`` seconds ago; return their names."""
    now = time.time() if now is None else now
    removed = []
    try:
        entries = list(os.scandir(folder))
    except FileNotFoundError:
        return removed
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if pattern.match(entry.name) and stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
                os.unlink(entry.path)
                removed.append(entry.name)
        except FileNotFoundError:
            continue  # another worker got there first
    return removed


def sweep_partials(output_folder: Path, *, older_than: float = 0.0) -> list[str]:
    """Remove temporaries of renders that were killed (none is alive for ``older_than`` seconds)."""
    return remove_old_files(output_folder, PARTIAL_NAME, older_than=older_than)


def run_cleanup(config: dict, connection: sqlite3.Connection | None, *,
                now: float | None = None) -> CleanupReport:
    """Remove uploads and videos older than ``FILE_RETENTION`` and stale render temporaries.

    A live render's temporary file is written continuously and cannot outlive its deadline,
    so temporaries untouched for ``MAX_PROCESSING_TIME`` belong to dead renders.
    """
    retention = config["FILE_RETENTION"]
    report = CleanupReport(
        uploads=remove_old_files(Path(config["UPLOAD_FOLDER"]), UPLOAD_NAME, older_than=retention, now=now),
        videos=remove_old_files(Path(config["OUTPUT_FOLDER"]), VIDEO_NAME, older_than=retention, now=now),
        partials=remove_old_files(Path(config["OUTPUT_FOLDER"]), PARTIAL_NAME,
                                  older_than=config["MAX_PROCESSING_TIME"], now=now),
    )
    if report.videos and connection is not None:
        forget_renders(connection, report.videos)
    if report.total:
        log.info("cleanup removed %d uploads, %d videos, %d partial renders",
                 len(report.uploads), len(report.videos), len(report.partials))
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
            run_cleanup(current_app.config, connection, now=now)
    except (OSError, sqlite3.Error):
        log.exception("periodic cleanup failed")


@click.command("cleanup")
@with_appcontext
def cleanup_command() -> None:
    """Remove uploads and videos older than FILE_RETENTION now."""
    report = run_cleanup(current_app.config, get_db())
    click.echo(f"Removed {len(report.uploads)} uploads, {len(report.videos)} videos and "
               f"{len(report.partials)} partial renders.")


def init_app(app: Flask) -> None:
    """Sweep dead renders' temporaries, schedule the periodic cleanup, add ``flask cleanup``."""
    sweep_partials(Path(app.config["OUTPUT_FOLDER"]), older_than=app.config["MAX_PROCESSING_TIME"])
    app.extensions["cleanup"] = {"next_check": 0.0}
    app.before_request(cleanup_if_due)
    app.cli.add_command(cleanup_command)
