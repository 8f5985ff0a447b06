"""Replaying a painting frame by frame: its clock and path, painted rectangles, and the photo pass."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from algorithms.drawing.geometry import NOTHING
from algorithms.styles.painterly.finish import plan_photo_pass
from algorithms.styles.painterly.painter import StrokePainter
from algorithms.styles.painterly.painting import Painting, plan_painting
from algorithms.styles.painterly.regions import FEATHER
from algorithms.styles.painterly.texture import paper
from tests.helpers.images import smooth_picture

WIDTH, HEIGHT = 128, 96


@pytest.fixture(scope="module")
def bare() -> np.ndarray:
    return paper(HEIGHT, WIDTH, np.random.default_rng(1))


@pytest.fixture(scope="module")
def painting(bare) -> Painting:
    return plan_painting(smooth_picture(WIDTH, HEIGHT, seed=2), bare, np.random.default_rng(3))


@pytest.fixture(scope="module")
def finished(bare, painting) -> np.ndarray:
    """The painting laid in one go."""
    canvas = bare.copy()
    StrokePainter(canvas, painting).paint_until(np.inf)
    return canvas


def in_frames(bare: np.ndarray, painting: Painting, frames: int) -> tuple[np.ndarray, list[tuple]]:
    """The canvas painted over ``frames`` even clock steps (the last to the end), and each step's
    rectangle with the pixels it changed."""
    canvas = bare.copy()
    painter = StrokePainter(canvas, painting)
    steps = []
    for frame in range(frames):
        before = canvas.copy()
        rect = painter.paint_until((frame + 1) / frames if frame < frames - 1 else np.inf)
        steps.append((rect, np.any(canvas != before, axis=2)))
    return canvas, steps


def test_the_path_runs_from_0_to_1_through_every_stroke_in_order(bare, painting):
    path = StrokePainter(bare.copy(), painting).path
    assert path.time[0] == 0.0 and path.time[-1] == pytest.approx(1.0)
    assert np.all(np.diff(path.time) >= 0)
    inked = path.stroke[path.stroke >= 0]
    assert np.all(np.diff(inked) >= 0)
    assert np.array_equal(np.unique(inked), np.arange(len(painting.sequence)))


def test_each_stroke_is_painted_in_a_span_of_the_clock_after_the_one_before(bare, painting):
    clock = StrokePainter(bare.copy(), painting).clock
    assert clock.begin.shape == clock.end.shape == (len(painting.sequence),)
    assert np.all(clock.begin <= clock.end)
    assert np.all(np.diff(clock.begin) >= 0) and np.all(np.diff(clock.end) >= 0)
    assert np.all(clock.end[:-1] <= clock.begin[1:])
    assert clock.begin[0] == 0.0 and clock.end[-1] == pytest.approx(1.0)


@pytest.mark.parametrize("frames", [40, 7])
def test_painting_in_small_steps_ends_on_the_painting_laid_in_one_go(bare, painting, finished, frames):
    canvas, _ = in_frames(bare, painting, frames)
    difference = cv2.absdiff(canvas, finished)
    assert difference.mean() < 1.0
    assert np.mean(difference.max(axis=2) > 12) < 0.02
    assert np.mean(cv2.absdiff(bare, finished)) > 30.0  # the painting does cover the paper


def test_each_step_reports_a_rectangle_holding_every_pixel_it_changed(bare, painting):
    _, steps = in_frames(bare, painting, 40)
    assert sum(bool(changed.any()) for _, changed in steps) >= 35
    for (x0, y0, x1, y1), changed in steps:
        outside = changed.copy()
        outside[y0:y1, x0:x1] = False
        assert not outside.any()
        assert 0 <= x0 <= x1 <= WIDTH and 0 <= y0 <= y1 <= HEIGHT


def test_a_step_back_or_a_step_in_place_paints_nothing(bare, painting):
    canvas = bare.copy()
    painter = StrokePainter(canvas, painting)
    assert painter.paint_until(0.5) != NOTHING
    before = canvas.copy()
    assert painter.paint_until(0.5) == NOTHING and painter.paint_until(0.3) == NOTHING
    assert np.array_equal(canvas, before)


def test_the_first_area_is_finished_before_any_other_is_touched(bare, painting, finished):
    canvas = bare.copy()
    painter = StrokePainter(canvas, painting)
    last_of_first = np.flatnonzero(painting.sequence[:, 0] == 0)[-1]
    assert np.all(painting.sequence[: last_of_first + 1, 0] == 0)
    painter.paint_until(float(painter.clock.end[last_of_first]))
    kernel = np.ones((FEATHER + 2, FEATHER + 2), np.uint8)
    ranks = painting.regions.ranks
    for rank, expected in ((0, finished), (painting.regions.count - 1, bare)):
        deep = cv2.erode((ranks == rank).astype(np.uint8), kernel, borderType=cv2.BORDER_REPLICATE) > 0
        assert deep.sum() > 50
        assert np.array_equal(canvas[deep], expected[deep]), rank


def test_the_brush_carries_the_colour_of_the_stroke_it_is_on(bare, painting):
    painter = StrokePainter(bare.copy(), painting)
    for stop in (0.1, 0.5, np.inf):
        painter.paint_until(stop)
        colour = painter.brush_colour
        assert isinstance(colour, tuple) and len(colour) == 3
        assert all(type(channel) is int and 0 <= channel <= 255 for channel in colour)
    layer, stroke = painting.sequence[-1, 1:].tolist()
    assert colour == tuple(int(channel) for channel in painting.layers[layer].colours[stroke])


@pytest.mark.parametrize("width, height, seed", [(128, 96, 4), (96, 128, 5), (160, 120, 6)])
def test_the_photo_pass_covers_the_whole_picture(width, height, seed):
    rng = np.random.default_rng(seed)
    picture = np.clip(smooth_picture(width, height, seed=seed), 40, 255)  # nothing as dark as the canvas
    picture = cv2.add(picture, rng.integers(0, 12, picture.shape, dtype=np.uint8))  # and pixel-fine detail
    photo = plan_photo_pass(picture, np.random.default_rng(seed))
    assert len(photo.layers) == 1 and photo.regions is None
    assert np.array_equal(np.sort(photo.sequence[:, 2]), np.arange(len(photo.layers[0])))
    assert np.all(photo.change > 0)
    canvas = np.zeros_like(picture)
    StrokePainter(canvas, photo).paint_until(np.inf)
    close = cv2.absdiff(canvas, picture).max(axis=2) <= 3
    assert close.mean() >= 0.99
