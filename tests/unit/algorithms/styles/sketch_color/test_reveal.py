"""Tests of the reveal: each pixel appears when the tool passes nearest to it."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.styles.sketch_color.reveal import (
    NEVER,
    Fading,
    Schedule,
    ending_stretch,
    frame_rects,
    moments_of,
    start_frames,
)


def test_each_pixel_starts_with_its_nearest_point() -> None:
    points = np.array([[10, 10], [50, 10], [90, 10]], np.float32)
    where = np.ones((20, 100), bool)
    where[:, 95:] = False
    starts = start_frames(points, np.array([3, 5, 8]), where)
    assert starts[10, 12] == 3 and starts[0, 48] == 5 and starts[19, 80] == 8
    assert (starts[:, 95:] == NEVER).all()


def test_a_pixel_reached_twice_keeps_the_earlier_frame() -> None:
    points = np.array([[5, 5], [5, 5]], np.float32)
    assert start_frames(points, np.array([7, 2]), np.ones((10, 10), bool))[5, 5] == 2


def test_frame_rects_hold_the_frames_points_and_margin() -> None:
    points = np.array([[10, 10], [20, 15], [60, 30]], np.float32)
    rects = frame_rects(points, np.array([0, 0, 2]), 4, 3, (40, 80))
    assert rects[0] == (7, 7, 25, 20) and rects[1] == (0, 0, 0, 0) and rects[2] == (57, 27, 65, 35)


def test_the_schedule_finds_the_pixels_of_a_span_of_frames() -> None:
    starts = np.array([[0, 1, 2], [2, NEVER, 1]], np.uint16)
    schedule = Schedule(starts)
    assert sorted(schedule.between(0, 1).tolist()) == [1, 5]
    assert sorted(schedule.between(-1, 0).tolist()) == [0]
    assert sorted(schedule.between(1, 2).tolist()) == [2, 3]
    assert schedule.between(2, 100).size == 0


@pytest.mark.parametrize("never_share", [0.0, 0.3, 0.7, 1.0])
def test_the_schedule_orders_the_changing_pixels_by_start_then_place(never_share: float) -> None:
    """Whether most pixels never change (a hatch layer) or most do (the colour's moments), the
    order is the changing pixels by start, ties in reading order, and nothing else."""
    rng = np.random.default_rng(3)
    starts = rng.integers(0, 40, size=(30, 50)).astype(np.uint16)
    starts[rng.random(starts.shape) < never_share] = NEVER
    schedule = Schedule(starts)
    flat = starts.ravel()
    expected = sorted(np.flatnonzero(flat != NEVER).tolist(), key=lambda pixel: (flat[pixel], pixel))
    assert schedule.order.dtype == np.int32 and schedule.order.tolist() == expected
    assert schedule.moments(0, len(expected)).tolist() == flat[expected].tolist()
    middle = slice(len(expected) // 3, 2 * len(expected) // 3)
    assert schedule.moments(middle.start, middle.stop).tolist() == flat[expected][middle].tolist()


@pytest.mark.parametrize("parts", [1, 3, 8, 64])
def test_a_schedule_sorted_in_ranges_is_one_stable_sort(parts: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """However many ranges of moments the sort is cut into, even where one moment holds most
    pixels, the order is that of one stable sort."""
    rng = np.random.default_rng(11)
    moments = rng.integers(0, 300, size=(40, 60)).astype(np.uint16)
    moments[rng.random(moments.shape) < 0.5] = 7
    moments[rng.random(moments.shape) < 0.2] = NEVER
    monkeypatch.setattr(Schedule, "PARTS", parts)
    schedule = Schedule(moments)
    flat = moments.ravel()
    expected = np.argsort(flat, kind="stable")[: np.count_nonzero(flat != NEVER)]
    assert schedule.order.tolist() == expected.tolist()


def test_a_schedule_of_pixels_that_never_change_is_empty() -> None:
    schedule = Schedule(np.full((4, 5), NEVER, np.uint16))
    assert schedule.order.size == 0 and schedule.span(-1, 50) == (0, 0)
    assert schedule.moments(0, 0).size == 0


def test_moments_are_scaled_then_kept_to_a_step() -> None:
    starts = np.array([[0.0, 1.06, 2.5], [NEVER, 40000.0, 3.0]], np.float32)
    moments = moments_of(starts, 8, scale=2.0)
    assert moments.dtype == np.uint16
    assert moments.tolist() == [[0, 17, 40], [NEVER, NEVER, 48]], "2 x 1.06 x 8 = 16.96; scaled past NEVER"
    assert starts[0, 1] == np.float32(1.06), "the starts are not modified"


def test_fading_finds_exactly_the_pixels_whose_opacity_changes() -> None:
    starts = np.array([[0.0, 2.0, 5.0], [9.0, 3.5, 1.0]], np.float32)
    fading = Fading(moments_of(starts, Fading.STEPS), fade=2)
    order = fading.schedule.order
    seen = set()
    for frame in range(1, 12):
        before = fading.alpha(0, len(order), frame - 1)[:, 0]
        after = fading.alpha(0, len(order), frame)[:, 0]
        changed = set(order[after != before].tolist())
        assert changed <= set(fading.changing(frame).tolist())
        seen |= changed
    assert seen == set(range(6)), "every pixel fades in"


def test_the_ending_stretch_puts_the_last_start_half_a_frame_before_the_end() -> None:
    starts = np.array([[0.0, 10.0], [30.0, 36.0]], np.float32)
    assert ending_stretch(starts, 40) * 36.0 == 39.5
    assert ending_stretch(starts, 30) == 1.0, "never faster"
    assert ending_stretch(np.zeros((2, 2), np.float32), 40) == 1.0
