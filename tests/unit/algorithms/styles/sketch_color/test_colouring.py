"""Tests of the colour phase: the wash and the detail fade in behind the brush, to the exact picture."""

from __future__ import annotations

import numpy as np

from algorithms.styles.sketch_color.colouring import Colouring, Fading
from algorithms.styles.sketch_color.tools import ToolHand


def picture() -> np.ndarray:
    rng = np.random.default_rng(3)
    image = np.zeros((96, 128, 3), np.uint8)
    image[:, :64] = (40, 90, 200)
    image[:, 64:] = (200, 150, 60)
    return np.clip(image + rng.normal(0, 10, image.shape), 0, 255).astype(np.uint8)


def test_fading_finds_exactly_the_pixels_whose_opacity_changes() -> None:
    starts = np.array([[0.0, 2.0, 5.0], [9.0, 3.5, 1.0]], np.float32)
    fading = Fading(starts, fade=2)
    for frame in range(1, 12):
        before = fading.alpha(np.arange(6), frame - 1)[:, 0]
        after = fading.alpha(np.arange(6), frame)[:, 0]
        changed = set(np.flatnonzero(after != before).tolist())
        assert changed <= set(fading.changing(frame).tolist())


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
