"""Painting order (tiles along a Hilbert curve) and stroke geometry."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.drawing.geometry import FIXED_ONE
from algorithms.styles.painterly.order import hilbert_index, order_strokes, stroke_boxes, stroke_polylines
from algorithms.styles.painterly.strokes import StrokeLayer


@pytest.mark.parametrize("side", [2, 8, 32])
def test_hilbert_curve_visits_every_cell_once_stepping_to_a_neighbour(side):
    rows, cols = np.mgrid[0:side, 0:side]
    index = hilbert_index(cols.ravel(), rows.ravel(), side)
    assert sorted(index.tolist()) == list(range(side * side))
    path = np.stack([cols.ravel(), rows.ravel()], axis=1)[np.argsort(index)]
    assert np.all(np.abs(np.diff(path, axis=0)).sum(axis=1) == 1)


def random_layer(count: int, size: int, radius: float, seed: int = 0) -> StrokeLayer:
    rng = np.random.default_rng(seed)
    points = np.cumsum(rng.normal(0, radius, (count, 5, 2)), axis=1).astype(np.float32)
    points += rng.uniform(0, size, (count, 1, 2)).astype(np.float32)
    counts = rng.integers(2, 6, count)
    return StrokeLayer(radius, np.clip(points, 0, size - 1), counts, np.zeros((count, 3), np.float32))


@pytest.mark.parametrize("seed", range(8))
def test_order_is_a_permutation_that_finishes_one_tile_then_moves_next_door(seed):
    layer = random_layer(3000, 400, 4.0)
    order = order_strokes(layer, 400, 400, np.random.default_rng(seed))
    assert sorted(order.tolist()) == list(range(3000))
    tile = int(np.clip(6 * 2 * 4.0, 32, 160))
    tiles = [tuple(point) for point in (layer.points[order, 0] // tile).astype(int).tolist()]
    moves = [(a, b) for a, b in zip(tiles, tiles[1:]) if a != b]
    assert len(set(tiles)) == 9 * 9  # every tile has strokes
    assert len(moves) == len(set(tiles)) - 1  # each tile is visited once
    # A 9x9 grid is part of a 16x16 Hilbert curve, which may leave it and come back once.
    assert sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) > 1 for a, b in moves) <= 1


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
