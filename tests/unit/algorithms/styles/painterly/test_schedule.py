"""The painterly schedule: phases, the brush's path timed by change and length, runs, partial strokes."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.styles.painterly.schedule import (
    LENGTH_SHARE,
    StrokeClock,
    painting_phases,
    partial_points,
    stroke_lengths,
    stroke_path,
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
    assert phases.blank + phases.painting + phases.photo + phases.hold == frames
    assert phases.hold >= fps and phases.painting >= frames // 4
    assert (phases.photo > 0) == (finish == "photo")


@pytest.mark.parametrize("frames, hold", [(360, 30), (360, 1), (360, 315), (24, 30)])
@pytest.mark.parametrize("finish", ["painting", "photo"])
def test_a_hold_asked_for_is_the_hold_and_the_photo_pass_shares_what_is_left(frames, hold, finish):
    phases = painting_phases(frames, 30, finish, hold)
    assert phases.blank + phases.painting + phases.photo + phases.hold == frames
    assert phases.hold == min(hold, frames - 2) and phases.painting >= 1
    assert phases.photo <= (frames - 1 - phases.hold) // 2
    assert (phases.photo > 0) == (finish == "photo" and frames - phases.hold > 4)


def timed(layer: StrokeLayer, change: np.ndarray) -> tuple[StrokeClock, np.ndarray]:
    """The clock of ``layer``'s strokes in order, and their lengths."""
    strokes = [layer.points[index, :count] for index, count in enumerate(layer.counts.tolist())]
    lengths = stroke_lengths(layer)[np.arange(len(layer)), layer.counts - 1].astype(np.float64)
    path = stroke_path(strokes, lengths, change)
    return StrokeClock.along(path, len(strokes)), lengths


def test_each_stroke_takes_time_for_its_length_and_for_its_change():
    layer = straight_layer([4, 4, 4, 4])
    change = np.array([1.0, 1.0, 5.0, 1.0])
    clock, _ = timed(layer, change)
    assert clock.begin[0] == 0.0 and clock.end[-1] == pytest.approx(1.0)
    assert np.all(clock.begin <= clock.end) and np.all(clock.end[:-1] <= clock.begin[1:])
    durations = clock.end - clock.begin
    # Same length: the one that changes five times as much takes longer, the others alike.
    assert durations[2] > 1.5 * durations[0]
    assert durations[0] == pytest.approx(durations[1]) == pytest.approx(durations[3])


def test_with_equal_changes_a_longer_stroke_takes_longer_and_dabs_take_time_too():
    layer = straight_layer([1, 8, 0, 4])
    layer.counts[2] = 2  # a dab: two points in one place, as strokes that never grew are made
    clock, lengths = timed(layer, np.ones(4))
    durations = clock.end - clock.begin
    assert durations[1] > durations[3] > durations[0] > 0
    assert lengths[2] == 0 and durations[2] > 0  # a dab: its share of change still takes time
    assert 0 < LENGTH_SHARE < 1


def test_the_brush_travels_between_strokes():
    layer = straight_layer([2, 2])
    clock, _ = timed(layer, np.ones(2))
    assert clock.begin[1] > clock.end[0]  # the hop from one row's end to the next row's start


def test_runs_lay_every_stroke_once_in_order_and_in_pieces_that_join():
    layer = straight_layer([3, 8, 1, 6, 6, 2])
    clock, _ = timed(layer, np.linspace(1.0, 3.0, 6))
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
