"""The real thing: gunicorn with 2 workers on a free loopback port (gunicorn.conf.py, main.py)."""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PHOTOS, PROJECT_ROOT, build_multipart, free_port

COFFEE = PHOTOS / "coffee.png"
SMALL_FIELDS = {"duration": "2", "fps": "12", "max_size": "128"}


def _request(port: int, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def _worker_pids(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    return [int(pid) for pid in children]


@pytest.fixture
def gunicorn_server(tmp_path):
    """Start ``gunicorn -c gunicorn.conf.py main:app`` with its folders under tmp_path; always stop it."""
    port = free_port()
    env = {**os.environ, "APP_ENV": "development", "HOST": "127.0.0.1", "PORT": str(port),
           "WEB_CONCURRENCY": "2", "UPLOAD_FOLDER": str(tmp_path / "uploads"),
           "OUTPUT_FOLDER": str(tmp_path / "outputs"), "LOG_FOLDER": str(tmp_path / "logs"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    log_path = tmp_path / "gunicorn.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "main:app"],
                                   cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        _wait_until_healthy(port, process, log_path)
        yield {"port": port, "pid": process.pid, "tmp": tmp_path, "log": log_path}
    finally:
        _stop(process)


def _wait_until_healthy(port: int, process: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited early:\n{log_path.read_text()}")
        try:
            if _request(port, "GET", "/api/health")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"gunicorn did not become healthy:\n{log_path.read_text()}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _upload_with_curl(port: int) -> dict:
    command = ["curl", "-sS", "-F", f"file=@{COFFEE}"]
    for name, value in SMALL_FIELDS.items():
        command += ["-F", f"{name}={value}"]
    result = subprocess.run(command + [f"http://127.0.0.1:{port}/api/upload"], capture_output=True,
                            timeout=120, check=True)
    return json.loads(result.stdout)


def _upload_requests_style(port: int) -> dict:
    body, content_type = build_multipart(COFFEE.read_bytes(), "coffee.png", SMALL_FIELDS)  # no part type
    status, _headers, payload = _request(port, "POST", "/api/upload", body, {"Content-Type": content_type})
    assert status == 200, payload
    return json.loads(payload)


def test_two_workers_serve_uploads_ranges_downloads_and_stats(gunicorn_server):
    port = gunicorn_server["port"]
    assert len(_worker_pids(gunicorn_server["pid"])) == 2
    first = _upload_with_curl(port) if shutil.which("curl") else _upload_requests_style(port)
    assert first["success"] is True and first["cached"] is False, first
    assert (first["width"], first["fps"], first["frames"]) == (128, 12, 24)
    second = _upload_requests_style(port)  # same bytes and options: reused, whichever worker answers
    assert second["cached"] is True and second["video_filename"] == first["video_filename"]

    status, headers, payload = _request(port, "GET", first["video_url"], headers={"Range": "bytes=0-1"})
    assert (status, len(payload)) == (206, 2)
    assert headers["content-range"] == f"bytes 0-1/{first['video_size']}" and headers["content-type"] == "video/mp4"
    status, headers, payload = _request(port, "GET", first["download_url"])
    assert status == 200 and len(payload) == first["video_size"] and payload[4:8] == b"ftyp"
    assert headers["content-disposition"] == f"attachment; filename={first['video_filename']}"

    status, _headers, payload = _request(port, "GET", "/api/stats")
    stats = json.loads(payload)
    assert (stats["total_uploads"], stats["successful_uploads"], stats["failed_uploads"]) == (2, 2, 0)
    assert stats["total_file_size"] == 2 * COFFEE.stat().st_size
    status, _headers, payload = _request(port, "GET", "/api/nothing")
    assert status == 404 and json.loads(payload)["code"] == "NOT_FOUND"
    assert os.listdir(gunicorn_server["tmp"] / "uploads") == []
    log = gunicorn_server["log"].read_text()
    assert '"POST /api/upload HTTP/1.1" 200' in log  # the access log goes to stdout
    assert log.count("outcome=OK") == 2 and "Traceback" not in log


def _load_gunicorn_conf(monkeypatch, **env: str):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf", PROJECT_ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_settings_follow_the_environment(monkeypatch):
    conf = _load_gunicorn_conf(monkeypatch, APP_ENV="development", WEB_CONCURRENCY="3",
                               MAX_PROCESSING_TIME="100", PORT="5050")
    assert conf.workers == 3 and conf.bind == ["127.0.0.1:5050"]
    assert conf.worker_class == "gthread" and conf.threads == 8  # slow clients hold a thread, not a worker
    assert conf.timeout > 100 and conf.graceful_timeout >= conf.timeout
    assert conf.max_requests > 0 and conf.max_requests_jitter > 0 and conf.accesslog == "-"
    monkeypatch.delenv("WEB_CONCURRENCY")
    monkeypatch.delenv("PORT")
    assert _load_gunicorn_conf(monkeypatch).workers == 2
    assert _load_gunicorn_conf(monkeypatch, WEB_THREADS="3").threads == 3


def test_gunicorn_start_up_sweeps_partial_renders(monkeypatch, tmp_path):
    partial = tmp_path / ".aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mp4.part-0123abcd"
    partial.write_bytes(b"half a video")
    conf = _load_gunicorn_conf(monkeypatch, APP_ENV="development", OUTPUT_FOLDER=str(tmp_path))

    class FakeServer:
        class log:
            @staticmethod
            def info(*args):
                pass

    conf.on_starting(FakeServer())
    assert not partial.exists()
