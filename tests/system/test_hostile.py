"""Hostile and odd requests against real gunicorn (``make run``'s config: 2 workers, threads).

Every case must get a JSON answer with its code (never a 5xx, never a traceback or a path),
rejections within a few seconds, and leave the server as it was: /api/health 200, the same
worker processes, nothing in uploads/, no partial render in outputs/, and /api/stats counted
the upload exactly once (and its success, if any). The last tests check the workers' peak
memory and that the log shows no crash and exactly the uploads /api/stats counted. Every test
stands alone: none counts on what another one sent.

Decisions the issue left open (README "Limits and failure behaviour"):
- a truncated JPEG renders the rows that decode; a truncated PNG is 422 CORRUPT_IMAGE;
- an image more than 32 times longer than wide (20000x10) is 422 IMAGE_TOO_LARGE;
- a GIF header followed by anything else (PHP) is 422 CORRUPT_IMAGE: it claims a format
  we take, so it is a damaged image rather than a wrong format;
- a Range header that is not one well-formed byte range is ignored (200, whole video).
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.helpers import images
from tests.helpers.multipart import CLOSING, encode_form
from tests.helpers.paths import DATA, PROJECT_ROOT
from tests.helpers.renders import SMALL_FIELDS
from tests.helpers.servers import LiveServer, Reply, start_server
from tests.helpers.videos import decode_frames

REJECTION_SECONDS = 5.0  # "within a few seconds": a rejection takes milliseconds
WORKER_PEAK_MB = 500
ERROR_KEYS = {"success", "error", "code"}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[LiveServer]:
    """One server for the module; limits high enough that no case is refused for rate."""
    live = start_server(
        tmp_path_factory.mktemp("hostile"),
        RATELIMIT_UPLOAD="100000 per hour",
        RATELIMIT_DEFAULT="100000 per hour",
    )
    yield live
    live.stop()


# ---- helpers -------------------------------------------------------------------------------


def upload_counts(server: LiveServer) -> tuple[int, int]:
    """/api/stats' (total uploads, successful uploads)."""
    stats = server.request("GET", "/api/stats", timeout=10).json()
    return stats["total_uploads"], stats["successful_uploads"]


def counted(server: LiveServer, send: Callable[[], Reply]) -> Reply:
    """``send()`` one upload request; /api/stats must count it once, and its success if it had one."""
    total, successful = upload_counts(server)
    reply = send()
    assert upload_counts(server) == (total + 1, successful + (reply.status == 200)), reply.status
    return reply


def post_upload(server: LiveServer, parts: list[tuple[str, str | None, bytes]]) -> Reply:
    """POST /api/upload with ``parts`` and the small render options, checked as :func:`counted`."""
    fields = [
        (name, None, value.encode())
        for name, value in SMALL_FIELDS.items()
        if name not in {part[0] for part in parts}
    ]
    return post_body(server, *encode_form(fields + parts))


def post_body(server: LiveServer, body: bytes, content_type: str) -> Reply:
    """POST ``body`` as it is to /api/upload, checked as :func:`counted`."""
    return counted(
        server, lambda: server.request("POST", "/api/upload", body, {"Content-Type": content_type})
    )


def upload_file(server: LiveServer, content: bytes, filename: str, **fields: str) -> Reply:
    """POST ``content`` as the ``file`` part with extra form ``fields``, as :func:`post_upload`."""
    return post_upload(
        server,
        [(name, None, value.encode()) for name, value in fields.items()] + [("file", filename, content)],
    )


def assert_unharmed(server: LiveServer) -> None:
    """The server is as it was: healthy, same workers, no upload left, no partial render,
    and no worker has ever gone over the memory limit."""
    health = server.request("GET", "/api/health", timeout=10)
    assert health.status == 200, health.body
    assert server.worker_pids() == server.workers_at_start
    assert list(server.uploads.iterdir()) == []
    assert [path.name for path in server.outputs.iterdir() if ".part-" in path.name] == []
    peaks = {pid: fields["VmHWM"] for pid, fields in server.worker_memory_mb().items()}
    assert max(peaks.values()) < WORKER_PEAK_MB, peaks


