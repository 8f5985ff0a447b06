"""GET /api/stats, /api/health and /api/options (backend/api/info.py, backend/health.py)."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import algorithms
from tests.helpers.engines import BOTH_DATABASES


def _stats(client) -> dict:
    """The app's /api/stats answer."""
    return client.get("/api/stats").get_json()


# ---- GET /api/stats, /api/health, /api/options ---------------------------------------------


@BOTH_DATABASES
def test_stats_count_what_happened(client, upload, png_bytes):
    assert _stats(client) == {
        "total_uploads": 0,
        "successful_uploads": 0,
        "failed_uploads": 0,
        "average_processing_time": 0.0,
        "total_file_size": 0,
        "last_upload": None,
    }
    good = upload(png_bytes).get_json()
    upload(b"not an image", "x.png")
    stats = _stats(client)
    assert (stats["total_uploads"], stats["successful_uploads"], stats["failed_uploads"]) == (2, 1, 1)
    assert stats["total_file_size"] == len(png_bytes) + len(b"not an image")
    assert 0 < stats["average_processing_time"] <= good["processing_time"] + 0.01
    last = datetime.fromisoformat(stats["last_upload"])
    assert last.tzinfo is not None and last.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - last).total_seconds()) < 60


@BOTH_DATABASES
def test_health_is_healthy(client):
    response = client.get("/api/health")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "healthy"
    assert set(body) == {"status", "timestamp", "version", "uptime", "checks"}
    assert set(body["checks"]) == {"database", "storage", "encoder"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["storage"]["free_bytes"] > 0 and body["uptime"] >= 0
    datetime.fromisoformat(body["timestamp"])


def test_health_is_503_when_storage_fails(app, client):
    os.rmdir(app.config["OUTPUT_FOLDER"])
    response = client.get("/api/health")
    body = response.get_json()
    assert response.status_code == 503 and body["status"] == "unhealthy"
    assert body["checks"]["storage"]["ok"] is False and body["checks"]["database"]["ok"] is True
    assert str(app.config["OUTPUT_FOLDER"]) not in response.get_data(as_text=True)


def test_health_is_503_when_disk_space_is_low(app_factory):
    client = app_factory(MIN_FREE_SPACE=2**62).test_client()
    body = client.get("/api/health").get_json()
    assert body["status"] == "unhealthy" and body["checks"]["storage"]["error"] == "low disk space"


def test_health_is_503_when_the_database_fails(app, client):
    db_path = app.extensions["database"].path
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    db_path.mkdir()  # the database file is now a directory
    body = client.get("/api/health").get_json()
    assert body["status"] == "unhealthy" and body["checks"]["database"]["ok"] is False


def test_options_describe_the_upload_fields(client):
    body = client.get("/api/options").get_json()
    assert body["styles"] == list(algorithms.OPTION["style"].choices)
    assert body["duration"] == list(algorithms.OPTION["duration"].bounds)
    assert body["defaults"]["duration"] == 2.0 and body["max_upload_bytes"] == 16 * 1024 * 1024
    assert "png" in body["extensions"]
