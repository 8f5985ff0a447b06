"""GET /api/progress/<render_id> and the upload's ``render_id`` field (backend/api/progress.py,
backend/api/upload.py): the states an upload goes through as another client sees them, its own
rate limit, its expiry and cleanup, and any app on the same database answering."""

from __future__ import annotations

import io
import threading
import time
import uuid
from pathlib import Path

import pytest

from backend.cleanup import run_cleanup
from backend.database import get_db
from backend.progress import LOST_AFTER, ProgressTracker
from backend.storage import get_storage
from tests.helpers.answers import json_error
from tests.helpers.engines import BOTH_DATABASES
from tests.helpers.render_ids import NOT_RENDER_IDS, UNUSED

BODY_KEYS = {"render_id", "state", "progress", "elapsed", "eta", "video_filename"}
POLL_SECONDS = 120  # a bound on waiting for a state, never asserted on


def _new_id() -> str:
    return str(uuid.uuid4())


def _progress(client, render_id: str) -> dict:
    """The 200 answer of GET /api/progress/<render_id>, checked for its keys and headers."""
    response = client.get(f"/api/progress/{render_id}")
    body = response.get_json()
    assert response.status_code == 200, body
    assert response.mimetype == "application/json"
    assert "no-store" in response.headers["Cache-Control"]
    assert set(body) == BODY_KEYS | ({"code"} if body["state"] == "failed" else set())
    return body


def _rows(app) -> list[str]:
    """The render ids stored in the app's database."""
    with app.app_context():
        return [row[0] for row in get_db().execute("SELECT render_id FROM render_progress")]


def _outputs(app) -> list[str]:
    return sorted(path.name for path in Path(app.config["OUTPUT_FOLDER"]).iterdir())


# ---- an upload with a render_id --------------------------------------------------------------


@BOTH_DATABASES
def test_an_upload_with_a_render_id_ends_done_with_its_video(app, client, upload, png_bytes):
    render_id = _new_id()
    response = upload(png_bytes, render_id=render_id)
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["render_id"] == render_id and body["cached"] is False
    progress = _progress(client, render_id)
    assert progress["render_id"] == render_id and progress["state"] == "done"
    assert progress["video_filename"] == body["video_filename"]
    assert (progress["progress"], progress["eta"]) == (1.0, 0.0)
    assert progress["elapsed"] > 0
    with client.get(f"/api/video/{progress['video_filename']}") as video:
        assert video.status_code == 200 and len(video.data) == body["video_size"]


def test_the_answer_is_unchanged_but_for_the_echoed_render_id(app, client, upload, png_bytes):
    plain = upload(png_bytes).get_json()
    assert "render_id" not in plain
    assert _rows(app) == []  # nothing to follow: nothing stored
    render_id = _new_id()
    tracked = upload(png_bytes, render_id=render_id).get_json()  # the same render: from the cache
    assert tracked.pop("render_id") == render_id
    assert tracked["cached"] is True
    ignored = {"cached", "processing_time"}
    assert {k: v for k, v in tracked.items() if k not in ignored} == {
        k: v for k, v in plain.items() if k not in ignored
    }
    progress = _progress(client, render_id)  # a cached video is done too
    assert (progress["state"], progress["video_filename"]) == ("done", plain["video_filename"])


def test_a_render_id_in_upper_case_is_followed_in_either_case(client, upload, png_bytes):
    render_id = _new_id()
    body = upload(png_bytes, render_id=f" {render_id.upper()} ").get_json()
    assert body["render_id"] == render_id
    for spelling in (render_id, render_id.upper()):
        progress = _progress(client, spelling)
        assert progress["render_id"] == render_id and progress["state"] == "done"


@BOTH_DATABASES
def test_a_corrupt_image_reads_as_failed_with_its_code(app, client, upload, png_bytes):
    render_id = _new_id()
    damaged = png_bytes[:33] + b"\x00" * 200  # a valid header, then no image data
    body = json_error(upload(damaged, render_id=render_id), 422, "CORRUPT_IMAGE")
    assert "render_id" not in body
    progress = _progress(client, render_id)
    assert (progress["state"], progress["code"]) == ("failed", "CORRUPT_IMAGE")
    assert (progress["video_filename"], progress["eta"]) == (None, None)
    assert _outputs(app) == []


@pytest.mark.parametrize(
    "fields,status,code",
    [
        ({"duration": "abc"}, 400, "INVALID_PARAMETER"),
        ({"style": "glossy"}, 400, "INVALID_PARAMETER"),
        ({"max_size": "99999"}, 400, "INVALID_PARAMETER"),
        ({"filename": "notes.txt"}, 400, "INVALID_FORMAT"),
    ],
)
def test_an_upload_refused_after_registering_reads_as_failed_with_its_code(
    client, upload, png_bytes, fields, status, code
):
    render_id = _new_id()
    json_error(upload(png_bytes, render_id=render_id, **fields), status, code)
    progress = _progress(client, render_id)
    assert (progress["state"], progress["code"], progress["video_filename"]) == ("failed", code, None)


