"""Live render progress in the database (backend/progress.py): the ``render_id`` field, what a
render writes and when, and what ``GET /api/progress`` reads back (eta, expiry, lost renders).

``manager`` is a real database, SQLite then PostgreSQL. ``clock`` stands in for the ``time``
module of backend.progress only, so the throttling and the times read back are exact, without
waiting and without timed assertions.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest

import backend.progress as progress_module
from backend.database import DatabaseManager
from backend.errors import ApiError
from backend.progress import (
    LOST_AFTER,
    MIN_INTERVAL,
    STEP,
    ProgressTracker,
    forget_old_progress,
    parse_render_id,
    read_progress,
)
from tests.helpers.network import free_port
from tests.helpers.render_ids import NOT_RENDER_IDS

DAY = 24 * 3600.0
TIME_LIMIT = 300.0
BODY_KEYS = {"render_id", "state", "progress", "elapsed", "eta", "video_filename"}


class Clock:
    """Wall and monotonic time that move only when told (a stand-in for the ``time`` module)."""

    WALL, MONOTONIC = 1_800_000_000.0, 5_000.0

    def __init__(self) -> None:
        self.elapsed = 0.0

    def time(self) -> float:
        return self.WALL + self.elapsed

    def monotonic(self) -> float:
        return self.MONOTONIC + self.elapsed

    def advance(self, seconds: float) -> None:
        self.elapsed += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The clock backend.progress reads, starting at a fixed moment."""
    fake = Clock()
    monkeypatch.setattr(progress_module, "time", fake)
    return fake


@pytest.fixture
def manager(database_url: str) -> Iterator[DatabaseManager]:
    """A migrated database, SQLite then PostgreSQL; its pool closed after the test."""
    db = DatabaseManager(database_url)
    db.init_schema()
    yield db
    db.close()


def _new_id() -> str:
    return str(uuid.uuid4())


def _read(
    manager: DatabaseManager, render_id: str, *, retention: float = DAY, time_limit: float = TIME_LIMIT
):
    """What ``GET /api/progress/<render_id>`` would answer, or None."""
    with manager.connection() as connection:
        return read_progress(connection, render_id, retention=retention, time_limit=time_limit)


def _ids(manager: DatabaseManager) -> list[str]:
    """The render ids in the table, sorted."""
    with manager.connection() as connection:
        return sorted(row[0] for row in connection.execute("SELECT render_id FROM render_progress"))


def _started(manager: DatabaseManager, render_id: str | None = None) -> ProgressTracker:
    """A tracker whose render was registered and got its slot."""
    tracker = ProgressTracker(manager, render_id or _new_id())
    tracker.begin()
    tracker.rendering()
    return tracker


def _underway(manager: DatabaseManager, clock, render_id: str, progress: float | None) -> ProgressTracker:
    """A tracker whose render was registered and, unless ``progress`` is None, got its slot and,
    a second later, reached ``progress``."""
    tracker = ProgressTracker(manager, render_id)
    tracker.begin()
    if progress is not None:
        tracker.rendering()
        clock.advance(1.0)
        tracker.update(progress)
    return tracker


# ---- the render_id form field ----------------------------------------------------------------


@pytest.mark.parametrize(
    "spell", [str, str.upper, lambda text: f"  {text}\t"], ids=["lower", "upper", "padded"]
)
def test_a_uuid4_is_taken_in_lower_case(spell):
    render_id = str(uuid.uuid4())
    assert parse_render_id(spell(render_id)) == render_id


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_no_render_id_is_none(raw):
    assert parse_render_id(raw) is None


@pytest.mark.parametrize("raw", list(NOT_RENDER_IDS.values()), ids=list(NOT_RENDER_IDS))
def test_anything_else_is_an_invalid_parameter(raw):
    with pytest.raises(ApiError) as caught:
        parse_render_id(raw)
    assert (caught.value.code, caught.value.status) == ("INVALID_PARAMETER", 400)
    assert "render_id" in caught.value.message and raw not in caught.value.message


