"""The line drawing: the picture's main contours as ordered pen strokes."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

MIN_STROKE_FRACTION = 0.025  # of the diagonal: shorter fragments are speckle, not lines
SMALL_LOOP_FRACTION = 0.05  # closed strokes this small (a highlight's rim) are no lines either
SPACING = 2.5  # pixels between a line's points once traced
DOUBLE_DISTANCE = 4  # a stroke mostly this close to a longer one doubles it
CHUNK = 20  # points of a stroke (about a pixel apart) checked for doubling at a time


def trace_lines(picture: np.ndarray, *, budget: float) -> list[np.ndarray]:
    """The picture's main contours as pen strokes in drawing order, at most ``budget`` px of ink.

    Long strokes only (no fragments, no loops around highlights, one line per edge);
    outlines (edges that are strong at a coarse scale) come before interior detail, and
    within each the main subject comes first.

    Parameters
    ----------
    picture : ndarray, shape (H, W, 3), uint8
        BGR picture.
    budget : float
        Ink length in pixels; the most telling strokes are kept within it.

    Returns
    -------
    strokes : list of ndarray, each of shape (n, 2), float32
        Point sequences ``(x, y)``, about :data:`SPACING` pixels apart, in drawing order.
    """
    strokes, lengths = _candidate_strokes(picture)
    if not strokes:
        return []
    strength, weight = _coarse_strength(picture), subject_weight(picture)
    outline, subject = _along(strength, strokes), _along(weight, strokes)
    score = lengths * (0.25 + outline) * (0.5 + subject / max(float(subject.max()), 1e-9))
    diagonal = float(np.hypot(*picture.shape[:2]))
    best_first = [strokes[i] for i in np.argsort(-score, kind="stable")]
    pieces = _undoubled(best_first, picture.shape[:2], MIN_STROKE_FRACTION * diagonal, budget)
    if not pieces:
        return []
    pieces = [_resample(piece) for piece in pieces]
    outline, subject = _along(strength, pieces), _along(weight, pieces)
    is_outline = outline >= np.median(outline)
    ordered: list[np.ndarray] = []
    for group in (np.flatnonzero(is_outline), np.flatnonzero(~is_outline)):
        ordered += order_lines([pieces[i] for i in group.tolist()], subject[group])
    return ordered


def _candidate_strokes(picture: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Edge strokes of at least :data:`MIN_STROKE_FRACTION` of the diagonal, small loops dropped,
    points about a pixel apart, and their lengths."""
    edges = _edge_map(picture)
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return [], np.zeros(0)
    points, cuts = _split_unvisited(contours, edges.shape[1])
    diagonal = float(np.hypot(*edges.shape))
    smoothed = _smooth(points, cuts)
    starts = np.concatenate([[0], cuts]).astype(np.int64)
    ends = np.concatenate([cuts, [len(points)]]).astype(np.int64)
    steps = np.zeros(len(smoothed))
    steps[1:] = np.hypot(*np.diff(smoothed, axis=0).T)
    steps[starts] = 0.0  # no ink from one stroke's end to the next one's start
    lengths = np.add.reduceat(steps, starts)
    extents = np.hypot(*(np.maximum.reduceat(smoothed, starts) - np.minimum.reduceat(smoothed, starts)).T)
    gaps = np.hypot(*(smoothed[starts] - smoothed[ends - 1]).T)
    small_loop = (ends - starts > 2) & (gaps < 3.0) & (extents < SMALL_LOOP_FRACTION * diagonal)
    keep = np.flatnonzero((lengths >= MIN_STROKE_FRACTION * diagonal) & ~small_loop)
    return [smoothed[starts[index] : ends[index]] for index in keep.tolist()], lengths[keep]


def _length(stroke: np.ndarray) -> float:
    return float(np.hypot(*np.diff(stroke, axis=0).T).sum()) if len(stroke) > 1 else 0.0


