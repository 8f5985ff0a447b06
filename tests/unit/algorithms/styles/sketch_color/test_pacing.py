"""Tests of even pacing: every frame lays the same length of ink."""

from __future__ import annotations

import numpy as np

from algorithms.styles.sketch_color.pacing import StrokeSequence


def line(x0: float, y0: float, length: int) -> np.ndarray:
    xs = np.arange(length + 1, dtype=np.float32) + x0
    return np.stack([xs, np.full_like(xs, y0)], axis=1)


def test_jumps_between_strokes_lay_no_ink():
    sequence = StrokeSequence.from_strokes([line(0, 0, 10), line(100, 50, 20)])
    assert sequence.total_length == 30.0
    assert list(sequence.offsets) == [0, 11, 32]


def test_each_frame_lays_the_same_ink():
    sequence = StrokeSequence.from_strokes([line(0, 0, 100), line(0, 10, 60), line(0, 20, 240)])
    ends = sequence.frame_ends(40)
    laid = sequence.travelled[ends]
    per_frame = np.diff(np.concatenate([[0.0], laid]))
    assert ends[-1] == len(sequence.points) - 1
    assert np.all(np.diff(ends) >= 0)
    assert per_frame.min() >= 8 and per_frame.max() <= 12  # 400 px over 40 frames


def test_pieces_join_up_and_split_at_strokes():
    sequence = StrokeSequence.from_strokes([line(0, 0, 10), line(0, 5, 10)])
    pieces = sequence.piece_ranges(5, 15)
    assert [stroke for stroke, _, _ in pieces] == [0, 1]
    assert pieces[0][1:] == (4, 11), "starts at the point the previous frame ended on"
    assert pieces[1][1:] == (11, 16), "the next stroke starts on its own first point"
    assert sequence.points[pieces[1][1]].tolist() == [0.0, 5.0]
    assert sequence.piece_ranges(7, 6) == []


def test_fixed_points_are_sixteenths_of_a_pixel():
    sequence = StrokeSequence.from_strokes([np.array([[1.5, 2.25], [3.0, 4.0]], np.float32)])
    assert sequence.fixed_points.dtype == np.int32
    assert sequence.fixed_points.tolist() == [[24, 36], [48, 64]]


def test_empty_sequence_draws_nothing():
    sequence = StrokeSequence.from_strokes([])
    assert sequence.total_length == 0.0
    assert list(sequence.frame_ends(3)) == [-1, -1, -1]


def test_stroke_at_finds_the_stroke_of_each_point():
    sequence = StrokeSequence.from_strokes([line(0, 0, 2), line(0, 5, 0), line(0, 9, 3)])
    assert [sequence.stroke_at(point) for point in range(len(sequence.points))] == [0, 0, 0, 1, 2, 2, 2, 2]
