"""Tests of algorithms/imageinfo.py: format and size from the header, without decoding."""

from __future__ import annotations

import io
import struct

import cv2
import numpy as np
import pytest

from algorithms.errors import ImageDecodeError
from algorithms.media.header import ImageInfo, read_image_info, sniff_format
from tests.helpers import images

FORMATS = [(".png", "png"), (".jpg", "jpeg"), (".gif", "gif"), (".bmp", "bmp"), (".tif", "tiff")]


def info_of(data: bytes) -> ImageInfo:
    return read_image_info(io.BytesIO(data))


def tiff_header(order: str, entries: list[tuple[int, int, int]]) -> bytes:
    """A TIFF with one IFD of (tag, type, value) entries and no pixel data."""
    magic = b"II*\x00" if order == "<" else b"MM\x00*"
    ifd = struct.pack(order + "H", len(entries))
    for tag, kind, value in entries:
        raw = struct.pack(order + "H2x", value) if kind == 3 else struct.pack(order + "I", value)
        ifd += struct.pack(order + "HHI", tag, kind, 1) + raw
    return magic + struct.pack(order + "I", 8) + ifd + struct.pack(order + "I", 0)


@pytest.mark.parametrize("extension, name", FORMATS)
@pytest.mark.parametrize("width, height", [(37, 23), (23, 37), (1, 1), (300, 2)])
def test_header_size_of_every_format(extension, name, width, height, tmp_path):
    path = images.write(tmp_path / f"picture{extension}", images.pattern(width, height, seed=width))
    with open(path, "rb") as stream:
        assert read_image_info(stream) == ImageInfo(name, width, height)


@pytest.mark.parametrize("params", [[cv2.IMWRITE_JPEG_PROGRESSIVE, 1], [cv2.IMWRITE_JPEG_QUALITY, 30]])
def test_jpeg_variants_give_their_size(params):
    data = images.encode(".jpg", images.pattern(91, 45), params)
    assert info_of(data) == ImageInfo("jpeg", 91, 45)


def test_gray_and_palette_png_give_their_size():
    gray = images.encode(".png", np.zeros((13, 29), np.uint8))
    palette = images.png_bytes(np.zeros((17, 5), np.uint8), "palette", palette=np.zeros((1, 3), np.uint8))
    assert info_of(gray) == ImageInfo("png", 29, 13)
    assert info_of(palette) == ImageInfo("png", 5, 17)


@pytest.mark.parametrize("order", ["<", ">"])
@pytest.mark.parametrize("kind", [3, 4])  # SHORT and LONG size tags
def test_tiff_size_in_both_byte_orders_and_tag_types(order, kind):
    data = tiff_header(order, [(254, 4, 0), (256, kind, 640), (257, kind, 480), (258, 3, 8)])
    assert info_of(data) == ImageInfo("tiff", 640, 480)


def test_bmp_top_down_and_os2_headers():
    top_down = b"BM" + bytes(12) + struct.pack("<Iii", 40, 50, -30) + bytes(16)
    os2 = b"BM" + bytes(12) + struct.pack("<IHH", 12, 70, 20) + bytes(16)
    assert info_of(top_down) == ImageInfo("bmp", 50, 30)
    assert info_of(os2) == ImageInfo("bmp", 70, 20)


@pytest.mark.parametrize(
    "orientation, swapped",
    [(1, False), (2, False), (3, False), (4, False), (5, True), (6, True), (7, True), (8, True)],
)
@pytest.mark.parametrize("byte_order", ["<", ">"])
def test_jpeg_size_is_as_displayed_after_exif_orientation(orientation, swapped, byte_order):
    jpeg = images.encode(".jpg", images.pattern(60, 40))
    data = images.with_exif_orientation(jpeg, orientation, byte_order=byte_order)
    expected = (40, 60) if swapped else (60, 40)
    assert (info_of(data).width, info_of(data).height) == expected


def test_exif_after_an_xmp_segment_still_counts_as_the_decoder_counts_it():
    jpeg = images.encode(".jpg", images.pattern(60, 40))
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"
    xmp_segment = b"\xff\xe1" + struct.pack(">H", len(xmp) + 2) + xmp
    rotated = jpeg[:2] + xmp_segment + images.exif_orientation_segment(6) + jpeg[2:]
    plain = jpeg[:2] + xmp_segment + jpeg[2:]
    assert info_of(rotated) == ImageInfo("jpeg", 40, 60)
    assert info_of(plain) == ImageInfo("jpeg", 60, 40)
    assert cv2.imdecode(np.frombuffer(rotated, np.uint8), cv2.IMREAD_COLOR).shape[:2] == (60, 40)


