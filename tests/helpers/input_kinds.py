"""The input kinds the core accepts, as files written on demand, and what the encoder alone reaches."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from algorithms.encoding.writer import VideoWriter
from tests.helpers import images
from tests.helpers.paths import DATA
from tests.helpers.videos import decode_frames, psnr

FAST = {"duration": 2.0, "fps": 12, "max_size": 128}
FRAMES = 24
RED_CORNER = (0, 0, 255)


def png_file(picture: np.ndarray) -> Callable[[Path], Path]:
    """A maker of ``input.png`` holding ``picture`` in a given folder."""
    return lambda folder: images.write(folder / "input.png", picture)


def bytes_file(name: str, make_data: Callable[[], bytes]) -> Callable[[Path], Path]:
    """A maker of the file ``name`` holding ``make_data()`` in a given folder."""

    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(make_data())
        return path

    return make


def _exif_rotated() -> bytes:
    """A JPEG stored sideways with Exif orientation 6, its red corner top-left as stored."""
    stored = images.smooth_picture(300, 200, seed=1)
    stored[:50, :50] = RED_CORNER  # top-left as stored; orientation 6 shows it top-right
    return images.with_exif_orientation(images.encode(".jpg", stored), 6)


def _animated_gif(folder: Path) -> Path:
    """A three-frame GIF: a picture, then green, then blue."""
    first = images.smooth_picture(64, 48, seed=2)
    later = [np.full((48, 64, 3), colour, np.uint8) for colour in [(0, 255, 0), (255, 0, 0)]]
    return images.animated_gif(folder / "input.gif", [first, *later])


def _sixteen_bit() -> bytes:
    """A 16-bit RGB PNG."""
    rgb16 = images.smooth_picture(240, 160, seed=3)[:, :, ::-1].astype(np.uint16) * 257
    return images.png_bytes(rgb16, "rgb")


def _rgba() -> bytes:
    """An RGBA PNG with a transparent hole in the middle."""
    rgba = np.dstack(
        [images.smooth_picture(240, 160, seed=4)[:, :, ::-1], np.full((160, 240), 255, np.uint8)]
    )
    rgba[40:120, 60:180, 3] = 0  # a transparent hole: white in the video
    return images.png_bytes(rgba, "rgba")


def truncated(extension: str) -> Callable[[], bytes]:
    """A maker of a picture's bytes in format ``extension``, cut at two thirds."""

    def make() -> bytes:
        data = images.encode(extension, images.smooth_picture(240, 160, seed=5))
        return data[: len(data) * 2 // 3]

    return make


def _palette() -> bytes:
    """A palette PNG of four colours in blocks."""
    indices = (np.arange(200)[None, :] // 50 + np.arange(150)[:, None] // 50).astype(np.uint8) % 4
    palette = np.array([[250, 20, 20], [20, 200, 40], [30, 30, 220], [240, 240, 240]], np.uint8)
    return images.png_bytes(indices, "palette", palette=palette)


def _multi_page_tiff(folder: Path) -> Path:
    """A two-page TIFF: a picture, then a black page."""
    path = folder / "input.tif"
    pages = [images.smooth_picture(120, 80, seed=6), np.zeros((80, 120, 3), np.uint8)]
    assert cv2.imwritemulti(str(path), pages)
    return path


INPUT_KINDS: dict[str, Callable[[Path], Path]] = {
    "all white": png_file(np.full((150, 200, 3), 255, np.uint8)),
    "one colour": png_file(np.full((150, 200, 3), (40, 90, 200), np.uint8)),
    "1x1": png_file(np.full((1, 1, 3), (200, 30, 60), np.uint8)),
    "20x20": png_file(images.pattern(20, 20, seed=7)),
    "4000x200": png_file(images.smooth_picture(4000, 200, seed=8)),
    "grayscale": png_file(cv2.cvtColor(images.smooth_picture(200, 150, seed=9), cv2.COLOR_BGR2GRAY)),
    "palette": bytes_file("input.png", _palette),
    "16-bit": bytes_file("input.png", _sixteen_bit),
    "rgba": bytes_file("input.png", _rgba),
    "exif-rotated jpeg": bytes_file("input.jpg", _exif_rotated),
    "cmyk jpeg": bytes_file("input.jpg", lambda: (DATA / "cmyk.jpg").read_bytes()),
    "truncated jpeg": bytes_file("input.jpg", truncated(".jpg")),
    "animated gif": _animated_gif,
    "bmp": lambda folder: images.write(folder / "input.bmp", images.smooth_picture(200, 150, seed=10)),
    "multi-page tiff": _multi_page_tiff,
}


def encode_floor_psnr(picture: np.ndarray, folder: Path) -> float:
    """PSNR of ``picture`` after encoding it alone, FRAMES times, as the renderer does."""
    path = folder / "floor.mp4"
    with VideoWriter(path, width=picture.shape[1], height=picture.shape[0], fps=FAST["fps"]) as writer:
        for _ in range(FRAMES):
            writer.write(picture)
    return psnr(decode_frames(path)[-1], picture)
