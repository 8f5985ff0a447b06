"""PostgreSQL going away and coming back under a running app (a server of this module's own):
uploads still get their video, the lost usage row is logged, health is 503 until it is back,
and the same app recovers without a restart."""

from __future__ import annotations

import time
from io import BytesIO
from pathlib import Path

import pytest

from devstack.servers import Postgres
from tests.helpers.stack_fixtures import started


@pytest.fixture
def own_postgres(scratch):
    """A PostgreSQL server this test may stop and start."""
    server = started(Postgres(scratch / f"postgres-outage-{time.monotonic_ns()}"))
    yield server
    server.stop()


def _upload(client, png_bytes):
    return client.post("/api/upload", data={"file": (BytesIO(png_bytes), "p.png")})


def test_postgresql_down_then_back(app_factory, own_postgres, png_bytes):
    app = app_factory(DATABASE_URL=own_postgres.url, NETWORK_TIMEOUT=1.0)
    client = app.test_client()
    assert _upload(client, png_bytes).status_code == 200

    own_postgres.stop()
    started = time.monotonic()
    response = _upload(client, png_bytes)
    body = response.get_json()
    assert response.status_code == 200 and body["cached"] is False, body  # no cache, still a video
    assert time.monotonic() - started < 15  # three database calls, each bounded by the pool timeout
    assert (Path(app.config["OUTPUT_FOLDER"]) / body["video_filename"]).stat().st_size == body["video_size"]
    log = (Path(app.config["LOG_FOLDER"]) / "app.log").read_text()
    assert "could not record the usage row" in log
    health = client.get("/api/health")
    assert health.status_code == 503
    assert health.get_json()["checks"]["database"] == {"ok": False, "error": "database unavailable"}
    stats = client.get("/api/stats")
    assert stats.status_code == 503 and stats.get_json()["code"] == "DATABASE_UNAVAILABLE"

    own_postgres.start()
    deadline = time.monotonic() + 30
    while client.get("/api/health").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert client.get("/api/health").status_code == 200
    assert _upload(client, png_bytes).get_json()["cached"] is True  # the first upload's entry
    stats = client.get("/api/stats").get_json()
    assert (stats["total_uploads"], stats["successful_uploads"]) == (2, 2)  # the lost row is lost
