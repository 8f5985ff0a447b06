"""The server under load: ``make run``'s gunicorn started on a free loopback port, and a
sampler of its workers' peak resident memory.

Used by ``bench/load_test.py``; the clients are in ``loadclients.py``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from loadclients import ROOT, get_json


class Server:
    """``make run``'s gunicorn on a free loopback port, everything under ``root``."""

    def __init__(self, root: Path, workers: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.root, self.log_path = root, root / "gunicorn.log"
        root.mkdir(parents=True, exist_ok=True)
        env = {
            **os.environ,
            "APP_ENV": "development",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            "RATELIMIT_ENABLED": "false",
            "UPLOAD_FOLDER": str(root / "uploads"),
            "OUTPUT_FOLDER": str(root / "outputs"),
            "LOG_FOLDER": str(root / "logs"),
            "DATABASE_URL": f"sqlite:///{root / 'app.db'}",
        }
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "main:app"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_until_healthy(self, seconds: float = 60) -> None:
        """Wait for /api/health to answer 200; exit with the server's log if it dies or is late."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if get_json(self.url, "/api/health", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not become healthy")

    def logs(self) -> str:
        """The server's output and its log files, as one text."""
        return "".join(
            path.read_text(errors="replace") for path in [self.log_path, *self.root.glob("logs/*.log*")]
        )

    def stop(self) -> None:
        """SIGTERM the server's process group (SIGKILL after a minute) and wait for it."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class MemorySampler(threading.Thread):
    """Polls /proc for the peak resident memory of the master's children (the workers).

    VmHWM is the kernel's own peak per process, so short spikes between polls count too;
    workers recycled by ``max_requests`` are remembered by pid."""

    def __init__(self, master_pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.master_pid, self.interval = master_pid, interval
        self.peaks_mb: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        try:
            children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children").read_text().split()
        except OSError:
            return
        for pid in map(int, children):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith(("VmHWM:", "VmRSS:")):
                    self.peaks_mb[pid] = max(self.peaks_mb.get(pid, 0.0), int(line.split()[1]) / 1024)
