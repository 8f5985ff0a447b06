"""Live render progress: the worker handling an upload with a ``render_id`` writes its state to the
shared database (table ``render_progress``); any worker of any host answers
``GET /api/progress/<render_id>`` from there.

States: ``waiting`` (for a render slot), ``rendering``, ``done``, ``failed`` (with the error code).
A render writes at least every :data:`STEP` of its frames, but at most once per
:data:`MIN_INTERVAL` seconds; a database that fails a write costs the render nothing (logged).
"""

from __future__ import annotations

import logging
import re
import time
from typing import Any

from .database import DatabaseError, DatabaseManager, write_transaction
from .db_connection import Connection
from .errors import ApiError
from .upload_form import BLANKS

log = logging.getLogger(__name__)
# A UUID4 as a client may write it (any case; stored and answered in lower case). Spelled out
# rather than flagged re.IGNORECASE, so that the OpenAPI description can carry the same pattern.
_HEX = "[0-9a-fA-F]"
RENDER_ID = re.compile(rf"^{_HEX}{{8}}-{_HEX}{{4}}-4{_HEX}{{3}}-[89abAB]{_HEX}{{3}}-{_HEX}{{12}}$")
STEP = 0.02  # of the frames
MIN_INTERVAL = 0.25  # seconds between two writes of one render
ETA_AFTER = (0.02, 0.5)  # progress and seconds of rendering before the time left is estimated
LOST_AFTER = 30.0  # seconds past MAX_PROCESSING_TIME after which an unfinished render was lost


def parse_render_id(raw: str | None) -> str | None:
    """The ``render_id`` form field: None when absent or blank (spaces and tabs), else a UUID4 in
    lower case.

    Raises ApiError INVALID_PARAMETER for anything else.
    """
    text = (raw or "").strip(BLANKS)
    if not text:
        return None
    if not RENDER_ID.match(text):
        raise ApiError("INVALID_PARAMETER", "Invalid render_id: it must be a UUID4 made by the client.", 400)
    return text.lower()


class ProgressTracker:
    """Writes one render's progress; with ``render_id=None`` it writes nothing."""

    def __init__(self, database: DatabaseManager | None, render_id: str | None) -> None:
        self.database, self.render_id = database, render_id
        self._written, self._written_at = 0.0, 0.0

    def begin(self) -> None:
        """Record the render as ``waiting``; ApiError RENDER_ID_IN_USE (409) if the id is taken."""
        now = time.time()
        inserted = self._write(
            "INSERT INTO render_progress (render_id, state, progress, created, updated)"
            " VALUES (?, 'waiting', 0, ?, ?) ON CONFLICT (render_id) DO NOTHING",
            (self.render_id, now, now),
        )
        if inserted == 0:
            raise ApiError("RENDER_ID_IN_USE", "This render_id was already used: make a new UUID4.", 409)

    def rendering(self) -> None:
        """The render got its slot and starts drawing."""
        now = time.time()
        self._written_at = time.monotonic()
        self._write(
            "UPDATE render_progress SET state = 'rendering', render_started = ?, updated = ?"
            " WHERE render_id = ?",
            (now, now, self.render_id),
        )

    def update(self, fraction: float) -> None:
        """The render is ``fraction`` done: written when it moved a :data:`STEP` and the last write
        is :data:`MIN_INTERVAL` old (the core reports every 2 % of frames)."""
        moment = time.monotonic()
        if fraction - self._written < STEP - 1e-9 or moment - self._written_at < MIN_INTERVAL:
            return
        self._written, self._written_at = fraction, moment
        self._write(
            "UPDATE render_progress SET progress = ?, updated = ?"
            " WHERE render_id = ? AND state = 'rendering'",
            (fraction, time.time(), self.render_id),
        )

    def done(self, video_filename: str) -> None:
        """The video is ready."""
        self._finish("done", video_filename=video_filename)

    def failed(self, code: str) -> None:
        """The upload failed with the error ``code``."""
        self._finish("failed", error_code=code)

    def _finish(
        self, state: str, *, video_filename: str | None = None, error_code: str | None = None
    ) -> None:
        now = time.time()
        self._write(
            "UPDATE render_progress SET state = ?, progress = ?, updated = ?, finished = ?,"
            " video_filename = ?, error_code = ? WHERE render_id = ?",
            (state, 1.0 if state == "done" else 0.0, now, now, video_filename, error_code, self.render_id),
        )

    def _write(self, sql: str, params: tuple[Any, ...]) -> int | None:
        """Run one write; the rows it changed, or None if it could not run (no id, no database)."""
        if self.render_id is None or self.database is None:
            return None
        try:
            with self.database.connection() as connection, write_transaction(connection):
                cursor = connection.execute(sql, params)
                return int(cursor.rowcount)
        except DatabaseError:
            log.exception("could not write the progress of render %s", self.render_id)
            return None


def read_progress(
    connection: Connection, render_id: str, *, retention: float, time_limit: float
) -> dict[str, Any] | None:
    """The body of ``GET /api/progress/<render_id>``, or None for an unknown or expired id.

    A render still unfinished ``LOST_AFTER`` seconds past its ``time_limit`` was lost with its
    worker: it reads as failed with PROCESSING_TIMEOUT.
    """
    now = time.time()
    row = connection.execute(
        "SELECT state, progress, created, render_started, updated, finished, video_filename, error_code"
        " FROM render_progress WHERE render_id = ? AND updated >= ?",
        (render_id, now - retention),
    ).fetchone()
    if row is None:
        return None
    state, code = row["state"], row["error_code"]
    if state in ("waiting", "rendering") and now - row["created"] > time_limit + LOST_AFTER:
        state, code = "failed", "PROCESSING_TIMEOUT"
    body = {
        "render_id": render_id,
        "state": state,
        "progress": round(float(row["progress"]), 4),
        "elapsed": round((row["finished"] or now) - row["created"], 3),
        "eta": _eta(row, now) if state == "rendering" else (0.0 if state == "done" else None),
        "video_filename": row["video_filename"],
    }
    if state == "failed":
        body["code"] = code
    return body


def _eta(row: Any, now: float) -> float | None:
    """Seconds left at the pace so far (from the last write), or None until that can be told."""
    progress, started = float(row["progress"]), row["render_started"]
    min_progress, min_seconds = ETA_AFTER
    if started is None or progress < min_progress or row["updated"] - started < min_seconds:
        return None
    finish = started + (row["updated"] - started) / progress
    return round(max(0.0, finish - now), 1)


def forget_old_progress(connection: Connection, *, older_than: float, now: float) -> int:
    """Delete the progress entries not updated for ``older_than`` seconds; how many went."""
    with write_transaction(connection):
        cursor = connection.execute("DELETE FROM render_progress WHERE updated < ?", (now - older_than,))
    return int(cursor.rowcount)
