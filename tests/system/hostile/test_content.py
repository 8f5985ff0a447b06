"""Hostile and odd file contents and file names: refused with their code, or rendered
(see the package's docstring for the decisions taken)."""

from __future__ import annotations

import uuid
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.helpers import images
from tests.helpers.hostile import (
    assert_error,
    assert_rendered,
    jpeg,
    png,
    upload_file,
)
from tests.helpers.paths import DATA, PROJECT_ROOT
from tests.helpers.videos import decode_frames


def _float64_tiff() -> bytes:
    """A one-channel float64 TIFF (a sample format the core refuses)."""
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
    "png-named-exe": (lambda: png(), "picture.exe", 400, "INVALID_FORMAT"),
    "png-named-php": (lambda: png(), "picture.php", 400, "INVALID_FORMAT"),
    "png-then-nul-exe": (lambda: png(), "picture.png\x00.exe", 400, "INVALID_FORMAT"),
    "truncated-png": (lambda: png(300, 200)[: len(png(300, 200)) // 2], "cut.png", 422, "CORRUPT_IMAGE"),
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
    """A grayscale PNG."""
    return images.png_bytes(images.pattern(96, 64)[:, :, 1], "gray")


def _rgba_png() -> bytes:
    """A half-transparent RGBA PNG."""
    picture = images.pattern(96, 64)
    alpha = np.full((64, 96, 1), 128, np.uint8)
    return images.png_bytes(np.concatenate([picture[:, :, ::-1], alpha], axis=2), "rgba")


def _png16() -> bytes:
    """A 16-bit RGB PNG."""
    return images.png_bytes(images.pattern(96, 64)[:, :, ::-1].astype(np.uint16) * 257, "rgb")


ODD_BUT_FINE = {  # id: (bytes, filename, (width, height) of the video)
    "truncated-jpeg": (lambda: jpeg(300, 200)[: len(jpeg(300, 200)) // 2], "cut.jpg", (128, 86)),
    "one-pixel": (lambda: images.encode(".png", np.full((1, 1, 3), 200, np.uint8)), "dot.png", (128, 128)),
    "cmyk-jpeg": (lambda: (DATA / "cmyk.jpg").read_bytes(), "cmyk.jpg", (128, 96)),
    "png-16-bit": (_png16, "deep.png", (128, 86)),
    "grayscale-png": (_gray_png, "gray.png", (128, 86)),
    "grayscale-jpeg": (lambda: images.encode(".jpg", images.pattern(96, 64)[:, :, 0]), "gray.jpg", (128, 86)),
    "rgba-png": (_rgba_png, "alpha.png", (128, 86)),
    "exif-rotated-jpeg": (lambda: images.with_exif_orientation(jpeg(), 6), "rotated.jpg", (86, 128)),
    "real-png-named-php-png": (lambda: png(seed=3), "shell.php.png", (128, 86)),
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


def _root_listing(root: Path) -> list[str]:
    """The names in the server's root folder, less SQLite's -wal and -shm files, which come with
    the first write to the database (this case may be the first upload the server sees)."""
    return sorted(path.name for path in root.iterdir() if not path.name.endswith(("-wal", "-shm")))


@pytest.mark.parametrize("case", FILENAMES)
def test_file_names_are_never_used_as_paths(server, case):
    before = _root_listing(server.root)
    reply = upload_file(server, png(seed=7), FILENAMES[case])
    body = assert_rendered(server, reply)
    assert MARKER not in reply.body.decode()  # the name is not echoed
    assert _root_listing(server.root) == before
    assert not Path(f"/tmp/{MARKER}.png").exists() and not (PROJECT_ROOT / f"{MARKER}.png").exists()
    assert body["video_filename"].endswith("_output.mp4")
