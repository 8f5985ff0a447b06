"""Each output format through the API: its name, its Content-Type, ranges and ETag on both
routes, the cache keyed on it; framing and the hold through the form; cleanup of every
extension (backend/storage.py, backend/video_store.py, backend/render_service.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from algorithms import FORMATS
from algorithms.encoding.formats import GIF_FPS
from backend.cleanup import run_cleanup
from backend.database import get_db
from backend.storage import get_storage
from tests.helpers.answers import json_error
from tests.helpers.files import aged_file
from tests.helpers.videos import gif_facts, stream_facts

CODECS = {"mp4": "h264", "webm": "vp9", "gif": "gif"}
FAST = {"duration": 2, "fps": 12, "max_size": 128, "seed": 3}
DAY = 24 * 3600


@pytest.mark.parametrize("video_format", list(FORMATS))
def test_each_format_is_named_typed_and_served_with_ranges(app, client, upload, png_bytes, video_format):
    body = upload(png_bytes, format=video_format, **FAST).get_json()
    name, extension = body["video_filename"], FORMATS[video_format].extension
    assert name.endswith("_output" + extension) and len(name) == 43 + len(extension), name
    path = Path(app.config["OUTPUT_FOLDER"]) / name
    assert stream_facts(path)["codec"] == CODECS[video_format]
    assert body["video_size"] == path.stat().st_size
    media_type = FORMATS[video_format].media_type
    for route in ("video", "download"):
        with client.get(f"/api/{route}/{name}") as whole:
            assert whole.status_code == 200 and whole.mimetype == media_type
            assert whole.data == path.read_bytes()
            etag, disposition = whole.headers["ETag"], whole.headers.get("Content-Disposition", "")
        with client.get(f"/api/{route}/{name}", headers={"If-None-Match": etag}) as again:
            assert again.status_code == 304
        with client.get(f"/api/{route}/{name}", headers={"Range": "bytes=0-9"}) as part:
            assert part.status_code == 206 and part.data == path.read_bytes()[:10]
            assert part.headers["Content-Range"] == f"bytes 0-9/{path.stat().st_size}"
        assert disposition.startswith("attachment") == (route == "download")


def test_a_gif_has_its_own_frame_rate_and_loops(app, upload, png_bytes):
    body = upload(png_bytes, format="gif", duration=3, fps=30, max_size=640).get_json()
    facts = gif_facts(Path(app.config["OUTPUT_FOLDER"]) / body["video_filename"])
    assert facts["loop"] == 0  # forever
    assert body["fps"] == GIF_FPS and body["frames"] == 3 * GIF_FPS
    assert sum(facts["delays"]) == 300  # hundredths of a second: the whole duration
    assert max(body["width"], body["height"]) <= FORMATS["gif"].max_size


def test_the_cache_tells_formats_apart(upload, png_bytes):
    first = upload(png_bytes, format="mp4", **FAST).get_json()
    second = upload(png_bytes, format="webm", **FAST).get_json()
    again = upload(png_bytes, format="webm", **FAST).get_json()
    assert first["cached"] is False and second["cached"] is False
    assert second["video_filename"] != first["video_filename"]
    assert again["cached"] is True and again["video_filename"] == second["video_filename"]


@pytest.mark.parametrize(("aspect", "shape"), [("1:1", (128, 128)), ("9:16", (72, 128)), ("16:9", (128, 72))])
def test_the_aspect_shapes_the_video(app, upload, png_bytes, aspect, shape):
    body = upload(png_bytes, aspect=aspect, **FAST).get_json()
    assert (body["width"], body["height"]) == shape
    facts = stream_facts(Path(app.config["OUTPUT_FOLDER"]) / body["video_filename"])
    assert (facts["width"], facts["height"]) == shape


def test_a_hold_that_leaves_too_little_to_draw_names_both_fields(client, upload, png_bytes):
    before = client.get("/api/stats").get_json()["failed_uploads"]
    response = upload(png_bytes, duration=4, hold=3)
    message = json_error(response, 400, "INVALID_PARAMETER")["error"]
    assert "hold" in message and "duration" in message
    assert client.get("/api/stats").get_json()["failed_uploads"] == before + 1
    assert upload(png_bytes, hold=2.5, **FAST).status_code == 400  # 2 s: no time left at all
    assert upload(png_bytes, duration=4, hold=2.5, fps=12, max_size=128).status_code == 200


def test_cleanup_knows_every_extension(app):
    outputs = Path(app.config["OUTPUT_FOLDER"])
    old, kept = [], []
    for index, video_format in enumerate(FORMATS.values()):
        name = f"aaaaaaaa-bbbb-cccc-dddd-{index:012d}_output{video_format.extension}"
        old.append(aged_file(outputs, name, 2 * DAY))
        partial = f".{name}.part-0a1b2c3d4e5f"
        old.append(aged_file(outputs, partial, app.config["MAX_PROCESSING_TIME"] + 10))
    kept.append(aged_file(outputs, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mov", 2 * DAY))
    with app.app_context():
        report = run_cleanup(app.config, get_storage(), get_db())
    assert sorted(report.videos + report.partials) == sorted(path.name for path in old)
    assert not any(path.exists() for path in old) and all(path.exists() for path in kept)


def test_a_name_with_another_extension_is_not_served(app, client):
    name = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mov"
    (Path(app.config["OUTPUT_FOLDER"]) / name).write_bytes(b"not ours")
    json_error(client.get(f"/api/video/{name}"), 404, "NOT_FOUND")
