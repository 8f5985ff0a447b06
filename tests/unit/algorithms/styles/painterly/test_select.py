"""Dropping strokes that only repaint what better strokes of their layer cover."""

from __future__ import annotations

import numpy as np

from algorithms.styles.painterly.select import drop_redundant
from algorithms.styles.painterly.strokes import StrokeLayer


def layer_of(paths: list[list[tuple[float, float]]]) -> StrokeLayer:
    steps = max(len(path) for path in paths)
    points = np.zeros((len(paths), steps, 2), np.float32)
    for index, path in enumerate(paths):
        points[index, : len(path)] = path
    counts = np.array([len(path) for path in paths], np.int64)
    return StrokeLayer(2.0, points, counts, np.zeros((len(paths), 3), np.float32))


def test_of_strokes_over_the_same_path_only_the_most_needed_is_kept():
    along = [(x, 10.0) for x in range(2, 40, 4)]
    strokes = layer_of([along, along[1:], along[:-2], [(x, 30.0) for x in range(2, 40, 4)]])
    kept = drop_redundant(strokes, np.array([5.0, 9.0, 7.0, 1.0]), 4, 48, 48)
    assert kept.tolist() == [1, 3]  # the best of the three copies, and the lone stroke


def test_strokes_that_mostly_add_new_paint_are_kept():
    strokes = layer_of([[(x, 10.0) for x in range(0, 24, 4)], [(x, 10.0) for x in range(16, 48, 4)]])
    assert drop_redundant(strokes, np.array([2.0, 1.0]), 4, 48, 48).tolist() == [0, 1]
    assert drop_redundant(layer_of([[(1.0, 1.0)]]), np.array([1.0]), 4, 8, 8).tolist() == [0]