# ---- a render's life -------------------------------------------------------------------------


def test_a_render_goes_waiting_rendering_done(manager, clock):
    render_id = _new_id()
    tracker = ProgressTracker(manager, render_id)
    tracker.begin()
    waiting = _read(manager, render_id)
    assert set(waiting) == BODY_KEYS
    assert waiting == {
        "render_id": render_id,
        "state": "waiting",
        "progress": 0.0,
        "elapsed": 0.0,
        "eta": None,
        "video_filename": None,
    }
    clock.advance(2.0)  # waiting for a render slot
    assert _read(manager, render_id)["elapsed"] == 2.0
    tracker.rendering()
    assert _read(manager, render_id) | {"elapsed": None} == waiting | {"state": "rendering", "elapsed": None}
    clock.advance(1.0)
    tracker.update(0.5)
    half = _read(manager, render_id)
    assert (half["state"], half["progress"], half["elapsed"]) == ("rendering", 0.5, 3.0)
    assert half["eta"] == 1.0  # half done in 1 s of rendering
    clock.advance(1.0)
    tracker.done("0123abcd_output.mp4")
    done = _read(manager, render_id)
    assert done == {
        "render_id": render_id,
        "state": "done",
        "progress": 1.0,
        "elapsed": 4.0,
        "eta": 0.0,
        "video_filename": "0123abcd_output.mp4",
    }
    clock.advance(60.0)
    assert _read(manager, render_id) == done  # elapsed stops with the render


@pytest.mark.parametrize("got_a_slot", [False, True])
def test_a_failed_render_carries_its_error_code(manager, clock, got_a_slot):
    render_id = _new_id()
    tracker = _underway(manager, clock, render_id, 0.3 if got_a_slot else None)
    clock.advance(0.5)
    tracker.failed("CORRUPT_IMAGE")
    clock.advance(10.0)
    body = _read(manager, render_id)
    assert set(body) == BODY_KEYS | {"code"}
    assert (body["state"], body["code"], body["eta"], body["video_filename"]) == (
        "failed",
        "CORRUPT_IMAGE",
        None,
        None,
    )
    assert body["elapsed"] == (1.5 if got_a_slot else 0.5)


def test_updates_are_written_only_a_step_and_an_interval_apart(manager, clock):
    render_id = _new_id()
    tracker = _started(manager, render_id)
    clock.advance(MIN_INTERVAL)
    tracker.update(STEP / 2)
    assert _read(manager, render_id)["progress"] == 0.0  # moved less than a step
    tracker.update(STEP)
    assert _read(manager, render_id)["progress"] == STEP
    clock.advance(MIN_INTERVAL / 2)
    tracker.update(0.5)
    assert _read(manager, render_id)["progress"] == STEP  # too soon after the last write
    clock.advance(MIN_INTERVAL / 2)
    tracker.update(0.5)
    assert _read(manager, render_id)["progress"] == 0.5
    clock.advance(10 * MIN_INTERVAL)
    tracker.update(0.5 + STEP / 2)
    assert _read(manager, render_id)["progress"] == 0.5  # an interval, but not a step


@pytest.mark.parametrize(
    "seconds_per_report,expected_writes",
    [
        (1.0, 50),  # a slow render: every report (2 % of the frames) is written
        (0.2, 25),  # every second report: 0.4 s apart
        (0.1, 16),  # every third report: 0.3 s apart
        (0.009, 1),  # the whole render in 0.45 s: once
    ],
)
def test_a_render_reporting_every_2_percent_is_written_a_few_times_a_second_at_most(
    manager, clock, seconds_per_report, expected_writes
):
    render_id = _new_id()
    tracker = _started(manager, render_id)
    written: list[tuple[float, float]] = []  # (when, progress) of each write seen
    for report in range(1, 51):  # what the core does: report every 2 % of the frames
        clock.advance(seconds_per_report)
        tracker.update(report / 50)
        seen = _read(manager, render_id)["progress"]
        if seen != (written[-1][1] if written else 0.0):
            written.append((clock.elapsed, seen))
    assert len(written) == expected_writes, written
    moments = [0.0] + [moment for moment, _ in written]  # from the start of the render
    assert all(later - earlier >= MIN_INTERVAL for earlier, later in zip(moments, moments[1:]))
    values = [0.0] + [value for _, value in written]
    assert all(later - earlier >= STEP - 1e-4 for earlier, later in zip(values, values[1:]))


