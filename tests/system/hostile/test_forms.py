"""The multipart form itself (missing, doubled, unfinished, too large) and hostile option values."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.hostile import (
    assert_error,
    counted,
    png,
    post_body,
    post_upload,
    stream_request,
    upload_file,
)
from tests.helpers.multipart import CLOSING, encode_form

# ---- the multipart form itself -------------------------------------------------------------


def test_no_file_field(server):
    assert_error(server, post_upload(server, []), 400, "NO_FILE")


def test_wrong_field_name(server):
    assert_error(server, post_upload(server, [("image", "picture.png", png())]), 400, "NO_FILE")


def test_file_part_without_a_file_name(server):
    assert_error(server, post_upload(server, [("file", "", png())]), 400, "NO_FILE")


def test_two_files(server):
    reply = post_upload(server, [("file", "a.png", png()), ("file", "b.png", png(seed=1))])
    assert_error(server, reply, 400, "INVALID_PARAMETER")


def test_a_raw_image_body_is_not_a_form(server):
    reply = post_body(server, png(), "image/png")
    assert_error(server, reply, 400, "NO_FILE")


def test_a_form_without_its_closing_boundary(server):
    body, content_type = encode_form([("file", "a.png", png())])
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
    reply = upload_file(server, png(), "p.png", style="x" * 1_000_000)
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
    reply = upload_file(server, png(), "p.png", **{field: value})
    body = assert_error(server, reply, 400, "INVALID_PARAMETER")
    assert field in body["error"]
    assert value not in body["error"] and "<" not in reply.body.decode()  # nothing echoed
