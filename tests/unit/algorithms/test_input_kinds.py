"""Input kinds through ``paint_image``: an Exif-rotated JPEG comes out upright, transparency ends
white, bad input raises its error and leaves nothing. Every input kind rendered in both
styles is the system test tests/system/test_input_kinds.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

from algorithms import ImageDecodeError, ImageTooLargeError, PaintError, paint_image
from tests.helpers import images
from tests.helpers.input_kinds import (
    FAST,
    INPUT_KINDS,
    RED_CORNER,
    bytes_file,
    png_file,
    truncated,
)
from tests.helpers.videos import decode_frames


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder and an empty output folder."""
    source, output = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    output.mkdir()
    return source, output


def test_exif_rotated_jpeg_renders_upright(folders):
    source, output = folders
    video = output / "video.mp4"
    result = paint_image(INPUT_KINDS["exif-rotated jpeg"](source), video, **FAST)
    assert (result.width, result.height) == (86, 128)  # stored 300x200, shown 200x300
    last = decode_frames(video)[-1]
    red = np.all(np.abs(last.astype(int) - RED_CORNER) < 60, axis=2)
    assert red[:20, -20:].mean() > 0.8  # the stored top-left corner, turned to the top-right
    assert red[-20:, :20].mean() < 0.1 and red[:20, :20].mean() < 0.1


def test_rgba_hole_and_white_picture_end_white(folders):
    source, output = folders
    for name in ("rgba", "all white"):
        video = output / f"{name}.mp4"
        paint_image(INPUT_KINDS[name](source), video, **FAST)
        last = decode_frames(video)[-1].astype(int)
        height, width = last.shape[:2]
        centre = last[height * 3 // 8 : height * 5 // 8, width * 3 // 8 : width * 5 // 8]
        assert (centre >= 245).all(), name


BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], type[PaintError]]] = {
    "garbage named .png": (
        bytes_file(
            "input.png", lambda: np.random.default_rng(3).integers(0, 256, 5000, dtype=np.uint8).tobytes()
        ),
        ImageDecodeError,
    ),
    "zero bytes": (bytes_file("input.jpg", lambda: b""), ImageDecodeError),
    "html named .jpg": (bytes_file("input.jpg", lambda: b"<!DOCTYPE html><html></html>"), ImageDecodeError),
    "truncated png": (bytes_file("input.png", truncated(".png")), ImageDecodeError),
    "float64 tiff": (
        lambda folder: images.tiff_float64(folder / "input.tif", np.ones((30, 40))),
        ImageDecodeError,
    ),
    "20000x10": (png_file(np.zeros((10, 20000, 3), np.uint8)), ImageTooLargeError),
    "png claiming 30000x30000": (
        bytes_file("input.png", lambda: images.png_claiming(30000, 30000)),
        ImageTooLargeError,
    ),
}


@pytest.mark.parametrize("make, error", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_raises_its_error_and_leaves_no_file(make, error, folders):
    source, output = folders
    with pytest.raises(error) as raised:
        paint_image(make(source), output / "video.mp4", **FAST)
    assert isinstance(raised.value, PaintError)
    assert not isinstance(raised.value, cv2.error)
    assert list(output.iterdir()) == []  # neither the video nor a .part- temporary
