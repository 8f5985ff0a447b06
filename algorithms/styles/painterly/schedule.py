"""When each stroke is painted: the layers one after another, each at an even pace."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .strokes import StrokeLayer

FIRST_LAYER_SHARE = 0.3  # of the painting time: the canvas is covered early


@dataclass(frozen=True)
class PaintingPhases:
    """How the video's frames are spent; they add up to the frame count."""

    blank: int  # the bare canvas
    painting: int  # strokes being laid
    dissolve: int  # finish="photo": the painting melts into the picture
    hold: int  # the last image, still


@dataclass(frozen=True)
class LayerClock:
    """When each stroke of one layer is painted, on the painting's clock (0 to 1).

    Attributes
    ----------
    begin, end : ndarray, shape (N,), float64
        When the brush touches down and lifts; stroke ``i + 1`` begins as ``i`` ends.
    lengths : ndarray, shape (N, K), float32
        Cumulative length along each stroke (see :func:`stroke_lengths`), to cut the
        fractions :meth:`run` names with :func:`partial_points`.
    """

    begin: np.ndarray
    end: np.ndarray
    lengths: np.ndarray

    @classmethod
    def even(cls, layer: StrokeLayer, start: float, stop: float) -> LayerClock:
        """Spread ``layer``'s strokes over clock ``start`` to ``stop`` at an even pace:
        the same length of paint every frame, a stroke taking its length plus one
        brush width (touching down and lifting off)."""
        lengths = stroke_lengths(layer)
        durations = lengths[:, -1].astype(np.float64) + 2.0 * layer.radius
        end = np.cumsum(durations)
        if len(end):
            end = start + (stop - start) * end / end[-1]
            end[-1] = stop
        begin = np.concatenate([[start], end[:-1]]) if len(end) else end
        return cls(begin, end, lengths)

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
        span = max(self.end[index] - self.begin[index], 1e-12)
        return float(min(1.0, max(0.0, (clock - self.begin[index]) / span)))


def layer_spans(radii: list[float]) -> np.ndarray:
    """Clock boundaries of the layers, shape (L + 1,), from 0 to 1.

    The first layer gets ``FIRST_LAYER_SHARE``; the others share the rest in
    proportion to ``1 / radius``, about how their paint length grows as the
    brush shrinks, so the finest detail takes the longest and ends the painting.
    """
    if len(radii) == 1:
        return np.array([0.0, 1.0])
    weights = 1.0 / np.asarray(radii[1:], np.float64)
    shares = np.concatenate([[FIRST_LAYER_SHARE], (1.0 - FIRST_LAYER_SHARE) * weights / weights.sum()])
    spans = np.concatenate([[0.0], np.cumsum(shares)])
    spans[-1] = 1.0
    return spans


def painting_phases(frame_count: int, fps: int, finish: str, hold: int | None = None) -> PaintingPhases:
    """Split the frames: one bare canvas, painting, the dissolve for ``finish="photo"``
    (about 15 %, at most half of what the hold leaves), and a still hold at the end:
    ``hold`` frames, or by default about 8 % and at least a second. The hold leaves at
    least two frames before it."""
    if hold is None:
        hold = max(fps, int(round(0.08 * frame_count)))
    hold = max(1, min(frame_count - 2, hold))
    dissolve = min(int(round(0.15 * frame_count)), (frame_count - 1 - hold) // 2) if finish == "photo" else 0
    painting = max(1, frame_count - 1 - hold - dissolve)
    dissolve = frame_count - 1 - hold - painting
    return PaintingPhases(blank=1, painting=painting, dissolve=dissolve, hold=hold)


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
