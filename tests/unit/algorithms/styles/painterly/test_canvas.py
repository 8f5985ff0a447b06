"""Laying strokes on the canvas: only inside their bounds, soft edges, bristle texture."""

from __future__ import annotations

import numpy as np

from algorithms.drawing.geometry import fixed_point
from algorithms.styles.painterly.canvas import (
    SHADE_ONE,
    STREAK_ONE,
    BrushLook,
    lay_strokes,
    quantized_streaks,
    shade_image,
)

PAPER = (230, 235, 240)


def blank(height: int = 60, width: int = 80) -> np.ndarray:
    canvas = np.empty((height, width, 3), np.uint8)
    canvas[:] = PAPER
    return canvas


def plain(thickness: int, softness: float) -> BrushLook:
    return BrushLook(thickness=thickness, softness=softness, streaks=None, shade=None, dryness=0.0)


def test_a_stroke_paints_its_colour_inside_its_box_and_nothing_else():
    canvas = blank()
    look = plain(8, 5.0)
    line = fixed_point(np.array([[20, 30], [60, 30]], np.float32))
    box = (20 - look.reach, 30 - look.reach, 61 + look.reach, 31 + look.reach)
    lay_strokes(canvas, [line], [(40.0, 90.0, 200.0)], look, box)
    assert tuple(canvas[30, 40]) == (40, 90, 200)
    changed = np.argwhere(np.any(canvas != PAPER, axis=2))
    assert changed[:, 1].min() >= box[0] and changed[:, 1].max() < box[2]
    assert changed[:, 0].min() >= box[1] and changed[:, 0].max() < box[3]


def test_soft_edges_blend_and_crisp_ones_do_not():
    soft_canvas = blank()
    line = [fixed_point(np.array([[10, 30], [70, 30]], np.float32))]
    lay_strokes(soft_canvas, line, [(0.0, 0.0, 0.0)], plain(10, 7.0), (0, 0, 80, 60))
    crisp_canvas = blank()
    lay_strokes(crisp_canvas, line, [(0.0, 0.0, 0.0)], plain(10, 0.0), (0, 0, 80, 60))
    column = (soft_canvas[:, 40, 0], crisp_canvas[:, 40, 0])
    in_between = [np.count_nonzero((values > 10) & (values < 220)) for values in column]
    assert in_between[0] >= 4 and in_between[1] == 0


def test_a_later_stroke_covers_an_earlier_one():
    canvas = blank()
    first = fixed_point(np.array([[10, 30], [70, 30]], np.float32))
    second = fixed_point(np.array([[40, 5], [40, 55]], np.float32))
    lay_strokes(
        canvas,
        [first, second],
        [(200.0, 0.0, 0.0), (0.0, 0.0, 200.0)],
        plain(8, 3.0),
        (0, 0, 80, 60),
    )
    assert tuple(canvas[30, 40]) == (0, 0, 200) and tuple(canvas[30, 20]) == (200, 0, 0)


def test_bristles_shade_the_paint_and_roughen_its_edge():
    rng = np.random.default_rng(0)
    streaks = quantized_streaks(rng.standard_normal((60, 80)).astype(np.float32))
    textured = BrushLook(
        thickness=16, softness=7.0, streaks=streaks, shade=shade_image(streaks, 0.1), dryness=0.4
    )
    canvas = blank()
    line = [fixed_point(np.array([[10, 30], [70, 30]], np.float32))]
    lay_strokes(canvas, line, [(100.0, 100.0, 100.0)], textured, (0, 0, 80, 60))
    inside = canvas[27:34, 20:60, 1].astype(float)
    assert 5 < inside.std() < 20 and abs(inside.mean() - 100) < 4
    smooth = blank()
    lay_strokes(smooth, line, [(100.0, 100.0, 100.0)], plain(16, 7.0), (0, 0, 80, 60))
    edge_rows = [slice(18, 24), slice(37, 43)]
    assert all(
        np.std(canvas[rows, 20:60, 1].astype(float), axis=1).mean()
        > np.std(smooth[rows, 20:60, 1].astype(float), axis=1).mean() + 3
        for rows in edge_rows
    )


def test_shade_image_is_unshaded_on_average_and_follows_the_streaks():
    streaks = np.random.default_rng(1).standard_normal((50, 50)).astype(np.float32)
    quantized = quantized_streaks(streaks)
    assert (
        quantized.dtype == np.int8
        and np.abs(quantized / STREAK_ONE - streaks).max() <= 0.5 / STREAK_ONE + 1e-6
    )
    shade = shade_image(quantized, 0.05)
    assert shade.shape == (50, 50) and shade.dtype == np.uint8
    assert abs(shade.mean() - SHADE_ONE) < 1
    assert np.corrcoef(shade.ravel(), streaks.ravel())[0, 1] > 0.95
