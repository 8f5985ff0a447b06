"""Tests of laying a tool on a frame and lifting it off again."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.drawing.overlay import ToolLayer, overlay_tool
from algorithms.drawing.sprites import brush_sprite, pencil_sprite


def test_tool_is_clipped_at_the_frame_edges():
    frame = np.full((50, 50, 3), 255, np.uint8)
    overlay_tool(frame, pencil_sprite(80), (48.0, 2.0))
    overlay_tool(frame, pencil_sprite(80), (-500.0, -500.0))
    assert frame.shape == (50, 50, 3)
    assert (frame < 200).any()


@pytest.mark.parametrize("tip", [(100.0, 150.0), (5.0, 190.0), (195.0, 3.0)])
def test_blending_in_bands_equals_blending_the_whole_sprite(tip):
    sprite = brush_sprite(120, (30, 160, 90))
    frame = np.random.default_rng(3).integers(0, 256, (200, 200, 3), np.uint8)
    expected = frame.astype(np.float32)
    sprite_h, sprite_w = sprite.weight.shape
    left, top = int(tip[0]) - sprite.tip[0], int(tip[1]) - sprite.tip[1]
    for y in range(max(0, top), min(200, top + sprite_h)):
        row_weight = sprite.weight[y - top, :, None]
        xs = np.arange(max(0, left), min(200, left + sprite_w))
        expected[y, xs] = (
            expected[y, xs] * (1 - row_weight[xs - left])
            + sprite.colour[y - top, xs - left] * row_weight[xs - left]
        )
    rect = overlay_tool(frame, sprite, tip)
    assert np.abs(frame.astype(np.float32) - expected).max() <= 1.0
    assert rect == (max(0, left), max(0, top), min(200, left + sprite_w), min(200, top + sprite_h))
    assert len(sprite.bands) > 1


def test_lifting_the_tool_restores_the_canvas_exactly():
    canvas = np.random.default_rng(5).integers(0, 256, (120, 160, 3), np.uint8)
    before = canvas.copy()
    layer = ToolLayer(canvas)
    layer.lay(pencil_sprite(70), (40.0, 100.0))
    assert not np.array_equal(canvas, before), "the tool shows"
    second = layer.lay(brush_sprite(70, (0, 0, 255)), (150.0, 10.0))
    outside = np.ones(canvas.shape[:2], bool)
    outside[second[1] : second[3], second[0] : second[2]] = False
    assert np.array_equal(canvas[outside], before[outside]), "laying a tool lifts the one before"
    assert layer.lift() == second
    assert np.array_equal(canvas, before)
    assert layer.lift() == (0, 0, 0, 0), "nothing to lift twice"
