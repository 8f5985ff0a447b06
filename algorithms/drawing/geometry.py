"""Rectangles of changed pixels and OpenCV's fixed-point coordinates."""

from __future__ import annotations

import numpy as np

# (x0, y0, x1, y1): columns x0..x1-1 and rows y0..y1-1; empty when x1 <= x0 or y1 <= y0.
Rect = tuple[int, int, int, int]

NOTHING: Rect = (0, 0, 0, 0)  # the changed area of a frame identical to the one before

SHIFT = 4  # fractional bits of fixed-point coordinates, OpenCV's drawing ``shift``
FIXED_ONE = 1 << SHIFT


def union_rect(rects: list[Rect]) -> Rect:
    """The smallest rectangle holding every non-empty rectangle of ``rects``."""
    boxes = [rect for rect in rects if rect[2] > rect[0] and rect[3] > rect[1]]
    if not boxes:
        return NOTHING
    x0s, y0s, x1s, y1s = zip(*boxes)
    return (min(x0s), min(y0s), max(x1s), max(y1s))


def clip_rect(rect: Rect, width: int, height: int) -> Rect:
    """``rect`` clipped to a ``width`` x ``height`` frame (empty if it lies outside)."""
    x0, y0, x1, y1 = rect
    return (min(max(x0, 0), width), min(max(y0, 0), height), min(max(x1, 0), width), min(max(y1, 0), height))


def fixed_point(points: np.ndarray) -> np.ndarray:
    """Float ``(x, y)`` points, any shape (..., 2), as fixed-point int32 (``SHIFT`` fractional bits)."""
    return np.rint(points * FIXED_ONE).astype(np.int32)
