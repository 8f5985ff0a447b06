"""The one server of the hostile-request tests: a package-wide fixture."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.hostile import png, upload_file
from tests.helpers.servers import LiveServer, start_server


@pytest.fixture(scope="package")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    """One server for the package; limits high enough that no case is refused for rate."""
    live = start_server(
        tmp_path_factory.mktemp("hostile"),
        RATELIMIT_UPLOAD="100000 per hour",
        RATELIMIT_DEFAULT="100000 per hour",
    )
    yield live
    live.stop()


@pytest.fixture(scope="package")
def video(server) -> dict:
    """A video the server rendered: its name and bytes."""
    reply = upload_file(server, png(seed=11), "p.png")
    assert reply.status == 200
    body = reply.json()
    return {"name": body["video_filename"], "data": (server.outputs / body["video_filename"]).read_bytes()}
