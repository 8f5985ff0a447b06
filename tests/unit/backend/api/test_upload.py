"""POST /api/upload: every success and each error code (backend/api/upload.py)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

import algorithms
from backend import render_service
from backend.errors import INVALID_FORMAT_MESSAGE
from tests.helpers.answers import json_error
from tests.helpers.engines import BOTH_DATABASES
from tests.helpers.multipart import upload_form


def _stats(client) -> dict:
    """The app's /api/stats answer."""
    return client.get("/api/stats").get_json()


def _files(folder: Path) -> list[str]:
    """The names in ``folder``, sorted."""
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


def test_upload_without_a_part_content_type_works_like_requests(client, png_bytes):
    body, content_type = upload_form(png_bytes, "coffee.png", {"duration": "2"})
    response = client.post("/api/upload", data=body, content_type=content_type)
    assert response.status_code == 200, response.get_json()


def test_upload_ignores_a_lying_part_content_type(client, png_bytes):
    body, content_type = upload_form(png_bytes, "coffee.png", part_content_type="text/plain")
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
    json_error(client.post("/api/upload"), 400, "NO_FILE")
    json_error(client.post("/api/upload", data={"duration": "2"}), 400, "NO_FILE")
    json_error(upload(png_bytes, filename=""), 400, "NO_FILE")


@pytest.mark.parametrize("filename", ["notes.txt", "picture", "run.exe", "shell.php", "image.png.exe"])
def test_extension_not_on_the_allow_list(upload, png_bytes, filename):
    body = json_error(upload(png_bytes, filename), 400, "INVALID_FORMAT")
    assert body["error"] == INVALID_FORMAT_MESSAGE


@pytest.mark.parametrize(
    "content", [b"", b"hello, this is text", b"<svg xmlns='x'></svg>", b"<?php system($_GET['c']); ?>"]
)
def test_bytes_that_are_not_an_image(app, upload, content):
    json_error(upload(content, "picture.png"), 400, "INVALID_FORMAT")
    assert _files(app.config["UPLOAD_FOLDER"]) == []


def test_corrupt_image(app, upload, png_bytes):
    damaged = png_bytes[:33] + b"\x00" * 200  # a valid header, then no image data
    json_error(upload(damaged), 422, "CORRUPT_IMAGE")
    assert _files(app.config["UPLOAD_FOLDER"]) == [] and _files(app.config["OUTPUT_FOLDER"]) == []


def test_image_too_large_is_refused_from_its_header(app_factory, png_bytes):
    bomb = bytearray(png_bytes[:64])
    bomb[16:24] = (30000).to_bytes(4, "big") * 2  # IHDR claims 30000 x 30000
    client = app_factory().test_client()
    response = client.post("/api/upload", data={"file": (io.BytesIO(bytes(bomb)), "bomb.png")})
    assert "30000x30000" in json_error(response, 422, "IMAGE_TOO_LARGE")["error"]


def test_image_above_max_image_pixels(app_factory, png_bytes):
    client = app_factory(MAX_IMAGE_PIXELS=1000).test_client()
    response = client.post("/api/upload", data={"file": (io.BytesIO(png_bytes), "p.png")})
    body = json_error(response, 422, "IMAGE_TOO_LARGE")
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
    body = json_error(upload(png_bytes, **{field: value}), 400, "INVALID_PARAMETER")
    assert field in body["error"] and range_text in body["error"]
    assert value not in body["error"]  # nothing the client sent is echoed
    assert _files(app.config["UPLOAD_FOLDER"]) == []


def test_two_files_in_the_field_are_refused(client, png_bytes):
    data = {"file": [(io.BytesIO(png_bytes), "a.png"), (io.BytesIO(png_bytes), "b.png")]}
    json_error(client.post("/api/upload", data=data), 400, "INVALID_PARAMETER")


def test_file_too_large(app_factory, png_bytes):
    app = app_factory(MAX_CONTENT_LENGTH=1024)
    client = app.test_client()
    response = client.post("/api/upload", data={"file": (io.BytesIO(b"\x89PNG" + b"0" * 4096), "big.png")})
    body = json_error(response, 413, "FILE_TOO_LARGE")
    assert "maximum upload size" in body["error"]
    stats = client.get("/api/stats").get_json()
    assert stats["failed_uploads"] == 1 and stats["total_file_size"] > 4096


def test_a_crashing_render_is_a_500_and_the_worker_keeps_serving(app, client, upload, png_bytes, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError(f"boom in {app.config['OUTPUT_FOLDER']}")

    monkeypatch.setattr(render_service.algorithms, "paint_image", explode)
    body = json_error(upload(png_bytes), 500, "PROCESSING_FAILED")
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
    json_error(response, 503, "PROCESSING_TIMEOUT")
    assert _files(app.config["OUTPUT_FOLDER"]) == [] and _files(app.config["UPLOAD_FOLDER"]) == []


def test_a_full_disk_is_a_507(app, upload, png_bytes, monkeypatch):
    def full(*args, **kwargs):
        raise algorithms.StorageFullError("the disk is full")

    monkeypatch.setattr(render_service.algorithms, "paint_image", full)
    json_error(upload(png_bytes), 507, "STORAGE_FULL")


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