def test_nothing_moves_an_entry_that_is_not_rendering(manager, clock):
    waiting, done, failed = (ProgressTracker(manager, _new_id()) for _ in range(3))
    for tracker in (waiting, done, failed):
        tracker.begin()
    done.rendering()
    done.done("x_output.mp4")
    failed.rendering()
    failed.failed("PROCESSING_FAILED")
    before = {tracker.render_id: _read(manager, tracker.render_id) for tracker in (waiting, done, failed)}
    clock.advance(5.0)
    for tracker in (waiting, done, failed):
        tracker.update(0.9)  # a late report from the core
    after = {tracker.render_id: _read(manager, tracker.render_id) for tracker in (waiting, done, failed)}
    assert after[waiting.render_id]["progress"] == 0.0 and after[waiting.render_id]["state"] == "waiting"
    assert after[done.render_id] == before[done.render_id]
    assert after[failed.render_id] == before[failed.render_id]


def test_a_render_id_is_used_once_and_its_entry_kept(manager, clock):
    render_id = _new_id()
    first = _started(manager, render_id)
    clock.advance(1.0)
    first.update(0.4)
    before = _read(manager, render_id)
    with pytest.raises(ApiError) as caught:
        ProgressTracker(manager, render_id).begin()
    assert (caught.value.code, caught.value.status) == ("RENDER_ID_IN_USE", 409)
    assert _read(manager, render_id) == before
    first.done("first_output.mp4")
    with pytest.raises(ApiError):
        ProgressTracker(manager, render_id).begin()
    assert _read(manager, render_id)["video_filename"] == "first_output.mp4"
    ProgressTracker(manager, _new_id()).begin()  # another id is free
    assert len(_ids(manager)) == 2


@pytest.mark.parametrize("missing", ["render_id", "database"])
def test_a_tracker_without_render_id_or_database_writes_nothing(manager, clock, missing):
    if missing == "render_id":
        tracker = ProgressTracker(manager, None)
    else:
        tracker = ProgressTracker(None, _new_id())
    tracker.begin()
    tracker.begin()  # no id, no conflict
    tracker.rendering()
    clock.advance(1.0)
    tracker.update(0.5)
    tracker.done("x_output.mp4")
    tracker.failed("CORRUPT_IMAGE")
    assert _ids(manager) == []


# ---- reading: eta, expiry, lost renders, cleanup ---------------------------------------------


def test_the_eta_waits_for_enough_progress_then_counts_down(manager, clock):
    render_id = _new_id()
    tracker = _started(manager, render_id)
    clock.advance(10.0)
    assert _read(manager, render_id)["eta"] is None  # nothing done yet
    other = _started(manager)
    clock.advance(0.3)
    other.update(0.02)
    assert _read(manager, other.render_id)["eta"] is None  # too little rendering time to tell
    clock.advance(0.3)
    other.update(0.1)  # 10 % in 0.6 s: 5.4 s left
    assert _read(manager, other.render_id)["eta"] == 5.4
    clock.advance(1.0)  # no write since: the pace so far, counted from the last write
    assert _read(manager, other.render_id)["eta"] == 4.4
    clock.advance(60.0)
    assert _read(manager, other.render_id)["eta"] == 0.0  # late, never negative
    tracker.update(0.5)  # 50 % in 71.6 s of rendering: as long again
    assert _read(manager, render_id)["eta"] == 71.6


