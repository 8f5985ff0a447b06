"""A worker's peak memory for the heaviest uploads the API accepts: the largest picture
(40 MP) and the largest video (max_size 1920), in real gunicorn with one worker.

The budget is 500 MB per worker (issue 4). Each case resets the worker's peak (VmHWM,
``/proc/<pid>/clear_refs``) first, so it measures that upload alone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import cv2
import pytest

import images
from servers import LiveServer, start_server

WORKER_PEAK_MB = 500
SHORT = {"duration": "2", "fps": "12"}  # memory depends on the frame size, not on the length


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    live = start_server(tmp_path_factory.mktemp("memory"), WEB_CONCURRENCY="1", RATELIMIT_ENABLED="false")
    yield live
    live.stop()


@pytest.fixture(scope="module")
def pictures() -> dict[str, bytes]:
    forty_mp = cv2.resize(images.smooth_picture(800, 540, seed=2), (7700, 5190), interpolation=cv2.INTER_NEAREST)
    return {"1920x1280": images.encode(".png", images.smooth_picture(1920, 1280, seed=1)),
            "7700x5190": images.encode(".png", forty_mp)}  # 40 MP, about 12 MB: under both limits


def _peak_of_one_upload(server: LiveServer, content: bytes, fields: dict[str, str]) -> float:
    (worker,) = server.worker_pids()
    Path(f"/proc/{worker}/clear_refs").write_text("5")  # reset VmHWM to the current RSS
    reply = server.upload(content, "big.png", fields, timeout=300)
    assert reply.status == 200, reply.body
    assert server.worker_pids() == [worker]
    return server.worker_memory_mb()[worker]["VmHWM"]


@pytest.mark.parametrize("picture,style,max_size", [
    ("7700x5190", "sketch-color", "720"),
    ("7700x5190", "painterly", "720"),
    ("7700x5190", "sketch-color", "1920"),
    ("1920x1280", "sketch-color", "1920"),
    pytest.param("1920x1280", "painterly", "1920", marks=pytest.mark.xfail(
        strict=True, reason="core: the painterly style at max_size 1920 peaks at about 660 MB in a worker "
                            "(algorithms/painterly*); reported to the core's owners")),
])
def test_the_heaviest_uploads_stay_within_the_worker_budget(server, pictures, picture, style, max_size):
    peak = _peak_of_one_upload(server, pictures[picture], {"style": style, "max_size": max_size, **SHORT})
    print(f"{picture} {style} {max_size}: worker peak {peak:.0f} MB")
    assert peak < WORKER_PEAK_MB, f"{peak:.0f} MB"
