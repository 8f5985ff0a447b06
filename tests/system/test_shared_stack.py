"""Two app hosts behind nginx on one PostgreSQL, Redis and SeaweedFS (real servers, 127.0.0.1):
any host serves any video the same way, the numbers, the cache and the limits are shared, old
videos leave with their rows, and each server can be stopped and started again under the
running hosts (the answers while it is down, the recovery without a restart).

Each fault test prints its line of the fault table (``pytest -s`` shows them)."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from backend.request_hooks import CONTENT_SECURITY_POLICY
from devstack.cluster import SharedStack
from devstack.frontends import Nginx
from devstack.servers import ServerMissing
from tests.helpers.commands import flask_command
from tests.helpers.multipart import upload_form
from tests.helpers.paths import PHOTOS
from tests.helpers.renders import SMALL_RENDER
from tests.helpers.servers import LiveServer, Reply, start_server
from tests.helpers.stack_fixtures import unavailable

pytestmark = pytest.mark.system
FIELDS = {name: str(value) for name, value in SMALL_RENDER.items() if name != "show_tools"}
UPLOAD_LIMIT = 20
RECOVERY_SECONDS = 90


@dataclass
class Stack:
    shared: SharedStack
    a: LiveServer
    b: LiveServer
    nginx: Nginx
    settings: dict[str, str]

    def via_nginx(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Reply:
        """One request through the load balancer."""
        return LiveServer(self.nginx.port, self.a.process, self.a.root, self.a.log_path).request(
            method, path, body, headers
        )


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="paint-shared-"))
    os.chmod(root, 0o755)  # PostgreSQL runs as the postgres user
    try:
        shared = SharedStack(root / "stack").start()
    except ServerMissing as exc:
        unavailable(str(exc))
    settings = {
        **shared.settings(),
        "RATELIMIT_ENABLED": "true",
        "RATELIMIT_UPLOAD": f"{UPLOAD_LIMIT} per minute",
        "RATELIMIT_DEFAULT": "100000 per hour",
        "NETWORK_TIMEOUT": "2",
    }
    hosts: list[LiveServer] = []
    try:
        hosts = [start_server(tmp_path_factory.mktemp(f"host-{name}"), **settings) for name in "ab"]
        nginx = Nginx(root / "nginx", [host.port for host in hosts]).start()
        yield Stack(shared, hosts[0], hosts[1], nginx, settings)
        nginx.stop()
    finally:
        for host in hosts:
            host.stop()
        shared.stop()


def _image(seed: int | None = None) -> bytes:
    """A PNG no other test uploads (the render cache must not answer), or a fixed one."""
    import cv2
    import numpy as np

    picture = cv2.imread(str(PHOTOS / "coffee.png"))
    rng = np.random.default_rng(seed if seed is not None else uuid.uuid4().int % 2**32)
    picture[:8, :8] = rng.integers(0, 256, size=(8, 8, 3), dtype=np.uint8)
    return cv2.imencode(".png", picture)[1].tobytes()


def _upload(server: LiveServer, image: bytes, forwarded_for: str | None = None) -> Reply:
    if forwarded_for is None:
        return server.upload(image, "photo.png", FIELDS)
    body, content_type = upload_form(image, "photo.png", FIELDS)
    return server.request(
        "POST", "/api/upload", body, {"Content-Type": content_type, "X-Forwarded-For": forwarded_for}
    )


def _health(server: LiveServer) -> tuple[int, dict]:
    reply = server.request("GET", "/api/health", timeout=30)
    return reply.status, reply.json()


def _healthy(server: LiveServer) -> bool:
    status, body = _health(server)
    return status == 200 and body["status"] == "healthy"


def _wait_until_healthy(stack: Stack, started: float) -> float:
    """Seconds from ``started`` until both hosts answer health 200 "healthy"."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while time.monotonic() < deadline:
        if _healthy(stack.a) and _healthy(stack.b):
            return time.monotonic() - started
        time.sleep(0.25)
    raise AssertionError(f"not healthy after {RECOVERY_SECONDS} s: {_health(stack.a)} {_health(stack.b)}")


