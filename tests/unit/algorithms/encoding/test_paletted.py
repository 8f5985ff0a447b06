"""Ordered dithering to a GIF's palette: stable where nothing changed, true to the colour on average,
flat colours kept flat, and frames the GIF encoder stores losslessly."""

from __future__ import annotations

import av
import cv2
import numpy as np
import pytest

from algorithms.encoding.codecs import gif
from algorithms.encoding.frames import FrameUpdate
from algorithms.encoding.palette import UNUSED_INDEX, make_palette
from algorithms.encoding.paletted import (
    DITHER_SPREAD,
    PalettedConverter,
    bayer_matrix,
    dither_offsets,
    palette_plane,
)
from algorithms.encoding.writer import VideoWriter
from tests.helpers.images import smooth_picture

PAPER = (240, 245, 248)
GREYS = np.repeat(np.arange(0, 256, 32, dtype=np.uint8)[:, None], 3, axis=1)  # 8 greys, 32 apart


def test_the_bayer_pattern_holds_each_level_once_and_its_offsets_are_centred():
    bayer = bayer_matrix()
    assert sorted(bayer.ravel()) == list(range(64)) and bayer[0, 0] == 0
    raise_by, lower_by = dither_offsets(20, 30)
    offsets = raise_by.astype(int) - lower_by.astype(int)
    assert offsets.shape == (20, 30, 3) and (offsets[:, :, 0] == offsets[:, :, 2]).all()
    assert offsets.max() - offsets.min() == DITHER_SPREAD and abs(offsets[:16, :16].mean()) < 0.5


def test_dithering_keeps_a_gradient_s_colour_where_the_nearest_colour_bands():
    ramp = np.linspace(0, 224, 240)
    picture = (
        np.repeat(np.broadcast_to(ramp[None, :, None], (48, 240, 1)), 3, axis=2).round().astype(np.uint8)
    )
    errors = {}
    for spread in (0, DITHER_SPREAD * 2):  # 32 levels between the greys: a spread of 32 bridges them
        indices = PalettedConverter(GREYS, spread=spread)(picture)
        shown = GREYS[indices][:, :, 0].astype(float)
        block_means = cv2.blur(shown, (8, 8))[4:-4, 4:-4]
        errors[spread] = np.abs(block_means - picture[4:-4, 4:-4, 0]).max()
    assert errors[0] > 12  # bands: the nearest grey alone is up to 16 levels off
    assert errors[DITHER_SPREAD * 2] < 4


def test_only_what_changed_is_converted_and_the_rest_keeps_its_indices():
    rng = np.random.default_rng(2)
    frame = smooth_picture(120, 80, seed=1)
    palette = make_palette(frame, drawn=np.array([PAPER], np.uint8))
    incremental, whole = PalettedConverter(palette), PalettedConverter(palette)
    before = incremental(frame)
    for _ in range(5):
        x0, y0 = int(rng.integers(0, 100)), int(rng.integers(0, 60))
        rect = (x0, y0, x0 + int(rng.integers(1, 20)), y0 + int(rng.integers(1, 20)))
        frame[rect[1] : rect[3], rect[0] : rect[2]] = rng.integers(0, 256, 3, np.uint8)
        after = incremental(FrameUpdate(frame, rect))
        assert np.array_equal(after, whole(frame))  # the same as converting everything
        outside = np.ones(frame.shape[:2], bool)
        outside[rect[1] : rect[3], rect[0] : rect[2]] = False
        assert np.array_equal(after[outside], before[outside])
        before = after


@pytest.mark.parametrize("flat", [True, False])
def test_a_flat_colour_stays_flat_instead_of_a_pattern_of_its_neighbours(flat):
    # Neighbours within the dither's reach, and one in the paper's very table cell.
    palette = np.array([PAPER, (234, 239, 242), (246, 251, 254), (0, 0, 0), (241, 246, 249)], np.uint8)
    picture = np.full((16, 16, 3), PAPER, np.uint8)
    converter = PalettedConverter(palette, flat=palette[:1] if flat else None)
    used = set(np.unique(converter(picture)))
    if flat:
        assert used == {0}
    else:
        assert {1, 2} <= used


def test_a_video_frame_is_pal8_with_the_palette_and_leaves_the_last_index_unused():
    palette = np.array([PAPER, (10, 20, 30), (200, 100, 0)], np.uint8)
    indices, argb = PalettedConverter(palette).video_frame(smooth_picture(64, 48)).to_ndarray(format="pal8")
    assert argb.shape == (256, 4)
    assert [tuple(entry) for entry in argb[:3]] == [
        (255, 248, 245, 240),
        (255, 30, 20, 10),
        (255, 0, 100, 200),
    ]
    assert (argb[:, 0] == 255).all() and set(np.unique(indices)) <= {0, 1, 2}
    assert len(palette_plane(palette)) == 1024 and UNUSED_INDEX == 255


def test_the_gif_holds_exactly_the_dithered_frames(tmp_path):
    """FFmpeg's encoder stores only what changed, the unchanged pixels as transparent: decoded,
    every frame is still exactly the palette's colours of its indices."""
    rng = np.random.default_rng(4)
    frame = smooth_picture(96, 64, seed=2)
    palette = make_palette(frame, drawn=np.array([PAPER], np.uint8))
    converter, expected = PalettedConverter(palette), []
    output = tmp_path / "clip.gif"
    with VideoWriter(output, width=96, height=64, fps=20, encoder=gif(96, 64)) as writer:
        for index in range(12):
            x0, y0 = int(rng.integers(0, 80)), int(rng.integers(0, 50))
            rect = (x0, y0, x0 + 16, y0 + 14)
            if index % 4:
                frame[y0 : y0 + 14, x0 : x0 + 16] = smooth_picture(16, 14, seed=index)
            writer.write_frame(converter.video_frame(FrameUpdate(frame, rect if index else None)))
            expected.append(palette[converter(FrameUpdate(frame, (0, 0, 0, 0)))])
    with av.open(str(output)) as container:
        decoded = [frame.to_ndarray(format="bgr24") for frame in container.decode(video=0)]
    assert len(decoded) == 12
    for got, want in zip(decoded, expected):
        assert np.array_equal(got, want)
