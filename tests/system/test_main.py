"""``python main.py``: the development server on loopback, the debugger only when asked (main.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

from tests.helpers.network import free_port
from tests.helpers.paths import PROJECT_ROOT


def _env(tmp_path, **extra: str) -> dict[str, str]:
    """The environment of ``python main.py`` with its folders under ``tmp_path`` and ``extra`` set."""
    env = {k: v for k, v in os.environ.items() if k not in ("FLASK_DEBUG", "HOST", "PORT")}
    env.update(
        {
            "APP_ENV": "development",
            "UPLOAD_FOLDER": str(tmp_path / "up"),
            "OUTPUT_FOLDER": str(tmp_path / "out"),
            "LOG_FOLDER": str(tmp_path / "logs"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
        }
    )
    env.update(extra)
    return env


def test_debug_is_refused_off_loopback(tmp_path):
    result = subprocess.run(
        [sys.executable, "main.py"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env=_env(tmp_path, FLASK_DEBUG="1", HOST="0.0.0.0"),
        timeout=60,
    )
    assert result.returncode != 0 and "FLASK_DEBUG=1 is only allowed with HOST on loopback" in result.stderr


def test_python_main_serves_on_loopback_without_the_debugger(tmp_path):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "main.py"],
        cwd=PROJECT_ROOT,
        env=_env(tmp_path, PORT=str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline, status = time.monotonic() + 30, None
        while time.monotonic() < deadline and status is None:
            try:
                status = urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=5).status
            except OSError:
                time.sleep(0.2)
        assert status == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert f"Running on http://127.0.0.1:{port}" in output
    assert "Debugger is active" not in output
