"""The painterly schedule: phases, layer spans, an even pace within a layer, partial strokes."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.styles.painterly.schedule import (
    FIRST_LAYER_SHARE,
    LayerClock,
    layer_spans,
    painting_phases,
    partial_points,
    stroke_lengths,
)
from algorithms.styles.painterly.strokes import StrokeLayer


def straight_layer(lengths_in_steps: list[int], radius: float = 2.0) -> StrokeLayer:
    """Horizontal strokes of the given number of steps, one per row."""
    steps = max(lengths_in_steps) + 1
    points = np.zeros((len(lengths_in_steps), steps, 2), np.float32)
    for row, count in enumerate(lengths_in_steps):
        points[row, :, 0] = np.minimum(np.arange(steps), count) * radius
        points[row, :, 1] = 5 * row
    counts = np.array(lengths_in_steps, np.int64) + 1
    return StrokeLayer(radius, points, counts, np.zeros((len(counts), 3), np.float32))


@pytest.mark.parametrize(
    "frames, fps, finish",
    [
        (24, 12, "painting"),
        (24, 12, "photo"),
        (360, 30, "painting"),
        (360, 30, "photo"),
        (3600, 60, "photo"),
        (1801, 60, "painting"),
    ],
)
def test_phases_add_up_and_hold_at_least_a_second(frames, fps, finish):
    phases = painting_phases(frames, fps, finish)
    assert phases.blank + phases.painting + phases.dissolve + phases.hold == frames
    assert phases.hold >= fps and phases.painting >= frames // 4
    assert (phases.dissolve > 0) == (finish == "photo")


@pytest.mark.parametrize("frames, hold", [(360, 30), (360, 1), (360, 315), (24, 30)])
@pytest.mark.parametrize("finish", ["painting", "photo"])
def test_a_hold_asked_for_is_the_hold_and_the_dissolve_shares_what_is_left(frames, hold, finish):
    phases = painting_phases(frames, 30, finish, hold)
    assert phases.blank + phases.painting + phases.dissolve + phases.hold == frames
    assert phases.hold == min(hold, frames - 2) and phases.painting >= 1
    assert phases.dissolve <= (frames - 1 - phases.hold) // 2
    assert (phases.dissolve > 0) == (finish == "photo" and frames - phases.hold > 4)


def test_layer_spans_give_the_first_layer_its_share_and_fine_layers_more_time():
    spans = layer_spans([25.0, 13.0, 7.0, 3.5, 1.9])
    assert spans[0] == 0.0 and spans[-1] == 1.0
    assert spans[1] == pytest.approx(FIRST_LAYER_SHARE)
    assert np.all(np.diff(spans[1:]) > 0) and np.all(np.diff(np.diff(spans[1:])) > 0)
    assert layer_spans([3.0]).tolist() == [0.0, 1.0]


def test_even_clock_gives_each_stroke_time_for_its_length_plus_a_brush_width():
    layer = straight_layer([1, 4, 9, 2])
    clock = LayerClock.even(layer, 0.3, 0.5)
    assert clock.begin[0] == 0.3 and clock.end[-1] == 0.5
    assert np.array_equal(clock.begin[1:], clock.end[:-1])
    paint = stroke_lengths(layer)[:, -1] + 2 * layer.radius
    assert np.allclose((clock.end - clock.begin) / paint, (0.5 - 0.3) / paint.sum())


def test_runs_lay_every_stroke_once_in_order_and_in_pieces_that_join():
    layer = straight_layer([3, 8, 1, 6, 6, 2])
    clock = LayerClock.even(layer, 0.0, 1.0)
    laid = {}  # stroke -> list of (low, high)
    edges = np.linspace(0.0, 1.0, 8)
    for start, stop in zip(edges, edges[1:]):
        run = clock.run(start, stop if stop < 1.0 else np.inf)
        assert run is not None
        first, end, low, high = run
        for stroke in range(first, end):
            laid.setdefault(stroke, []).append(
                (low if stroke == first else 0.0, high if stroke == end - 1 else 1.0)
            )
    assert sorted(laid) == list(range(len(layer)))
    for pieces in laid.values():
        assert pieces[0][0] == 0.0 and pieces[-1][1] == 1.0
        assert all(earlier[1] == pytest.approx(later[0]) for earlier, later in zip(pieces, pieces[1:]))
    assert clock.run(0.5, 0.5) is None


def test_partial_points_cut_a_stroke_by_length():
    points = np.array([[0, 0], [4, 0], [4, 6]], np.float32)
    lengths = np.array([0, 4, 10], np.float32)
    assert np.array_equal(partial_points(points, lengths, 0.0, 1.0), points)
    part = partial_points(points, lengths, 0.2, 0.7)
    assert part.tolist() == [[2.0, 0.0], [4.0, 0.0], [4.0, 3.0]]
