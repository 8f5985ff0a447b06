"""Reading an image's format and dimensions from its header, without decoding it.

This is what lets a 100 KB PNG that claims 30000x30000 pixels be refused before
OpenCV allocates gigabytes for it.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

from ..errors import ImageDecodeError

SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
)
_JPEG_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_JPEG_APP1 = 0xE1
_EXIF_ORIENTATION_TAG = 0x0112
_TRANSPOSING_ORIENTATIONS = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_BMP_HEADER_SIZES = {12, 40, 52, 56, 64, 108, 124}  # the DIB header versions that exist
_GIF_BLOCK_INTRODUCERS = {0x21, 0x2C, 0x3B}  # extension, image descriptor, trailer


@dataclass(frozen=True)
class ImageInfo:
    """An image's container format and its pixel dimensions, from the header.

    ``width`` and ``height`` are those of the picture as displayed: for a JPEG whose
    EXIF orientation turns it a quarter turn, they are the stored ones swapped.
    """

    format: str
    width: int
    height: int


def sniff_format(head: bytes) -> str | None:
    """Return ``"png"``, ``"jpeg"``, ``"gif"``, ``"bmp"``, ``"tiff"`` or None for ``head``."""
    for signature, name in SIGNATURES:
        if head.startswith(signature):
            return name
    return None


def read_image_info(stream: BinaryIO) -> ImageInfo:
    """Read the format and size of the image at the start of ``stream``.

    Raises
    ------
    ImageDecodeError
        If the bytes are not one of the supported formats or the header is cut short.
    """
    head = stream.read(32)
    image_format = sniff_format(head)
    if image_format is None:
        raise ImageDecodeError("the file is not a PNG, JPEG, GIF, BMP or TIFF image")
    try:
        width, height = _READERS[image_format](stream, head)
    except (struct.error, LookupError, ValueError) as exc:
        raise ImageDecodeError(f"the {image_format.upper()} header is damaged") from exc
    if width <= 0 or height <= 0:
        raise ImageDecodeError(f"the {image_format.upper()} header gives no size")
    return ImageInfo(image_format, width, height)


def _png_size(stream: BinaryIO, head: bytes) -> tuple[int, int]:
    if head[12:16] != b"IHDR":
        raise ValueError("no IHDR")
    return struct.unpack(">II", head[16:24])


def _gif_size(stream: BinaryIO, head: bytes) -> tuple[int, int]:
    # The logical screen descriptor ends at byte 13; then the global colour table
    # if flagged, then a block. Text that merely starts "GIF89a" fails here.
    packed = head[10]
    table_size = 3 * 2 ** ((packed & 0x07) + 1) if packed & 0x80 else 0
    stream.seek(13 + table_size)
    introducer = stream.read(1)
    if not introducer or introducer[0] not in _GIF_BLOCK_INTRODUCERS:
        raise ValueError("no block after the logical screen")
    return struct.unpack("<HH", head[6:10])


def _bmp_size(stream: BinaryIO, head: bytes) -> tuple[int, int]:
    header_size = struct.unpack("<I", head[14:18])[0]
    if header_size not in _BMP_HEADER_SIZES:  # text that merely starts "BM" fails here
        raise ValueError("unknown DIB header")
    if header_size == 12:
        return struct.unpack("<HH", head[18:22])
    width, height = struct.unpack("<ii", head[18:26])
    return width, abs(height)


def _jpeg_size(stream: BinaryIO, head: bytes) -> tuple[int, int]:
    stream.seek(2)
    orientation = None
    while True:
        marker = stream.read(2)
        while len(marker) == 2 and marker[0] == 0xFF and marker[1] == 0xFF:
            marker = marker[1:] + stream.read(1)  # fill bytes before a marker
        if len(marker) < 2 or marker[0] != 0xFF:
            raise ValueError("no frame header")
        length = struct.unpack(">H", stream.read(2))[0]
        if marker[1] in _JPEG_SOF:
            height, width = struct.unpack(">xHH", stream.read(5))
            if orientation in _TRANSPOSING_ORIENTATIONS:  # the decoder turns the picture
                return height, width
            return width, height
        if length < 2:
            raise ValueError("bad segment length")
        if marker[1] == _JPEG_APP1 and orientation is None:
            orientation = _exif_orientation(stream.read(length - 2))
        else:
            stream.seek(length - 2, 1)


def _exif_orientation(segment: bytes) -> int | None:
    """The Orientation tag of an APP1 segment's Exif block; None if it has none.

    A damaged Exif block is ignored, as the decoder ignores it.
    """
    if not segment.startswith(b"Exif\x00\x00"):
        return None
    tiff = segment[6:]
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None:
        return None
    try:
        ifd = struct.unpack_from(order + "I", tiff, 4)[0]
        for index in range(struct.unpack_from(order + "H", tiff, ifd)[0]):
            tag, _kind, _count, value = struct.unpack_from(order + "HHIH", tiff, ifd + 2 + 12 * index)
            if tag == _EXIF_ORIENTATION_TAG:
                return value
    except struct.error:
        pass
    return None


def _tiff_size(stream: BinaryIO, head: bytes) -> tuple[int, int]:
    order = "<" if head[:2] == b"II" else ">"
    stream.seek(struct.unpack(order + "I", head[4:8])[0])
    count = struct.unpack(order + "H", stream.read(2))[0]
    tags: dict[int, int] = {}
    for _ in range(min(count, 4096)):
        tag, kind, _n, raw = struct.unpack(order + "HHI4s", stream.read(12))
        if tag in (256, 257):
            fmt = "H2x" if kind == 3 else "I"
            tags[tag] = struct.unpack(order + fmt, raw)[0]
    return tags[256], tags[257]


_READERS = {"png": _png_size, "gif": _gif_size, "bmp": _bmp_size, "jpeg": _jpeg_size, "tiff": _tiff_size}
