"""Removing old files: the service function, the periodic run and ``flask cleanup`` (backend/cleanup.py);
the command from a shell runs in tests/system/test_commands.py."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from backend.cleanup import run_cleanup
from backend.database import get_db
from backend.queries import cached_render
from backend.storage import Storage, get_storage
from tests.helpers.files import age, aged_file

DAY = 24 * 3600


@pytest.fixture
def app(app_factory, database_url):
    """The testing app on SQLite, then on PostgreSQL."""
    return app_factory(DATABASE_URL=database_url)


def test_old_uploads_and_videos_go_new_and_foreign_files_stay(app, tmp_path):
    uploads, outputs = Path(app.config["UPLOAD_FOLDER"]), Path(app.config["OUTPUT_FOLDER"])
    old_upload = aged_file(uploads, "0123456789abcdef0123456789abcdef.png", 2 * DAY)
    new_upload = aged_file(uploads, "fedcba9876543210fedcba9876543210.jpg")
    old_video = aged_file(outputs, "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mp4", 2 * DAY)
    new_video = aged_file(outputs, "aaaaaaaa-bbbb-cccc-dddd-ffffffffffff_output.mp4")
    foreign = [aged_file(uploads, ".gitkeep", 2 * DAY), aged_file(outputs, "sample.mp4", 2 * DAY)]
    outside = aged_file(tmp_path, "outside.txt", 2 * DAY)
    link = outputs / "aaaaaaaa-bbbb-cccc-dddd-000000000000_output.mp4"
    link.symlink_to(outside)
    with app.app_context():
        report = run_cleanup(app.config, get_storage(), get_db())
    assert report.uploads == [old_upload.name] and report.videos == [old_video.name]
    assert not old_upload.exists() and not old_video.exists()
    assert new_upload.exists() and new_video.exists() and all(path.exists() for path in foreign)
    assert link.is_symlink() and outside.exists()


def test_partials_go_only_when_no_render_can_still_own_them(app):
    outputs = Path(app.config["OUTPUT_FOLDER"])
    name = ".aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mp4.part-0a1b2c3d4e5f"
    stale = aged_file(outputs, name, app.config["MAX_PROCESSING_TIME"] + 10)
    live = aged_file(outputs, name.replace("0a1b", "9999"))
    with app.app_context():
        report = run_cleanup(app.config, get_storage(), get_db())
    assert report.partials == [stale.name] and live.exists()
    # at start-up (no worker yet) every partial goes
    assert Storage.from_config(app.config).sweep_partials() == [live.name]


def test_a_cleaned_video_answers_404_and_is_not_reused(app, client, upload, png_bytes):
    body = upload(png_bytes).get_json()
    video = Path(app.config["OUTPUT_FOLDER"]) / body["video_filename"]
    age(video, 2 * DAY)
    with app.app_context():
        assert run_cleanup(app.config, get_storage(), get_db()).videos == [video.name]
        assert get_db().execute("SELECT COUNT(*) FROM render_cache").fetchone()[0] == 0
    assert client.get(body["video_url"]).status_code == 404
    assert client.get(body["download_url"]).get_json()["code"] == "NOT_FOUND"
    again = upload(png_bytes).get_json()
    assert again["cached"] is False
    with client.get(again["video_url"]) as response:
        assert response.status_code == 200


def test_reusing_a_cached_video_refreshes_itsage(app, upload, png_bytes):
    body = upload(png_bytes).get_json()
    video = age(Path(app.config["OUTPUT_FOLDER"]) / body["video_filename"], DAY - 60)
    assert upload(png_bytes).get_json()["cached"] is True
    assert time.time() - video.stat().st_mtime < 60
    with app.app_context():
        assert run_cleanup(app.config, get_storage(), get_db()).videos == []


def test_the_running_service_cleans_up_every_interval(app_factory):
    app = app_factory(CLEANUP_INTERVAL=3600)
    old = aged_file(Path(app.config["UPLOAD_FOLDER"]), "0123456789abcdef0123456789abcdef.png", 2 * DAY)
    client = app.test_client()
    client.get("/api/health")
    assert not old.exists()  # the first request of a fresh service ran the due pass
    newer = aged_file(Path(app.config["UPLOAD_FOLDER"]), "1123456789abcdef0123456789abcdef.png", 2 * DAY)
    client.get("/api/health")
    assert newer.exists()  # not again within CLEANUP_INTERVAL
    second_worker = app_factory(CLEANUP_INTERVAL=3600).test_client()  # same database, another process
    second_worker.get("/api/health")
    assert newer.exists()  # the pass was claimed in SQLite: one worker runs it per interval


def test_the_cleanup_command(app):
    old = aged_file(
        Path(app.config["OUTPUT_FOLDER"]), "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mp4", 2 * DAY
    )
    result = app.test_cli_runner().invoke(args=["cleanup"])
    assert result.exit_code == 0, result.output
    assert "Removed 0 uploads, 1 videos and 0 partial renders." in result.output
    assert not old.exists()


def test_cache_entries_of_removed_videos_are_forgotten(app, upload, png_bytes):
    body = upload(png_bytes).get_json()
    age(Path(app.config["OUTPUT_FOLDER"]) / body["video_filename"], 2 * DAY)
    with app.app_context():
        connection = get_db()
        key = connection.execute("SELECT cache_key FROM render_cache").fetchone()[0]
        run_cleanup(app.config, get_storage(), connection)
        assert cached_render(connection, key) is None
