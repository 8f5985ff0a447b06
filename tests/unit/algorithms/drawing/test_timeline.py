"""Tests of the tool's path: strokes joined by eased travel, timed, and a bounded speed."""

from __future__ import annotations

import numpy as np

from algorithms.drawing.timeline import join_strokes


def stroke(x0: float, y: float, x1: float) -> np.ndarray:
    return np.stack([np.linspace(x0, x1, 20), np.full(20, y)], axis=1).astype(np.float32)


def test_the_path_holds_every_stroke_in_order_with_travel_between() -> None:
    path = join_strokes([stroke(0, 0, 40), stroke(200, 100, 240)], [1.0, 1.0])
    assert (path.stroke[:20] == 0).all() and (path.stroke[-20:] == 1).all()
    travel = path.stroke == -1
    assert travel.sum() > 10 and (np.diff(path.time) >= 0).all()
    assert path.time[0] == 0 and path.time[-1] == 1


def test_travel_eases_in_and_out() -> None:
    path = join_strokes([stroke(0, 0, 40), stroke(400, 0, 440)], [1.0, 1.0])
    travel = np.flatnonzero(path.stroke == -1)
    speeds = np.diff(path.points[travel, 0]) / np.diff(path.time[travel])
    assert speeds[0] < 0.5 * speeds.max() and speeds[-1] < 0.5 * speeds.max()


def test_cheaper_strokes_take_less_time() -> None:
    path = join_strokes([stroke(0, 0, 100), stroke(0, 50, 100)], [1.0, 0.2])
    first = np.ptp(path.time[path.stroke == 0])
    second = np.ptp(path.time[path.stroke == 1])
    assert second < 0.3 * first


def test_the_tool_never_moves_more_than_the_bound() -> None:
    path = join_strokes([stroke(0, 0, 10), stroke(500, 300, 510)], [1.0, 1.0])
    positions = path.positions(10, 20.0)
    assert positions.shape == (10, 2)
    assert np.hypot(*np.diff(positions, axis=0).T).max() <= 20.0 + 1e-6
    assert np.hypot(*positions[0]) <= 20.0 + 1e-6, "it starts from the path's first point"


def test_a_gliding_tool_averages_its_frame() -> None:
    zigzag = [stroke(0, y, 100) if y % 20 == 0 else stroke(100, y, 0) for y in range(0, 100, 10)]
    path = join_strokes(zigzag, [1.0] * len(zigzag))
    tip = path.positions(10, 1e9)
    glide = path.positions(10, 1e9, glide=True)
    assert np.ptp(glide[:, 0]) < np.ptp(tip[:, 0])
