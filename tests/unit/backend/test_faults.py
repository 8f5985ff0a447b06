"""Faults, in-process (test client + monkeypatch): a render that dies or fills the disk, a
broken database, no free render slot; the point is the answer and what is left on disk.
What real gunicorn processes do (deadlines, SIGTERM, SIGKILL) is in tests/system/test_faults.py."""

from __future__ import annotations

import errno
import os
import sqlite3
from io import BytesIO
from pathlib import Path

from algorithms.encoding import writer as video_module
from backend import health as health_module
from backend.database import get_db


def _error(response, status: int, code: str) -> dict:
    """Assert that ``response`` is the JSON error ``code`` with ``status``; its body."""
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"success", "error", "code"} and body["code"] == code
    return body


def _listing(folder: str | Path) -> list[str]:
    """The names in ``folder``, sorted."""
    return sorted(os.listdir(folder))


def _rows(app) -> list[tuple]:
    """(success, error code, video) of every usage row, oldest first."""
    with app.app_context():
        return [
            tuple(row)
            for row in get_db().execute(
                "SELECT success, error_code, video_filename FROM usage_stats ORDER BY id"
            )
        ]


def _app_log(app) -> str:
    """The app's log file so far."""
    return (Path(app.config["LOG_FOLDER"]) / "app.log").read_text()


# ---- a render that raises, in-process ------------------------------------------------------


def test_a_render_raising_mid_way_is_500_leaves_nothing_and_the_next_upload_works(
    app, client, upload, png_bytes, monkeypatch
):
    real_write = video_module.VideoWriter.write_frame
    seen_partials = []

    def write_then_fail(writer, video_frame, **kwargs):
        """Fail as soon as the encoder has put the first packets in the partial file."""
        real_write(writer, video_frame, **kwargs)
        seen_partials.extend(name for name in os.listdir(app.config["OUTPUT_FOLDER"]) if ".part-" in name)
        if seen_partials:
            raise RuntimeError(f"render blew up writing {writer.output_path}")

    monkeypatch.setattr(video_module.VideoWriter, "write_frame", write_then_fail)
    response = upload(png_bytes, duration=6)  # 72 frames: the encoder writes well before the end
    body = _error(response, 500, "PROCESSING_FAILED")
    assert len(seen_partials) == 1  # the render really was half-way, with a partial file on disk
    assert "blew up" not in str(body) and app.config["OUTPUT_FOLDER"].name not in str(body)
    assert _listing(app.config["OUTPUT_FOLDER"]) == [] and _listing(app.config["UPLOAD_FOLDER"]) == []
    assert "RuntimeError: render blew up" in _app_log(app)  # the traceback is in the log
    assert _rows(app) == [(0, "PROCESSING_FAILED", None)]

    monkeypatch.undo()
    again = upload(png_bytes)
    assert again.status_code == 200
    assert _rows(app)[1] == (1, None, again.get_json()["video_filename"])
    assert _listing(app.config["OUTPUT_FOLDER"]) == [again.get_json()["video_filename"]]


# ---- a full disk, in-process ---------------------------------------------------------------


def test_enospc_while_writing_the_video_is_507_and_leaves_nothing(app, upload, png_bytes, monkeypatch):
    """The partial file is a symlink to /dev/full: the kernel itself answers ENOSPC."""
    outputs = Path(app.config["OUTPUT_FOLDER"])
    full = outputs / ".full.part-0"

    def partial_on_a_full_disk(output_path: Path) -> Path:
        full.symlink_to("/dev/full")
        return full

    monkeypatch.setattr(video_module, "partial_path", partial_on_a_full_disk)
    body = _error(upload(png_bytes), 507, "STORAGE_FULL")
    assert "storage" in body["error"] and "/dev" not in body["error"]
    assert _listing(outputs) == [] and _listing(app.config["UPLOAD_FOLDER"]) == []
    assert _rows(app) == [(0, "STORAGE_FULL", None)]