def test_a_form_without_a_file_reads_as_failed_no_file(client):
    render_id = _new_id()
    response = client.post("/api/upload", data={"render_id": render_id}, content_type="multipart/form-data")
    json_error(response, 400, "NO_FILE")
    assert _progress(client, render_id)["code"] == "NO_FILE"


@pytest.mark.parametrize("render_id", list(NOT_RENDER_IDS.values()), ids=list(NOT_RENDER_IDS))
def test_a_malformed_render_id_is_refused_before_anything_is_done(app, client, upload, png_bytes, render_id):
    body = json_error(upload(png_bytes, render_id=render_id), 400, "INVALID_PARAMETER")
    assert "render_id" in body["error"] and render_id not in body["error"]
    assert _rows(app) == [] and _outputs(app) == []
    assert client.get("/api/stats").get_json()["failed_uploads"] == 1  # recorded like any refusal


@BOTH_DATABASES
def test_a_render_id_is_used_once(app, client, upload, png_bytes, make_image):
    render_id = _new_id()
    first = upload(png_bytes, render_id=render_id).get_json()
    other = make_image("other.png", seed=9).read_bytes()
    json_error(upload(other, render_id=render_id), 409, "RENDER_ID_IN_USE")
    progress = _progress(client, render_id)  # the first upload's entry, untouched
    assert (progress["state"], progress["video_filename"]) == ("done", first["video_filename"])
    assert _outputs(app) == [first["video_filename"]]  # the second was not rendered
    again = upload(other, render_id=render_id.upper()).get_json()  # the same id in other letters
    assert again["code"] == "RENDER_ID_IN_USE"


def test_a_render_id_of_a_failed_upload_is_used_up_too(client, upload, png_bytes):
    render_id = _new_id()
    json_error(upload(png_bytes, render_id=render_id, duration="abc"), 400, "INVALID_PARAMETER")
    json_error(upload(png_bytes, render_id=render_id), 409, "RENDER_ID_IN_USE")
    assert _progress(client, render_id)["code"] == "INVALID_PARAMETER"


# ---- GET /api/progress/<id>: unknown ids -------------------------------------------------------


@BOTH_DATABASES
@pytest.mark.parametrize(
    "render_id",
    [UNUSED, *NOT_RENDER_IDS.values(), "x" * 36, "%27%20OR%201%3D1--"],
    ids=["unused", *NOT_RENDER_IDS, "36-letters", "sql"],
)
def test_an_unknown_or_malformed_id_is_a_json_404(app, client, upload, png_bytes, render_id):
    upload(png_bytes, render_id=_new_id())  # one entry that must not answer for another id
    json_error(client.get(f"/api/progress/{render_id}"), 404, "NOT_FOUND")


def test_only_get_reads_progress(client):
    json_error(client.post(f"/api/progress/{_new_id()}"), 405, "METHOD_NOT_ALLOWED")


# ---- a second client, while the upload is in flight ---------------------------------------------


def test_a_second_client_sees_the_upload_wait_for_a_slot_then_progress(app, upload, make_image):
    """The test takes this worker's render slot (RENDERS_PER_WORKER=1), so the upload, sent from a
    thread, must wait: the poller sees ``waiting`` for sure; once the slot is given back it sees
    ``rendering`` with a growing progress, then ``done``. The render is long enough (900 frames,
    a second or more) for several progress writes, which are at least 0.25 s apart."""
    render_id, image = _new_id(), make_image("slow.png", 320, 240, seed=3).read_bytes()
    poller, slots = app.test_client(), app.extensions["render_slots"]
    answers: dict[str, object] = {}

    def send() -> None:
        answers["upload"] = upload(image, render_id=render_id, duration=30, fps=30, max_size=320)

    assert slots.acquire(timeout=5)
    sender = threading.Thread(target=send)
    sender.start()
    held, seen = True, []
    try:
        _poll_until(poller, render_id, seen, lambda: len(seen) >= 5)
        assert [body["state"] for body in seen] == ["waiting"] * 5  # no slot, no render
        slots.release()
        held = False
        _poll_until(poller, render_id, seen, lambda: seen[-1]["state"] in ("done", "failed"))
    finally:
        if held:
            slots.release()
        sender.join(POLL_SECONDS)
    response = answers["upload"]
    assert response.status_code == 200, response.get_json()
    states = [body["state"] for body in seen]
    assert _runs(states) == ["waiting", "rendering", "done"], states
    rendering = [body["progress"] for body in seen if body["state"] == "rendering"]
    assert rendering == sorted(rendering) and len(set(rendering)) >= 2, rendering  # it grows
    assert any(0 < value < 1 for value in rendering), rendering
    estimated = [body["eta"] for body in seen if body["state"] == "rendering" and body["eta"] is not None]
    assert all(eta >= 0 for eta in estimated)
    assert seen[-1]["video_filename"] == response.get_json()["video_filename"]


