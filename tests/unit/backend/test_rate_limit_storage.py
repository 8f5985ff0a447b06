"""Rate limits in a real Redis (RATELIMIT_STORAGE_URI=redis://...): counted there, and while it is
down counted per process (flask-limiter's in-memory fallback), with /api/health naming it."""

from __future__ import annotations

import time

import pytest
import redis as redis_client

from backend import config as config_module
from backend.app import create_app
from backend.extensions import limiter


@pytest.fixture
def limited_app(tmp_path, redis_server):
    config = config_module.TestingConfig(
        tmp_path / "service",
        environ={
            "RATELIMIT_STORAGE_URI": redis_server.url,
            "NETWORK_TIMEOUT": "1",
            "RATELIMIT_UPLOAD": "3 per minute",
        },
    )
    config.RATELIMIT_ENABLED = True
    assert config.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED is True
    assert config.RATELIMIT_STORAGE_OPTIONS == {"socket_timeout": 1.0, "socket_connect_timeout": 1.0}
    yield create_app(config)
    # The limiter is one object per process (backend/extensions.py): later apps of this test
    # process must not inherit "storage dead" from a test that stopped Redis.
    limiter._storage_dead = False


def _post_nothing(client, address: str) -> int:
    """An upload without a file (400, instantly); it still counts against the upload limit."""
    return client.post("/api/upload", environ_base={"REMOTE_ADDR": address}).status_code


def test_limits_are_counted_in_redis(limited_app, redis_server):
    client = limited_app.test_client()
    assert [_post_nothing(client, "192.0.2.1") for _ in range(4)] == [400, 400, 400, 429]
    assert _post_nothing(client, "192.0.2.2") == 400  # per client address
    keys = redis_client.Redis.from_url(redis_server.url).keys("LIMITS*")
    assert any(b"192.0.2.1" in key for key in keys), keys
    health = client.get("/api/health").get_json()
    assert health["status"] == "healthy" and health["checks"]["rate_limits"] == {"ok": True}


def test_redis_down_falls_back_to_per_process_counting_and_recovers(limited_app, redis_server):
    client = limited_app.test_client()
    assert _post_nothing(client, "192.0.2.3") == 400
    redis_server.stop()
    started = time.monotonic()
    codes = [_post_nothing(client, "192.0.2.3") for _ in range(4)]
    assert codes == [400, 400, 400, 429]  # counted anew in this process, still limited
    assert time.monotonic() - started < 5  # a refused connection costs nothing like a hung worker
    health = client.get("/api/health")
    body = health.get_json()
    assert health.status_code == 200 and body["status"] == "degraded"
    assert (
        body["checks"]["rate_limits"]["ok"] is False
        and "rate-limit" in body["checks"]["rate_limits"]["error"]
    )

    redis_server.start()  # the same port
    body = client.get("/api/health").get_json()
    assert body["status"] == "healthy" and body["checks"]["rate_limits"] == {"ok": True}
