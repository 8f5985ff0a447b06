"""Helpers for tests that look inside rendered MP4s."""

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
