"""Tests of the tool in the hand: which tool shows, and its lean following the motion."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.drawing.geometry import NOTHING
from algorithms.drawing.tools import SWING, ToolHand


@pytest.mark.parametrize("tool", ["hand", "pencil"])
def test_the_tool_is_laid_and_lifted(tool: str) -> None:
    canvas = np.full((200, 300, 3), 240, np.uint8)
    blank = canvas.copy()
    hands = ToolHand(canvas, tool, 20.0)
    rect = hands.pencil(np.array([150.0, 150.0]))
    assert rect != NOTHING and not np.array_equal(canvas, blank)
    assert hands.lift() == rect and np.array_equal(canvas, blank)


def test_a_hand_covers_more_than_the_pencil_alone() -> None:
    covered = []
    for tool in ("hand", "pencil"):
        canvas = np.full((300, 400, 3), 240, np.uint8)
        ToolHand(canvas, tool, 20.0).pencil(np.array([150.0, 250.0]))
        covered.append(int((canvas != 240).any(axis=2).sum()))
    assert covered[0] > 1.5 * covered[1]


def test_none_draws_nothing() -> None:
    canvas = np.full((100, 100, 3), 240, np.uint8)
    hands = ToolHand(canvas, "none", 20.0)
    assert hands.pencil(np.array([50.0, 50.0])) == NOTHING and (canvas == 240).all()


def test_the_lean_follows_the_motion_within_its_swing() -> None:
    canvas = np.full((100, 400, 3), 240, np.uint8)
    hands = ToolHand(canvas, "hand", 20.0)
    angles = [hands._angle(np.array([x, 50.0])) for x in np.arange(0, 400, 20.0)]
    assert angles[-1] > angles[0], "moving right, the tool leans further right"
    assert max(angles) - min(angles) <= SWING + 4
