"""Slow clients against real gunicorn: uploads trickling in at a few bytes per second must
not stop anyone else. With sync workers two of them held both workers (a 10 s stall for
/api/health); ``gunicorn.conf.py`` runs threaded workers, so each holds only one thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.helpers.multipart import upload_form
from tests.helpers.servers import LiveServer, start_server

HEALTH_SECONDS = 2.0  # "within a second or two"
TRICKLE_LIMIT_SECONDS = 60  # a trickler gives up by itself at the latest after this


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
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


def test_two_trickling_uploads_do_not_hold_up_health_or_other_uploads(server, png_bytes):
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
        upload = server.upload(png_bytes, "picture.png", {"duration": "2", "fps": "12", "max_size": "128"})
        assert upload.status == 200, upload.body
        assert all(trickler.is_alive() and trickler.sent > 0 for trickler in tricklers)  # still trickling
    finally:
        for trickler in tricklers:
            trickler.stop.set()
            trickler.join(timeout=15)
    assert max(seconds) < HEALTH_SECONDS, seconds
    assert server.worker_pids() == server.workers_at_start


def test_abandoned_slow_uploads_leave_nothing_and_are_counted(server):
    """The tricklers above hung up half-way: their uploads failed cleanly, nothing left behind."""
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
