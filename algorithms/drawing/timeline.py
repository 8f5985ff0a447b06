"""When the tool is where: strokes joined by eased travel into one path, timed over frames.

A hand does not teleport between strokes: it lifts, travels (slow, fast, slow) and sets
down again. The path holds the strokes' points and the travel between them; every step
costs time by its length and kind (a hatch is flicked faster than a contour is drawn),
and the frames split that time evenly. The tool's position in each frame is read off the
path at the frame's end, and its speed is held to a bound, so it glides where the ink
comes quickly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

TRAVEL_COST = 0.5  # time per pixel of travel, relative to a contour's ink
TRAVEL_STEP = 6.0  # pixels between travel points at full speed
GLIDE_SAMPLES = 8  # points a gliding tool averages over a frame


@dataclass(frozen=True)
class ToolPath:
    """Strokes and the travel between them as one timed path.

    Attributes
    ----------
    points : ndarray, shape (N, 2), float32
        ``(x, y)`` of every point, strokes and travel in order.
    stroke : ndarray, shape (N,), int64
        The index of the stroke a point draws, or -1 for travel.
    time : ndarray, shape (N,), float64
        When the tool reaches each point, from 0 (the first point) to 1 (the last).
    """

    points: np.ndarray
    stroke: np.ndarray
    time: np.ndarray

    def frames(self, frame_count: int) -> np.ndarray:
        """The frame, 0 to ``frame_count - 1``, in which each point is reached, shape (N,)."""
        return np.minimum(frame_count - 1, (self.time * frame_count).astype(np.int64))

    def positions(
        self, frame_count: int, max_step: float, *, start: np.ndarray | None = None, glide: bool = False
    ) -> np.ndarray:
        """Where the tool is in each frame, shape (frame_count, 2), moving at most ``max_step``
        pixels a frame from ``start`` (default: the path's first point); it catches up with
        the path when it falls behind.

        The tool is where the path is at the frame's end, or, with ``glide``, at the mean of
        where it is during the frame: a hand hatching to and fro glides over its strokes.
        """
        samples = GLIDE_SAMPLES if glide else 1
        times = (np.arange(frame_count * samples) + 1) / (frame_count * samples)
        path = np.stack([np.interp(times, self.time, self.points[:, axis]) for axis in (0, 1)], axis=1)
        target = path.reshape(frame_count, samples, 2).mean(axis=1)
        held = np.empty_like(target)
        here = self.points[0] if start is None else np.asarray(start, np.float64)
        for index in range(frame_count):
            move = target[index] - here
            length = float(np.hypot(*move))
            here = here + (move * (max_step / length) if length > max_step else move)
            held[index] = here
        return held


def join_strokes(
    strokes: Sequence[np.ndarray],
    costs: Sequence[float],
    start: np.ndarray | None = None,
    dwell: np.ndarray | None = None,
) -> ToolPath:
    """Join ``strokes`` (each (n, 2)) with eased travel and time the whole path.

    ``costs[i]`` is the time per pixel of stroke ``i`` (1 for a contour); travel costs
    :data:`TRAVEL_COST` per pixel, more where it speeds up and slows down. ``start`` is
    where the tool comes from (no travel to the first stroke if None). ``dwell[i]``, if
    given, is time spent on stroke ``i`` besides its length (a dab), before its last point.
    """
    if not strokes:
        empty = np.zeros((1, 2), np.float32) if start is None else np.asarray(start, np.float32)[None]
        return ToolPath(empty, np.full(1, -1, np.int64), np.zeros(1))
    lengths = np.array([len(stroke) for stroke in strokes])
    firsts = np.array([stroke[0] for stroke in strokes], np.float32)
    lasts = np.array([stroke[-1] for stroke in strokes], np.float32)
    origins = np.concatenate([[start if start is not None else firsts[0]], lasts[:-1]]).astype(np.float32)
    travel, slowness, gaps = _travel(origins, firsts, skip_first=start is None)
    blocks = np.concatenate([[0], np.cumsum(gaps + lengths)[:-1]])
    travel_at = np.repeat(blocks, gaps) + _ramp(gaps)
    stroke_at = np.repeat(blocks + gaps, lengths) + _ramp(lengths)
    total = int(gaps.sum() + lengths.sum())
    points = np.empty((total, 2), np.float32)
    owners = np.full(total, -1, np.int64)
    weights = np.empty(total)
    points[travel_at], weights[travel_at] = travel, TRAVEL_COST * slowness
    points[stroke_at] = np.concatenate(strokes)
    owners[stroke_at] = np.repeat(np.arange(len(strokes)), lengths)
    weights[stroke_at] = np.repeat(np.asarray(costs, np.float64), lengths)
    steps = np.zeros(total)
    steps[1:] = np.hypot(*np.diff(points, axis=0).T)
    steps *= weights
    if dwell is not None:
        steps[stroke_at[np.cumsum(lengths) - 1]] += dwell
    elapsed = np.cumsum(steps)
    return ToolPath(points, owners, elapsed / max(float(elapsed[-1]), 1e-9))


def _ramp(counts: np.ndarray) -> np.ndarray:
    """0, 1, ..., n - 1 for each n of ``counts``, one after another."""
    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def _travel(
    origins: np.ndarray, targets: np.ndarray, *, skip_first: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Eased points from each origin to its target (both excluded), the relative slowness of each
    step, and how many points each travel has: the tool leaves and arrives gently."""
    distance = np.hypot(*(targets - origins).T)
    gaps = np.maximum(2, np.ceil(distance / TRAVEL_STEP).astype(np.int64)) - 1
    if skip_first:
        gaps[0] = 0
    fraction = (_ramp(gaps) + 1) / np.repeat(gaps + 1, gaps)
    eased = fraction * fraction * (3.0 - 2.0 * fraction)
    origin, target = np.repeat(origins, gaps, axis=0), np.repeat(targets, gaps, axis=0)
    points = (origin + (target - origin) * eased[:, None]).astype(np.float32)
    # Steps of the eased curve are short at both ends: time per pixel there is raised so the
    # tool spends about the same time on every step (slow near the ends, fast in the middle).
    return points, 1.0 / (6.0 * fraction * (1.0 - fraction) + 0.25), gaps