def test_damaged_exif_is_ignored_like_the_decoder_ignores_it():
    jpeg = images.encode(".jpg", images.pattern(60, 40))
    segment = images.exif_orientation_segment(6)
    damaged = segment[:14] + struct.pack("<I", 5000) + segment[18:]  # IFD offset past the end
    data = jpeg[:2] + damaged + jpeg[2:]
    assert info_of(data) == ImageInfo("jpeg", 60, 40)
    assert cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR).shape[:2] == (40, 60)


@pytest.mark.parametrize("extension, name", FORMATS)
def test_sniff_format_recognises_every_signature(extension, name):
    assert sniff_format(images.encode(extension, images.pattern(8, 8))[:32]) == name


NOT_IMAGES = {
    "zero bytes": b"",
    "text": b"Dear reader,\nthis is a letter, not a picture.\n",
    "html": b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
    "svg": b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
    "php": b"<?php system($_GET['cmd']); ?>",
    "gif-prefixed php": b"GIF89a<?php system($_GET['cmd']); ?>\n",
    "text starting BM": b"BMW owners club - members list\nAlice, Bob, Carol, Dave\n",
    "garbage": np.random.default_rng(7).integers(0, 256, 4096, dtype=np.uint8).tobytes(),
    "nul bytes": bytes(4096),
    "webp": b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(24),
    "bigtiff": b"II+\x00\x08\x00\x00\x00" + bytes(24),
}


@pytest.mark.parametrize("data", NOT_IMAGES.values(), ids=NOT_IMAGES.keys())
def test_what_is_not_a_supported_image_is_refused(data):
    with pytest.raises(ImageDecodeError):
        info_of(data)


def test_refusal_message_lists_the_supported_formats():
    with pytest.raises(ImageDecodeError, match="PNG, JPEG, GIF, BMP or TIFF"):
        info_of(NOT_IMAGES["html"])


def _png_without_ihdr() -> bytes:
    data = bytearray(images.encode(".png", images.pattern(8, 8)))
    data[12:16] = b"IHDX"
    return bytes(data)


DAMAGED_HEADERS = {
    "png cut in IHDR": (images.encode(".png", images.pattern(8, 8))[:20], "PNG"),
    "png without IHDR": (_png_without_ihdr(), "PNG"),
    "png of width 0": (images.PNG_SIGNATURE + images.png_ihdr(0, 5, bit_depth=8, colour_type=2), "PNG"),
    "jpeg cut before the frame header": (images.encode(".jpg", images.pattern(8, 8))[:30], "JPEG"),
    "jpeg with a bad segment length": (b"\xff\xd8\xff\xdb\x00\x01" + bytes(40), "JPEG"),
    "gif cut in the screen descriptor": (b"GIF89a\x05\x00", "GIF"),
    "bmp cut in the DIB header": (b"BM" + bytes(14), "BMP"),
    "tiff without a height tag": (tiff_header("<", [(256, 3, 64)]), "TIFF"),
    "tiff without any tag": (tiff_header(">", []), "TIFF"),
    "tiff with an IFD past the end": (b"II*\x00" + struct.pack("<I", 10**9) + bytes(24), "TIFF"),
}


@pytest.mark.parametrize("data, name", DAMAGED_HEADERS.values(), ids=DAMAGED_HEADERS.keys())
def test_damaged_header_is_a_decode_error_naming_the_format(data, name):
    with pytest.raises(ImageDecodeError, match=name):
        info_of(data)


def test_header_of_a_huge_png_is_read_without_its_pixels():
    data = images.png_claiming(30000, 30000)
    assert len(data) < 150_000
    assert info_of(data) == ImageInfo("png", 30000, 30000)


def test_reading_the_header_does_not_read_the_whole_stream(tmp_path):
    path = images.write(tmp_path / "big.bmp", images.pattern(400, 300))
    with open(path, "rb") as stream:
        read_image_info(stream)
        assert stream.tell() < 1024 < path.stat().st_size
