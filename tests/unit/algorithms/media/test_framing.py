"""Tests of framing: each aspect's frame size, and the picture fitted and centred inside it."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from algorithms.media.framing import ASPECTS, Placement, fit, frame_size
from tests.helpers.images import pattern


@pytest.mark.parametrize(
    "picture_size, aspect, expected",
    [
        ((720, 480), "1:1", (720, 720)),
        ((720, 480), "4:5", (576, 720)),
        ((720, 480), "9:16", (404, 720)),
        ((720, 480), "16:9", (720, 404)),
        ((480, 720), "16:9", (720, 404)),
        ((480, 720), "9:16", (404, 720)),
        ((256, 170), "1:1", (256, 256)),
        ((720, 480), "original", (720, 480)),
    ],
)
def test_the_frame_has_the_aspect_and_the_pictures_long_side(picture_size, aspect, expected):
    assert frame_size(*picture_size, aspect=aspect) == expected


@pytest.mark.parametrize("aspect", [name for name, shape in ASPECTS.items() if shape is not None])
@pytest.mark.parametrize("width, height", [(720, 480), (480, 720), (1920, 1080), (256, 256), (300, 4)])
def test_frames_have_even_sides_within_a_pixel_of_the_aspect(aspect, width, height):
    frame_w, frame_h = frame_size(width, height, aspect=aspect)
    across, down = ASPECTS[aspect]
    assert frame_w % 2 == 0 and frame_h % 2 == 0
    assert max(frame_w, frame_h) == max(width, height)
    short = frame_h if across >= down else frame_w
    assert abs(short - max(width, height) * min(across, down) / max(across, down)) <= 1


@pytest.mark.parametrize("aspect", list(ASPECTS))
@pytest.mark.parametrize("width, height", [(240, 160), (160, 240), (200, 200), (256, 144)])
def test_the_picture_is_fitted_inside_centred_at_even_offsets(aspect, width, height):
    picture = pattern(width, height, seed=2)
    fitted, placement = fit(picture, aspect=aspect)
    x0, y0, x1, y1 = placement.rect
    assert (placement.width, placement.height) == frame_size(width, height, aspect=aspect)
    assert fitted.shape == (y1 - y0, x1 - x0, 3) and fitted.dtype == np.uint8
    assert 0 <= x0 and x1 <= placement.width and 0 <= y0 and y1 <= placement.height
    assert all(value % 2 == 0 for value in (*placement.rect, placement.width, placement.height))
    assert abs(x0 - (placement.width - x1)) <= 2 and abs(y0 - (placement.height - y1)) <= 2
    assert x0 == 0 or y0 == 0, "the picture touches two sides of the frame"
    assert abs(fitted.shape[0] - fitted.shape[1] * height / width) <= 2, "the picture keeps its shape"


def test_a_picture_that_fits_is_kept_as_it_is():
    picture = pattern(240, 160, seed=1)
    fitted, placement = fit(picture, aspect="1:1")
    assert fitted is picture
    assert placement == Placement(240, 240, (0, 40, 240, 200))
    assert fit(picture, aspect="original") == (picture, Placement.whole(240, 160))
    assert not Placement.whole(240, 160).has_margin and placement.has_margin


def test_a_picture_too_wide_is_shrunk_by_area_averaging_without_touching_the_input():
    picture = pattern(240, 160, seed=4)
    before = picture.copy()
    fitted, placement = fit(picture, aspect="9:16")
    assert (placement.width, placement.height) == (136, 240)
    assert fitted.shape == (90, 136, 3)
    assert np.array_equal(fitted, cv2.resize(picture, (136, 90), interpolation=cv2.INTER_AREA))
    assert np.array_equal(picture, before)


def test_rectangles_move_to_the_frame_and_are_clipped_to_it():
    placement = Placement(100, 200, (0, 60, 100, 140))
    assert placement.to_frame((10, 5, 30, 25)) == (10, 65, 30, 85)
    assert placement.to_frame((-20, -70, 50, 10)) == (0, 0, 50, 70)
    assert placement.to_frame((90, 150, 130, 190)) == (90, 200, 100, 200)
    frame = np.zeros((200, 100, 3), np.uint8)
    placement.window(frame)[:] = 7
    assert frame[60:140].min() == 7 and frame[:60].max() == 0 and frame[140:].max() == 0


def test_an_unknown_aspect_is_refused():
    with pytest.raises(ValueError, match="aspect"):
        fit(pattern(64, 64), aspect="3:2")
