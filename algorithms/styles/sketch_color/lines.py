"""The line drawing: the picture's main contours as ordered pen strokes."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

MIN_STROKE_FRACTION = 0.01  # of the diagonal: shorter fragments are speckle
INK_BUDGET_DIAGONALS = 40.0  # a busy picture keeps its longest lines up to this much ink


def trace_lines(picture: np.ndarray) -> list[np.ndarray]:
    """Trace the main contours of ``picture`` as pen strokes.

    Parameters
    ----------
    picture : ndarray, shape (H, W, 3), uint8
        BGR picture.

    Returns
    -------
    strokes : list of ndarray, each of shape (n, 2), float32
        Point sequences ``(x, y)``, one pixel apart, unordered; every pixel of
        the edge map is in at most one stroke; none shorter than 1 % of the diagonal.
    """
    edges = _edge_map(picture)
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return []
    points, cuts = _split_unvisited(contours, edges.shape[1])
    diagonal = float(np.hypot(*edges.shape))
    steps = np.hypot(*np.diff(points, axis=0, prepend=points[:1]).T)
    steps[cuts] = 0.0  # no ink between one stroke's end and the next one's start
    lengths = np.add.reduceat(steps, np.concatenate([[0], cuts]))
    keep = np.flatnonzero(lengths >= MIN_STROKE_FRACTION * diagonal)
    keep = keep[np.argsort(-lengths[keep], kind="stable")]
    within_budget = np.cumsum(lengths[keep]) <= INK_BUDGET_DIAGONALS * diagonal
    smoothed = _smooth(points, cuts)
    bounds = np.concatenate([[0], cuts, [len(points)]]).tolist()
    return [smoothed[bounds[index] : bounds[index + 1]] for index in keep[within_budget].tolist()]


def order_lines(strokes: list[np.ndarray], priority: np.ndarray) -> list[np.ndarray]:
    """Order ``strokes`` so the pen travels little: subject first, then nearest neighbour.

    Parameters
    ----------
    strokes : list of ndarray, each (n, 2)
    priority : ndarray, shape (S,)
        Higher for strokes on the main subject; the upper half is drawn first.

    Returns
    -------
    list of ndarray
        The same strokes, some reversed, in drawing order.
    """
    if not strokes:
        return []
    first_group = priority >= np.median(priority)
    ordered: list[np.ndarray] = []
    pen = strokes[int(np.argmax(priority))][0]
    for group in (np.flatnonzero(first_group), np.flatnonzero(~first_group)):
        for stroke in _nearest_neighbour([strokes[i] for i in group], pen):
            ordered.append(stroke)
            pen = stroke[-1]
    return ordered


def subject_weight(picture: np.ndarray) -> np.ndarray:
    """Where the main subject probably is: local contrast times a centre prior.

    Returns
    -------
    ndarray, shape (H, W), float32
    """
    height, width = picture.shape[:2]
    small_size = (max(1, width // 4), max(1, height // 4))  # a smooth map: a quarter size will do
    gray = cv2.cvtColor(
        cv2.resize(picture, small_size, interpolation=cv2.INTER_AREA), cv2.COLOR_BGR2GRAY
    ).astype(np.float32)
    sigma = max(gray.shape) / 40.0
    mean = cv2.GaussianBlur(gray, (0, 0), sigma)
    contrast = cv2.GaussianBlur(np.abs(gray - mean), (0, 0), sigma)
    ys = (np.arange(gray.shape[0], dtype=np.float32) - gray.shape[0] / 2) / gray.shape[0]
    xs = (np.arange(gray.shape[1], dtype=np.float32) - gray.shape[1] / 2) / gray.shape[1]
    centre = np.exp(-(ys[:, None] ** 2 + xs[None, :] ** 2) / 0.18)
    return cv2.resize(contrast * centre, (width, height), interpolation=cv2.INTER_LINEAR)


def _edge_map(picture: np.ndarray) -> np.ndarray:
    gray = cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY)
    smoothed = cv2.bilateralFilter(gray, 7, 50, 5)
    smoothed = cv2.GaussianBlur(smoothed, (0, 0), max(1.0, min(gray.shape) / 300.0))
    gx = cv2.Sobel(smoothed, cv2.CV_32F, 1, 0)
    gy = cv2.Sobel(smoothed, cv2.CV_32F, 0, 1)
    magnitude = cv2.magnitude(gx, gy)
    high = max(float(np.percentile(magnitude, 90)), 40.0)
    return cv2.Canny(smoothed, 0.5 * high, high, L2gradient=True)


def _split_unvisited(contours: Sequence[np.ndarray], width: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut the contours into strokes that each cover edge pixels no earlier stroke covered.

    Returns the strokes' points, shape (N, 2) float32, and the indices where strokes start.

    findContours walks both sides of a one-pixel line; keeping only each pixel's
    first visit turns the there-and-back walk into a single stroke.
    """
    points = np.concatenate([contour.reshape(-1, 2) for contour in contours])
    contour_starts = np.zeros(len(points), bool)
    contour_starts[np.cumsum([0] + [len(c) for c in contours[:-1]])] = True
    _, first_visit = np.unique(points[:, 1] * width + points[:, 0], return_index=True)
    fresh = np.zeros(len(points), bool)
    fresh[first_visit] = True
    previous_fresh = np.concatenate([[False], fresh[:-1]]) & ~contour_starts
    stroke_ids = np.cumsum(fresh & ~previous_fresh)
    cut_at = np.flatnonzero(np.diff(stroke_ids[fresh])) + 1
    return points[fresh].astype(np.float32), cut_at


def _smooth(points: np.ndarray, cuts: np.ndarray) -> np.ndarray:
    """Average each point with two neighbours either side, within its own stroke.

    ``points`` (N, 2) holds the strokes one after another, each starting at 0 or
    at an index of ``cuts``; pixel stair-steps become a pen line. Ends repeat
    their end point; strokes of under five points are left as they are.
    """
    starts = np.concatenate([[0], cuts]).astype(np.int64)
    lengths = np.diff(np.concatenate([starts, [len(points)]]))
    first = np.repeat(starts, lengths)
    last = first + np.repeat(lengths, lengths) - 1
    index = np.arange(len(points))
    total = np.zeros(points.shape, np.float32)
    for offset in range(-2, 3):
        total += points[np.clip(index + offset, first, last)]
    smoothed = total / np.float32(5)
    short = np.repeat(lengths < 5, lengths)
    smoothed[short] = points[short]
    return smoothed


def _nearest_neighbour(strokes: list[np.ndarray], pen: np.ndarray) -> list[np.ndarray]:
    if not strokes:
        return []
    count = len(strokes)
    # Row i < count is stroke i's start, row count + i its end.
    ends = np.array([stroke[0] for stroke in strokes] + [stroke[-1] for stroke in strokes], np.float64)
    xs, ys = ends[:, 0].copy(), ends[:, 1].copy()
    ordered = []
    position_x, position_y = (float(value) for value in pen)
    for _ in range(count):
        nearest = int(np.argmin((xs - position_x) ** 2 + (ys - position_y) ** 2))
        index, reverse = nearest % count, nearest >= count
        xs[index] = xs[index + count] = ys[index] = ys[index + count] = np.inf
        stroke = strokes[index][::-1] if reverse else strokes[index]
        ordered.append(stroke)
        position_x, position_y = (float(value) for value in stroke[-1])
    return ordered
