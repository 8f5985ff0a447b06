"""Laying a tool sprite on a frame, in place, and lifting it off again."""

from __future__ import annotations

from typing import Protocol

import cv2
import numpy as np

from .geometry import NOTHING, Rect
from .sprites import ToolSprite


def overlay_tool(frame: np.ndarray, sprite: ToolSprite, tip_xy: tuple[float, float]) -> Rect:
    """Draw ``sprite`` on ``frame`` (H, W, 3) uint8, in place, its tip at ``tip_xy``.

    Returns the rectangle ``(x0, y0, x1, y1)`` drawn on (empty if off the frame).
    """
    rect, corner = _placement(frame.shape, sprite, tip_xy)
    _blend(frame, sprite, rect, corner)
    return rect


class ToolSurface(Protocol):
    """Where a style lays its tool: :class:`ToolLayer`, or a :class:`~algorithms.drawing.sheet.Sheet`."""

    def lay(self, sprite: ToolSprite, tip_xy: tuple[float, float]) -> Rect:
        """Lay ``sprite`` with its tip at ``tip_xy``; return the rectangle of the canvas drawn on."""
        ...

    def lift(self) -> Rect:
        """Take the tool away; return the rectangle of the canvas restored."""
        ...


class ToolLayer:
    """Lays a tool on a canvas, in place, for one frame, and lifts it off again.

    Drawing on the canvas itself instead of on a copy of the whole frame keeps a
    frame's cost to the tool's area; lifting restores what was under the tool.
    """

    def __init__(self, canvas: np.ndarray) -> None:
        self._canvas = canvas
        self._rect: Rect = NOTHING
        self._under: np.ndarray | None = None

    def lay(self, sprite: ToolSprite, tip_xy: tuple[float, float]) -> Rect:
        """Lift the tool if it is down, then draw ``sprite`` at ``tip_xy``; return its rectangle."""
        self.lift()
        rect, corner = _placement(self._canvas.shape, sprite, tip_xy)
        x0, y0, x1, y1 = rect
        self._under = self._canvas[y0:y1, x0:x1].copy()
        _blend(self._canvas, sprite, rect, corner)
        self._rect = rect
        return rect

    def lift(self) -> Rect:
        """Restore the canvas under the tool; return the rectangle restored (empty if none)."""
        rect = self._rect
        if self._under is not None:
            x0, y0, x1, y1 = rect
            self._canvas[y0:y1, x0:x1] = self._under
        self._rect, self._under = NOTHING, None
        return rect


def _blend(frame: np.ndarray, sprite: ToolSprite, rect: Rect, corner: tuple[int, int]) -> None:
    """Blend ``sprite``, its top left at ``corner``, into ``frame`` within ``rect``, strip by strip."""
    left, top = corner
    for band_x0, band_y0, band_x1, band_y1 in sprite.bands:
        x0, y0 = max(rect[0], left + band_x0), max(rect[1], top + band_y0)
        x1, y1 = min(rect[2], left + band_x1), min(rect[3], top + band_y1)
        if x0 < x1 and y0 < y1:
            inside = np.s_[y0 - top : y1 - top, x0 - left : x1 - left]
            under = frame[y0:y1, x0:x1]
            cv2.blendLinear(
                under, sprite.colour[inside], sprite.inverse[inside], sprite.weight[inside], dst=under
            )


def _placement(
    shape: tuple[int, ...], sprite: ToolSprite, tip_xy: tuple[float, float]
) -> tuple[Rect, tuple[int, int]]:
    """Where ``sprite`` lands on a frame of ``shape`` with its tip at ``tip_xy``: the
    rectangle on the frame (empty if off it) and the sprite's top left corner there."""
    height, width = shape[:2]
    sprite_h, sprite_w = sprite.weight.shape
    left = int(round(float(tip_xy[0]))) - sprite.tip[0]
    top = int(round(float(tip_xy[1]))) - sprite.tip[1]
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + sprite_w, width), min(top + sprite_h, height)
    if x0 >= x1 or y0 >= y1:
        return NOTHING, (left, top)
    return (x0, y0, x1, y1), (left, top)
