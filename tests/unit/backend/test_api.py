"""The /api endpoints: every success and each error code (backend/api.py)."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

import algorithms
from backend import render_service
from backend.errors import INVALID_FORMAT_MESSAGE


def _error(response, status: int, code: str) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"success", "error", "code"}
    assert body["success"] is False and body["code"] == code
    assert body["error"].endswith(".")
    return body


@pytest.fixture
def app(app_factory, request):
    """The testing app; tests marked ``BOTH_DATABASES`` run on SQLite, then on PostgreSQL."""
    if getattr(request, "param", "sqlite") == "postgresql":
        return app_factory(DATABASE_URL=request.getfixturevalue("postgres_url"))
    return app_factory()


BOTH_DATABASES = pytest.mark.parametrize("app", ["sqlite", "postgresql"], indirect=True)


def _stats(client) -> dict:
    return client.get("/api/stats").get_json()


def _files(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


# ---- POST /api/upload: success -------------------------------------------------------------


def test_upload_renders_a_video_and_answers_its_facts(app, client, upload, png_bytes):
    response = upload(png_bytes, duration=2, fps=12, max_size=128, seed=7, show_tools="false")
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["success"] is True and body["message"] == "Video generated successfully"
    assert body["video_filename"].endswith("_output.mp4") and len(body["video_filename"]) == 47
    assert body["file_size"] == len(png_bytes)
    assert (body["width"], body["height"]) == (128, 86)  # long side max_size, aspect kept, even
    assert (body["fps"], body["frames"], body["duration"]) == (12, 24, 2.0)
    assert body["style"] == "sketch-color" and body["seed"] == 7 and body["cached"] is False
    assert body["processing_time"] > 0
    video = Path(app.config["OUTPUT_FOLDER"]) / body["video_filename"]
    assert body["video_size"] == video.stat().st_size > 0
    assert body["video_url"] == f"/api/video/{body['video_filename']}"
    assert body["download_url"] == f"/api/download/{body['video_filename']}"
    assert _files(app.config["UPLOAD_FOLDER"]) == []  # the upload is gone
    assert _files(app.config["OUTPUT_FOLDER"]) == [body["video_filename"]]  # no temporaries


def test_upload_without_a_part_content_type_works_like_requests(client, png_bytes, multipart):
    body, content_type = multipart(png_bytes, "coffee.png", {"duration": "2"})
    response = client.post("/api/upload", data=body, content_type=content_type)
    assert response.status_code == 200, response.get_json()


def test_upload_ignores_a_lying_part_content_type(client, png_bytes, multipart):
    body, content_type = multipart(png_bytes, "coffee.png", part_content_type="text/plain")
    assert client.post("/api/upload", data=body, content_type=content_type).status_code == 200


def test_upload_uses_the_config_render_defaults(client, upload, png_bytes):
    body = upload(png_bytes).get_json()
    assert (body["duration"], body["fps"], body["frames"]) == (2.0, 12, 24)


def test_blank_fields_take_the_defaults(client, upload, png_bytes):
    body = upload(png_bytes, duration="", fps=" ", seed="").get_json()
    assert body["success"] is True and body["duration"] == 2.0


TINY_GIF = (
    b"GIF89a\x02\x00\x02\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x02\x00\x02\x00\x00\x02\x02\x84Q\x00;"
)  # cv2 cannot write GIF


@pytest.mark.parametrize(
    "written_as,sent_as",
    [
        ("jpg", "photo.JPG"),
        ("jpg", "photo.jpeg"),
        ("tiff", "scan.tif"),
        ("tiff", "scan.tiff"),
        ("bmp", "x.bmp"),
        ("gif", "anim.gif"),
    ],
)
def test_every_allowed_extension_is_accepted(upload, make_image, written_as, sent_as):
    content = TINY_GIF if written_as == "gif" else make_image(f"picture.{written_as}").read_bytes()
    response = upload(content, sent_as)
    assert response.status_code == 200, response.get_json()


@BOTH_DATABASES
def test_the_same_bytes_and_options_reuse_the_video(app, client, upload, png_bytes):
    first = upload(png_bytes, duration=2).get_json()
    second = upload(png_bytes, duration="2.0").get_json()  # same value, other spelling
    assert second["cached"] is True and second["video_filename"] == first["video_filename"]
    assert {k: v for k, v in second.items() if k not in ("cached", "processing_time")} == {
        k: v for k, v in first.items() if k not in ("cached", "processing_time")
    }
    other = upload(png_bytes, duration=3).get_json()
    assert other["cached"] is False and other["video_filename"] != first["video_filename"]
    assert _stats(client)["total_uploads"] == 3
    assert _stats(client)["successful_uploads"] == 3


@BOTH_DATABASES
def test_a_cleaned_cached_video_is_rendered_again(app, upload, png_bytes):
    first = upload(png_bytes).get_json()
    (Path(app.config["OUTPUT_FOLDER"]) / first["video_filename"]).unlink()
    again = upload(png_bytes).get_json()
    assert again["cached"] is False and again["video_filename"] != first["video_filename"]
    assert (Path(app.config["OUTPUT_FOLDER"]) / again["video_filename"]).is_file()


# ---- POST /api/upload: errors --------------------------------------------------------------


def test_no_file(client, upload, png_bytes):
    _error(client.post("/api/upload"), 400, "NO_FILE")
    _error(client.post("/api/upload", data={"duration": "2"}), 400, "NO_FILE")
    _error(upload(png_bytes, filename=""), 400, "NO_FILE")


@pytest.mark.parametrize("filename", ["notes.txt", "picture", "run.exe", "shell.php", "image.png.exe"])
def test_extension_not_on_the_allow_list(upload, png_bytes, filename):
    body = _error(upload(png_bytes, filename), 400, "INVALID_FORMAT")
    assert body["error"] == INVALID_FORMAT_MESSAGE


@pytest.mark.parametrize(
    "content", [b"", b"hello, this is text", b"<svg xmlns='x'></svg>", b"<?php system($_GET['c']); ?>"]
)
def test_bytes_that_are_not_an_image(app, upload, content):
    _error(upload(content, "picture.png"), 400, "INVALID_FORMAT")
    assert _files(app.config["UPLOAD_FOLDER"]) == []


def test_corrupt_image(app, upload, png_bytes):
    damaged = png_bytes[:33] + b"\x00" * 200  # a valid header, then no image data
    _error(upload(damaged), 422, "CORRUPT_IMAGE")
    assert _files(app.config["UPLOAD_FOLDER"]) == [] and _files(app.config["OUTPUT_FOLDER"]) == []


def test_image_too_large_is_refused_from_its_header(app_factory, png_bytes):
    bomb = bytearray(png_bytes[:64])
    bomb[16:24] = (30000).to_bytes(4, "big") * 2  # IHDR claims 30000 x 30000
    client = app_factory().test_client()
    response = client.post("/api/upload", data={"file": (io.BytesIO(bytes(bomb)), "bomb.png")})
    assert "30000x30000" in _error(response, 422, "IMAGE_TOO_LARGE")["error"]


def test_image_above_max_image_pixels(app_factory, png_bytes):
    client = app_factory(MAX_IMAGE_PIXELS=1000).test_client()
    response = client.post("/api/upload", data={"file": (io.BytesIO(png_bytes), "p.png")})
    body = _error(response, 422, "IMAGE_TOO_LARGE")
    assert "96x64" in body["error"]


@pytest.mark.parametrize(
    "field,value,range_text",
    [
        ("duration", "abc", "2 to 60"),
        ("duration", "nan", "2 to 60"),
        ("duration", "inf", "2 to 60"),
        ("duration", "1e400", "2 to 60"),
        ("duration", "61", "2 to 60"),
        ("duration", "-3", "2 to 60"),
        ("fps", "12.5", "12 to 60"),
        ("fps", "0x10", "12 to 60"),
        ("max_size", "99999", "128 to 1920"),
        ("seed", "-1", "seed"),
        ("seed", "9" * 60, "seed"),
        ("style", "<script>alert(1)</script>", "sketch-color"),
        ("show_tools", "maybe", "true or false"),
        ("finish", "glossy", "painting"),
    ],
)
def test_invalid_parameter_names_the_field_and_range(app, upload, png_bytes, field, value, range_text):
    body = _error(upload(png_bytes, **{field: value}), 400, "INVALID_PARAMETER")
    assert field in body["error"] and range_text in body["error"]
    assert value not in body["error"]  # nothing the client sent is echoed
    assert _files(app.config["UPLOAD_FOLDER"]) == []


def test_two_files_in_the_field_are_refused(client, png_bytes):
    data = {"file": [(io.BytesIO(png_bytes), "a.png"), (io.BytesIO(png_bytes), "b.png")]}
    _error(client.post("/api/upload", data=data), 400, "INVALID_PARAMETER")


def test_file_too_large(app_factory, png_bytes):
    app = app_factory(MAX_CONTENT_LENGTH=1024)
    client = app.test_client()
    response = client.post("/api/upload", data={"file": (io.BytesIO(b"\x89PNG" + b"0" * 4096), "big.png")})
    body = _error(response, 413, "FILE_TOO_LARGE")
    assert "maximum upload size" in body["error"]
    stats = client.get("/api/stats").get_json()
    assert stats["failed_uploads"] == 1 and stats["total_file_size"] > 4096


def test_a_crashing_render_is_a_500_and_the_worker_keeps_serving(app, client, upload, png_bytes, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError(f"boom in {app.config['OUTPUT_FOLDER']}")

    monkeypatch.setattr(render_service.algorithms, "paint_image", explode)
    body = _error(upload(png_bytes), 500, "PROCESSING_FAILED")
    assert "boom" not in body["error"] and str(app.config["OUTPUT_FOLDER"]) not in str(body)
    log_text = (Path(app.config["LOG_FOLDER"]) / "app.log").read_text()
    assert "Traceback" in log_text and "RuntimeError: boom" in log_text
    assert _files(app.config["UPLOAD_FOLDER"]) == [] and _files(app.config["OUTPUT_FOLDER"]) == []
    monkeypatch.undo()
    assert upload(png_bytes).status_code == 200
    stats = _stats(client)
    assert (stats["total_uploads"], stats["successful_uploads"], stats["failed_uploads"]) == (2, 1, 1)


def test_a_render_past_max_processing_time_is_a_503(app_factory, png_bytes):
    app = app_factory(MAX_PROCESSING_TIME=1e-6)
    client = app.test_client()
    response = client.post("/api/upload", data={"file": (io.BytesIO(png_bytes), "p.png")})
    _error(response, 503, "PROCESSING_TIMEOUT")
    assert _files(app.config["OUTPUT_FOLDER"]) == [] and _files(app.config["UPLOAD_FOLDER"]) == []


def test_a_full_disk_is_a_507(app, upload, png_bytes, monkeypatch):
    def full(*args, **kwargs):
        raise algorithms.StorageFullError("the disk is full")

    monkeypatch.setattr(render_service.algorithms, "paint_image", full)
    _error(upload(png_bytes), 507, "STORAGE_FULL")


def test_every_handled_upload_is_one_usage_row(app, client, upload, png_bytes):
    upload(png_bytes)
    upload(b"text", "a.png")
    upload(png_bytes, duration="nan")
    client.post("/api/upload")
    with app.app_context():
        from backend.database import get_db

        rows = (
            get_db()
            .execute("SELECT success, error_code, file_size, style FROM usage_stats ORDER BY id")
            .fetchall()
        )
    assert [tuple(row) for row in rows] == [
        (1, None, len(png_bytes), "sketch-color"),
        (0, "INVALID_FORMAT", 4, "sketch-color"),
        (0, "INVALID_PARAMETER", None, None),
        (0, "NO_FILE", None, None),
    ]


# ---- GET /api/video and /api/download ------------------------------------------------------


@pytest.fixture
def video_name(upload, png_bytes) -> str:
    return upload(png_bytes).get_json()["video_filename"]


def test_video_streams_inline_with_ranges(app, client, video_name):
    size = (Path(app.config["OUTPUT_FOLDER"]) / video_name).stat().st_size
    full = client.get(f"/api/video/{video_name}")
    assert full.status_code == 200 and full.mimetype == "video/mp4" and len(full.data) == size
    assert full.headers["Accept-Ranges"] == "bytes"
    assert full.headers["ETag"] and full.headers["Last-Modified"]
    assert "attachment" not in full.headers.get("Content-Disposition", "")
    first_two = client.get(f"/api/video/{video_name}", headers={"Range": "bytes=0-1"})
    assert first_two.status_code == 206 and first_two.data == full.data[:2]
    assert first_two.headers["Content-Range"] == f"bytes 0-1/{size}"
    tail = client.get(f"/api/video/{video_name}", headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.data == full.data[-10:]
    beyond = client.get(f"/api/video/{video_name}", headers={"Range": f"bytes={size + 10}-"})
    _error(beyond, 416, "RANGE_NOT_SATISFIABLE")
    assert beyond.headers["Content-Range"] == f"bytes */{size}"
    again = client.get(f"/api/video/{video_name}", headers={"If-None-Match": full.headers["ETag"]})
    assert again.status_code == 304


def test_download_is_an_attachment(app, client, video_name):
    response = client.get(f"/api/download/{video_name}")
    assert response.status_code == 200 and response.mimetype == "video/mp4"
    assert response.headers["Content-Disposition"] == f"attachment; filename={video_name}"
    assert response.data == (Path(app.config["OUTPUT_FOLDER"]) / video_name).read_bytes()


@pytest.mark.parametrize(
    "name",
    [
        "nope",
        "../app.db",
        "%2e%2e%2fapp.db",
        "..%2fapp.db",
        "00000000-0000-0000-0000-000000000000_output.mp4",
        "ABCDEF00-0000-0000-0000-000000000000_output.mp4",
    ],
)
@pytest.mark.parametrize("endpoint", ["video", "download"])
def test_unknown_or_malformed_names_are_404(client, endpoint, name):
    _error(client.get(f"/api/{endpoint}/{name}"), 404, "NOT_FOUND")


def test_a_symlink_in_outputs_is_404(app, client, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    name = "11111111-2222-3333-4444-555555555555_output.mp4"
    (Path(app.config["OUTPUT_FOLDER"]) / name).symlink_to(secret)
    _error(client.get(f"/api/video/{name}"), 404, "NOT_FOUND")
    _error(client.get(f"/api/download/{name}"), 404, "NOT_FOUND")


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


# ---- Routing, rate limits, headers ---------------------------------------------------------


def test_unknown_api_route_and_wrong_method_are_json(client):
    _error(client.get("/api/nothing-here"), 404, "NOT_FOUND")
    response = client.get("/api/upload")
    _error(response, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in response.headers["Allow"]
    _error(client.delete("/api/stats"), 405, "METHOD_NOT_ALLOWED")


def test_upload_rate_limit_answers_429_json(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_UPLOAD="2 per minute").test_client()
    assert client.post("/api/upload").status_code == 400
    assert client.post("/api/upload").status_code == 400
    limited = client.post("/api/upload")
    body = _error(limited, 429, "RATE_LIMITED")
    assert "2 per 1 minute" in body["error"]
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.headers["X-RateLimit-Limit"] == "2" and limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["X-Request-ID"] and limited.headers["X-Frame-Options"] == "DENY"
    spoofed = client.post("/api/upload", headers={"X-Forwarded-For": "203.0.113.9"})
    _error(spoofed, 429, "RATE_LIMITED")  # no trusted proxy: the header changes nothing
    assert client.get("/api/stats").get_json()["total_uploads"] == 2  # refused before the handler


def test_forwarded_for_counts_only_behind_a_trusted_proxy(app_factory):
    client = app_factory(
        RATELIMIT_ENABLED=True, RATELIMIT_UPLOAD="1 per minute", TRUSTED_PROXY_COUNT=1
    ).test_client()
    assert client.post("/api/upload", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 400
    assert client.post("/api/upload", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    assert client.post("/api/upload", headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 400


def test_default_limit_applies_to_the_api_but_never_to_health_or_streaming(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute").test_client()
    assert [client.get("/api/stats").status_code for _ in range(3)] == [200, 200, 429]
    assert [client.get("/api/download/x").status_code for _ in range(3)] == [404, 404, 429]
    assert all(client.get("/api/health").status_code == 200 for _ in range(5))
    assert all(client.get("/api/video/x").status_code == 404 for _ in range(5))  # seeks are range requests


@pytest.mark.parametrize(
    "method,path",
    [("get", "/api/health"), ("get", "/api/nothing"), ("post", "/api/upload"), ("get", "/api/upload")],
)
def test_security_headers_and_request_id_on_every_response(client, method, path):
    response = getattr(client, method)(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-XSS-Protection"] == "1; mode=block"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert len(response.headers["X-Request-ID"]) == 32


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert (
        client.get("/api/health", headers={"X-Request-ID": "proxy-1234abcd"}).headers["X-Request-ID"]
        == "proxy-1234abcd"
    )
    replaced = client.get("/api/health", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32


def test_each_upload_logs_one_line_with_its_request_id(app, upload, png_bytes):
    response = upload(png_bytes)
    request_id = response.headers["X-Request-ID"]
    lines = [
        line
        for line in (Path(app.config["LOG_FOLDER"]) / "app.log").read_text().splitlines()
        if f"request_id={request_id}" in line
    ]
    assert len(lines) == 1
    assert "client=127.0.0.1" in lines[0] and f"bytes={len(png_bytes)}" in lines[0]
    assert "outcome=OK" in lines[0] and "seconds=" in lines[0]


def test_a_misnamed_but_real_image_is_accepted(upload, make_image):
    jpeg = make_image("picture.jpg").read_bytes()
    assert upload(jpeg, "photo.png").status_code == 200  # allowed extension + real image bytes
