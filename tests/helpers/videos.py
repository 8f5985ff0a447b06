"""Helpers for tests that look inside rendered videos: MP4 boxes, GIF blocks, decoded frames."""

from __future__ import annotations

import struct
from pathlib import Path

import av
import numpy as np


def decode_frames(path: Path) -> list[np.ndarray]:
    """Every frame of the video at ``path`` as (H, W, 3) uint8 BGR."""
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="bgr24") for frame in container.decode(video=0)]


def stream_facts(path: Path) -> dict:
    """Codec, pixel format, frame rate, size and frame count of the first video stream."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(video=0))
        return {
            "codec": stream.codec_context.name,
            "pix_fmt": stream.codec_context.pix_fmt,
            "fps": float(stream.average_rate),
            "width": stream.codec_context.width,
            "height": stream.codec_context.height,
            "frames": frames,
        }


def top_level_boxes(path: Path) -> list[str]:
    """Names of the MP4's top-level boxes, in file order."""
    data = path.read_bytes()
    names, offset = [], 0
    while offset + 8 <= len(data):
        size, name = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        names.append(name.decode("latin-1"))
        if size < 8:
            break
        offset += size
    return names


def psnr(first: np.ndarray, second: np.ndarray) -> float:
    """Peak signal-to-noise ratio in dB between two uint8 images of one shape."""
    error = np.mean((first.astype(np.float64) - second.astype(np.float64)) ** 2)
    return float("inf") if error == 0 else float(10 * np.log10(255.0**2 / error))


def gif_facts(path: Path) -> dict:
    """A GIF's screen size, its loop count (the NETSCAPE2.0 block's; None without one, 0 forever)
    and each frame's delay in hundredths of a second, read from its blocks."""
    data = path.read_bytes()
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise ValueError(f"{path} is not a GIF")
    width, height, flags = struct.unpack("<HHB", data[6:11])
    offset = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    loop, delays = None, []
    while data[offset] != 0x3B:  # the trailer
        if data[offset] == 0x21:  # an extension: its label, then sub-blocks
            label, (blocks, offset) = data[offset + 1], _sub_blocks(data, offset + 2)
            if label == 0xF9:
                delays.append(struct.unpack("<H", blocks[0][1:3])[0])
            elif label == 0xFF and blocks[0] == b"NETSCAPE2.0":
                loop = struct.unpack("<H", blocks[1][1:3])[0]
        elif data[offset] == 0x2C:  # an image: its descriptor, a local palette, LZW data
            flags = data[offset + 9]
            offset += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
            _, offset = _sub_blocks(data, offset + 1)
        else:
            raise ValueError(f"unexpected block {data[offset]:#x} at {offset}")
    return {"width": width, "height": height, "loop": loop, "delays": delays}


def _sub_blocks(data: bytes, offset: int) -> tuple[list[bytes], int]:
    """The data sub-blocks starting at ``offset``, and the offset after their terminator."""
    blocks = []
    while data[offset]:
        blocks.append(data[offset + 1 : offset + 1 + data[offset]])
        offset += 1 + data[offset]
    return blocks, offset + 1
