"""The order a layer's strokes are painted in, and their geometry for drawing."""

from __future__ import annotations

import numpy as np

from ...drawing.geometry import fixed_point
from .strokes import StrokeLayer

TILE_CELLS = 6  # a tile is about this many brush widths across
MIN_TILE, MAX_TILE = 32, 160


def order_strokes(strokes: StrokeLayer, width: int, height: int, rng: np.random.Generator) -> np.ndarray:
    """Painting order of a layer's strokes, shape (N,).

    The brush works tile by tile along a Hilbert curve, so it travels little,
    mostly to a neighbouring tile, and each frame's new paint stays in one area;
    inside a tile the order is random, as in Hertzmann's method. The curve is
    mirrored and turned at random per layer, so layers do not all start in one corner.
    """
    count = len(strokes)
    if count == 0:
        return np.zeros(0, np.int64)
    tile = int(np.clip(TILE_CELLS * 2.0 * strokes.radius, MIN_TILE, MAX_TILE))
    starts = strokes.points[:, 0]
    col = np.clip(starts[:, 0] // tile, 0, (width - 1) // tile).astype(np.int64)
    row = np.clip(starts[:, 1] // tile, 0, (height - 1) // tile).astype(np.int64)
    side = 1 << int(max((width - 1) // tile, (height - 1) // tile, 1)).bit_length()
    if rng.random() < 0.5:
        col = side - 1 - col
    if rng.random() < 0.5:
        row = side - 1 - row
    if rng.random() < 0.5:
        col, row = row, col
    return np.lexsort((rng.random(count), hilbert_index(col, row, side)))


def hilbert_index(x: np.ndarray, y: np.ndarray, side: int) -> np.ndarray:
    """Position along the Hilbert curve filling a ``side`` x ``side`` grid (side a power of 2)."""
    x, y = x.astype(np.int64), y.astype(np.int64)
    index = np.zeros_like(x)
    step = side // 2
    while step > 0:
        right = (x & step) > 0
        up = (y & step) > 0
        index += step * step * ((3 * right) ^ up)
        turn = ~up
        flip = turn & right
        x = np.where(flip, side - 1 - x, x)
        y = np.where(flip, side - 1 - y, y)
        x, y = np.where(turn, y, x), np.where(turn, x, y)
        step //= 2
    return index


def stroke_boxes(strokes: StrokeLayer, reach: int, width: int, height: int) -> np.ndarray:
    """Pixel bounds ``(x0, y0, x1, y1)`` each stroke's paint may touch, shape (N, 4) int64."""
    used = strokes.used
    xs, ys = strokes.points[:, :, 0], strokes.points[:, :, 1]
    low_x = np.where(used, xs, np.inf).min(axis=1)
    low_y = np.where(used, ys, np.inf).min(axis=1)
    high_x = np.where(used, xs, -np.inf).max(axis=1)
    high_y = np.where(used, ys, -np.inf).max(axis=1)
    boxes = np.stack(
        [
            np.floor(low_x) - reach,
            np.floor(low_y) - reach,
            np.ceil(high_x) + reach + 1,
            np.ceil(high_y) + reach + 1,
        ],
        axis=1,
    )
    return np.clip(boxes, 0, [width, height, width, height]).astype(np.int64)


def stroke_polylines(strokes: StrokeLayer) -> list[np.ndarray]:
    """Every stroke's control points as fixed-point int32 arrays of shape (n, 2)."""
    fixed = fixed_point(strokes.points)
    return [fixed[index, :count] for index, count in enumerate(strokes.counts.tolist())]
