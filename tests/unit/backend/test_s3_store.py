"""Videos in an S3-compatible store (backend/s3_store.py) against a real SeaweedFS: the same answers
as from local files, the render cache, the cleanup and a store that is down."""

from __future__ import annotations

import time
from io import BytesIO
from pathlib import Path

import pytest

from backend.cleanup import run_cleanup
from backend.database import get_db
from backend.storage import get_storage
from devstack.servers import free_port

DAY = 24 * 3600


@pytest.fixture
def app(app_factory, s3_settings, database_url):
    """An app keeping its videos under a fresh prefix of the session's store."""
    return app_factory(DATABASE_URL=database_url, NETWORK_TIMEOUT=2.0, **s3_settings)


def _object(app, name: str) -> dict:
    store = get_storage_of(app)
    reply = store.client.get_object(Bucket=store.bucket, Key=store.key(name))
    return {"body": reply["Body"].read(), "etag": reply["ETag"], "modified": reply["LastModified"]}


def get_storage_of(app):
    with app.app_context():
        return get_storage().videos


def test_a_render_is_uploaded_whole_and_served_like_a_file(app, client, upload, png_bytes):
    body = upload(png_bytes).get_json()
    name = body["video_filename"]
    assert body["video_url"] == f"/api/video/{name}"  # relative, as with local files
    stored = _object(app, name)
    assert len(stored["body"]) == body["video_size"] and stored["body"][4:8] == b"ftyp"
    assert list(Path(app.config["OUTPUT_FOLDER"]).iterdir()) == []  # the local render is gone

    whole = client.get(body["video_url"])
    assert whole.status_code == 200 and whole.data == stored["body"]
    assert whole.mimetype == "video/mp4" and whole.headers["Accept-Ranges"] == "bytes"
    size = len(stored["body"])
    # gunicorn offers a wsgi.file_wrapper that cannot seek: a range must not depend on it
    unseekable = {"wsgi.file_wrapper": lambda file, size: iter(lambda: file.read(size), b"")}
    part = client.get(body["video_url"], headers={"Range": "bytes=100-199"}, environ_base=unseekable)
    assert part.status_code == 206 and part.data == stored["body"][100:200]
    assert part.headers["Content-Range"] == f"bytes 100-199/{size}"
    tail = client.get(body["video_url"], headers={"Range": "bytes=-50"})
    assert tail.status_code == 206 and tail.data == stored["body"][-50:]
    beyond = client.get(body["video_url"], headers={"Range": f"bytes={size + 10}-"})
    assert beyond.status_code == 416 and beyond.headers["Content-Range"] == f"bytes */{size}"
    assert beyond.get_json()["code"] == "RANGE_NOT_SATISFIABLE"
    again = client.get(body["video_url"], headers={"If-None-Match": whole.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    download = client.get(body["download_url"])
    assert download.data == stored["body"]
    assert download.headers["Content-Disposition"] == f"attachment; filename={name}"
    for response in (whole, part, tail, beyond, again, download):
        response.close()


def test_a_missing_or_badly_named_video_is_404(client):
    for name in ("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mp4", "..%2Fapp.db", "x.mp4"):
        response = client.get(f"/api/video/{name}")
        assert response.status_code == 404 and response.get_json()["code"] == "NOT_FOUND"


def test_the_cache_reuses_and_refreshes_the_object(app, upload, png_bytes):
    first = upload(png_bytes).get_json()
    before = _object(app, first["video_filename"])["modified"]
    time.sleep(1.1)  # Last-Modified has whole seconds
    second = upload(png_bytes).get_json()
    assert second["cached"] is True and second["video_filename"] == first["video_filename"]
    assert _object(app, first["video_filename"])["modified"] > before


def test_old_objects_leave_the_store_with_their_cache_rows(app, client, upload, png_bytes):
    body = upload(png_bytes).get_json()
    with app.app_context():
        report = run_cleanup(app.config, get_storage(), get_db(), now=time.time() + 2 * DAY)
        assert report.videos == [body["video_filename"]]
        assert get_db().execute("SELECT COUNT(*) AS n FROM render_cache").fetchone()["n"] == 0
    response = client.get(body["video_url"])
    assert response.status_code == 404
    assert upload(png_bytes).get_json()["cached"] is False


def test_a_store_that_is_down_answers_503_quickly_and_leaves_nothing(
    app_factory, database_url, monkeypatch, png_bytes
):
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")  # nobody listens there
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "k")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "s")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    app = app_factory(DATABASE_URL=database_url, NETWORK_TIMEOUT=1.0, VIDEO_STORE_URL="s3://videos/x")
    client = app.test_client()
    started = time.monotonic()
    response = client.post("/api/upload", data={"file": (BytesIO(png_bytes), "p.png")})
    assert time.monotonic() - started < 5  # answered before any render
    body = response.get_json()
    assert response.status_code == 503 and body["code"] == "STORAGE_UNAVAILABLE", body
    assert "127.0.0.1" not in body["error"]
    assert list(Path(app.config["OUTPUT_FOLDER"]).iterdir()) == []
    assert list(Path(app.config["UPLOAD_FOLDER"]).iterdir()) == []
    video = client.get("/api/video/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mp4")
    assert video.status_code == 503 and video.get_json()["code"] == "STORAGE_UNAVAILABLE"
    health = client.get("/api/health")
    assert health.status_code == 503
    assert health.get_json()["checks"]["video_store"] == {"ok": False, "error": "video store unavailable"}
    assert client.get("/api/stats").get_json()["failed_uploads"] == 1  # the refusal is counted
