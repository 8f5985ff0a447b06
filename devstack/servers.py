"""Real servers on loopback for the tests, ``make cluster`` and the load test: PostgreSQL and Redis
from Debian's packages (SeaweedFS and nginx are in :mod:`devstack.frontends`).

Each runs in its own directory on free 127.0.0.1 ports, is stopped by its process id, and can
be stopped and started again on the same ports and data (the fault tests do).
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

START_SECONDS = 30.0
STOP_SECONDS = 15.0


class ServerMissing(RuntimeError):
    """The server's program is not installed (the message says how to install it)."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    """Whether something accepts connections on 127.0.0.1:``port``."""
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(ready: Callable[[], bool], what: str, seconds: float = START_SECONDS) -> None:
    """Poll ``ready()`` every 0.1 s until it is true; RuntimeError after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not start within {seconds:.0f} s")


def stop_pid(pid: int, sig: int = signal.SIGTERM, seconds: float = STOP_SECONDS) -> None:
    """Send ``sig`` to process ``pid``, wait until it is gone, SIGKILL it if it lingers."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if os.waitpid(pid, os.WNOHANG)[0] == pid:
                return
        except ChildProcessError:  # not our child (PostgreSQL's postmaster): poll /proc
            if not Path(f"/proc/{pid}").exists():
                return
        time.sleep(0.05)
    os.kill(pid, signal.SIGKILL)


def find_program(name: str, hint: str, *candidates: str) -> str:
    """The path of program ``name`` (a candidate or on PATH); ServerMissing with ``hint`` if none."""
    for candidate in (*candidates, shutil.which(name)):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise ServerMissing(f"{name} is not installed ({hint})")


class Postgres:
    """A PostgreSQL cluster in ``root``: user ``paint`` (password ``paint``), database ``paint``.

    As root, initdb and pg_ctl run as the ``postgres`` user (they refuse root), so ``root``
    is made enterable and owned by it."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        bindir = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        hint = "apt-get install postgresql"
        self.initdb = find_program("initdb", hint, *(f"{d}/initdb" for d in bindir[-1:]))
        self.pg_ctl = find_program("pg_ctl", hint, *(f"{d}/pg_ctl" for d in bindir[-1:]))
        self.root, self.port = root, port or free_port()
        self.data = root / "data"
        self.url = f"postgresql://paint:paint@127.0.0.1:{self.port}/paint"

    def _run(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120, cwd=self.root)

    def start(self) -> Postgres:
        """initdb on first start, then ``pg_ctl start`` (fsync off: test data) and wait for it."""
        first = not self.data.exists()
        if first:
            self.root.mkdir(parents=True, exist_ok=True)
            (self.root / "pw").write_text("paint\n")
            if os.geteuid() == 0:  # ``root`` must be in a folder the postgres user can enter
                os.chmod(self.root, 0o755)
                shutil.chown(self.root, "postgres")
                shutil.chown(self.root / "pw", "postgres")
            self._run(
                self.initdb,
                "-D",
                str(self.data),
                "-U",
                "paint",
                "--pwfile",
                str(self.root / "pw"),
                "-A",
                "scram-sha-256",
                "--locale=C.UTF-8",
                "-E",
                "UTF8",
            )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.data}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            self.pg_ctl,
            "-D",
            str(self.data),
            "-l",
            str(self.root / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )
        if first:
            self.create_database("paint")
        return self

    @property
    def pid(self) -> int:
        """The postmaster's process id."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def admin_url(self, database: str = "postgres") -> str:
        """The URL of ``database`` on this server, as user ``paint``."""
        return self.url.rsplit("/", 1)[0] + f"/{database}"

    def create_database(self, name: str) -> str:
        """Create database ``name`` and return its URL."""
        import psycopg

        with psycopg.connect(self.admin_url(), autocommit=True, connect_timeout=10) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.admin_url(name)

    def stop(self) -> None:
        """Fast shutdown (SIGINT to the postmaster), waited for."""
        if (self.data / "postmaster.pid").exists():
            stop_pid(self.pid, signal.SIGINT, seconds=30)


class Redis:
    """``redis-server`` on 127.0.0.1, no persistence."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.program = find_program("redis-server", "apt-get install redis-server")
        self.root, self.port = root, port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> Redis:
        """Start it and wait until it accepts connections."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / "redis.log", "ab") as log:
            self.process = subprocess.Popen(
                [
                    self.program,
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.root),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(lambda: port_open(self.port), "redis-server")
        return self

    def stop(self) -> None:
        """SIGTERM, waited for."""
        if self.process is not None:
            stop_pid(self.process.pid)
            self.process.wait(timeout=STOP_SECONDS)
            self.process = None