def _wait_until_limits_counted_in_redis(stack: Stack, started: float, in_a_row: int = 12) -> float:
    """Seconds from ``started`` until ``in_a_row`` limited requests in a row, spread over both
    hosts' workers, were each counted in Redis (flask-limiter re-checks a dead storage with a
    backoff of up to 32 s per worker)."""
    import redis

    connection = redis.Redis.from_url(stack.shared.redis.url, socket_timeout=2)
    deadline, streak = time.monotonic() + RECOVERY_SECONDS, 0
    while time.monotonic() < deadline and streak < in_a_row:
        client = f"203.0.113.{uuid.uuid4().int % 250 + 1}-{uuid.uuid4().hex[:6]}"
        headers = {"Content-Type": "multipart/form-data; boundary=x", "X-Forwarded-For": client}
        (stack.a if streak % 2 else stack.b).request("POST", "/api/upload", b"--x--\r\n", headers)
        streak = streak + 1 if connection.keys(f"*{client}*") else 0
        time.sleep(0.1)
    assert streak >= in_a_row, "the limits did not go back to Redis"
    return time.monotonic() - started


def _table_line(*cells: str) -> None:
    """One line of the fault table: fault | what a client saw | what health said | recovery."""
    print("\n| " + " | ".join(cells) + " |")


def test_any_host_serves_any_video_the_same_way(stack):
    made = _upload(stack.a, _image())
    assert made.status == 200, made.body
    body = made.json()
    assert body["video_url"] == f"/api/video/{body['video_filename']}"
    on_a, on_b = stack.a.request("GET", body["video_url"]), stack.b.request("GET", body["video_url"])
    assert (
        on_a.status == on_b.status == 200 and on_a.body == on_b.body and len(on_b.body) == body["video_size"]
    )
    assert on_b.headers["content-type"] == "video/mp4" and on_b.headers["accept-ranges"] == "bytes"
    assert on_a.headers["etag"] == on_b.headers["etag"]
    size = len(on_b.body)
    part = stack.b.request("GET", body["video_url"], headers={"Range": "bytes=1000-1999"})
    assert part.status == 206 and part.body == on_a.body[1000:2000]
    assert part.headers["content-range"] == f"bytes 1000-1999/{size}"
    beyond = stack.b.request("GET", body["video_url"], headers={"Range": f"bytes={size}-"})
    assert beyond.status == 416 and beyond.headers["content-range"] == f"bytes */{size}"
    assert beyond.json()["code"] == "RANGE_NOT_SATISFIABLE"
    cached = stack.a.request("GET", body["video_url"], headers={"If-None-Match": on_b.headers["etag"]})
    assert cached.status == 304 and cached.body == b""
    download = stack.b.request("GET", body["download_url"])
    assert download.body == on_a.body and download.headers["content-disposition"].startswith("attachment")
    page = stack.via_nginx("GET", "/")
    assert page.status == 200 and page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert list(stack.a.outputs.iterdir()) == [] and list(stack.b.outputs.iterdir()) == []  # all in the store


def test_numbers_cache_and_limits_are_shared(stack):
    before = stack.via_nginx("GET", "/api/stats").json()
    image = _image()
    first, second = _upload(stack.a, image).json(), _upload(stack.b, image).json()
    assert first["cached"] is False and second["cached"] is True
    assert second["video_filename"] == first["video_filename"]  # host A's video, found by host B
    through = [stack.via_nginx("GET", "/api/stats").json() for _ in range(4)]  # both hosts answer
    after = through[0]
    assert all(stats == after for stats in through)
    assert after["total_uploads"] - before["total_uploads"] == 2
    assert after["successful_uploads"] - before["successful_uploads"] == 2
    assert isinstance(after["total_file_size"], int)

    client = f"198.51.100.{uuid.uuid4().int % 250 + 1}"  # one client, seen by both hosts via X-Forwarded-For
    headers = {"Content-Type": "multipart/form-data; boundary=x", "X-Forwarded-For": client}
    codes = [
        (stack.a if index % 2 else stack.b).request("POST", "/api/upload", b"--x--\r\n", headers).status
        for index in range(UPLOAD_LIMIT + 1)
    ]
    assert codes == [400] * UPLOAD_LIMIT + [429]  # one count for both hosts


