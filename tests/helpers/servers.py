"""Real gunicorn for the tests: ``make run``'s command on a free loopback port with its folders
and database under a temporary root, raw HTTP to it, and its workers seen through /proc."""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.helpers.multipart import upload_form
from tests.helpers.network import free_port
from tests.helpers.paths import PROJECT_ROOT

START_SECONDS = 60
STOP_SECONDS = 30


@dataclass
class Reply:
    """One HTTP answer: status, lower-cased headers, body and the seconds it took."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> dict:
        """The body parsed as JSON."""
        return json.loads(self.body)


@dataclass
class LiveServer:
    """``gunicorn -c gunicorn.conf.py main:app`` serving on ``127.0.0.1:port``."""

    port: int
    process: subprocess.Popen
    root: Path
    log_path: Path
    workers_at_start: list[int] = field(default_factory=list)

    @property
    def pid(self) -> int:
        """The master's process id."""
        return self.process.pid

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def uploads(self) -> Path:
        """The server's UPLOAD_FOLDER."""
        return self.root / "uploads"

    @property
    def outputs(self) -> Path:
        """The server's OUTPUT_FOLDER."""
        return self.root / "outputs"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> Reply:
        """Send one request on a fresh connection (http.client sends the path as given)."""
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            payload = response.read()
            return Reply(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                payload,
                time.monotonic() - started,
            )
        finally:
            connection.close()

    def upload(
        self,
        content: bytes,
        filename: str = "picture.png",
        fields: dict[str, str] | None = None,
        timeout: float = 120,
    ) -> Reply:
        """POST ``content`` as the ``file`` part of /api/upload, as ``requests`` would."""
        body, content_type = upload_form(content, filename, fields)
        return self.request("POST", "/api/upload", body, {"Content-Type": content_type}, timeout=timeout)

    def worker_pids(self) -> list[int]:
        """The master's children: its worker processes."""
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
        return sorted(int(pid) for pid in children)

    def worker_memory_mb(self) -> dict[int, dict[str, float]]:
        """``{pid: {"VmRSS": MB, "VmHWM": MB}}`` of every worker (VmHWM: the peak since it started)."""
        memory = {}
        for pid in self.worker_pids():
            fields = {}
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                name, _, value = line.partition(":")
                if name in ("VmRSS", "VmHWM"):
                    fields[name] = int(value.split()[0]) / 1024
            memory[pid] = fields
        return memory

    def log_text(self) -> str:
        """Everything gunicorn and the app wrote to stdout and stderr so far."""
        return self.log_path.read_text(errors="replace")

    def all_logs(self) -> str:
        """:meth:`log_text` and the app's log files (LOG_FOLDER), as one text."""
        files = sorted((self.root / "logs").glob("*.log*"))
        return self.log_text() + "".join(path.read_text(errors="replace") for path in files)

    def wait_until_healthy(self, workers: int, seconds: float = START_SECONDS) -> None:
        """Return when ``workers`` workers run and /api/health answers 200; raise if gunicorn
        exits or takes too long."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"gunicorn exited with {self.process.returncode}:\n{self.log_text()[-3000:]}"
                )
            try:
                if (
                    len(self.worker_pids()) == workers
                    and self.request("GET", "/api/health", timeout=5).status == 200
                ):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not become healthy:\n{self.log_text()[-3000:]}")

    def stop(self, sig: int = signal.SIGTERM) -> int | None:
        """Send ``sig`` to gunicorn's process group, wait, SIGKILL it if it lingers; the exit code."""
        if self.process.poll() is None:
            os.killpg(self.pid, sig)
            try:
                self.process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        return self.process.returncode


def server_environment(root: Path, port: int, **settings: str) -> dict[str, str]:
    """The environment of a development server keeping everything under ``root``."""
    return {
        **os.environ,
        "APP_ENV": "development",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "UPLOAD_FOLDER": str(root / "uploads"),
        "OUTPUT_FOLDER": str(root / "outputs"),
        "LOG_FOLDER": str(root / "logs"),
        "DATABASE_URL": f"sqlite:///{root / 'app.db'}",
        **settings,
    }


def start_server(root: Path, **settings: str) -> LiveServer:
    """Start ``make run``'s gunicorn (2 workers, gunicorn.conf.py) with ``settings`` as
    environment overrides, wait for /api/health; stop it again if it never gets healthy."""
    root.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log_path = root / "gunicorn.log"
    environment = server_environment(root, port, **settings)
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "main:app"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = LiveServer(port, process, root, log_path)
    try:
        server.wait_until_healthy(int(environment["WEB_CONCURRENCY"]))
    except BaseException:
        server.stop(signal.SIGKILL)
        raise
    server.workers_at_start = server.worker_pids()
    return server
