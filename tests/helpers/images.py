"""Generators of small test images for the core's input-handling tests.

OpenCV writes most of what the tests need; what it cannot write (palette and
gray+alpha PNGs, a PNG header claiming a huge size, an EXIF-rotated JPEG, an
animated GIF) is built here byte by byte.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import av
import cv2
import numpy as np

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_COLOUR_TYPES = {"gray": 0, "rgb": 2, "palette": 3, "gray_alpha": 4, "rgba": 6}


def pattern(width: int, height: int, *, seed: int = 0) -> np.ndarray:
    """A seeded BGR picture, shape (height, width, 3) uint8: noise under solid blocks."""
    rng = np.random.default_rng(seed)
    picture = rng.integers(0, 60, size=(height, width, 3), dtype=np.uint8)
    for _ in range(6):
        x, y = int(rng.integers(0, max(1, width - 2))), int(rng.integers(0, max(1, height - 2)))
        colour = tuple(int(c) for c in rng.integers(60, 256, size=3))
        cv2.rectangle(picture, (x, y), (x + width // 3, y + height // 3), colour, thickness=-1)
    return picture


def write(path: Path, picture: np.ndarray, params: list[int] | None = None) -> Path:
    """Write ``picture`` with :func:`cv2.imwrite`; fail loudly if OpenCV refuses."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), picture, params or []):
        raise RuntimeError(f"cv2.imwrite failed for {path}")
    return path


def encode(extension: str, picture: np.ndarray, params: list[int] | None = None) -> bytes:
    """The bytes of ``picture`` encoded by :func:`cv2.imencode` as ``extension`` (".jpg", ...)."""
    ok, buffer = cv2.imencode(extension, picture, params or [])
    if not ok:
        raise RuntimeError(f"cv2.imencode failed for {extension}")
    return buffer.tobytes()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk: length, type, data, CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_ihdr(width: int, height: int, *, bit_depth: int, colour_type: int) -> bytes:
    """The IHDR chunk for a non-interlaced image."""
    return png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0))


def png_bytes(
    samples: np.ndarray, kind: str, *, palette: np.ndarray | None = None, transparency: bytes | None = None
) -> bytes:
    """Encode ``samples`` as a PNG of colour type ``kind`` (see ``PNG_COLOUR_TYPES``).

    ``samples`` has shape (H, W) for gray and palette, (H, W, C) otherwise, in
    RGB(A) order, uint8 or uint16 (bit depth 8 or 16). ``palette`` is (N, 3)
    uint8 RGB; ``transparency`` the raw tRNS chunk data.
    """
    height, width = samples.shape[:2]
    bit_depth = 16 if samples.dtype == np.uint16 else 8
    rows = samples.astype(">u2" if bit_depth == 16 else np.uint8).reshape(height, -1).view(np.uint8)
    raw = b"".join(b"\x00" + row.tobytes() for row in rows)  # filter type 0 on every row
    chunks = [png_ihdr(width, height, bit_depth=bit_depth, colour_type=PNG_COLOUR_TYPES[kind])]
    if palette is not None:
        chunks.append(png_chunk(b"PLTE", np.asarray(palette, np.uint8).tobytes()))
    if transparency is not None:
        chunks.append(png_chunk(b"tRNS", transparency))
    chunks += [png_chunk(b"IDAT", zlib.compress(raw, 9)), png_chunk(b"IEND", b"")]
    return PNG_SIGNATURE + b"".join(chunks)