def test_progress_of_an_upload_to_one_host_is_told_by_the_other(stack):
    """An upload sent to host A with a ``render_id`` is followed on host B, from the shared
    PostgreSQL: B sees it rendering, its progress growing, then done with A's video."""
    render_id = str(uuid.uuid4())
    fields = {**FIELDS, "fps": "30", "duration": "30", "max_size": "720", "render_id": render_id}
    body, content_type = upload_form(_image(), "photo.png", fields)
    client = f"192.0.2.{uuid.uuid4().int % 250 + 1}"  # a client of its own for the upload limit
    headers = {"Content-Type": content_type, "X-Forwarded-For": client}
    result: dict[str, Reply] = {}
    uploader = threading.Thread(
        target=lambda: result.update(
            upload=stack.a.request("POST", "/api/upload", body, headers, timeout=300)
        )
    )
    uploader.start()
    seen: list[dict] = []
    while uploader.is_alive():
        reply = stack.b.request("GET", f"/api/progress/{render_id}", timeout=30)
        if reply.status == 200:
            seen.append(reply.json())
        else:
            assert reply.status == 404 and not seen, reply.body  # not registered yet
        time.sleep(0.1)
    uploader.join()
    assert result["upload"].status == 200, result["upload"].body
    uploaded = result["upload"].json()
    assert uploaded["render_id"] == render_id and uploaded["cached"] is False
    states, order = [answer["state"] for answer in seen], ["waiting", "rendering", "done"]
    assert "rendering" in states and all(order.index(x) <= order.index(y) for x, y in zip(states, states[1:]))
    progress = [answer["progress"] for answer in seen if answer["state"] == "rendering"]
    assert progress == sorted(progress) and len({value for value in progress if 0 < value < 1}) >= 3, progress
    final = stack.b.request("GET", f"/api/progress/{render_id}").json()
    assert (final["state"], final["progress"]) == ("done", 1.0)
    assert final["video_filename"] == uploaded["video_filename"]
    assert stack.b.request("GET", uploaded["video_url"], headers={"Range": "bytes=0-1"}).status == 206


