"""Hertzmann's curved strokes: how they grow along the isophotes, all of a layer at once."""

from __future__ import annotations

import numpy as np

from algorithms.styles.painterly.field import stroke_direction
from algorithms.styles.painterly.strokes import StrokeLimits, grow_strokes
from tests.helpers.images import stripes

LIMITS = StrokeLimits(min_steps=2, max_steps=10, curvature=1.0, colour_tolerance=48.0)


def test_strokes_follow_the_isophotes():
    picture = stripes(vertical=False)
    direction = stroke_direction(picture, 2.0, np.random.default_rng(0))
    starts = np.array([[20, 12], [40, 30], [30, 50]], np.float32)
    layer = grow_strokes(starts, picture, None, direction, 3.0, LIMITS, np.random.default_rng(1))
    for points, count, start in zip(layer.points, layer.counts, starts):
        assert count >= LIMITS.min_steps + 1
        assert np.allclose(points[:count, 1], start[1], atol=0.5)  # horizontal: along the stripes
        assert np.allclose(np.abs(np.diff(points[:count, 0])), 3.0, atol=1e-4)  # one radius a step


def test_strokes_stop_where_the_colour_changes_and_take_their_path_colour():
    picture = np.zeros((40, 64, 3), np.float32)
    picture[:, :32] = (20, 40, 200)
    picture[:, 32:] = (200, 60, 10)
    direction = np.zeros((40, 64, 2), np.float32)
    direction[:, :, 0] = 1.0  # every stroke runs left or right
    starts = np.array([[10, y] for y in range(4, 40, 4)], np.float32)
    canvas = np.full_like(picture, 128.0)
    layer = grow_strokes(starts, picture, canvas, direction, 4.0, LIMITS, np.random.default_rng(2))
    for points, count, colour in zip(layer.points, layer.counts, layer.colours):
        # Past the minimum length no point lands on the blue side.
        assert np.all(points[LIMITS.min_steps + 1 : count, 0] < 32)
        if np.all(points[:count, 0] < 32):
            assert np.allclose(colour, (20, 40, 200))


def test_a_stroke_stops_when_the_canvas_is_already_right():
    picture = np.full((32, 64, 3), 90.0, np.float32)
    direction = np.zeros((32, 64, 2), np.float32)
    direction[:, :, 0] = 1.0
    starts = np.array([[4, 16], [60, 16]], np.float32)
    layer = grow_strokes(starts, picture, picture.copy(), direction, 2.0, LIMITS, np.random.default_rng(0))
    assert np.all(layer.counts <= LIMITS.min_steps + 1)
