"""End to end: every input kind the core accepts renders to a valid MP4; bad input leaves nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest

import images
from algorithms import ImageDecodeError, ImageTooLargeError, PaintError, paint_image
from algorithms.loading import load_image
from algorithms.video import VideoWriter
from videos import decode_frames, psnr, stream_facts

FAST = {"duration": 2.0, "fps": 12, "max_size": 128}
FRAMES = 24
RED_CORNER = (0, 0, 255)


def _png(picture: np.ndarray) -> Callable[[Path], Path]:
    return lambda folder: images.write(folder / "input.png", picture)


def _bytes(name: str, make_data: Callable[[], bytes]) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(make_data())
        return path
    return make


def _exif_rotated() -> bytes:
    stored = images.smooth_picture(300, 200, seed=1)
    stored[:50, :50] = RED_CORNER  # top-left as stored; orientation 6 shows it top-right
    return images.with_exif_orientation(images.encode(".jpg", stored), 6)


def _animated_gif(folder: Path) -> Path:
    first = images.smooth_picture(64, 48, seed=2)
    later = [np.full((48, 64, 3), colour, np.uint8) for colour in [(0, 255, 0), (255, 0, 0)]]
    return images.animated_gif(folder / "input.gif", [first, *later])


def _sixteen_bit() -> bytes:
    rgb16 = images.smooth_picture(240, 160, seed=3)[:, :, ::-1].astype(np.uint16) * 257
    return images.png_bytes(rgb16, "rgb")


def _rgba() -> bytes:
    rgba = np.dstack([images.smooth_picture(240, 160, seed=4)[:, :, ::-1], np.full((160, 240), 255, np.uint8)])
    rgba[40:120, 60:180, 3] = 0  # a transparent hole: white in the video
    return images.png_bytes(rgba, "rgba")


def _truncated(extension: str) -> Callable[[], bytes]:
    def make() -> bytes:
        data = images.encode(extension, images.smooth_picture(240, 160, seed=5))
        return data[:len(data) * 2 // 3]
    return make


def _palette() -> bytes:
    indices = (np.arange(200)[None, :] // 50 + np.arange(150)[:, None] // 50).astype(np.uint8) % 4
    palette = np.array([[250, 20, 20], [20, 200, 40], [30, 30, 220], [240, 240, 240]], np.uint8)
    return images.png_bytes(indices, "palette", palette=palette)


def _multi_page_tiff(folder: Path) -> Path:
    path = folder / "input.tif"
    pages = [images.smooth_picture(120, 80, seed=6), np.zeros((80, 120, 3), np.uint8)]
    assert cv2.imwritemulti(str(path), pages)
    return path


INPUT_KINDS: dict[str, Callable[[Path], Path]] = {
    "all white": _png(np.full((150, 200, 3), 255, np.uint8)),
    "one colour": _png(np.full((150, 200, 3), (40, 90, 200), np.uint8)),
    "1x1": _png(np.full((1, 1, 3), (200, 30, 60), np.uint8)),
    "20x20": _png(images.pattern(20, 20, seed=7)),
    "4000x200": _png(images.smooth_picture(4000, 200, seed=8)),
    "grayscale": _png(cv2.cvtColor(images.smooth_picture(200, 150, seed=9), cv2.COLOR_BGR2GRAY)),
    "palette": _bytes("input.png", _palette),
    "16-bit": _bytes("input.png", _sixteen_bit),
    "rgba": _bytes("input.png", _rgba),
    "exif-rotated jpeg": _bytes("input.jpg", _exif_rotated),
    "cmyk jpeg": _bytes("input.jpg", lambda: (images.DATA / "cmyk.jpg").read_bytes()),
    "truncated jpeg": _bytes("input.jpg", _truncated(".jpg")),
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


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """An input folder and an empty output folder."""
    source, output = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    output.mkdir()
    return source, output


@pytest.mark.parametrize("make", INPUT_KINDS.values(), ids=INPUT_KINDS.keys())
def test_every_input_kind_renders_a_valid_mp4(make, folders):
    source, output = folders
    image_path = make(source)
    video = output / "video.mp4"
    result = paint_image(image_path, video, **FAST)
    expected = load_image(image_path, max_size=FAST["max_size"], max_pixels=40_000_000)
    height, width = expected.shape[:2]
    assert stream_facts(video) == {"codec": "h264", "pix_fmt": "yuv420p", "fps": 12.0,
                                   "width": width, "height": height, "frames": FRAMES}
    assert (result.width, result.height, result.frames) == (width, height, FRAMES)
    assert sorted(path.name for path in output.iterdir()) == ["video.mp4"]
    # It ends on the picture, as faithfully as the encoder shows that picture on its own.
    assert psnr(decode_frames(video)[-1], expected) >= encode_floor_psnr(expected, output.parent) - 1.0


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
        centre = last[height * 3 // 8:height * 5 // 8, width * 3 // 8:width * 5 // 8]
        assert (centre >= 245).all(), name


BAD_INPUTS: dict[str, tuple[Callable[[Path], Path], type[PaintError]]] = {
    "garbage named .png": (_bytes("input.png", lambda: np.random.default_rng(3).integers(
        0, 256, 5000, dtype=np.uint8).tobytes()), ImageDecodeError),
    "zero bytes": (_bytes("input.jpg", lambda: b""), ImageDecodeError),
    "html named .jpg": (_bytes("input.jpg", lambda: b"<!DOCTYPE html><html></html>"), ImageDecodeError),
    "truncated png": (_bytes("input.png", _truncated(".png")), ImageDecodeError),
    "float64 tiff": (lambda folder: images.tiff_float64(folder / "input.tif", np.ones((30, 40))),
                     ImageDecodeError),
    "20000x10": (_png(np.zeros((10, 20000, 3), np.uint8)), ImageTooLargeError),
    "png claiming 30000x30000": (_bytes("input.png", lambda: images.png_claiming(30000, 30000)),
                                 ImageTooLargeError),
}


@pytest.mark.parametrize("make, error", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_raises_its_error_and_leaves_no_file(make, error, folders):
    source, output = folders
    with pytest.raises(error) as raised:
        paint_image(make(source), output / "video.mp4", **FAST)
    assert isinstance(raised.value, PaintError)
    assert not isinstance(raised.value, cv2.error)
    assert list(output.iterdir()) == []  # neither the video nor a .part- temporary
