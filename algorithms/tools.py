"""The pencil and the paint brush, drawn by code as anti-aliased sprites with a soft shadow."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

SUPERSAMPLE = 4
# The tool leans up and to the right, as held by a right hand; the tip is the drawn point.
_AXIS = np.array([np.cos(np.radians(-50.0)), np.sin(np.radians(-50.0))])
_NORMAL = np.array([-_AXIS[1], _AXIS[0]])

# Parts as (polygon in (along the axis, across it) units of the tool's length, BGR colour).
_PENCIL_PARTS = (
    ([(0.00, 0.0), (0.17, -0.045), (0.17, 0.045)], (150, 195, 226)),   # sharpened wood
    ([(0.00, 0.0), (0.06, -0.016), (0.06, 0.016)], (45, 45, 50)),      # graphite
    ([(0.17, -0.045), (0.86, -0.045), (0.86, 0.045), (0.17, 0.045)], (40, 190, 245)),
    ([(0.17, -0.012), (0.86, -0.012), (0.86, 0.012), (0.17, 0.012)], (30, 160, 215)),
    ([(0.86, -0.047), (0.93, -0.047), (0.93, 0.047), (0.86, 0.047)], (180, 180, 185)),
    ([(0.93, -0.045), (1.00, -0.040), (1.00, 0.040), (0.93, 0.045)], (150, 140, 230)),
)
_BRUSH_HANDLE = (
    ([(0.30, -0.030), (0.40, -0.040), (1.00, -0.022), (1.00, 0.022), (0.40, 0.040), (0.30, 0.030)],
     (40, 50, 150)),
    ([(0.20, -0.040), (0.32, -0.034), (0.32, 0.034), (0.20, 0.040)], (190, 190, 195)),
)
_BRUSH_TIP = [(0.00, 0.0), (0.04, -0.030), (0.12, -0.045), (0.21, -0.040),
              (0.21, 0.040), (0.12, 0.045), (0.04, 0.030)]


@dataclass(frozen=True)
class ToolSprite:
    """A tool image ready to lay over a frame.

    Attributes
    ----------
    premultiplied : ndarray, shape (h, w, 3), float32
        Colour already multiplied by ``alpha``.
    alpha : ndarray, shape (h, w, 1), float32
        Coverage in [0, 1], shadow included.
    tip : tuple of int
        ``(x, y)`` of the drawing point inside the sprite.
    """

    premultiplied: np.ndarray
    alpha: np.ndarray
    tip: tuple[int, int]


def tool_length(width: int, height: int) -> int:
    """Length in pixels of the tools for a frame of ``width`` x ``height``."""
    return max(40, int(round(0.24 * min(width, height) + 0.04 * max(width, height))))


def pencil_sprite(length: int) -> ToolSprite:
    """The pencil, ``length`` pixels long, tip at its lower left."""
    return _make_sprite(_PENCIL_PARTS, length)


def brush_sprite(length: int, paint_bgr: tuple[int, int, int]) -> ToolSprite:
    """The round paint brush, ``length`` pixels long, its bristles loaded with ``paint_bgr``."""
    paint = tuple(int(channel) for channel in paint_bgr)
    return _make_sprite(_BRUSH_HANDLE + ((_BRUSH_TIP, paint),), length)


def overlay_tool(frame: np.ndarray, sprite: ToolSprite, tip_xy: tuple[float, float]) -> None:
    """Draw ``sprite`` on ``frame`` (H, W, 3) uint8, in place, its tip at ``tip_xy``."""
    height, width = frame.shape[:2]
    sprite_h, sprite_w = sprite.alpha.shape[:2]
    left = int(round(tip_xy[0])) - sprite.tip[0]
    top = int(round(tip_xy[1])) - sprite.tip[1]
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + sprite_w, width), min(top + sprite_h, height)
    if x0 >= x1 or y0 >= y1:
        return
    alpha = sprite.alpha[y0 - top:y1 - top, x0 - left:x1 - left]
    colour = sprite.premultiplied[y0 - top:y1 - top, x0 - left:x1 - left]
    region = frame[y0:y1, x0:x1]
    region[:] = (region * (1.0 - alpha) + colour + 0.5).astype(np.uint8)


def _make_sprite(parts, length: int) -> ToolSprite:
    scale = length * SUPERSAMPLE
    margin = int(0.12 * scale)
    ends = np.array([[0.0, 0.0], _AXIS * scale]) + np.array([[0, 0], [0, 0]])
    low = ends.min(axis=0) - margin
    high = ends.max(axis=0) + margin
    tip = -low
    size = (int(np.ceil(high[1] - low[1])), int(np.ceil(high[0] - low[0])))
    colour = np.zeros(size + (3,), np.float32)
    coverage = np.zeros(size, np.float32)
    for polygon, bgr in parts:
        points = np.array([tip + u * scale * _AXIS + v * scale * _NORMAL for u, v in polygon])
        mask = np.zeros(size, np.uint8)
        cv2.fillPoly(mask, [np.round(points * 16).astype(np.int32)], 255, cv2.LINE_AA, shift=4)
        weight = mask.astype(np.float32)[:, :, None] / 255.0
        colour = colour * (1.0 - weight) + np.array(bgr, np.float32) * weight
        coverage = np.maximum(coverage, weight[:, :, 0])
    return _shrink_with_shadow(colour, coverage, tip, scale)


def _shrink_with_shadow(colour: np.ndarray, coverage: np.ndarray, tip: np.ndarray,
                        scale: float) -> ToolSprite:
    small = (colour.shape[1] // SUPERSAMPLE, colour.shape[0] // SUPERSAMPLE)
    premultiplied = cv2.resize(colour * coverage[:, :, None], small, interpolation=cv2.INTER_AREA)
    alpha = cv2.resize(coverage, small, interpolation=cv2.INTER_AREA)
    offset = max(2, int(round(0.02 * scale / SUPERSAMPLE)))
    shift = np.float32([[1, 0, offset], [0, 1, offset]])
    shadow = cv2.warpAffine(alpha, shift, small)
    shadow = cv2.GaussianBlur(shadow, (0, 0), offset * 0.8) * 0.35
    # The shadow never darkens the paper under the tip, so the drawn point stays exact.
    shadow_alpha = shadow * (1.0 - alpha)
    total_alpha = alpha + shadow_alpha
    tip_small = (int(round(tip[0] / SUPERSAMPLE)), int(round(tip[1] / SUPERSAMPLE)))
    return ToolSprite(premultiplied=np.ascontiguousarray(premultiplied, np.float32),
                      alpha=np.ascontiguousarray(total_alpha[:, :, None], np.float32),
                      tip=tip_small)
