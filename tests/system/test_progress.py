"""Live render progress through real gunicorn (two workers): a second client follows an upload
in flight from the worker that is not rendering it; a corrupt image reads as failed; unknown
ids are JSON 404s. Across two hosts: tests/system/test_shared_stack.py."""

from __future__ import annotations

import re
import shlex
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np
import pytest

from tests.helpers.multipart import upload_form
from tests.helpers.paths import PHOTOS
from tests.helpers.render_ids import NOT_RENDER_IDS, UNUSED
from tests.helpers.servers import LiveServer, Reply, start_server

PHOTO = PHOTOS / "coffee.png"
SLOW_RENDER = {"max_size": "720", "duration": "30"}  # 900 frames: several seconds of rendering
POLL_EVERY = 0.1
# gunicorn.conf.py's access log, and the pid of the worker that answered (gunicorn's %(p)s).
ACCESS_LOG = '%(h)s "%(r)s" %(s)s rid=%({x-request-id}o)s pid=%(p)s'
ACCESS_LINE = re.compile(r"rid=(\S+) pid=<(\d+)>")
BODY_KEYS = {"render_id", "state", "progress", "elapsed", "eta", "video_filename"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    """gunicorn with two workers of one thread each: the worker rendering an upload can answer
    nothing else until the upload is over. The access log names each answer's worker."""
    live = start_server(
        tmp_path_factory.mktemp("progress"),
        WEB_CONCURRENCY="2",
        WEB_THREADS="1",
        GUNICORN_CMD_ARGS=f"--access-logformat {shlex.quote(ACCESS_LOG)}",
    )
    yield live
    live.stop()


@dataclass
class Poll:
    """One GET /api/progress/<id>, sent on a connection of its own; its answer once it came."""

    request_id: str
    reply: Reply | None = None


def _send(server: LiveServer, render_id: str, poll: Poll) -> None:
    poll.reply = server.request(
        "GET", f"/api/progress/{render_id}", headers={"X-Request-ID": poll.request_id}, timeout=300
    )


def _answering_workers(server: LiveServer, request_ids: set[str]) -> tuple[dict[str, int], list[str]]:
    """The pid of the worker that answered each of ``request_ids`` and the ids in the order the
    answers were logged (a worker of one thread logs its answers in the order it gave them)."""
    deadline = time.monotonic() + 30
    while True:
        logged = [match.groups() for match in ACCESS_LINE.finditer(server.log_text())]
        found = [(rid, int(pid)) for rid, pid in logged if rid in request_ids]
        if len(found) == len(request_ids) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(found) == len(request_ids), "some answers are missing from the access log"
    return dict(found), [rid for rid, _ in found]


def _runs(states: list[str]) -> list[str]:
    """``states`` with repeats removed: the order in which they came."""
    return [state for index, state in enumerate(states) if index == 0 or states[index - 1] != state]


def test_a_second_client_follows_the_render_from_the_other_worker(server):
    """An upload of a real photo with a ``render_id`` goes to one worker (U); a second client
    polls ``/api/progress/<id>`` every 0.1 s, each poll on a connection of its own.

    Why the polls seen rendering were answered by the other worker (O): each worker has one
    thread (WEB_THREADS=1), and U's thread runs the upload's handler from the moment it registers
    the id (``waiting``) until it writes ``done``; a poll U accepts meanwhile waits in its queue
    and reads ``done`` afterwards. So every ``waiting`` or ``rendering`` answer came from O, from
    the shared database. The access log (with the worker's pid) shows it too, and is checked.
    """
    render_id = str(uuid.uuid4())
    upload_request = f"upload-{uuid.uuid4().hex[:12]}"
    body, content_type = upload_form(
        PHOTO.read_bytes(), "coffee.png", {**SLOW_RENDER, "render_id": render_id}
    )
    result: dict[str, Reply] = {}

    def send_upload() -> None:
        headers = {"Content-Type": content_type, "X-Request-ID": upload_request}
        result["upload"] = server.request("POST", "/api/upload", body, headers, timeout=300)

    uploader = threading.Thread(target=send_upload)
    uploader.start()
    polls: list[Poll] = []
    pollers: list[threading.Thread] = []
    while uploader.is_alive():
        polls.append(Poll(f"poll-{render_id[:8]}-{len(polls):05d}"))
        pollers.append(threading.Thread(target=_send, args=(server, render_id, polls[-1])))
        pollers[-1].start()
        time.sleep(POLL_EVERY)
    for poller in pollers:
        poller.join(300)
    upload = result["upload"]
    assert upload.status == 200, upload.body
    uploaded = upload.json()
    assert uploaded["render_id"] == render_id and uploaded["cached"] is False
    assert all(poll.reply is not None and poll.reply.status in (200, 404) for poll in polls)

    workers, logged_order = _answering_workers(server, {upload_request} | {poll.request_id for poll in polls})
    rendered_by = workers[upload_request]
    assert set(workers.values()) <= set(server.workers_at_start)
    answers = {poll.request_id: poll.reply for poll in polls}
    by_u = [answers[rid] for rid in logged_order if rid in answers and workers[rid] == rendered_by]
    by_o = [answers[rid] for rid in logged_order if rid in answers and workers[rid] != rendered_by]
    # U answered before the upload's handler started (404) or after it ended (done), never during.
    assert all(reply.status == 404 or reply.json()["state"] == "done" for reply in by_u)

    statuses = [reply.status for reply in by_o]
    found = statuses.index(200)
    assert statuses == [404] * found + [200] * (len(statuses) - found)  # 404 until the id is registered
    seen = [reply.json() for reply in by_o[found:]]
    assert all(set(answer) <= BODY_KEYS and answer["render_id"] == render_id for answer in seen)
    states = [answer["state"] for answer in seen]
    order = ["waiting", "rendering", "done"]  # O may miss the first and the last (answered by U)
    assert "rendering" in states and _runs(states) == [s for s in order if s in states], _runs(states)
    progress = [answer["progress"] for answer in seen if answer["state"] == "rendering"]
    assert progress == sorted(progress), progress
    assert len({value for value in progress if 0 < value < 1}) >= 3, progress
    etas = [answer["eta"] for answer in seen if answer["state"] == "rendering"]
    assert any(eta is not None for eta in etas) and all(eta is None or eta >= 0 for eta in etas)
    assert all(reply.headers["cache-control"] == "no-store" for reply in by_o[found:])

    final = server.request("GET", f"/api/progress/{render_id}").json()
    done = [answer for answer in seen if answer["state"] == "done"] + [final]
    done += [reply.json() for reply in by_u if reply.status == 200]
    for answer in done:
        assert answer["state"] == "done" and answer["video_filename"] == uploaded["video_filename"]
        assert (answer["progress"], answer["eta"]) == (1.0, 0.0)
    assert server.request("GET", uploaded["video_url"], headers={"Range": "bytes=0-1"}).status == 206


def _damaged_png() -> bytes:
    """A small seeded PNG cut after its header: readable as a PNG, not decodable."""
    picture = np.random.default_rng(11).integers(0, 256, size=(48, 64, 3), dtype=np.uint8)
    return cv2.imencode(".png", picture)[1].tobytes()[:33] + b"\x00" * 200


def test_a_corrupt_image_reads_as_failed_with_its_code(server):
    render_id = str(uuid.uuid4())
    reply = server.upload(_damaged_png(), "broken.png", {"render_id": render_id})
    assert reply.status == 422 and reply.json()["code"] == "CORRUPT_IMAGE", reply.body
    for _ in range(4):  # whichever worker answers
        answer = server.request("GET", f"/api/progress/{render_id}")
        assert answer.status == 200 and answer.headers["cache-control"] == "no-store"
        body = answer.json()
        assert (body["state"], body["code"], body["video_filename"]) == ("failed", "CORRUPT_IMAGE", None)


@pytest.mark.parametrize(
    "render_id",
    [UNUSED, NOT_RENDER_IDS["word"], NOT_RENDER_IDS["version-1"]],
    ids=["unused", "word", "version-1"],
)
def test_an_unknown_id_is_a_json_404(server, render_id):
    reply = server.request("GET", f"/api/progress/{render_id}")
    assert reply.status == 404 and reply.headers["content-type"] == "application/json"
    assert reply.json()["code"] == "NOT_FOUND"
