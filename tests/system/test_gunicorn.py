"""The real thing: gunicorn with 2 workers on a free loopback port (gunicorn.conf.py, main.py).
The settings gunicorn.conf.py computes are checked in-process by tests/unit/test_gunicorn_conf.py."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from tests.helpers.paths import PHOTOS
from tests.helpers.renders import SMALL_FIELDS
from tests.helpers.servers import LiveServer, start_server

COFFEE = PHOTOS / "coffee.png"


@pytest.fixture
def gunicorn_server(tmp_path) -> Iterator[LiveServer]:
    """``gunicorn -c gunicorn.conf.py main:app`` with its folders under tmp_path; always stopped."""
    live = start_server(tmp_path)
    yield live
    live.stop()


def _upload_with_curl(port: int) -> dict:
    """Upload the coffee photo with curl -F, as the README shows: the JSON answer."""
    command = ["curl", "-sS", "-F", f"file=@{COFFEE}"]
    for name, value in SMALL_FIELDS.items():
        command += ["-F", f"{name}={value}"]
    result = subprocess.run(
        command + [f"http://127.0.0.1:{port}/api/upload"], capture_output=True, timeout=120, check=True
    )
    return json.loads(result.stdout)


def _upload_requests_style(server: LiveServer) -> dict:
    """Upload the coffee photo without a part Content-Type, as requests does: the JSON answer."""
    reply = server.upload(COFFEE.read_bytes(), "coffee.png", SMALL_FIELDS)  # no part Content-Type
    assert reply.status == 200, reply.body
    return reply.json()


def test_two_workers_serve_uploads_ranges_downloads_and_stats(gunicorn_server):
    server = gunicorn_server
    assert len(server.worker_pids()) == 2
    first = _upload_with_curl(server.port) if shutil.which("curl") else _upload_requests_style(server)
    assert first["success"] is True and first["cached"] is False, first
    assert (first["width"], first["fps"], first["frames"]) == (128, 12, 24)
    second = _upload_requests_style(server)  # same bytes and options: reused, whichever worker answers
    assert second["cached"] is True and second["video_filename"] == first["video_filename"]

    reply = server.request("GET", first["video_url"], headers={"Range": "bytes=0-1"})
    assert (reply.status, len(reply.body)) == (206, 2)
    assert reply.headers["content-range"] == f"bytes 0-1/{first['video_size']}"
    assert reply.headers["content-type"] == "video/mp4"
    reply = server.request("GET", first["download_url"])
    assert reply.status == 200 and len(reply.body) == first["video_size"] and reply.body[4:8] == b"ftyp"
    assert reply.headers["content-disposition"] == f"attachment; filename={first['video_filename']}"

    stats = server.request("GET", "/api/stats").json()
    assert (stats["total_uploads"], stats["successful_uploads"], stats["failed_uploads"]) == (2, 2, 0)
    assert stats["total_file_size"] == 2 * COFFEE.stat().st_size
    reply = server.request("GET", "/api/nothing")
    assert reply.status == 404 and reply.json()["code"] == "NOT_FOUND"
    assert os.listdir(server.uploads) == []
    log = server.log_text()
    assert '"POST /api/upload HTTP/1.1" 200' in log  # the access log goes to stdout
    assert log.count("outcome=OK") == 2 and "Traceback" not in log
