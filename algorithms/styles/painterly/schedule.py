"""When each stroke is painted: the brush's timed path through the strokes, and the phases of the video."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...drawing.timeline import ToolPath, join_strokes
from .strokes import StrokeLayer

LENGTH_SHARE = 0.45  # of the painting time, spent in proportion to the paint's length; the
# rest in proportion to how much each stroke visibly changes, so every stretch of the video
# brings its share of the picture and the brush still takes its time over long strokes


@dataclass(frozen=True)
class PaintingPhases:
    """How the video's frames are spent; they add up to the frame count."""

    blank: int  # the bare canvas
    painting: int  # strokes being laid
    photo: int  # finish="photo": the picture laid over the painting, stroke by stroke
    hold: int  # the last image, still


@dataclass(frozen=True)
class StrokeClock:
    """When each stroke of a sequence is painted, on a clock from 0 to 1.

    Attributes
    ----------
    begin, end : ndarray, shape (N,), float64
        When the brush touches down and lifts; they do not decrease along the sequence.
    """

    begin: np.ndarray
    end: np.ndarray

    @classmethod
    def along(cls, path: ToolPath, count: int) -> StrokeClock:
        """The clock of the ``count`` strokes of ``path`` (see :func:`stroke_path`)."""
        inked = np.flatnonzero(path.stroke >= 0)
        owner = path.stroke[inked]
        firsts = inked[np.searchsorted(owner, np.arange(count), side="left")]
        lasts = inked[np.searchsorted(owner, np.arange(count), side="right") - 1]
        return cls(path.time[firsts], path.time[lasts])

    def run(self, start: float, stop: float) -> tuple[int, int, float, float] | None:
        """What is painted between clock ``start`` and ``stop``.

        Returns
        -------
        (first, end, low, high) or None
            Strokes ``first`` to ``end - 1``; the first painted from fraction
            ``low`` of its length, the last up to fraction ``high``, the rest whole.
        """
        if stop <= start:
            return None
        first = int(np.searchsorted(self.end, start, side="right"))
        end = min(int(np.searchsorted(self.begin, stop, side="left")), len(self.begin))
        if first >= end:
            return None
        return first, end, self._fraction(first, start), self._fraction(end - 1, stop)

    def _fraction(self, index: int, clock: float) -> float:
        span = self.end[index] - self.begin[index]
        if span <= 1e-12:
            return 0.0 if clock <= self.begin[index] else 1.0
        return float(min(1.0, max(0.0, (clock - self.begin[index]) / span)))


def stroke_path(
    strokes: list[np.ndarray], lengths: np.ndarray, change: np.ndarray, start: np.ndarray | None = None
) -> ToolPath:
    """The brush's timed path through ``strokes`` (each (n, 2), in painting order), from ``start``.

    Each stroke takes time in proportion to its length (``lengths``, (N,), :data:`LENGTH_SHARE`
    of the whole) and to ``change`` (N,), its visible change (the rest); the brush travels
    between strokes, eased, as the pencil of ``sketch-color`` does.
    """
    share = (1.0 - LENGTH_SHARE) * change / max(float(change.sum()), 1e-9)
    share += LENGTH_SHARE * lengths / max(float(lengths.sum()), 1e-9)
    scale = max(float(lengths.sum()), 1.0) / max(float(share.sum()), 1e-9)  # about one time unit a pixel
    flat = lengths < 1.0  # a dab: its time is spent where it is
    costs = np.where(flat, 1.0, share * scale / np.maximum(lengths, 1.0))
    dwell = np.where(flat, share * scale, 0.0)
    return join_strokes(strokes, costs.tolist(), start=start, dwell=dwell)


def painting_phases(frame_count: int, fps: int, finish: str, hold: int | None = None) -> PaintingPhases:
    """Split the frames: one bare canvas, painting, the photo's pass for ``finish="photo"``
    (about 15 %, at most half of what the hold leaves), and a still hold at the end:
    ``hold`` frames, or by default about 8 % and at least a second. The hold leaves at
    least two frames before it."""
    if hold is None:
        hold = max(fps, int(round(0.08 * frame_count)))
    hold = max(1, min(frame_count - 2, hold))
    photo = min(int(round(0.15 * frame_count)), (frame_count - 1 - hold) // 2) if finish == "photo" else 0
    painting = max(1, frame_count - 1 - hold - photo)
    photo = frame_count - 1 - hold - painting
    return PaintingPhases(blank=1, painting=painting, photo=photo, hold=hold)


def stroke_lengths(layer: StrokeLayer) -> np.ndarray:
    """Cumulative length along each stroke's control points, shape (N, K), float32."""
    steps = np.linalg.norm(np.diff(layer.points, axis=1), axis=2)
    steps[~layer.used[:, 1:]] = 0.0  # a step counts if the point it reaches is used
    return np.concatenate([np.zeros((len(layer), 1), np.float32), np.cumsum(steps, axis=1)], axis=1)


def partial_points(points: np.ndarray, lengths: np.ndarray, low: float, high: float) -> np.ndarray:
    """The part of a stroke between fractions ``low`` and ``high`` of its length.

    Parameters
    ----------
    points : ndarray, shape (n, 2), float32
    lengths : ndarray, shape (n,), float32
        Cumulative length at each point (from :func:`stroke_lengths`).

    Returns
    -------
    ndarray, shape (m, 2), float32, m >= 2
    """
    total = float(lengths[-1])
    if total <= 0:
        return points
    ends = np.array([low * total, high * total])
    inner = points[(lengths > ends[0]) & (lengths < ends[1])]
    xs, ys = np.interp(ends, lengths, points[:, 0]), np.interp(ends, lengths, points[:, 1])
    return np.concatenate([[[xs[0], ys[0]]], inner, [[xs[1], ys[1]]]]).astype(np.float32)