def _resample(stroke: np.ndarray) -> np.ndarray:
    """``stroke`` with a point every :data:`SPACING` pixels along it."""
    steps = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(stroke, axis=0).T))])
    at = np.arange(0.0, steps[-1] + 1e-6, SPACING)
    if steps[-1] - at[-1] > 0.5:
        at = np.append(at, steps[-1])
    return np.stack([np.interp(at, steps, stroke[:, 0]), np.interp(at, steps, stroke[:, 1])], 1).astype(
        np.float32
    )


def _coarse_strength(picture: np.ndarray) -> np.ndarray:
    """Edge strength at the scale of shapes, 0 to 1, shape (H, W): high on outlines (found on a
    quarter-size copy: it is smooth)."""
    height, width = picture.shape[:2]
    small = cv2.resize(picture, (max(1, width // 4), max(1, height // 4)), interpolation=cv2.INTER_AREA)
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY).astype(np.float32)
    blurred = cv2.GaussianBlur(gray, (0, 0), max(0.5, min(gray.shape) / 80.0))
    magnitude = cv2.magnitude(cv2.Sobel(blurred, cv2.CV_32F, 1, 0), cv2.Sobel(blurred, cv2.CV_32F, 0, 1))
    magnitude = cv2.resize(magnitude, (width, height), interpolation=cv2.INTER_LINEAR)
    return magnitude / max(float(np.percentile(magnitude[::4, ::4], 99)), 1e-6)


def _along(field: np.ndarray, strokes: list[np.ndarray]) -> np.ndarray:
    """The mean of ``field`` (H, W) along each stroke, shape (S,)."""
    points = np.concatenate(strokes).astype(np.intp)
    points[:, 0] = np.clip(points[:, 0], 0, field.shape[1] - 1)
    points[:, 1] = np.clip(points[:, 1], 0, field.shape[0] - 1)
    lengths = np.array([len(stroke) for stroke in strokes])
    return np.add.reduceat(field[points[:, 1], points[:, 0]], np.cumsum(lengths) - lengths) / lengths


def _undoubled(
    strokes: list[np.ndarray], shape: tuple[int, ...], shortest: float, budget: float
) -> list[np.ndarray]:
    """The parts of ``strokes`` (best first) that do not run beside a part kept before them, at
    least ``shortest`` pixels long, until ``budget`` pixels of ink are kept (at least one part):
    the two edges of a thin line, or an edge traced there and back, become one line."""
    taken = np.zeros(shape[:2], np.uint8)
    pieces: list[np.ndarray] = []
    ink = 0.0
    for stroke in strokes:
        for piece in _fresh_parts(stroke, taken):
            length = _length(piece)
            if length < shortest:
                continue
            if pieces and ink + length > budget:
                return pieces
            pieces.append(piece)
            ink += length
    return pieces


def _fresh_parts(stroke: np.ndarray, taken: np.ndarray) -> list[np.ndarray]:
    """The runs of ``stroke`` not beside what ``taken`` (H, W) uint8 marks; they are marked in turn."""
    height, width = taken.shape
    parts: list[np.ndarray] = []
    part: list[np.ndarray] = []
    for first in range(0, len(stroke) - 1, CHUNK):
        chunk = stroke[first : first + CHUNK + 1]
        points = chunk.astype(np.intp)
        xs, ys = np.clip(points[:, 0], 0, width - 1), np.clip(points[:, 1], 0, height - 1)
        if taken[ys, xs].mean() > 0.6:  # beside what is drawn already: the part ends here
            if part:
                parts.append(np.concatenate(part))
            part = []
            continue
        part.append(chunk if not part else chunk[1:])
        cv2.polylines(taken, [points.astype(np.int32)], False, 1, 2 * DOUBLE_DISTANCE + 1)
    if part:
        parts.append(np.concatenate(part))
    return parts


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
    high = max(float(np.percentile(magnitude[::2, ::2], 90)), 40.0)
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
