"""Tests of the pencil and brush sprites."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.drawing.overlay import overlay_tool
from algorithms.drawing.sprites import (
    LEAN,
    _layout,
    _sprite,
    _straight,
    _turned,
    brush_sprite,
    pencil_sprite,
    tool_length,
)


@pytest.mark.parametrize("make", [pencil_sprite, lambda length: brush_sprite(length, (20, 40, 200))])
def test_tip_is_exactly_at_the_point(make):
    frame = np.full((200, 200, 3), 255, np.uint8)
    overlay_tool(frame, make(90), (100.0, 120.0))
    changed = np.argwhere(np.abs(frame.astype(int) - 255).sum(axis=2) > 60)
    nearest = np.hypot(changed[:, 1] - 100, changed[:, 0] - 120).min()
    assert nearest <= 1.5, "the tool's tip touches the drawn point"
    assert changed[:, 0].max() <= 124, "nothing of the tool hangs below its tip"
    assert (changed[:, 1] >= 96).all(), "the tool leans right from its tip"


def test_brush_carries_its_paint_colour():
    frame = np.full((200, 200, 3), 255, np.uint8)
    overlay_tool(frame, brush_sprite(100, (0, 0, 255)), (60.0, 150.0))
    tip_area = frame[140:152, 58:72].reshape(-1, 3).astype(int)
    reddest = tip_area[np.argmax(tip_area[:, 2] - tip_area[:, 0])]
    assert reddest[2] > 180 and reddest[0] < 90


def test_tools_have_soft_edges_and_a_shadow():
    sprite = pencil_sprite(120)
    partial = (sprite.weight > 0.02) & (sprite.weight < 0.98)
    assert partial.sum() > 0.2 * (sprite.weight >= 0.98).sum()
    assert np.allclose(sprite.weight + sprite.inverse, 1.0)


def test_tool_length_grows_with_the_frame():
    assert tool_length(1920, 1080) > tool_length(640, 360) >= 40


def test_cached_sprites_are_read_only():
    for sprite in (pencil_sprite(64), brush_sprite(64, (10, 20, 30))):
        for array in (sprite.colour, sprite.weight, sprite.inverse):
            with pytest.raises(ValueError):
                array[0, 0] = 0
    assert pencil_sprite(64) is pencil_sprite(64)


@pytest.mark.parametrize("hand", [False, True])
@pytest.mark.parametrize("turn", [0.0, 12.0])
def test_a_loaded_brush_is_the_brush_laid_in_its_paint(hand, turn):
    """Recolouring the bristles' rectangle of the cached unloaded brush gives the brush laid
    with its bristles in the paint, turned: the same sprite to within a grey level."""
    tip = _layout("brush", 90, hand).tip
    for paint in ((0, 0, 255), (200, 100, 50)):
        straight, weight = _straight("brush", 90, hand, tuple(float(value) for value in paint))
        (straight, weight), turned_tip = _turned([straight, weight], tip, turn)
        expected = _sprite(straight, weight, turned_tip)
        sprite = brush_sprite(90, paint, angle=LEAN + turn, hand=hand)
        assert sprite.colour.shape == expected.colour.shape and sprite.tip == expected.tip
        assert np.abs(sprite.colour.astype(int) - expected.colour).max() <= 1
        unloaded = brush_sprite(90, (0, 0, 0), angle=LEAN + turn, hand=hand)
        assert np.abs(sprite.colour.astype(int) - unloaded.colour).max() > 60  # the paint shows