@pytest.mark.parametrize("finish", [None, "done", "failed"])
def test_an_entry_expires_after_the_retention(manager, clock, finish):
    render_id = _new_id()
    tracker = _started(manager, render_id)
    if finish == "done":
        tracker.done("x_output.mp4")
    elif finish == "failed":
        tracker.failed("CORRUPT_IMAGE")
    retention = 3600.0
    clock.advance(retention - 1)
    assert _read(manager, render_id, retention=retention, time_limit=DAY)["render_id"] == render_id
    clock.advance(2.0)
    assert _read(manager, render_id, retention=retention, time_limit=DAY) is None
    assert _read(manager, render_id, retention=2 * retention, time_limit=DAY) is not None  # still stored


def test_an_unknown_id_reads_as_none(manager):
    _started(manager)
    assert _read(manager, _new_id()) is None


@pytest.mark.parametrize("slot", [False, True])
def test_an_unfinished_render_past_its_time_limit_was_lost(manager, clock, slot):
    render_id, finished = _new_id(), _started(manager)
    _underway(manager, clock, render_id, 0.2 if slot else None)
    finished.done("x_output.mp4")
    clock.advance(TIME_LIMIT + LOST_AFTER - 1 - clock.elapsed)
    alive = _read(manager, render_id)
    assert alive["state"] == ("rendering" if slot else "waiting") and "code" not in alive
    clock.advance(2.0)
    lost = _read(manager, render_id)
    assert (lost["state"], lost["code"], lost["eta"]) == ("failed", "PROCESSING_TIMEOUT", None)
    assert _read(manager, finished.render_id)["state"] == "done"  # a finished render is never lost


def test_forget_old_progress_deletes_the_entries_not_updated_for_a_while(manager, clock):
    old, old_but_rendering = ProgressTracker(manager, _new_id()), ProgressTracker(manager, _new_id())
    old.begin()
    old_but_rendering.begin()
    clock.advance(DAY + 1)
    old_but_rendering.rendering()  # updated now
    new = _started(manager)
    with manager.connection() as connection:
        assert forget_old_progress(connection, older_than=DAY, now=clock.time()) == 1
        assert forget_old_progress(connection, older_than=DAY, now=clock.time()) == 0
    assert _ids(manager) == sorted([old_but_rendering.render_id, new.render_id])


# ---- a database that fails -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda tmp: f"sqlite:///{tmp / 'no such folder' / 'app.db'}",
        lambda tmp: f"postgresql://paint@127.0.0.1:{free_port()}/paint",  # nothing listens there
    ],
    ids=["sqlite-missing-folder", "postgres-nobody-listening"],
)
def test_a_database_that_fails_costs_the_render_nothing(tmp_path, clock, caplog, url):
    unusable = DatabaseManager(url(tmp_path), timeout=1.0)
    tracker = ProgressTracker(unusable, _new_id())
    with caplog.at_level(logging.ERROR, logger="backend.progress"):
        tracker.begin()  # no conflict can be told: the upload goes on
        tracker.rendering()
        clock.advance(1.0)
        tracker.update(0.5)
        tracker.done("x_output.mp4")
        tracker.failed("PROCESSING_FAILED")
    unusable.close()
    failures = [record for record in caplog.records if "could not write the progress" in record.getMessage()]
    assert len(failures) == 5 and all(record.exc_info for record in failures)


def test_a_locked_database_loses_a_write_and_takes_the_next(tmp_path, clock, caplog):
    url = f"sqlite:///{tmp_path / 'progress.db'}"
    DatabaseManager(url).init_schema()
    impatient = DatabaseManager(url, busy_timeout=0.05)
    render_id = _new_id()
    tracker = _started(impatient, render_id)
    holder = DatabaseManager(url).connect()
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    try:
        clock.advance(1.0)
        with caplog.at_level(logging.ERROR, logger="backend.progress"):
            tracker.update(0.3)  # database is locked: logged, not raised
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert any("could not write the progress" in record.getMessage() for record in caplog.records)
    assert _read(impatient, render_id)["progress"] == 0.0
    clock.advance(1.0)
    tracker.update(0.6)
    assert _read(impatient, render_id)["progress"] == 0.6
    tracker.done("x_output.mp4")
    assert _read(impatient, render_id)["state"] == "done"
