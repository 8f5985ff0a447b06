"""The pencil and the brush in the hand: laid on the canvas each frame, leaning with the motion."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict

import numpy as np

from .geometry import NOTHING, Rect
from .overlay import ToolLayer, ToolSurface
from .sprites import LEAN, ToolSprite, brush_sprite, pencil_sprite, tool_length

MAX_TOOL_STEP = 0.055  # diagonals a frame the tool may move
SWING = 12.0  # degrees the tool leans further or less as the hand moves right or left
ANGLE_STEP = 6.0  # sprites are made every this many degrees
LONGEST = 320  # pixels: a longer hand and its sprites would cost memory, not add to the look
BRUSHES_KEPT = 8  # loaded brushes kept for reuse (the colour changes region by region)
COLOUR_STEP = 96  # brush sprites are made per paint colour rounded to this


class ToolHand:
    """Lays the pencil or the brush on ``canvas`` at the given tip, as ``tool`` says.

    ``tool`` is ``"hand"`` (a hand holds the tool), ``"pencil"`` (the tool alone) or ``"none"``.
    The lean follows the horizontal motion, smoothed, within :data:`SWING` degrees. The tool
    goes on ``surface`` when given (a frame larger than the canvas), else on ``canvas`` itself.
    """

    def __init__(
        self, canvas: np.ndarray, tool: str, max_step: float, *, surface: ToolSurface | None = None
    ) -> None:
        self._layer: ToolSurface = surface if surface is not None else ToolLayer(canvas)
        self._shown = tool != "none"
        self._hand = tool == "hand"
        self._length = min(tool_length(canvas.shape[1], canvas.shape[0]), LONGEST)
        self.max_step = max_step
        self._previous: np.ndarray | None = None
        self._lean = 0.0
        self._brushes: OrderedDict[tuple[float, int, int, int], ToolSprite] = OrderedDict()

    def lift(self) -> Rect:
        """Take the tool off the canvas; the rectangle restored."""
        return self._layer.lift() if self._shown else NOTHING

    def pencil(self, tip: np.ndarray) -> Rect:
        """Lay the pencil with its point at ``tip``; the rectangle drawn on."""
        if not self._shown:
            return NOTHING
        sprite = pencil_sprite(self._length, angle=self._angle(tip), hand=self._hand)
        return self._layer.lay(sprite, (float(tip[0]), float(tip[1])))

    @property
    def last(self) -> np.ndarray | None:
        """Where the tool's tip was laid last (None before the first frame)."""
        return self._previous

    def brush(self, tip: np.ndarray, paint_bgr: tuple[int, int, int], *, opacity: float = 1.0) -> Rect:
        """Lay the brush, loaded with about ``paint_bgr``, its tip at ``tip``; ``opacity`` below 1
        fades it (the hand lifting away)."""
        if not self._shown:
            return NOTHING
        angle = self._angle(tip)
        blue, green, red = (
            int(channel) // COLOUR_STEP * COLOUR_STEP + COLOUR_STEP // 2 for channel in paint_bgr
        )
        key = (angle, blue, green, red)
        if key not in self._brushes:
            self._brushes[key] = brush_sprite(self._length, (blue, green, red), angle=angle, hand=self._hand)
            if len(self._brushes) > BRUSHES_KEPT:  # at 1920 px a hand's sprite is megabytes
                self._brushes.popitem(last=False)
        self._brushes.move_to_end(key)
        sprite = self._brushes[key]
        if opacity < 1.0:
            weight = np.ascontiguousarray(sprite.weight * np.float32(opacity))
            sprite = dataclasses.replace(sprite, weight=weight, inverse=1.0 - weight)
        return self._layer.lay(sprite, (float(tip[0]), float(tip[1])))

    def _angle(self, tip: np.ndarray) -> float:
        """The lean for a tip at ``tip``, from the smoothed horizontal speed, on the sprite grid."""
        if self._previous is not None:
            speed = float(tip[0] - self._previous[0]) / max(self.max_step, 1e-6)
            self._lean = 0.75 * self._lean + 0.25 * float(np.clip(speed, -1.0, 1.0))
        self._previous = np.array(tip, np.float64)
        angle = LEAN + SWING * self._lean
        return float(round(angle / ANGLE_STEP) * ANGLE_STEP)
