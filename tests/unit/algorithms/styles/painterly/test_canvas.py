"""Laying strokes on the canvas: only inside their bounds, soft edges, bristle texture."""

from __future__ import annotations

import numpy as np

from algorithms.drawing.geometry import fixed_point
from algorithms.styles.painterly.canvas import SHADE_ONE, BrushLook, lay_strokes, shade_image

PAPER = (230, 235, 240)


def canvas_and_scratch(height: int = 60, width: int = 80) -> tuple[np.ndarray, np.ndarray]:
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = PAPER
    return canvas, np.zeros((height, width, 4), np.uint8)


def plain(thickness: int, softness: float) -> BrushLook:
    return BrushLook(thickness=thickness, softness=softness, streaks=None, shade=None, dryness=0.0)


def test_a_stroke_paints_its_colour_inside_its_box_and_nothing_else():
    canvas, scratch = canvas_and_scratch()
    look = plain(8, 5.0)
    line = fixed_point(np.array([[20, 30], [60, 30]], np.float32))
    box = (20 - look.reach, 30 - look.reach, 61 + look.reach, 31 + look.reach)
    lay_strokes(canvas, scratch, [line], [(40.0, 90.0, 200.0)], look, box)
    assert not scratch.any()
    assert tuple(canvas[30, 40]) == (40, 90, 200)
    changed = np.argwhere(np.any(canvas != PAPER, axis=2))
    assert changed[:, 1].min() >= box[0] and changed[:, 1].max() < box[2]
    assert changed[:, 0].min() >= box[1] and changed[:, 0].max() < box[3]


def test_soft_edges_blend_and_crisp_ones_do_not():
    soft_canvas, scratch = canvas_and_scratch()
    line = [fixed_point(np.array([[10, 30], [70, 30]], np.float32))]
    lay_strokes(soft_canvas, scratch, line, [(0.0, 0.0, 0.0)], plain(10, 7.0), (0, 0, 80, 60))
    crisp_canvas, scratch = canvas_and_scratch()
    lay_strokes(crisp_canvas, scratch, line, [(0.0, 0.0, 0.0)], plain(10, 0.0), (0, 0, 80, 60))
    column = (soft_canvas[:, 40, 0], crisp_canvas[:, 40, 0])
    in_between = [np.count_nonzero((values > 10) & (values < 220)) for values in column]
    assert in_between[0] >= 4 and in_between[1] == 0


def test_a_later_stroke_covers_an_earlier_one():
    canvas, scratch = canvas_and_scratch()
    first = fixed_point(np.array([[10, 30], [70, 30]], np.float32))
    second = fixed_point(np.array([[40, 5], [40, 55]], np.float32))
    lay_strokes(
        canvas,
        scratch,
        [first, second],
        [(200.0, 0.0, 0.0), (0.0, 0.0, 200.0)],
        plain(8, 3.0),
        (0, 0, 80, 60),
    )
    assert tuple(canvas[30, 40]) == (0, 0, 200) and tuple(canvas[30, 20]) == (200, 0, 0)


def test_bristles_shade_the_paint_and_roughen_its_edge():
    rng = np.random.default_rng(0)
    streaks = rng.standard_normal((60, 80)).astype(np.float32)
    textured = BrushLook(
        thickness=16, softness=7.0, streaks=streaks, shade=shade_image(streaks, 0.1), dryness=0.4
    )
    canvas, scratch = canvas_and_scratch()
    line = [fixed_point(np.array([[10, 30], [70, 30]], np.float32))]
    lay_strokes(canvas, scratch, line, [(100.0, 100.0, 100.0)], textured, (0, 0, 80, 60))
    inside = canvas[27:34, 20:60, 1].astype(float)
    assert 5 < inside.std() < 20 and abs(inside.mean() - 100) < 4
    smooth, scratch = canvas_and_scratch()
    lay_strokes(smooth, scratch, line, [(100.0, 100.0, 100.0)], plain(16, 7.0), (0, 0, 80, 60))
    edge_rows = [slice(18, 24), slice(37, 43)]
    assert all(
        np.std(canvas[rows, 20:60, 1].astype(float), axis=1).mean()
        > np.std(smooth[rows, 20:60, 1].astype(float), axis=1).mean() + 3
        for rows in edge_rows
    )


def test_shade_image_is_unshaded_on_average():
    streaks = np.random.default_rng(1).standard_normal((50, 50)).astype(np.float32)
    shade = shade_image(streaks, 0.05)
    assert shade.shape == (50, 50, 3) and shade.dtype == np.uint8
    assert abs(shade.mean() - SHADE_ONE) < 1 and np.array_equal(shade[:, :, 0], shade[:, :, 2])
