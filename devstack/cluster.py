"""``make cluster`` (``python -m devstack.cluster``): the shared stack on this machine for a person
to try: PostgreSQL, Redis, SeaweedFS, two app hosts (gunicorn, 2 workers each) and nginx in
front of them, everything on 127.0.0.1. Prints the one URL to open; Ctrl-C stops it all.

:class:`SharedStack` (the three shared servers and the settings that point the app at them) is
also used by the tests and by ``bench/load_test.py --two-hosts``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from .frontends import Nginx, SeaweedFS
from .servers import Postgres, Redis, free_port, stop_pid, wait_for

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class SharedStack:
    """PostgreSQL, Redis and SeaweedFS under ``root`` (a folder the postgres user can enter)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.postgres = Postgres(root / "postgres")
        self.redis = Redis(root / "redis")
        self.seaweed = SeaweedFS(root / "seaweedfs")

    def start(self) -> SharedStack:
        """Start the three servers (each waited for); stop those started if one fails."""
        try:
            for server in (self.postgres, self.redis, self.seaweed):
                server.start()
        except BaseException:
            self.stop()
            raise
        return self

    def settings(self) -> dict[str, str]:
        """The environment of an app host using the shared engines behind one proxy."""
        return {
            "DATABASE_URL": self.postgres.url,
            "RATELIMIT_STORAGE_URI": self.redis.url,
            "VIDEO_STORE_URL": f"s3://{self.seaweed.bucket}/paint-animation",
            "TRUSTED_PROXY_COUNT": "1",
            **self.seaweed.environment(),
        }

    def stop(self) -> None:
        """Stop every server (those not running are skipped)."""
        for server in (self.seaweed, self.redis, self.postgres):
            try:
                server.stop()
            except (OSError, RuntimeError, ValueError) as exc:
                print(f"stopping {type(server).__name__}: {exc}", file=sys.stderr)


class AppHost:
    """``gunicorn -c gunicorn.conf.py main:app`` on a free loopback port, folders under ``root``."""

    def __init__(self, root: Path, settings: dict[str, str], workers: int = 2) -> None:
        self.root, self.port, self.workers = root, free_port(), workers
        root.mkdir(parents=True, exist_ok=True)
        self.env = {
            **os.environ,
            "APP_ENV": "production",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            "UPLOAD_FOLDER": str(root / "uploads"),
            "OUTPUT_FOLDER": str(root / "outputs"),
            "LOG_FOLDER": str(root / "logs"),
            **settings,
        }
        self.process: subprocess.Popen | None = None

    def start(self) -> AppHost:
        """Start gunicorn and wait for /api/health to answer 200."""
        with open(self.root / "gunicorn.log", "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "main:app"],
                cwd=PROJECT_ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for(self.healthy, f"the app host on port {self.port}", seconds=90)
        return self

    def healthy(self) -> bool:
        """Whether /api/health answers 200 (raises if gunicorn died)."""
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{(self.root / 'gunicorn.log').read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/health", timeout=10) as reply:
                return json.load(reply)["status"] in ("healthy", "degraded")
        except OSError:
            return False

    def stop(self) -> None:
        """SIGTERM to gunicorn's master (it lets renders finish), waited for."""
        if self.process is not None:
            stop_pid(self.process.pid, seconds=60)
            self.process = None


class Cluster:
    """The shared stack, ``hosts`` app hosts and nginx in front, all under ``root``."""

    def __init__(self, root: Path, hosts: int = 2, workers: int = 2, port: int | None = None) -> None:
        self.stack = SharedStack(root / "stack")
        self.hosts = [AppHost(root / f"host-{index + 1}", {}, workers) for index in range(hosts)]
        self.nginx = Nginx(root / "nginx", [host.port for host in self.hosts], port)
        self.url = self.nginx.url

    def start(self, **settings: str) -> Cluster:
        """Start everything, in order; stop what started if a part fails."""
        try:
            self.stack.start()
            for host in self.hosts:
                host.env.update(self.stack.settings(), **settings)
                host.start()
            self.nginx.start()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Stop nginx, the hosts, then the shared servers."""
        self.nginx.stop()
        for host in self.hosts:
            host.stop()
        self.stack.stop()


def main() -> int:
    """Start the cluster, print its URL, and stop it on Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080)")
    parser.add_argument("--hosts", type=int, default=2)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="paint-cluster-"))
    os.chmod(root, 0o755)  # PostgreSQL runs as the postgres user
    cluster = Cluster(root, hosts=args.hosts, port=args.port)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        started = time.monotonic()
        cluster.start()
        hosts = ", ".join(f"127.0.0.1:{host.port}" for host in cluster.hosts)
        print(f"PostgreSQL {cluster.stack.postgres.url}, Redis {cluster.stack.redis.url},")
        print(f"SeaweedFS S3 {cluster.stack.seaweed.endpoint}, app hosts {hosts} (logs in {root})")
        print(
            f"Started in {time.monotonic() - started:.1f} s. Open {cluster.url}/  (Ctrl-C stops everything)"
        )
        sys.stdout.flush()
        while not done.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
