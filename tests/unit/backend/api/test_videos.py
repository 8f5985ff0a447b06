"""GET /api/video and /api/download: ranges, attachments, and 404 for anything not ours
(backend/api/videos.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.answers import json_error

# ---- GET /api/video and /api/download ------------------------------------------------------


@pytest.fixture
def video_name(upload, png_bytes) -> str:
    """The name of a video the app rendered."""
    return upload(png_bytes).get_json()["video_filename"]


def test_video_streams_inline_with_ranges(app, client, video_name):
    size = (Path(app.config["OUTPUT_FOLDER"]) / video_name).stat().st_size
    url = f"/api/video/{video_name}"
    with client.get(url) as full:
        assert full.status_code == 200 and full.mimetype == "video/mp4" and len(full.data) == size
        assert full.headers["Accept-Ranges"] == "bytes"
        assert full.headers["ETag"] and full.headers["Last-Modified"]
        assert "attachment" not in full.headers.get("Content-Disposition", "")
    with client.get(url, headers={"Range": "bytes=0-1"}) as first_two:
        assert first_two.status_code == 206 and first_two.data == full.data[:2]
        assert first_two.headers["Content-Range"] == f"bytes 0-1/{size}"
    with client.get(url, headers={"Range": "bytes=-10"}) as tail:
        assert tail.status_code == 206 and tail.data == full.data[-10:]
    with client.get(url, headers={"Range": f"bytes={size + 10}-"}) as beyond:
        json_error(beyond, 416, "RANGE_NOT_SATISFIABLE")
        assert beyond.headers["Content-Range"] == f"bytes */{size}"
    with client.get(url, headers={"If-None-Match": full.headers["ETag"]}) as again:
        assert again.status_code == 304


def test_download_is_an_attachment(app, client, video_name):
    with client.get(f"/api/download/{video_name}") as response:
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
    json_error(client.get(f"/api/{endpoint}/{name}"), 404, "NOT_FOUND")


def test_a_symlink_in_outputs_is_404(app, client, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    name = "11111111-2222-3333-4444-555555555555_output.mp4"
    (Path(app.config["OUTPUT_FOLDER"]) / name).symlink_to(secret)
    json_error(client.get(f"/api/video/{name}"), 404, "NOT_FOUND")
    json_error(client.get(f"/api/download/{name}"), 404, "NOT_FOUND")
