"""Faults of real gunicorn processes (``make run``'s config): a render past
MAX_PROCESSING_TIME, SIGTERM and SIGKILL during a render. The in-process faults (a render
that raises, a full disk, a broken database) are in tests/unit/backend/test_faults.py."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from tests.helpers.paths import PHOTOS
from tests.helpers.servers import LiveServer, start_server
from tests.helpers.videos import stream_facts

COFFEE = PHOTOS / "coffee.png"


# ---- real gunicorn: deadlines, SIGTERM, SIGKILL --------------------------------------------


def _upload_in_thread(server: LiveServer, fields: dict[str, str]) -> tuple[threading.Thread, dict]:
    """Upload the coffee photo with ``fields`` from a thread: the thread, and the dict that gets
    its ``reply`` (or the connection's ``error``)."""
    result: dict = {}

    def run() -> None:
        try:
            result["reply"] = server.upload(COFFEE.read_bytes(), "coffee.png", fields, timeout=180)
        except OSError as exc:
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def _wait_for_partial(server: LiveServer, seconds: float = 60) -> Path:
    """The render's temporary file, as soon as it appears (the render is then half-way)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        partials = [path for path in server.outputs.iterdir() if ".part-" in path.name]
        if partials:
            return partials[0]
        time.sleep(0.02)
    raise AssertionError(f"no render started:\n{server.log_text()[-2000:]}")


LONG_RENDER = {"duration": "60", "fps": "60", "max_size": "720"}  # 3600 frames: far past 2 s


def test_a_render_past_max_processing_time_is_503_well_before_gunicorn_would_kill_it(tmp_path):
    server = start_server(tmp_path, MAX_PROCESSING_TIME="2")
    try:
        thread, result = _upload_in_thread(server, LONG_RENDER)
        _wait_for_partial(server)
        thread.join(timeout=120)
        reply = result["reply"]
        assert reply.status == 503 and reply.json()["code"] == "PROCESSING_TIMEOUT"
        assert reply.seconds < 2 + 10  # gunicorn's own timeout is 2 + 30 s
        assert list(server.outputs.iterdir()) == [] and list(server.uploads.iterdir()) == []
        assert server.request("GET", "/api/health").status == 200
        assert server.worker_pids() == server.workers_at_start
        stats = server.request("GET", "/api/stats").json()
        assert (stats["total_uploads"], stats["failed_uploads"]) == (1, 1)
        assert "WORKER TIMEOUT" not in server.log_text()
    finally:
        server.stop()


def test_sigterm_during_a_render_lets_it_finish(tmp_path):
    server = start_server(tmp_path)
    thread, result = _upload_in_thread(server, {"duration": "20", "fps": "24", "max_size": "720"})
    try:
        _wait_for_partial(server)
        os.kill(server.pid, signal.SIGTERM)  # what systemd, docker stop and Ctrl-C send
        thread.join(timeout=120)
        assert server.process.wait(timeout=60) == 0
    finally:
        server.stop(signal.SIGKILL)
    reply = result["reply"]
    assert reply.status == 200, reply.body
    body = reply.json()
    facts = stream_facts(server.outputs / body["video_filename"])  # a complete, playable MP4
    assert (facts["codec"], facts["frames"], facts["width"]) == ("h264", 480, 600)
    assert [path.name for path in server.outputs.iterdir()] == [body["video_filename"]]


def test_partials_of_a_killed_render_are_swept_at_start_up(tmp_path):
    server = start_server(tmp_path)
    thread, _result = _upload_in_thread(server, LONG_RENDER)
    try:
        partial = _wait_for_partial(server)
    finally:
        server.stop(signal.SIGKILL)  # master and workers die at once: nobody cleans up
    thread.join(timeout=30)
    planted = server.outputs / ".0f0f0f0f-1111-4222-8333-444444444444_output.mp4.part-abc123"
    planted.write_bytes(b"half a video from an earlier crash")
    foreign = server.outputs / "notes.part-txt"
    foreign.write_text("not ours")
    assert partial.exists()

    again = start_server(tmp_path)
    try:
        assert not partial.exists() and not planted.exists()
        assert foreign.exists()  # only names this service creates are touched
        assert "removed 2 partial renders" in again.log_text()
    finally:
        again.stop()
