"""Slow clients against real gunicorn: uploads trickling in at a few bytes per second must
not stop anyone else. With sync workers two of them held both workers (a 10 s stall for
/api/health); ``gunicorn.conf.py`` runs threaded workers, so each holds only one thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from tests.helpers import images
from tests.helpers.multipart import upload_form
from tests.helpers.renders import SMALL_FIELDS
from tests.helpers.servers import LiveServer, Reply, start_server

HEALTH_SECONDS = 2.0  # "within a second or two"
TRICKLE_LIMIT_SECONDS = 60  # a trickler gives up by itself at the latest after this


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    """``make run``'s gunicorn for the module."""
    live = start_server(tmp_path_factory.mktemp("slow-clients"))
    yield live
    live.stop()


class Trickler(threading.Thread):
    """A client that sends an upload's headers, then its body a few bytes per second."""

    def __init__(self, port: int, bytes_per_second: int = 4) -> None:
        super().__init__(daemon=True)
        self.port, self.interval = port, 1.0 / bytes_per_second
        self.stop = threading.Event()
        self.connected = threading.Event()
        self.sent = 0

    def run(self) -> None:
        body, content_type = upload_form(b"\x89PNG\r\n\x1a\n" + bytes(10_000), "slow.png")
        head = (
            f"POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        deadline = time.monotonic() + TRICKLE_LIMIT_SECONDS
        with socket.create_connection(("127.0.0.1", self.port), timeout=10) as sock:
            sock.sendall(head + body[:100])
            self.connected.set()
            for byte in body[100:]:
                if self.stop.wait(self.interval) or time.monotonic() > deadline:
                    return
                sock.sendall(bytes([byte]))
                self.sent += 1


@dataclass
class Trickled:
    """What :func:`trickled` saw: /api/health's seconds and the fast upload's answer while two
    tricklers were half-way, whether both were still trickling then, and the workers after."""

    health_seconds: list[float]
    upload: Reply
    still_trickling: bool
    workers: list[int]


@pytest.fixture(scope="module")
def trickled(server) -> Trickled:
    """Two tricklers half-way through their uploads while /api/health is asked five times and a
    small upload is sent, then both hang up: the scenario the tests below look at."""
    tricklers = [Trickler(server.port) for _ in range(2)]
    for trickler in tricklers:
        trickler.start()
    try:
        assert all(trickler.connected.wait(10) for trickler in tricklers)
        time.sleep(1.0)  # the server has both bodies half-read by now
        seconds = []
        for _ in range(5):
            reply = server.request("GET", "/api/health", timeout=10)
            assert reply.status == 200
            seconds.append(reply.seconds)
            time.sleep(0.3)
        upload = server.upload(images.encode(".png", images.pattern(96, 64)), "picture.png", SMALL_FIELDS)
        still_trickling = all(trickler.is_alive() and trickler.sent > 0 for trickler in tricklers)
    finally:
        for trickler in tricklers:
            trickler.stop.set()
            trickler.join(timeout=15)
    return Trickled(seconds, upload, still_trickling, server.worker_pids())


def test_two_trickling_uploads_do_not_hold_up_health_or_other_uploads(server, trickled):
    assert trickled.upload.status == 200, trickled.upload.body
    assert trickled.still_trickling
    assert max(trickled.health_seconds) < HEALTH_SECONDS, trickled.health_seconds
    assert trickled.workers == server.workers_at_start


def test_abandoned_slow_uploads_leave_nothing_and_are_counted(server, trickled):
    """The tricklers hung up half-way: their uploads failed cleanly, nothing left behind."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        stats = server.request("GET", "/api/stats").json()
        if stats["total_uploads"] >= 3:
            break
        time.sleep(0.2)
    assert (stats["total_uploads"], stats["successful_uploads"]) == (3, 1)
    assert list(server.uploads.iterdir()) == []
    log = server.log_text()
    assert "Traceback" not in log and '" 500 ' not in log
    assert server.request("GET", "/api/health").status == 200
