"""The line drawing: the picture's main contours as ordered pen strokes."""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

MIN_STROKE_FRACTION = 0.025  # of the diagonal: shorter fragments are speckle, not lines
SMALL_LOOP_FRACTION = 0.05  # closed strokes this small (a highlight's rim) are no lines either
SPACING = 2.5  # pixels between a line's points once traced
DOUBLE_DISTANCE = 4  # a stroke mostly this close to a longer one doubles it
CHUNK = 8  # points of a stroke checked for doubling at a time (8 x 2.5 px)


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
    strokes = [_resample(stroke) for stroke in _candidate_strokes(picture)]
    strokes = [stroke for stroke in strokes if len(stroke) >= 2]
    if not strokes:
        return []
    strength, weight = _coarse_strength(picture), subject_weight(picture)
    outline, subject = _along(strength, strokes), _along(weight, strokes)
    lengths = np.array([_length(stroke) for stroke in strokes])
    score = lengths * (0.25 + outline) * (0.5 + subject / max(float(subject.max()), 1e-9))
    diagonal = float(np.hypot(*picture.shape[:2]))
    pieces = _undoubled([strokes[i] for i in np.argsort(-score, kind="stable")], picture.shape[:2])
    pieces = [piece for piece in pieces if _length(piece) >= MIN_STROKE_FRACTION * diagonal]
    if not pieces:
        return []
    pieces = pieces[: _within(np.array([_length(piece) for piece in pieces]), budget)]
    outline, subject = _along(strength, pieces), _along(weight, pieces)
    is_outline = outline >= np.median(outline)
    ordered: list[np.ndarray] = []
    for group in (np.flatnonzero(is_outline), np.flatnonzero(~is_outline)):
        ordered += order_lines([pieces[i] for i in group.tolist()], subject[group])
    return ordered


def _candidate_strokes(picture: np.ndarray) -> list[np.ndarray]:
    """Edge strokes of at least :data:`MIN_STROKE_FRACTION` of the diagonal, small loops dropped."""
    edges = _edge_map(picture)
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return []
    points, cuts = _split_unvisited(contours, edges.shape[1])
    diagonal = float(np.hypot(*edges.shape))
    smoothed = _smooth(points, cuts)
    bounds = np.concatenate([[0], cuts, [len(points)]]).tolist()
    strokes = []
    for first, last in zip(bounds[:-1], bounds[1:]):
        stroke = smoothed[first:last]
        extent = float(np.hypot(*(stroke.max(axis=0) - stroke.min(axis=0)))) if len(stroke) else 0.0
        closed = len(stroke) > 2 and float(np.hypot(*(stroke[0] - stroke[-1]))) < 3.0
        if _length(stroke) >= MIN_STROKE_FRACTION * diagonal and not (
            closed and extent < SMALL_LOOP_FRACTION * diagonal
        ):
            strokes.append(stroke)
    return strokes


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
    """Edge strength at the scale of shapes, 0 to 1, shape (H, W): high on outlines."""
    gray = cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY).astype(np.float32)
    blurred = cv2.GaussianBlur(gray, (0, 0), max(2.0, min(gray.shape) / 80.0))
    magnitude = cv2.magnitude(cv2.Sobel(blurred, cv2.CV_32F, 1, 0), cv2.Sobel(blurred, cv2.CV_32F, 0, 1))
    return magnitude / max(float(np.percentile(magnitude, 99)), 1e-6)


def _along(field: np.ndarray, strokes: list[np.ndarray]) -> np.ndarray:
    """The mean of ``field`` (H, W) along each stroke, shape (S,)."""
    points = np.concatenate(strokes).astype(np.intp)
    points[:, 0] = np.clip(points[:, 0], 0, field.shape[1] - 1)
    points[:, 1] = np.clip(points[:, 1], 0, field.shape[0] - 1)
    lengths = np.array([len(stroke) for stroke in strokes])
    return np.add.reduceat(field[points[:, 1], points[:, 0]], np.cumsum(lengths) - lengths) / lengths


def _undoubled(strokes: list[np.ndarray], shape: tuple[int, ...]) -> list[np.ndarray]:
    """The parts of ``strokes`` (best first) that do not run beside a part kept before them: the
    two edges of a thin line, or an edge traced there and back, become one line."""
    taken = np.zeros(shape[:2], np.uint8)
    pieces: list[np.ndarray] = []
    for stroke in strokes:
        piece: list[np.ndarray] = []
        for first in range(0, len(stroke) - 1, CHUNK):
            chunk = stroke[first : first + CHUNK + 1]
            points = chunk.astype(np.intp)
            xs, ys = np.clip(points[:, 0], 0, shape[1] - 1), np.clip(points[:, 1], 0, shape[0] - 1)
            if taken[ys, xs].mean() > 0.6:  # beside what is drawn already: the piece ends here
                if piece:
                    pieces.append(np.concatenate(piece))
                piece = []
                continue
            piece.append(chunk if not piece else chunk[1:])
            cv2.polylines(taken, [points.astype(np.int32)], False, 1, 2 * DOUBLE_DISTANCE + 1)
        if piece:
            pieces.append(np.concatenate(piece))
    return pieces


def _within(lengths: np.ndarray, budget: float) -> int:
    """How many of the strokes of ``lengths`` (best first) fit in ``budget`` pixels of ink (at least one)."""
    return max(1, int(np.searchsorted(np.cumsum(lengths), budget, side="right")))


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