def assert_error(server: LiveServer, reply: Reply, status: int, code: str, *, quick: bool = True) -> dict:
    """``reply`` is the JSON error ``code`` with ``status``, says nothing internal, came quickly,
    and the server is unharmed."""
    assert reply.status == status, reply.body[:500]
    assert reply.headers["content-type"] == "application/json"
    body = reply.json()
    assert set(body) == ERROR_KEYS and body["success"] is False and body["code"] == code, body
    assert_nothing_internal(server, reply.body)
    if quick:
        assert reply.seconds < REJECTION_SECONDS
    assert_unharmed(server)
    return body


def assert_nothing_internal(server: LiveServer, payload: bytes) -> None:
    text = payload.decode("utf-8", "replace")
    for leak in ("Traceback", 'File "', str(server.root), str(PROJECT_ROOT), "/tmp/", "sqlite3", "cv2."):
        assert leak not in text, f"{leak!r} in {text[:300]!r}"


def assert_rendered(server: LiveServer, reply: Reply) -> dict:
    assert reply.status == 200, reply.body[:500]
    body = reply.json()
    assert body["success"] is True and body["frames"] == 24, body
    video = server.outputs / body["video_filename"]
    assert video.stat().st_size == body["video_size"] and video.read_bytes()[4:8] == b"ftyp"
    assert_unharmed(server)
    return body


