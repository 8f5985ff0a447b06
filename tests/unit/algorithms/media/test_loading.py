"""Tests of algorithms/loading.py: output size, header limits, decoding into 8-bit BGR."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from algorithms.errors import ImageDecodeError, ImageTooLargeError
from algorithms.media.header import ImageInfo
from algorithms.media.loading import load_image, output_size, probe_image
from tests.helpers import images
from tests.helpers.paths import DATA
from tests.helpers.videos import psnr

LIMIT = 40_000_000
WHITE = (255, 255, 255)


def load(path: Path, max_size: int = 720, max_pixels: int = LIMIT) -> np.ndarray:
    picture = load_image(path, max_size=max_size, max_pixels=max_pixels)
    assert picture.dtype == np.uint8 and picture.ndim == 3 and picture.shape[2] == 3
    assert picture.flags.c_contiguous
    return picture


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# ---- output size ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "source, max_size, expected",
    [
        ((1, 1), 720, (256, 256)),
        ((20, 20), 720, (256, 256)),
        ((20, 20), 128, (128, 128)),
        ((300, 200), 720, (300, 200)),
        ((200, 300), 720, (200, 300)),
        ((4000, 3000), 720, (720, 540)),
        ((3000, 4000), 720, (540, 720)),
        ((4000, 200), 720, (720, 36)),
        ((4000, 200), 128, (128, 6)),
        ((3200, 100), 128, (128, 4)),
        ((1920, 1080), 1920, (1920, 1080)),
        ((301, 201), 720, (300, 200)),
        ((1003, 500), 1003, (1002, 500)),  # an odd max_size: the long side stays within it
        ((4000, 1), 720, (720, 2)),
    ],
)
def test_output_size_examples(source, max_size, expected):
    assert output_size(*source, max_size=max_size) == expected


def test_output_size_rules_hold_over_many_shapes():
    rng = np.random.default_rng(11)
    for _ in range(3000):
        width, height = (int(side) for side in rng.integers(1, 8000, size=2))
        max_size = int(rng.integers(128, 1921))
        out_width, out_height = output_size(width, height, max_size=max_size)
        long_side, out_long = max(width, height), max(out_width, out_height)
        target = min(max_size, max(256, long_side))
        assert out_width % 2 == 0 and out_height % 2 == 0 and min(out_width, out_height) >= 2
        assert target - 1 <= out_long <= target <= max_size or out_long == target
        assert (out_width >= out_height) if width >= height else (out_width <= out_height)
        expected_short = min(width, height) * out_long / long_side
        assert abs(min(out_width, out_height) - expected_short) <= 1.0 or min(out_width, out_height) == 2


# ---- header limits -------------------------------------------------------------------------


def test_probe_gives_the_header_info(tmp_path):
    path = images.write(tmp_path / "p.png", images.pattern(40, 30))
    assert probe_image(path, max_pixels=LIMIT) == ImageInfo("png", 40, 30)


def test_max_pixels_is_honoured_at_the_limit(tmp_path):
    path = images.write(tmp_path / "p.png", images.pattern(100, 50))
    assert load(path, max_pixels=5000).shape == (128, 256, 3)
    with pytest.raises(ImageTooLargeError, match=r"100x50.*limit"):
        load(path, max_pixels=4999)
    with pytest.raises(ImageTooLargeError):
        probe_image(path, max_pixels=4999)


@pytest.mark.parametrize("width, height", [(20000, 10), (10, 20000), (3300, 100)])
def test_aspect_beyond_32_to_1_is_too_large(width, height, tmp_path):
    path = images.write(tmp_path / "strip.png", np.zeros((height, width, 3), np.uint8))
    with pytest.raises(ImageTooLargeError, match="32 times"):
        load(path)


def test_aspect_of_exactly_32_to_1_loads(tmp_path):
    path = images.write(tmp_path / "strip.png", images.pattern(3200, 100))
    assert load(path, max_size=128).shape == (4, 128, 3)


def _memory_kb() -> dict[str, int]:
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    return fields


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
def test_png_claiming_30000x30000_is_refused_before_any_decode(tmp_path, monkeypatch):
    path = write_bytes(tmp_path / "bomb.png", images.png_claiming(30000, 30000))
    assert 90_000 < path.stat().st_size < 150_000
    decodes = []
    monkeypatch.setattr(cv2, "imread", lambda *args: decodes.append(args))
    try:  # reset the peak (VmHWM) to the current RSS so an earlier peak cannot hide one
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    before = _memory_kb()
    with pytest.raises(ImageTooLargeError, match="30000x30000"):
        load(path)
    after = _memory_kb()
    assert decodes == []
    assert after["VmHWM"] - before["VmRSS"] < 100 * 1024
    assert after["VmRSS"] - before["VmRSS"] < 100 * 1024


@pytest.mark.parametrize("make", [lambda tmp: tmp / "missing.png", lambda tmp: tmp])
def test_unreadable_path_is_a_decode_error(make, tmp_path):
    with pytest.raises(ImageDecodeError, match="could not be read"):
        load(make(tmp_path))


# ---- every format, lossless and lossy -------------------------------------------------------


@pytest.mark.parametrize(
    "extension, lossless", [(".png", True), (".bmp", True), (".tif", True), (".jpg", False), (".gif", False)]
)
def test_every_format_loads_its_picture(extension, lossless, tmp_path):
    source = images.smooth_picture(300, 200, seed=2)
    path = images.write(tmp_path / f"p{extension}", source)
    picture = load(path)
    assert picture.shape == source.shape
    if lossless:
        np.testing.assert_array_equal(picture, source)
    else:  # what the decoder gives, untouched, and recognisably the source
        np.testing.assert_array_equal(picture, cv2.imread(str(path), cv2.IMREAD_COLOR))
        assert psnr(picture, source) > 20


# ---- conversions to 8-bit BGR ----------------------------------------------------------------


def test_grayscale_becomes_three_equal_channels(tmp_path):
    gray = np.tile(np.arange(256, dtype=np.uint8), (128, 1))
    picture = load(images.write(tmp_path / "gray.png", gray))
    for channel in range(3):
        np.testing.assert_array_equal(picture[:, :, channel], gray)


def test_grayscale_jpeg_becomes_three_equal_channels(tmp_path):
    gray = np.tile(np.arange(256, dtype=np.uint8), (128, 1))
    picture = load(images.write(tmp_path / "gray.jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, 95]))
    assert np.array_equal(picture[:, :, 0], picture[:, :, 1])
    assert np.array_equal(picture[:, :, 1], picture[:, :, 2])
    assert np.abs(picture[:, :, 0].astype(int) - gray).max() <= 6


PALETTE_RGB = np.array([[255, 0, 0], [0, 255, 0], [0, 0, 255], [200, 100, 50]], np.uint8)


def _palette_indices() -> np.ndarray:
    return (np.arange(256)[None, :] // 64).repeat(128, axis=0).astype(np.uint8)


def test_palette_png_becomes_its_colours_in_bgr(tmp_path):
    data = images.png_bytes(_palette_indices(), "palette", palette=PALETTE_RGB)
    picture = load(write_bytes(tmp_path / "palette.png", data))
    assert picture.shape == (128, 256, 3)
    for index, rgb in enumerate(PALETTE_RGB):
        block = picture[:, index * 64 : (index + 1) * 64]
        assert (block == rgb[::-1]).all(), f"palette entry {index}"


def test_palette_png_transparency_is_composited_on_white(tmp_path):
    alpha = bytes([255, 0, 128, 255])  # entry 1 transparent, entry 2 half
    data = images.png_bytes(_palette_indices(), "palette", palette=PALETTE_RGB, transparency=alpha)
    picture = load(write_bytes(tmp_path / "palette_trns.png", data))
    assert (picture[:, 0:64] == (0, 0, 255)).all()
    assert (picture[:, 64:128] == WHITE).all()
    np.testing.assert_allclose(picture[:, 128:192], np.broadcast_to((255, 127, 127), (128, 64, 3)), atol=1)


def test_16_bit_png_is_scaled_to_8_bits(tmp_path):
    levels = np.arange(256, dtype=np.uint16) * 257  # v * 257 must come back as v
    samples = np.stack([levels, levels[::-1], np.full(256, 65535, np.uint16)], axis=1)
    rgb16 = np.repeat(samples[None, :, :], 128, axis=0)
    picture = load(write_bytes(tmp_path / "rgb16.png", images.png_bytes(rgb16, "rgb")))
    np.testing.assert_array_equal(picture[0, :, 2], np.arange(256))  # R
    np.testing.assert_array_equal(picture[0, :, 1], np.arange(256)[::-1])  # G
    assert (picture[:, :, 0] == 255).all()  # B: 65535 -> 255


def test_16_bit_values_between_levels_stay_within_one_level(tmp_path):
    ramp = np.linspace(0, 65535, 256 * 128).astype(np.uint16).reshape(128, 256)
    picture = load(write_bytes(tmp_path / "gray16.png", images.png_bytes(ramp, "gray")))
    assert np.abs(picture[:, :, 0].astype(float) - ramp / 257.0).max() <= 1.0
    assert picture[0, 0, 0] == 0 and picture[-1, -1, 0] == 255


def test_rgba_is_composited_on_white(tmp_path):
    rgba = np.zeros((128, 256, 4), np.uint8)
    rgba[..., :3] = (30, 60, 90)  # RGB
    rgba[:, :64, 3], rgba[:, 64:128, 3], rgba[:, 128:, 3] = 0, 255, 128
    picture = load(write_bytes(tmp_path / "rgba.png", images.png_bytes(rgba, "rgba")))
    assert (picture[:, :64] == WHITE).all()
    assert (picture[:, 64:128] == (90, 60, 30)).all()
    expected = [round(c * 128 / 255 + 255 * 127 / 255) for c in (90, 60, 30)]
    assert np.abs(picture[:, 128:].astype(int) - expected).max() <= 1


def test_bgra_tiff_is_composited_on_white(tmp_path):
    bgra = np.zeros((128, 256, 4), np.uint8)
    bgra[..., :3] = (10, 20, 30)
    bgra[:, 128:, 3] = 255
    picture = load(images.write(tmp_path / "bgra.tif", bgra))
    assert (picture[:, :128] == WHITE).all()
    assert (picture[:, 128:] == (10, 20, 30)).all()


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16])
def test_gray_with_alpha_is_composited_on_white(dtype, tmp_path):
    top = 255 if dtype == np.uint8 else 65535
    gray_alpha = np.zeros((128, 256, 2), dtype)
    gray_alpha[..., 0] = 50 * (top // 255)
    gray_alpha[:64, :, 1] = top
    picture = load(write_bytes(tmp_path / "ga.png", images.png_bytes(gray_alpha, "gray_alpha")))
    assert (picture[:64] == 50).all()
    assert (picture[64:] == WHITE).all()


def test_cmyk_jpeg_becomes_its_rgb_colours():
    source = DATA / "cmyk.jpg"
    assert source.read_bytes()[:2] == b"\xff\xd8"
    picture = load(source)  # 64x48, enlarged to 256x192
    assert picture.shape == (192, 256, 3)
    quadrants = {(48, 64): (0, 0, 255), (48, 192): (0, 255, 0), (144, 64): (255, 0, 0), (144, 192): WHITE}
    for (row, column), bgr in quadrants.items():
        assert np.abs(picture[row, column].astype(int) - bgr).max() <= 8, (row, column)


def test_cmyk_fixture_really_is_four_component():
    data = (DATA / "cmyk.jpg").read_bytes()
    sof = data.index(b"\xff\xc0")
    assert data[sof + 9] == 4  # number of components in the frame header
    assert b"Adobe" in data[:sof]


# ---- EXIF orientation --------------------------------------------------------------------------

# Where the stored picture's top-left corner is displayed, for each EXIF orientation.
CORNER_AFTER = {
    1: "top-left",
    2: "top-right",
    3: "bottom-right",
    4: "bottom-left",
    5: "top-left",
    6: "top-right",
    7: "bottom-right",
    8: "bottom-left",
}


def _corner_of(picture: np.ndarray, bgr: tuple[int, int, int]) -> str:
    mask = np.all(np.abs(picture.astype(int) - bgr) < 60, axis=2)
    rows, columns = np.nonzero(mask)
    assert rows.size > 100
    height, width = mask.shape
    vertical = "top" if rows.mean() < height / 2 else "bottom"
    horizontal = "left" if columns.mean() < width / 2 else "right"
    return f"{vertical}-{horizontal}"


@pytest.mark.parametrize("orientation", range(1, 9))
def test_exif_orientation_is_applied(orientation, tmp_path):
    stored = np.full((200, 300, 3), 200, np.uint8)  # wider than tall
    stored[:40, :40] = (0, 0, 255)  # red top-left corner
    jpeg = images.with_exif_orientation(images.encode(".jpg", stored), orientation)
    picture = load(write_bytes(tmp_path / "exif.jpg", jpeg))
    expected_shape = (300, 200, 3) if orientation >= 5 else (200, 300, 3)
    assert picture.shape == expected_shape
    assert _corner_of(picture, (0, 0, 255)) == CORNER_AFTER[orientation]


def test_exif_rotated_big_jpeg_is_reduced_and_turned(tmp_path):
    source = images.smooth_picture(4000, 3000, seed=5)
    jpeg = images.with_exif_orientation(images.encode(".jpg", source), 6)
    picture = load(write_bytes(tmp_path / "phone.jpg", jpeg))
    assert picture.shape == (720, 540, 3)
    expected = cv2.resize(
        cv2.rotate(source, cv2.ROTATE_90_CLOCKWISE), (540, 720), interpolation=cv2.INTER_AREA
    )
    assert psnr(picture, expected) > 30


# ---- reduced JPEG decoding ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "size, max_size, flag",
    [
        ((4000, 3000), 720, cv2.IMREAD_REDUCED_COLOR_4),
        ((3000, 4000), 720, cv2.IMREAD_REDUCED_COLOR_4),
        ((2000, 1500), 720, cv2.IMREAD_REDUCED_COLOR_2),
        ((4000, 3000), 256, cv2.IMREAD_REDUCED_COLOR_8),
        ((1000, 750), 720, cv2.IMREAD_COLOR),
    ],
)
def test_big_jpeg_is_decoded_reduced_and_matches_a_full_decode(size, max_size, flag, tmp_path, monkeypatch):
    width, height = size
    path = images.write(
        tmp_path / "big.jpg", images.smooth_picture(width, height, seed=3), [cv2.IMWRITE_JPEG_QUALITY, 92]
    )
    full = cv2.imread(str(path), cv2.IMREAD_COLOR)
    flags_used = []
    real_imread = cv2.imread
    monkeypatch.setattr(
        cv2,
        "imread",
        lambda name, flags=cv2.IMREAD_COLOR: (flags_used.append(flags), real_imread(name, flags))[1],
    )
    picture = load(path, max_size=max_size)
    out_width, out_height = output_size(width, height, max_size=max_size)
    assert picture.shape == (out_height, out_width, 3)
    assert flags_used == [flag]
    expected = cv2.resize(full, (out_width, out_height), interpolation=cv2.INTER_AREA)
    assert psnr(picture, expected) > 30


# ---- first frame or page only -----------------------------------------------------------------


def _first_frame() -> np.ndarray:
    frame = np.zeros((48, 64, 3), np.uint8)
    frame[:, :32] = WHITE
    frame[:, 32:] = (0, 0, 255)
    return frame


def _assert_is_first_frame(picture: np.ndarray) -> None:
    height, width = picture.shape[:2]
    assert np.abs(picture[height // 2, width // 4].astype(int) - WHITE).max() <= 10
    assert np.abs(picture[height // 2, 3 * width // 4].astype(int) - (0, 0, 255)).max() <= 10


def test_animated_gif_gives_its_first_frame(tmp_path):
    frames = [
        _first_frame(),
        np.full((48, 64, 3), (0, 255, 0), np.uint8),
        np.full((48, 64, 3), (255, 0, 0), np.uint8),
    ]
    path = images.animated_gif(tmp_path / "anim.gif", frames)
    assert cv2.imreadmulti(str(path))[0] and len(cv2.imreadmulti(str(path))[1]) == 3
    picture = load(path)
    assert picture.shape == (192, 256, 3)
    _assert_is_first_frame(picture)


def test_gif_of_1500_frames_gives_its_first_frame(tmp_path):
    rng = np.random.default_rng(4)
    frames = [_first_frame()] + [rng.integers(0, 256, (48, 64, 3), dtype=np.uint8) for _ in range(1499)]
    path = images.animated_gif(tmp_path / "long.gif", frames)
    _assert_is_first_frame(load(path, max_size=128))


def test_multi_page_tiff_gives_its_first_page(tmp_path):
    pages = [np.full((128, 256, 3), colour, np.uint8) for colour in [(0, 0, 255), (0, 255, 0), (255, 0, 0)]]
    path = tmp_path / "pages.tif"
    assert cv2.imwritemulti(str(path), pages)
    assert len(cv2.imreadmulti(str(path))[1]) == 3
    assert (load(path) == (0, 0, 255)).all()


# ---- unsupported and broken files -------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_float_tiff_is_a_decode_error_naming_the_sample_type(dtype, tmp_path):
    path = images.write(tmp_path / "float.tif", np.full((20, 30), 0.5, dtype))
    with pytest.raises(ImageDecodeError, match=np.dtype(dtype).name):
        load(path)


def test_float64_tiff_helper_writes_64_bit_samples(tmp_path):
    path = images.tiff_float64(tmp_path / "f64.tif", np.zeros((4, 4)))
    assert cv2.imread(str(path), cv2.IMREAD_UNCHANGED).dtype == np.float64


def test_truncated_jpeg_gives_what_decodes(tmp_path):
    source = images.smooth_picture(300, 200, seed=8)
    data = images.encode(".jpg", source, [cv2.IMWRITE_JPEG_QUALITY, 95])
    complete = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    picture = load(write_bytes(tmp_path / "cut.jpg", data[: len(data) // 2]))
    assert picture.shape == (200, 300, 3)
    np.testing.assert_array_equal(picture[:40], complete[:40])  # the rows that arrived are there
    assert psnr(picture[-40:], complete[-40:]) < 20  # and the rest is not


def test_truncated_png_is_a_decode_error(tmp_path):
    data = images.encode(".png", images.pattern(300, 200))
    with pytest.raises(ImageDecodeError, match="PNG"):
        load(write_bytes(tmp_path / "cut.png", data[: len(data) // 2]))


@pytest.mark.parametrize("extension", [".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"])
def test_garbage_with_an_image_extension_is_a_decode_error(extension, tmp_path):
    garbage = np.random.default_rng(1).integers(0, 256, 5000, dtype=np.uint8).tobytes()
    with pytest.raises(ImageDecodeError):
        load(write_bytes(tmp_path / f"garbage{extension}", garbage))


@pytest.mark.parametrize("extension", [".png", ".gif"])
def test_valid_header_over_a_garbage_body_is_a_decode_error(extension, tmp_path):
    header = images.encode(extension, images.pattern(60, 40))[:40]
    garbage = np.random.default_rng(2).integers(0, 256, 3000, dtype=np.uint8).tobytes()
    with pytest.raises(ImageDecodeError, match=extension[1:].upper()):
        load(write_bytes(tmp_path / f"broken{extension}", header + garbage))


# ---- small, flat and extreme pictures --------------------------------------------------------------


@pytest.mark.parametrize(
    "size, max_size, shape",
    [((1, 1), 720, (256, 256, 3)), ((20, 20), 720, (256, 256, 3)), ((20, 20), 128, (128, 128, 3))],
)
def test_small_pictures_are_enlarged(size, max_size, shape, tmp_path):
    path = images.write(tmp_path / "small.png", np.full((size[1], size[0], 3), (10, 120, 230), np.uint8))
    picture = load(path, max_size=max_size)
    assert picture.shape == shape
    assert (picture == (10, 120, 230)).all()


@pytest.mark.parametrize("max_size, shape", [(720, (36, 720, 3)), (128, (6, 128, 3))])
def test_long_strip_is_shrunk_keeping_its_aspect(max_size, shape, tmp_path):
    source = images.smooth_picture(4000, 200, seed=6)
    picture = load(images.write(tmp_path / "strip.png", source), max_size=max_size)
    assert picture.shape == shape
    expected = cv2.resize(source, shape[1::-1], interpolation=cv2.INTER_AREA)
    assert psnr(picture, expected) > 40
