"""Tests of the colour phase: the wash and the detail fade in behind the brush, to the exact picture."""

from __future__ import annotations

import numpy as np

from algorithms.styles.sketch_color.colouring import Colouring
from algorithms.styles.sketch_color.tools import ToolHand


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
