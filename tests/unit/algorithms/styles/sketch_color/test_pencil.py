"""Tests of graphite on paper: pressure, ink and the stage pictures."""

from __future__ import annotations

import numpy as np

from algorithms.styles.sketch_color.pencil import (
    GRAPHITE_BGR,
    SKETCH_PAPER_BGR,
    draw_strokes,
    on_paper,
    pressure,
)


def line(x0: float, x1: float, y: float, points: int = 60) -> np.ndarray:
    return np.stack([np.linspace(x0, x1, points), np.full(points, y)], axis=1).astype(np.float32)


def test_pressure_tapers_at_both_ends_of_each_stroke() -> None:
    strokes = [line(10, 150, 20), line(10, 100, 50, 30)]
    force = pressure(strokes, np.random.default_rng(0))
    assert force.shape == (90,)
    for first, last in ((0, 60), (60, 90)):
        one = force[first:last]
        assert one[0] < 0.35 and one[-1] < 0.35 and one[len(one) // 2] > 0.7


def test_darker_strokes_lay_more_graphite() -> None:
    rng = np.random.default_rng(1)
    ink = draw_strokes((80, 160), [line(10, 150, 20), line(10, 150, 60)], [0.3, 1.0], 2.0, rng)
    assert ink.dtype == np.uint8 and ink[20, 80] < ink[60, 80]
    assert ink[40, 80] == 0 and ink[:5].max() == 0


def test_ink_becomes_graphite_on_paper() -> None:
    ink = np.zeros((10, 10), np.uint8)
    ink[5, :] = 255
    tooth = np.full((10, 10), 255, np.uint8)
    picture = on_paper(ink, tooth)
    assert tuple(picture[0, 0]) == SKETCH_PAPER_BGR
    assert np.abs(picture[5, 0].astype(int) - GRAPHITE_BGR).max() <= 1