def _poll_until(client, render_id: str, seen: list[dict], enough) -> None:
    """Poll, adding the 200 answers to ``seen``, until ``enough()``; a 404 is allowed only
    before the first answer (the upload has not registered its id yet)."""
    deadline = time.monotonic() + POLL_SECONDS
    while time.monotonic() < deadline:
        response = client.get(f"/api/progress/{render_id}")
        if response.status_code == 200:
            seen.append(response.get_json())
            if enough():
                return
        else:
            assert response.status_code == 404 and not seen, response.get_json()
        time.sleep(0.01)
    raise AssertionError(f"no end in sight after {POLL_SECONDS} s: {seen[-3:]}")


def _runs(states: list[str]) -> list[str]:
    """``states`` with repeats removed: the order in which they came."""
    return [state for index, state in enumerate(states) if index == 0 or states[index - 1] != state]


# ---- rate limits -------------------------------------------------------------------------------


def test_polling_has_its_own_limit_and_uses_up_no_other(app_factory, png_bytes):
    client = app_factory(
        RATELIMIT_ENABLED=True,
        RATELIMIT_DEFAULT="2 per minute",
        RATELIMIT_UPLOAD="1 per minute",
        RATELIMIT_PROGRESS="30 per minute",
    ).test_client()
    render_id = _new_id()
    for _ in range(10):
        assert client.get(f"/api/progress/{render_id}").status_code == 404  # not sent yet
    form = {"render_id": render_id, "file": (io.BytesIO(png_bytes), "p.png")}
    assert client.post("/api/upload", data=form).status_code == 200  # the upload's 1 is still there
    assert client.get(f"/api/progress/{render_id}").get_json()["state"] == "done"
    assert [client.get("/api/stats").status_code for _ in range(3)] == [200, 200, 429]  # the default's 2 too
    form = {"render_id": _new_id(), "file": (io.BytesIO(png_bytes), "p.png")}
    assert client.post("/api/upload", data=form).status_code == 429
    polls = [client.get(f"/api/progress/{render_id}") for _ in range(30 - 11)]
    assert [poll.status_code for poll in polls] == [200] * 19  # the other limits are used up, not this one
    assert (
        polls[-1].headers["X-RateLimit-Limit"] == "30" and polls[-1].headers["X-RateLimit-Remaining"] == "0"
    )
    limited = client.get(f"/api/progress/{render_id}")
    assert "30 per 1 minute" in json_error(limited, 429, "RATE_LIMITED")["error"]
    assert int(limited.headers["Retry-After"]) > 0


# ---- expiry, lost renders and cleanup ------------------------------------------------------------


@BOTH_DATABASES
def test_expired_entries_answer_404_and_the_cleanup_deletes_them(app, client, upload, png_bytes):
    old, new = _new_id(), _new_id()
    upload(png_bytes, render_id=old)
    upload(png_bytes, render_id=new)  # from the cache: a second entry, cheaply
    with app.app_context():
        connection = get_db()
        connection.execute(
            "UPDATE render_progress SET created = created - ?, updated = updated - ?, finished = finished - ?"
            " WHERE render_id = ?",
            (*[app.config["FILE_RETENTION"] + 60] * 3, old),
        )
    json_error(client.get(f"/api/progress/{old}"), 404, "NOT_FOUND")  # expired, though still stored
    assert sorted(_rows(app)) == sorted([old, new])
    with app.app_context():
        report = run_cleanup(app.config, get_storage(), get_db())
    assert report.progress_rows == 1 and report.videos == []
    assert _rows(app) == [new]
    assert _progress(client, new)["state"] == "done"


def test_an_entry_left_unfinished_past_the_time_limit_reads_as_lost(app, client):
    render_id = _new_id()
    ProgressTracker(app.extensions["database"], render_id).begin()  # a worker that then died
    assert _progress(client, render_id)["state"] == "waiting"
    with app.app_context():
        get_db().execute(
            "UPDATE render_progress SET created = created - ?, updated = updated - ? WHERE render_id = ?",
            (*[app.config["MAX_PROCESSING_TIME"] + LOST_AFTER + 5] * 2, render_id),
        )
    lost = _progress(client, render_id)
    assert (lost["state"], lost["code"], lost["eta"]) == ("failed", "PROCESSING_TIMEOUT", None)


# ---- any app on the database answers -------------------------------------------------------------


def test_another_app_on_the_same_database_answers(app_factory, database_url, png_bytes):
    """Two apps (two workers, or two hosts) on one database: what one renders, the other tells."""
    renders, tells = app_factory(DATABASE_URL=database_url), app_factory(DATABASE_URL=database_url)
    render_id, broken = _new_id(), _new_id()
    data = {"render_id": render_id, "file": (io.BytesIO(png_bytes), "p.png")}
    body = renders.test_client().post("/api/upload", data=data).get_json()
    progress = _progress(tells.test_client(), render_id)
    assert (progress["state"], progress["video_filename"]) == ("done", body["video_filename"])
    damaged = png_bytes[:33] + b"\x00" * 200
    data = {"render_id": broken, "file": (io.BytesIO(damaged), "p.png")}
    assert renders.test_client().post("/api/upload", data=data).status_code == 422
    assert _progress(tells.test_client(), broken)["code"] == "CORRUPT_IMAGE"