def stream_request(server: LiveServer, head: bytes, chunks: Iterator[bytes]) -> Reply:
    """Send ``head`` then ``chunks`` on a raw socket from a thread while reading the answer,
    as curl does: a server may answer (413) and close before the body is all sent."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=60)
    stop = threading.Event()

    def send() -> None:
        try:
            sock.sendall(head)
            for chunk in chunks:
                if stop.is_set():
                    return
                sock.sendall(chunk)
        except OSError:
            pass  # the server answered and closed: expected

    sender = threading.Thread(target=send, daemon=True)
    try:
        started = time.monotonic()
        sender.start()
        response = http.client.HTTPResponse(sock)
        response.begin()
        payload = response.read()
        seconds = time.monotonic() - started
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, payload, seconds)
    finally:
        stop.set()
        sock.close()
        sender.join(timeout=10)


# ---- inputs --------------------------------------------------------------------------------


def _png(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    return images.encode(".png", images.pattern(width, height, seed=seed))


def _jpeg(width: int = 96, height: int = 64, seed: int = 0) -> bytes:
    return images.encode(
        ".jpg", images.smooth_picture(width, height, seed=seed), [cv2.IMWRITE_JPEG_QUALITY, 95]
    )


def _float64_tiff() -> bytes:
    ok, buffer = cv2.imencode(".tiff", np.full((20, 30), 0.5, np.float64))
    assert ok and cv2.imdecode(buffer, cv2.IMREAD_UNCHANGED).dtype == np.float64
    return buffer.tobytes()


def _long_gif(tmp: Path) -> bytes:
    """1,500 frames of 64x48: the first red, the others other colours."""
    frames = [np.full((48, 64, 3), (0, 0, 255), np.uint8)]
    frames += [
        np.full((48, 64, 3), (index % 256, 255 - index % 256, 0), np.uint8) for index in range(1, 1500)
    ]
    return images.animated_gif(tmp / "long.gif", frames).read_bytes()


REFUSED_CONTENT = {  # id: (bytes, filename, status, code)
    "zero-bytes": (lambda: b"", "empty.png", 400, "INVALID_FORMAT"),
    "text-as-png": (lambda: b"just some text\n" * 20, "notes.png", 400, "INVALID_FORMAT"),
    "html-as-jpg": (
        lambda: b"<!doctype html><html><script>alert(1)</script></html>",
        "page.jpg",
        400,
        "INVALID_FORMAT",
    ),
    "svg-as-png": (
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        "icon.png",
        400,
        "INVALID_FORMAT",
    ),
    "svg-as-svg": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg"/>', "icon.svg", 400, "INVALID_FORMAT"),
    "php-as-gif": (lambda: b"<?php system($_GET['c']); ?>", "shell.gif", 400, "INVALID_FORMAT"),
    "gif-header-then-php": (lambda: b"GIF89a<?php system($_GET['c']); ?>", "shell.gif", 422, "CORRUPT_IMAGE"),
    "png-named-exe": (lambda: _png(), "picture.exe", 400, "INVALID_FORMAT"),
    "png-named-php": (lambda: _png(), "picture.php", 400, "INVALID_FORMAT"),
    "png-then-nul-exe": (lambda: _png(), "picture.png\x00.exe", 400, "INVALID_FORMAT"),
    "truncated-png": (lambda: _png(300, 200)[: len(_png(300, 200)) // 2], "cut.png", 422, "CORRUPT_IMAGE"),
    "png-bomb-30000x30000": (lambda: images.png_claiming(30000, 30000), "bomb.png", 422, "IMAGE_TOO_LARGE"),
    "float64-tiff": (_float64_tiff, "float.tif", 422, "CORRUPT_IMAGE"),
    "aspect-20000x10": (
        lambda: images.png_bytes(np.zeros((10, 20000, 3), np.uint8), "rgb"),
        "strip.png",
        422,
        "IMAGE_TOO_LARGE",
    ),
    "aspect-10x20000": (
        lambda: images.png_bytes(np.zeros((20000, 10, 3), np.uint8), "rgb"),
        "strip.png",
        422,
        "IMAGE_TOO_LARGE",
    ),
}


@pytest.mark.parametrize("case", REFUSED_CONTENT)
def test_refused_content(server, case):
    make, filename, status, code = REFUSED_CONTENT[case]
    content = make()
    if case == "png-bomb-30000x30000":
        assert 90_000 < len(content) < 150_000  # ~100 KB claiming 2.7 GB of pixels
    body = assert_error(server, upload_file(server, content, filename), status, code)
    if code == "INVALID_FORMAT":
        assert body["error"] == "Invalid file format. Please upload PNG, JPG, JPEG, GIF, BMP, or TIFF files."


def _gray_png() -> bytes:
    return images.png_bytes(images.pattern(96, 64)[:, :, 1], "gray")


def _rgba_png() -> bytes:
    picture = images.pattern(96, 64)
    alpha = np.full((64, 96, 1), 128, np.uint8)
    return images.png_bytes(np.concatenate([picture[:, :, ::-1], alpha], axis=2), "rgba")


def _png16() -> bytes:
    return images.png_bytes(images.pattern(96, 64)[:, :, ::-1].astype(np.uint16) * 257, "rgb")


ODD_BUT_FINE = {  # id: (bytes, filename, (width, height) of the video)
    "truncated-jpeg": (lambda: _jpeg(300, 200)[: len(_jpeg(300, 200)) // 2], "cut.jpg", (128, 86)),
    "one-pixel": (lambda: images.encode(".png", np.full((1, 1, 3), 200, np.uint8)), "dot.png", (128, 128)),
    "cmyk-jpeg": (lambda: (DATA / "cmyk.jpg").read_bytes(), "cmyk.jpg", (128, 96)),
    "png-16-bit": (_png16, "deep.png", (128, 86)),
    "grayscale-png": (_gray_png, "gray.png", (128, 86)),
    "grayscale-jpeg": (lambda: images.encode(".jpg", images.pattern(96, 64)[:, :, 0]), "gray.jpg", (128, 86)),
    "rgba-png": (_rgba_png, "alpha.png", (128, 86)),
    "exif-rotated-jpeg": (lambda: images.with_exif_orientation(_jpeg(), 6), "rotated.jpg", (86, 128)),
    "real-png-named-php-png": (lambda: _png(seed=3), "shell.php.png", (128, 86)),
    "bmp": (lambda: images.encode(".bmp", images.pattern(96, 64, seed=4)), "x.bmp", (128, 86)),
}


@pytest.mark.parametrize("case", ODD_BUT_FINE)
def test_odd_but_valid_images_render(server, case):
    make, filename, size = ODD_BUT_FINE[case]
    body = assert_rendered(server, upload_file(server, make(), filename))
    assert (body["width"], body["height"]) == size


def test_a_gif_of_1500_frames_renders_its_first_frame(server, tmp_path):
    content = _long_gif(tmp_path)
    body = assert_rendered(server, upload_file(server, content, "long.gif"))
    last = decode_frames(server.outputs / body["video_filename"])[-1]
    assert np.abs(last.reshape(-1, 3).mean(axis=0) - (0, 0, 255)).max() < 25  # ends on the red first frame


# ---- file names ----------------------------------------------------------------------------

MARKER = f"paint-hostile-{uuid.uuid4().hex[:8]}"
FILENAMES = {
    "dot-dot-slash": f"../../../../tmp/{MARKER}.png",
    "dot-dot-backslash": f"..\\..\\..\\{MARKER}.png",
    "absolute": f"/tmp/{MARKER}.png",
    "windows-absolute": f"C:\\Windows\\{MARKER}.png",
    "nul-inside": f"{MARKER}\x00.png",
    "unicode": "ünïcødé 图片 🎨 " + MARKER + ".png",
    "300-characters": (MARKER + "x" * 300)[:296] + ".png",
    "only-extension": ".png",
    "quotes-and-semicolon": f"a';b%22;{MARKER}.png",  # a browser sends a quote as %22
}


@pytest.mark.parametrize("case", FILENAMES)
def test_file_names_are_never_used_as_paths(server, case):
    before = sorted(path.name for path in server.root.iterdir())
    reply = upload_file(server, _png(seed=7), FILENAMES[case])
    body = assert_rendered(server, reply)
    assert MARKER not in reply.body.decode()  # the name is not echoed
    assert sorted(path.name for path in server.root.iterdir()) == before
    assert not Path(f"/tmp/{MARKER}.png").exists() and not (PROJECT_ROOT / f"{MARKER}.png").exists()
    assert body["video_filename"].endswith("_output.mp4")


# ---- the multipart form itself -------------------------------------------------------------


def test_no_file_field(server):
    assert_error(server, post_upload(server, []), 400, "NO_FILE")


def test_wrong_field_name(server):
    assert_error(server, post_upload(server, [("image", "picture.png", _png())]), 400, "NO_FILE")


def test_file_part_without_a_file_name(server):
    assert_error(server, post_upload(server, [("file", "", _png())]), 400, "NO_FILE")


def test_two_files(server):
    reply = post_upload(server, [("file", "a.png", _png()), ("file", "b.png", _png(seed=1))])
    assert_error(server, reply, 400, "INVALID_PARAMETER")


def test_a_raw_image_body_is_not_a_form(server):
    reply = post_body(server, _png(), "image/png")
    assert_error(server, reply, 400, "NO_FILE")


def test_a_form_without_its_closing_boundary(server):
    body, content_type = encode_form([("file", "a.png", _png())])
    reply = post_body(server, body[: -len(CLOSING)], content_type)
    assert_error(server, reply, 400, "NO_FILE")  # the unfinished part is dropped


def test_17_mb_with_content_length_is_413(server):
    body, content_type = encode_form([("file", "big.png", b"\x89PNG\r\n\x1a\n" + bytes(17 * 1024 * 1024))])
    head = (
        f"POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    chunks = (body[offset : offset + 65536] for offset in range(0, len(body), 65536))
    reply = counted(server, lambda: stream_request(server, head, chunks))
    assert "maximum upload size is 16 MB" in assert_error(server, reply, 413, "FILE_TOO_LARGE")["error"]


def test_20_mb_chunked_is_413(server):
    body, content_type = encode_form([("file", "big.png", b"\x89PNG\r\n\x1a\n" + bytes(20 * 1024 * 1024))])
    head = (
        f"POST /api/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()

    def chunks() -> Iterator[bytes]:
        for offset in range(0, len(body), 65536):
            piece = body[offset : offset + 65536]
            yield f"{len(piece):x}\r\n".encode() + piece + b"\r\n"
        yield b"0\r\n\r\n"

    reply = counted(server, lambda: stream_request(server, head, chunks()))
    assert_error(server, reply, 413, "FILE_TOO_LARGE")


def test_a_huge_form_field_is_413(server):
    reply = upload_file(server, _png(), "p.png", style="x" * 1_000_000)
    assert_error(server, reply, 413, "FILE_TOO_LARGE")


# ---- options -------------------------------------------------------------------------------

HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'
BAD_OPTIONS = [
    ("duration", "61"),
    ("duration", "1.9"),
    ("duration", "nan"),
    ("duration", "-2"),
    ("duration", "1e308"),
    ("duration", "inf"),
    ("duration", HTML),
    ("duration", "9" * 400),
    ("fps", "61"),
    ("fps", "11"),
    ("fps", "NaN"),
    ("fps", "-30"),
    ("fps", "12.5"),
    ("fps", "1e9"),
    ("fps", HTML),
    ("max_size", "1921"),
    ("max_size", "127"),
    ("max_size", "nan"),
    ("max_size", "-720"),
    ("max_size", "99999999999999999999"),
    ("max_size", HTML),
    ("seed", "4294967296"),
    ("seed", "-1"),
    ("seed", "nan"),
    ("seed", "1e400"),
    ("seed", HTML),
    ("style", HTML),
    ("style", "nan"),
    ("style", "-1"),
    ("style", "s" * 10_000),
    ("finish", HTML),
    ("finish", "nan"),
    ("finish", "-1"),
    ("show_tools", HTML),
    ("show_tools", "nan"),
    ("show_tools", "-1"),
    ("show_tools", "2"),
]


@pytest.mark.parametrize("field,value", BAD_OPTIONS, ids=[f"{f}={v[:12]}" for f, v in BAD_OPTIONS])
def test_bad_options_are_400_naming_the_field(server, field, value):
    reply = upload_file(server, _png(), "p.png", **{field: value})
    body = assert_error(server, reply, 400, "INVALID_PARAMETER")
    assert field in body["error"]
    assert value not in body["error"] and "<" not in reply.body.decode()  # nothing echoed


# ---- ranges and paths on the video routes --------------------------------------------------


@pytest.fixture(scope="module")
def video(server) -> dict:
    reply = upload_file(server, _png(seed=11), "p.png")
    assert reply.status == 200
    body = reply.json()
    return {"name": body["video_filename"], "data": (server.outputs / body["video_filename"]).read_bytes()}


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


# ---- the suite as a whole ------------------------------------------------------------------


UPLOAD_LINE = re.compile(r"upload request_id=(\S+) client=\S+ bytes=\S+ outcome=(\w+)")


def test_the_log_has_exactly_the_uploads_counted_and_no_crash(server):
    """Whatever ran before (a refused and a rendered upload of its own at least): every upload
    the log names, once per request id, is one that /api/stats counted, and nothing crashed."""
    upload_file(server, b"", "empty.png")
    upload_file(server, _png(seed=5), "p.png")
    log = server.log_text()
    outcomes = dict(UPLOAD_LINE.findall(log))
    total, successful = upload_counts(server)
    assert len(outcomes) == total >= 2
    assert list(outcomes.values()).count("OK") == successful >= 1
    for alarm in ("Traceback", " ERROR ", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT", "database is locked"):
        assert alarm not in log
    assert '" 500 ' not in log and '" 502 ' not in log and '" 503 ' not in log


def test_worker_peak_memory_over_the_whole_suite(server):
    """The workers that served this module's cases so far, and their peak memory since they started."""
    memory = server.worker_memory_mb()
    assert sorted(memory) == server.workers_at_start  # the same processes served every case
    assert all(fields["VmHWM"] < WORKER_PEAK_MB for fields in memory.values()), memory
    print("worker memory (MB):", json.dumps(memory))
