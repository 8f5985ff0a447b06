"""Tests of the colour phase: the wash and the detail fade in behind the brush, to the exact picture."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.drawing.tools import ToolHand
from algorithms.styles.sketch_color.colouring import TILE, Colouring, _tiles


def picture() -> np.ndarray:
    rng = np.random.default_rng(3)
    image = np.zeros((96, 128, 3), np.uint8)
    image[:, :64] = (40, 90, 200)
    image[:, 64:] = (200, 150, 60)
    return np.clip(image + rng.normal(0, 10, image.shape), 0, 255).astype(np.uint8)


def test_the_colour_phase_ends_on_the_picture_with_no_paper_left() -> None:
    image = picture()
    sketch = np.full_like(image, 240)
    colouring = Colouring.plan(image, sketch, frames=40, fps=12, seed=1, start=np.zeros(2, np.float32))
    canvas = sketch.copy()
    hands = ToolHand(canvas, "none", 10.0)
    frames = [update.image.copy() for update in colouring.frames(canvas, hands)]
    assert len(frames) == 40
    assert np.abs(frames[-1].astype(int) - image).max() <= 1
    middle = frames[len(frames) // 2]
    painted = np.abs(middle.astype(int) - sketch).max(axis=2) > 20
    assert 0.05 < painted.mean() < 0.98, "half-way the picture is partly painted"


def test_with_an_exact_end_the_colour_still_changes_in_its_last_frame() -> None:
    image = picture()
    sketch = np.full_like(image, 240)
    for exact in (False, True):
        colouring = Colouring.plan(
            image, sketch, frames=40, fps=12, seed=1, start=np.zeros(2, np.float32), exact_end=exact
        )
        canvas = sketch.copy()
        frames = [update.image.copy() for update in colouring.frames(canvas, ToolHand(canvas, "none", 10.0))]
        assert np.array_equal(frames[-2], frames[-1]) != exact, "by default it settles a little early"


def test_each_frame_names_the_area_that_changed() -> None:
    image = picture()
    sketch = np.full_like(image, 240)
    colouring = Colouring.plan(image, sketch, frames=30, fps=12, seed=2, start=np.zeros(2, np.float32))
    canvas = sketch.copy()
    previous = canvas.copy()
    for update in colouring.frames(canvas, ToolHand(canvas, "none", 10.0)):
        x0, y0, x1, y1 = update.changed
        outside = np.ones(canvas.shape[:2], bool)
        outside[y0:y1, x0:x1] = False
        assert np.array_equal(update.image[outside], previous[outside])
        previous = update.image.copy()


@pytest.mark.parametrize("seed", range(4))
def test_the_tiles_of_scattered_changes_hold_each_one_and_no_empty_edge_tile(seed: int) -> None:
    rng = np.random.default_rng(seed)
    height, width = 97, 131  # not whole tiles
    pixels = np.unique(rng.integers(0, height * width, size=int(rng.integers(1, 300))))
    rects = _tiles(pixels, height, width)
    rows, cols = np.divmod(pixels, width)
    inside = np.zeros(len(pixels), bool)
    for x0, y0, x1, y1 in rects:
        assert x0 % TILE == 0 and y0 % TILE == 0 and x1 <= width and y1 <= height
        here = (rows >= y0) & (rows < y1) & (cols >= x0) & (cols < x1)
        inside |= here
        # tight: the first and the last tile of the band each hold a change
        assert cols[here].min() < x0 + TILE and cols[here].max() >= x1 - TILE
    assert inside.all()
    assert len({rect[1] for rect in rects}) == len(rects)  # one rectangle a band
