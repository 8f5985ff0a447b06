"""The video routes: Range headers never answer 5xx, path tricks and planted symlinks are 404."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.helpers.hostile import (
    assert_error,
)

# ---- ranges and paths on the video routes --------------------------------------------------


RANGES = {  # id: (Range header with {size}, status, expected slice of the video or None for 416)
    "first-two-bytes": ("bytes=0-1", 206, slice(0, 2)),
    "open-ended": ("bytes=10-", 206, slice(10, None)),
    "suffix": ("bytes=-10", 206, slice(-10, None)),
    "end-past-the-end": ("bytes=0-{huge}", 206, slice(0, None)),
    "start-at-the-end": ("bytes={size}-", 416, None),
    "wholly-past-the-end": ("bytes={size_plus}-{size_plus2}", 416, None),
    "reversed": ("bytes=10-5", 200, slice(None)),
    "garbage": ("bytes=abc", 200, slice(None)),
    "other-unit": ("pages=0-1", 200, slice(None)),
    "multi-range": ("bytes=0-1,4-5", 200, slice(None)),
    "overlapping-multi-range": ("bytes=0-10,5-20,0-", 200, slice(None)),
    "empty": ("bytes=", 200, slice(None)),
    "very-long": ("bytes=" + "0-1," * 2000, 200, slice(None)),
}


@pytest.mark.parametrize("case", RANGES)
@pytest.mark.parametrize("route", ["video", "download"])
def test_ranges_never_5xx(server, video, route, case):
    template, status, part = RANGES[case]
    size = len(video["data"])
    header = template.format(size=size, size_plus=size + 100, size_plus2=size + 200, huge=10**20)
    reply = server.request("GET", f"/api/{route}/{video['name']}", headers={"Range": header})
    assert reply.status == status, (reply.status, reply.body[:200])
    if part is None:
        assert_error(server, reply, 416, "RANGE_NOT_SATISFIABLE")
        assert reply.headers["content-range"] == f"bytes */{size}"
    else:
        assert reply.body == video["data"][part]
        assert reply.headers["content-type"] == "video/mp4"
        if status == 206:
            start = part.start % size if part.start else 0
            assert reply.headers["content-range"] == f"bytes {start}-{start + len(reply.body) - 1}/{size}"


PATH_TRICKS = [
    "..",
    "%2e%2e",
    "..%2fapp.db",
    "%2e%2e%2fapp.db",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..%252fapp.db",
    "%2fetc%2fpasswd",
    "....%2f%2fapp.db",
    "..%5capp.db",
    "{name}%00",
    "{name}%2f..",
    "%00{name}",
    "{name}.",
    "{upper}",
    "{name}%20",
    "..;/app.db",
    "~root",
]


@pytest.mark.parametrize("trick", PATH_TRICKS)
@pytest.mark.parametrize("route", ["video", "download"])
def test_path_tricks_are_404(server, video, route, trick):
    name = video["name"]
    path = f"/api/{route}/" + trick.format(name=name, upper=name.upper())
    reply = server.request("GET", path)
    assert_error(server, reply, 404, "NOT_FOUND")
    assert b"SQLite format" not in reply.body and b"root:" not in reply.body


@pytest.mark.parametrize("route", ["video", "download"])
@pytest.mark.parametrize("target", ["database", "system-file", "video-outside"])
def test_a_symlink_planted_in_outputs_is_404(server, video, route, target, tmp_path):
    outside = tmp_path / "outside_output.mp4"
    outside.write_bytes(video["data"])
    pointee = {
        "database": server.root / "app.db",
        "system-file": Path("/etc/passwd"),
        "video-outside": outside,
    }
    name = f"{uuid.uuid4()}_output.mp4"
    link = server.outputs / name
    link.symlink_to(pointee[target])
    try:
        reply = server.request("GET", f"/api/{route}/{name}")
        assert_error(server, reply, 404, "NOT_FOUND")
    finally:
        link.unlink()
