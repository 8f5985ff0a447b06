"""The order a layer's strokes are painted in, and their geometry for drawing."""

from __future__ import annotations

import numpy as np

from ...drawing.geometry import fixed_point
from .regions import Regions
from .strokes import StrokeLayer


def order_strokes(
    strokes: StrokeLayer, regions: Regions, pens: dict[int, np.ndarray]
) -> tuple[np.ndarray, np.ndarray]:
    """Painting order of a layer's strokes: area by area, and in each area always on to the
    nearest stroke end, as a hand would, from where the brush left that area last.

    Parameters
    ----------
    pens : dict of int to ndarray (2,)
        Where the brush left each area (by rank); updated in place to where it leaves now.

    Returns
    -------
    order : ndarray, shape (N,), int64
    flip : ndarray, shape (N,), bool
        Strokes to paint from their end (see :meth:`StrokeLayer.flipped`), by index.
    """
    count = len(strokes)
    flip = np.zeros(count, bool)
    if count == 0:
        return np.zeros(0, np.int64), flip
    firsts = strokes.points[:, 0]
    lasts = strokes.points[np.arange(count), strokes.counts - 1]
    areas = regions.rank_at(firsts)
    order = []
    for area in np.unique(areas).tolist():
        members = np.flatnonzero(areas == area)
        pen = pens.get(area, pens.get(area - 1, firsts[members[0]]))
        tour, backwards = _nearest_ends(firsts[members], lasts[members], pen)
        order.append(members[tour])
        flip[members[tour[backwards]]] = True
        last = members[tour[-1]]
        pens[area] = firsts[last] if flip[last] else lasts[last]
    return np.concatenate(order), flip


def _nearest_ends(firsts: np.ndarray, lasts: np.ndarray, pen: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A greedy tour: from ``pen``, always the stroke with the nearest end, painted from that end.
    Returns the tour (indices) and which of its steps run backwards, both shape (n,)."""
    count = len(firsts)
    # Ends as complex numbers: a distance is one subtraction and one abs, few calls a step.
    ends = (firsts[:, 0] + 1j * firsts[:, 1]).tolist() + (lasts[:, 0] + 1j * lasts[:, 1]).tolist()
    free = np.array(ends, np.complex128)  # the ends still free, compacted as they are taken
    owner = np.arange(2 * count)
    position = np.arange(2 * count)  # where each end is in ``free``
    here = complex(float(pen[0]), float(pen[1]))
    tour = np.empty(count, np.int64)
    backwards = np.zeros(count, bool)
    taken = 0
    for step in range(count):
        nearest = int(owner[int(np.abs(free - here).argmin())])
        index, reverse = nearest % count, nearest >= count
        tour[step], backwards[step] = index, reverse
        free[position[index]] = free[position[index + count]] = np.inf
        taken += 2
        if 2 * taken > len(free):  # most are taken: a smaller search from now on
            keep = np.isfinite(free)
            free, owner, taken = free[keep], owner[keep], 0
            position[owner] = np.arange(len(owner))
        here = ends[index] if reverse else ends[index + count]
    return tour, backwards


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