def test_old_videos_leave_the_store_with_their_rows(stack):
    body = _upload(stack.a, _image()).json()
    store = stack.shared.seaweed.client()
    key = f"paint-animation/{body['video_filename']}"
    assert store.head_object(Bucket="videos", Key=key)["ContentLength"] == body["video_size"]
    time.sleep(2)
    env = {**os.environ, **stack.settings, "FILE_RETENTION": "1", "APP_ENV": "production"}
    env.update(
        UPLOAD_FOLDER=str(stack.a.uploads),
        OUTPUT_FOLDER=str(stack.a.outputs),
        LOG_FOLDER=str(stack.a.root / "logs"),
    )
    result = flask_command("cleanup", env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert stack.b.request("GET", body["video_url"]).status == 404
    listing = store.list_objects_v2(Bucket="videos", Prefix="paint-animation/")
    assert key not in [entry["Key"] for entry in listing.get("Contents", [])]
    import psycopg

    with psycopg.connect(stack.shared.postgres.url) as connection:
        rows = connection.execute(
            "SELECT COUNT(*) FROM render_cache WHERE video_filename = %s", (body["video_filename"],)
        )
        assert rows.fetchone()[0] == 0


def test_fault_redis_down_limits_per_process_then_back(stack):
    stack.shared.redis.stop()
    try:
        reply = stack.via_nginx("POST", "/api/upload", *_form(_image()))
        assert reply.status == 200, reply.body  # uploads go on
        for host in (stack.a, stack.b):
            status, body = _health(host)
            assert status == 200 and body["status"] == "degraded", body
            assert body["checks"]["rate_limits"]["ok"] is False
        seen = f"{reply.status}, limits counted per process"
    finally:
        started = time.monotonic()
        stack.shared.redis.start()
    recovered = _wait_until_healthy(stack, started)
    counted = _wait_until_limits_counted_in_redis(stack, started)
    _table_line(
        "Redis stopped",
        f"upload {seen}",
        "200 degraded (rate_limits)",
        f"health {recovered:.1f} s; limits back in Redis in every worker {counted:.1f} s",
    )


def test_fault_postgresql_down_uploads_render_then_back(stack):
    before = stack.via_nginx("GET", "/api/stats").json()["total_uploads"]
    stack.shared.postgres.stop()
    try:
        started = time.monotonic()
        reply = _upload(stack.a, _image())
        seconds = time.monotonic() - started
        assert reply.status == 200, reply.body
        video = stack.b.request("GET", reply.json()["video_url"])  # the store still serves it
        assert video.status == 200 and len(video.body) == reply.json()["video_size"]
        assert "could not record the usage row" in stack.a.log_text()
        status, body = _health(stack.a)
        assert status == 503 and body["checks"]["database"] == {"ok": False, "error": "database unavailable"}
        stats = stack.via_nginx("GET", "/api/stats")
        assert stats.status == 503 and stats.json()["code"] == "DATABASE_UNAVAILABLE"
    finally:
        started_again = time.monotonic()
        stack.shared.postgres.start()
    recovered = _wait_until_healthy(stack, started_again)
    assert _upload(stack.b, _image()).status == 200
    assert stack.via_nginx("GET", "/api/stats").json()["total_uploads"] == before + 1  # the lost row is lost
    client_saw = f"upload 200 in {seconds:.1f} s (its row lost, logged); /api/stats 503 DATABASE_UNAVAILABLE"
    _table_line("PostgreSQL stopped", client_saw, "503 (database)", f"{recovered:.1f} s")


def test_fault_store_down_uploads_503_quickly_then_back(stack):
    old = _upload(stack.a, _image()).json()
    stack.shared.seaweed.stop()
    try:
        started = time.monotonic()
        reply = _upload(stack.b, _image())
        seconds = time.monotonic() - started
        assert reply.status == 503 and reply.json()["code"] == "STORAGE_UNAVAILABLE", reply.body
        assert seconds < 10
        assert list(stack.b.outputs.iterdir()) == [] and list(stack.b.uploads.iterdir()) == []
        video = stack.a.request("GET", old["video_url"])
        assert video.status == 503 and video.json()["code"] == "STORAGE_UNAVAILABLE"
        assert b"Traceback" not in video.body
        status, body = _health(stack.b)
        assert status == 503 and body["checks"]["video_store"]["ok"] is False
    finally:
        started_again = time.monotonic()
        stack.shared.seaweed.start()
    recovered = _wait_until_healthy(stack, started_again)
    assert stack.b.request("GET", old["video_url"]).status == 200  # nothing lost
    assert _upload(stack.b, _image()).status == 200
    client_saw = f"upload 503 STORAGE_UNAVAILABLE in {seconds:.1f} s; video 503 STORAGE_UNAVAILABLE"
    _table_line("SeaweedFS stopped", client_saw, "503 (video_store)", f"{recovered:.1f} s")


def _form(image: bytes) -> tuple[bytes, dict[str, str]]:
    body, content_type = upload_form(image, "photo.png", FIELDS)
    return body, {"Content-Type": content_type}


def test_the_cluster_settings_are_what_make_cluster_uses(stack):
    assert stack.settings["TRUSTED_PROXY_COUNT"] == "1"
    assert json.loads(stack.via_nginx("GET", "/api/health").body)["checks"].keys() >= {
        "video_store",
        "rate_limits",
    }