def test_enospc_while_saving_the_upload_is_507_and_leaves_nothing(app, upload, png_bytes, monkeypatch):
    from backend import storage as uploads

    class FullDisk:
        def __init__(self, path, mode):
            self.file = open(path, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, chunk):
            self.file.write(chunk[:10])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(uploads, "open", FullDisk, raising=False)
    _error(upload(png_bytes), 507, "STORAGE_FULL")
    assert _listing(app.config["UPLOAD_FOLDER"]) == [] and _listing(app.config["OUTPUT_FOLDER"]) == []


def test_below_min_free_space_uploads_are_507_and_health_is_unhealthy(app_factory, png_bytes):
    app = app_factory(MIN_FREE_SPACE=2**62)
    client = app.test_client()
    response = client.post("/api/upload", data={"file": (BytesIO(png_bytes), "p.png")})
    _error(response, 507, "STORAGE_FULL")
    assert _listing(app.config["UPLOAD_FOLDER"]) == []
    health = client.get("/api/health")
    assert health.status_code == 503
    assert health.get_json()["checks"]["storage"] == {
        "ok": False,
        "writable": True,
        "free_bytes": health.get_json()["checks"]["storage"]["free_bytes"],
        "error": "low disk space",
    }


# ---- the database, in-process --------------------------------------------------------------


def test_an_unopenable_database_still_gives_the_video(app, client, upload, png_bytes):
    db_path = app.extensions["database"].path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.mkdir()  # the database can no longer be opened
    response = upload(png_bytes)
    body = response.get_json()
    assert response.status_code == 200, body
    assert (Path(app.config["OUTPUT_FOLDER"]) / body["video_filename"]).stat().st_size == body["video_size"]
    log = _app_log(app)
    assert "database unavailable during upload" in log and "could not record the usage row" in log
    health = client.get("/api/health")
    assert health.status_code == 503 and health.get_json()["checks"]["database"] == {
        "ok": False,
        "error": "database unavailable",
    }


def test_a_database_locked_past_the_busy_timeout_still_gives_the_video(
    app, client, upload, png_bytes, monkeypatch
):
    manager = app.extensions["database"]
    manager.busy_timeout = 0.1  # instead of 5 s, to keep the test short
    monkeypatch.setattr(health_module, "HEALTH_DB_TIMEOUT", 0.1)  # instead of 2 s, likewise
    locker = sqlite3.connect(manager.path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    try:
        response = upload(png_bytes)
        assert response.status_code == 200, response.get_json()
        assert "database is locked" in _app_log(app)
        assert "could not record the usage row" in _app_log(app)
        health = client.get("/api/health")
        assert health.status_code == 503 and health.get_json()["checks"]["database"]["ok"] is False
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert client.get("/api/health").status_code == 200  # recovers by itself
    assert upload(png_bytes).status_code == 200  # not cached: the cache entry could not be stored
    assert [row[0] for row in _rows(app)] == [1]  # the locked upload's row is lost, and logged


# ---- render slots: one render per worker at a time -----------------------------------------


def test_an_upload_waiting_past_its_deadline_for_a_render_slot_is_503(app_factory, png_bytes):
    app = app_factory(MAX_PROCESSING_TIME=1.0)
    client = app.test_client()
    # A first render makes the process warm (sprites cached), so the last one fits its second.
    assert (
        client.post("/api/upload", data={"file": (BytesIO(png_bytes), "w.png"), "seed": "1"}).status_code
        == 200
    )
    videos = _listing(app.config["OUTPUT_FOLDER"])
    slots = app.extensions["render_slots"]
    assert slots.acquire(timeout=1)  # another thread of this worker is rendering
    try:
        response = client.post("/api/upload", data={"file": (BytesIO(png_bytes), "p.png")})
        _error(response, 503, "PROCESSING_TIMEOUT")
        assert _listing(app.config["UPLOAD_FOLDER"]) == [] and _listing(app.config["OUTPUT_FOLDER"]) == videos
    finally:
        slots.release()
    response = client.post("/api/upload", data={"file": (BytesIO(png_bytes), "p.png")})
    assert response.status_code == 200
    assert slots.acquire(blocking=False)  # the slot was given back
    slots.release()
