"""Tests of the drawing thread that runs a few frames ahead of the encoder."""

from __future__ import annotations

import threading
import time

import pytest

from algorithms.encoding.pipeline import FRAMES_IN_USE, QUEUE_FRAMES, FramePipeline
from algorithms.errors import PaintError


class Counting:
    """A convert function that counts its calls, thread-safely."""

    def __init__(self) -> None:
        self.calls = 0
        self._lock = threading.Lock()

    def __call__(self, item: int) -> int:
        with self._lock:
            self.calls += 1
        return item * 10


def test_hands_over_every_frame_converted_and_in_order():
    convert = Counting()
    with FramePipeline(range(100), 40, convert) as pipeline:
        received = list(pipeline)
    assert received == [index * 10 for index in range(40)]
    assert convert.calls == 40
    assert pipeline.draw_seconds > 0


def test_the_drawer_never_runs_more_than_the_frames_in_use_ahead():
    convert = Counting()
    with FramePipeline(range(30), 30, convert) as pipeline:
        for index, _ in enumerate(pipeline):
            time.sleep(0.01)  # a slow encoder: the drawer goes as far ahead as it may
            # Frame ``index + FRAMES_IN_USE`` reuses this frame's slot: not drawn yet.
            assert convert.calls <= index + FRAMES_IN_USE
            if 3 <= index < 25:
                assert convert.calls == index + 1 + QUEUE_FRAMES, "the drawer keeps the queue full"


def test_a_style_failure_reaches_the_caller():
    def failing():
        yield 1
        raise ValueError("broken style")

    with pytest.raises(ValueError, match="broken style"):
        with FramePipeline(failing(), 5, Counting()) as pipeline:
            list(pipeline)


def test_too_few_frames_is_a_paint_error_with_the_counts():
    with pytest.raises(PaintError, match="produced 3 of 5 frames"):
        with FramePipeline(range(3), 5, Counting()) as pipeline:
            list(pipeline)


def test_leaving_early_stops_the_waiting_drawer():
    with FramePipeline(range(1000), 1000, Counting()) as pipeline:
        next(iter(pipeline))
        time.sleep(0.05)  # the drawer is now waiting for a free slot
    assert not pipeline._thread.is_alive()
