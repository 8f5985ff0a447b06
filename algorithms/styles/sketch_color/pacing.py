"""Strokes as one sequence of points, paced so every frame lays the same length of ink."""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ...drawing.geometry import fixed_point


@dataclass(frozen=True)
class StrokeSequence:
    """Ordered strokes flattened into one array.

    Attributes
    ----------
    points : ndarray, shape (N, 2), float32
        ``(x, y)`` of every point of every stroke, stroke after stroke.
    offsets : ndarray, shape (S + 1,), int64
        Stroke ``s`` is ``points[offsets[s]:offsets[s + 1]]``.
    travelled : ndarray, shape (N,), float64
        Ink laid when the pen reaches each point; the jump between strokes lays none.
    """

    points: np.ndarray
    offsets: np.ndarray
    travelled: np.ndarray

    @classmethod
    def from_strokes(cls, strokes: Sequence[np.ndarray]) -> StrokeSequence:
        """Build the sequence from ``strokes``, each of shape (n_i, 2), n_i >= 1."""
        if not strokes:
            return cls.from_points(np.zeros((0, 2), np.float32), np.zeros(0, np.int64))
        return cls.from_points(np.concatenate(strokes), np.array([len(stroke) for stroke in strokes]))

    @classmethod
    def from_points(cls, points: np.ndarray, lengths: np.ndarray) -> StrokeSequence:
        """Build the sequence from ``points`` (N, 2), the strokes one after another,
        stroke ``s`` having ``lengths[s] >= 1`` points."""
        points = points.astype(np.float32, copy=False)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        if len(points) == 0:
            return cls(points, offsets, np.zeros(0))
        steps = np.zeros(len(points))
        steps[1:] = np.hypot(*np.diff(points, axis=0).T)
        steps[offsets[:-1]] = 0.0
        return cls(points, offsets, np.cumsum(steps))

    @property
    def total_length(self) -> float:
        """Ink length of all strokes together, in pixels."""
        return float(self.travelled[-1]) if len(self.travelled) else 0.0

    def frame_ends(self, frames: int) -> np.ndarray:
        """Index of the last point drawn by each of ``frames`` frames, shape (frames,).

        Frame ``k`` ends where ``(k + 1) / frames`` of the ink is laid, and the
        last frame ends on the last point.
        """
        if len(self.points) == 0:
            return np.full(frames, -1, np.int64)
        targets = self.total_length * np.arange(1, frames + 1) / frames
        ends = np.searchsorted(self.travelled, targets, side="right") - 1
        ends[-1] = len(self.points) - 1
        return ends.astype(np.int64)

    @functools.cached_property
    def fixed_points(self) -> np.ndarray:
        """``points`` in 1/16 pixel, shape (N, 2), int32: OpenCV's drawing input with ``shift=4``."""
        return fixed_point(self.points)

    def piece_ranges(self, first: int, last: int) -> list[tuple[int, int, int]]:
        """The pieces of points ``first..last``, one per stroke, as ``(stroke, start, stop)``.

        ``points[start:stop]`` is the piece. Each piece starts one point early, at
        the point the previous piece ended on, so consecutive frames join into one
        continuous line.
        """
        if last < first:
            return []
        offsets = self._offset_list
        ranges = []
        for stroke in range(self.stroke_at(first), self.stroke_at(last) + 1):
            ranges.append((stroke, max(offsets[stroke], first - 1), min(last + 1, offsets[stroke + 1])))
        return ranges

    def stroke_at(self, point: int) -> int:
        """The index of the stroke that point ``point`` belongs to."""
        return bisect.bisect_right(self._offset_list, point) - 1

    @functools.cached_property
    def _offset_list(self) -> list[int]:
        # Per-frame lookups of a few points: bisect on a list beats NumPy's call overhead.
        return self.offsets.tolist()
