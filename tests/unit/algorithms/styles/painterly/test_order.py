"""Stroke geometry for drawing: pixel bounds and fixed-point polylines (the order: test_tour.py)."""

from __future__ import annotations

import numpy as np

from algorithms.drawing.geometry import FIXED_ONE
from algorithms.styles.painterly.order import stroke_boxes, stroke_polylines
from algorithms.styles.painterly.strokes import StrokeLayer


def random_layer(count: int, size: int, radius: float, seed: int = 0) -> StrokeLayer:
    rng = np.random.default_rng(seed)
    points = np.cumsum(rng.normal(0, radius, (count, 5, 2)), axis=1).astype(np.float32)
    points += rng.uniform(0, size, (count, 1, 2)).astype(np.float32)
    counts = rng.integers(2, 6, count)
    return StrokeLayer(radius, np.clip(points, 0, size - 1), counts, np.zeros((count, 3), np.float32))


def test_boxes_hold_every_point_with_the_reach_and_stay_in_the_picture():
    layer = random_layer(200, 100, 3.0, seed=2)
    boxes = stroke_boxes(layer, 5, 100, 80)
    for points, count, (x0, y0, x1, y1) in zip(layer.points, layer.counts, boxes):
        used = points[:count]
        assert 0 <= x0 and 0 <= y0 and x1 <= 100 and y1 <= 80
        assert np.all(used[:, 0] - 5 >= x0 - 1) or x0 == 0
        assert np.all(used[:, 0] + 5 <= x1) or x1 == 100
        assert np.all(used[:, 1] - 5 >= y0 - 1) or y0 == 0
        assert np.all(used[:, 1] + 5 <= y1) or y1 == 80


def test_polylines_are_the_used_points_in_fixed_point():
    layer = random_layer(10, 50, 2.0, seed=3)
    polylines = stroke_polylines(layer)
    for points, count, polyline in zip(layer.points, layer.counts, polylines):
        assert polyline.dtype == np.int32 and polyline.shape == (count, 2)
        assert np.allclose(polyline / FIXED_ONE, points[:count], atol=0.5 / FIXED_ONE)
