"""Every input kind the core accepts (tests.helpers.input_kinds), end to end through
``paint_image`` in both styles: a valid MP4 of the picture's size that ends on the picture as
faithfully as the encoder alone shows it (painterly: with either finish). A matrix of 45
renders, so it runs with the system tests; the unit tests keep the special cases
(tests/unit/algorithms/test_input_kinds.py, .../styles/painterly/test_end_to_end.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from algorithms import paint_image
from algorithms.media.loading import load_image
from tests.helpers.input_kinds import FAST, FRAMES, INPUT_KINDS, encode_floor_psnr
from tests.helpers.videos import decode_frames, psnr, stream_facts

PAINTERLY = {"style": "painterly", "duration": 2.0, "fps": 12, "max_size": 256}


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
    assert stream_facts(video) == {
        "codec": "h264",
        "pix_fmt": "yuv420p",
        "fps": 12.0,
        "width": width,
        "height": height,
        "frames": FRAMES,
    }
    assert (result.width, result.height, result.frames) == (width, height, FRAMES)
    assert sorted(path.name for path in output.iterdir()) == ["video.mp4"]
    # It ends on the picture, as faithfully as the encoder shows that picture on its own.
    assert psnr(decode_frames(video)[-1], expected) >= encode_floor_psnr(expected, output.parent) - 1.0


@pytest.mark.parametrize("make", INPUT_KINDS.values(), ids=INPUT_KINDS.keys())
def test_every_input_kind_renders_in_the_painterly_style(make, tmp_path):
    source_folder, output_folder = tmp_path / "in", tmp_path / "out"
    source_folder.mkdir()
    output_folder.mkdir()
    source = make(source_folder)
    picture = load_image(source, max_size=PAINTERLY["max_size"], max_pixels=10**8)
    scores = {}
    for finish in ("painting", "photo"):
        output = output_folder / f"{finish}.mp4"
        result = paint_image(source, output, finish=finish, seed=1, **PAINTERLY)
        assert stream_facts(output) == {
            "codec": "h264",
            "pix_fmt": "yuv420p",
            "fps": 12.0,
            "width": picture.shape[1],
            "height": picture.shape[0],
            "frames": 24,
        }
        assert (result.width, result.height, result.style) == (
            picture.shape[1],
            picture.shape[0],
            "painterly",
        )
        scores[finish] = psnr(decode_frames(output)[-1], picture)
    assert sorted(path.name for path in output_folder.iterdir()) == ["painting.mp4", "photo.mp4"]
    # A painting of the picture, then the picture itself as faithfully as the encoder shows it.
    assert scores["painting"] >= 20.0, scores
    assert scores["photo"] >= encode_floor_psnr(picture, tmp_path) - 1.0