def png_claiming(width: int, height: int, *, idat_size: int = 100_000) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` RGB pixels: one IDAT of
    zlib-compressed zero rows (about ``idat_size`` bytes of it, far from the whole
    picture) and no IEND. Decoding it would allocate width * height * 3 bytes."""
    row = bytes(1 + 3 * width)
    compressor = zlib.compressobj(9)
    body = []
    produced = 0
    while produced < idat_size:  # zeros compress ~1000:1, so this is a few thousand rows
        piece = compressor.compress(row)
        body.append(piece)
        produced += len(piece)
    body.append(compressor.flush(zlib.Z_SYNC_FLUSH))
    return (
        PNG_SIGNATURE
        + png_ihdr(width, height, bit_depth=8, colour_type=2)
        + png_chunk(b"IDAT", b"".join(body))
    )


def exif_orientation_segment(orientation: int, *, byte_order: str = "<") -> bytes:
    """A JPEG APP1 segment holding an Exif block with one tag, Orientation, in
    ``byte_order`` ("<" little-endian "II", ">" big-endian "MM")."""
    magic = b"II*\x00" if byte_order == "<" else b"MM\x00*"
    entry = struct.pack(byte_order + "HHIH2x", 0x0112, 3, 1, orientation)
    ifd = struct.pack(byte_order + "H", 1) + entry + struct.pack(byte_order + "I", 0)
    payload = b"Exif\x00\x00" + magic + struct.pack(byte_order + "I", 8) + ifd
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def with_exif_orientation(jpeg: bytes, orientation: int, *, byte_order: str = "<") -> bytes:
    """``jpeg`` with an Exif orientation segment inserted right after SOI."""
    if not jpeg.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    return jpeg[:2] + exif_orientation_segment(orientation, byte_order=byte_order) + jpeg[2:]


def animated_gif(path: Path, frames: list[np.ndarray], *, fps: int = 10) -> Path:
    """Write BGR ``frames`` (all one size, even sides) as an animated GIF with PyAV."""
    height, width = frames[0].shape[:2]
    with av.open(str(path), "w", format="gif") as container:
        stream = container.add_stream("gif", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "rgb8"
        for frame in frames:
            video_frame = av.VideoFrame.from_ndarray(frame, format="bgr24")
            container.mux(stream.encode(video_frame))
        container.mux(stream.encode(None))
    return path


def tiff_float64(path: Path, samples: np.ndarray) -> Path:
    """Write a one-channel float64 TIFF (OpenCV writes SampleFormat 3, 64 bits)."""
    return write(path, np.ascontiguousarray(samples, dtype=np.float64))


def smooth_picture(width: int, height: int, *, seed: int = 0) -> np.ndarray:
    """A photo-like seeded BGR picture, shape (height, width, 3) uint8: a colour
    gradient, soft discs and fine texture, drawn at most 800 px wide and enlarged
    (quick to make at 12 MP, and JPEG-friendly, unlike pixel noise)."""
    rng = np.random.default_rng(seed)
    factor = max(1, -(-max(width, height) // 800))
    small_w, small_h = max(1, width // factor), max(1, height // factor)
    x = np.linspace(0.0, 1.0, small_w, dtype=np.float32)[None, :].repeat(small_h, axis=0)
    y = np.linspace(0.0, 1.0, small_h, dtype=np.float32)[:, None].repeat(small_w, axis=1)
    picture = np.stack([60 + 120 * x, 40 + 150 * y, 200 - 120 * x * y], axis=2)
    for _ in range(5):
        centre = (int(rng.integers(0, small_w)), int(rng.integers(0, small_h)))
        colour = tuple(float(c) for c in rng.integers(0, 256, size=3))
        radius = int(min(small_w, small_h) * rng.uniform(0.1, 0.3))
        cv2.circle(picture, centre, radius, colour, -1, cv2.LINE_AA)
    picture += rng.normal(0.0, 4.0, picture.shape).astype(np.float32)
    picture = np.clip(picture, 0, 255).astype(np.uint8)
    return cv2.resize(picture, (width, height), interpolation=cv2.INTER_CUBIC)


def stripes(vertical: bool, size: int = 64) -> np.ndarray:
    """Float BGR stripes, 16 px period: brightness varies across x (vertical) or y."""
    ramp = 128 + 100 * np.sin(np.arange(size, dtype=np.float32) * 2 * np.pi / 16)
    field = np.tile(ramp[None, :] if vertical else ramp[:, None], (size, 1) if vertical else (1, size))
    return np.repeat(field[:, :, None], 3, axis=2).astype(np.float32)


def disc_picture() -> np.ndarray:
    """A 120x90 BGR picture: light grey with a blue disc in the middle."""
    picture = np.full((90, 120, 3), 200, np.uint8)
    cv2.circle(picture, (60, 45), 30, (20, 80, 160), -1)
    return picture
