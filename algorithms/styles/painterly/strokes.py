"""Curved brush strokes after Hertzmann (SIGGRAPH 1998), traced a whole layer at a time.

From their starts (``painterly_starts``) strokes follow the isophotes (perpendicular
to the gradient) in steps of the brush radius and stop at the length limit or where
laying more paint would no longer reduce the error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class StrokeLimits:
    """How a layer's strokes may grow (Hertzmann's min/max length and curvature filter)."""

    min_steps: int
    max_steps: int
    curvature: float  # f_c: 1 turns with the isophotes at once, 0 goes straight
    colour_tolerance: float  # stop where the reference strays this far from the paint


@dataclass(frozen=True)
class StrokeLayer:
    """The strokes of one brush size.

    Attributes
    ----------
    radius : float
        Brush radius in pixels.
    points : ndarray, shape (N, K, 2), float32
        ``(x, y)`` of each stroke's control points; only the first ``counts[i]`` are used.
    counts : ndarray, shape (N,), int64
        Control points per stroke, at least 2.
    colours : ndarray, shape (N, 3), float32
        BGR paint of each stroke.
    """

    radius: float
    points: np.ndarray
    counts: np.ndarray
    colours: np.ndarray

    def __len__(self) -> int:
        return len(self.counts)

    @property
    def used(self) -> np.ndarray:
        """Which control points each stroke uses, shape (N, K), bool."""
        return np.arange(self.points.shape[1])[None, :] < self.counts[:, None]

    def take(self, order: np.ndarray) -> StrokeLayer:
        """The same strokes in ``order``, shape (N,)."""
        return StrokeLayer(self.radius, self.points[order], self.counts[order], self.colours[order])

    def flipped(self, flip: np.ndarray) -> StrokeLayer:
        """The same strokes, those where ``flip`` (N,) bool is set running from their end."""
        steps = np.arange(self.points.shape[1])
        backwards = np.where(flip[:, None], self.counts[:, None] - 1 - steps, steps)
        index = np.where(backwards >= 0, backwards, steps)  # unused points stay where they are
        points = np.take_along_axis(self.points, index[:, :, None], axis=1)
        return StrokeLayer(self.radius, points, self.counts, self.colours)


def grow_strokes(
    starts: np.ndarray,
    reference: np.ndarray,
    canvas: np.ndarray | None,
    direction: np.ndarray,
    radius: float,
    limits: StrokeLimits,
    rng: np.random.Generator,
    areas: Callable[[np.ndarray], np.ndarray] | None = None,
) -> StrokeLayer:
    """Grow every stroke of a layer together, one step of ``radius`` pixels per iteration.

    Parameters
    ----------
    starts : ndarray, shape (N, 2), float32
    reference, canvas : ndarray, shape (H, W, 3), uint8 or float32
        The blurred picture and the painting so far (None: bare, infinitely far).
    direction : ndarray, shape (h, w, 2), float32
        From :func:`painterly_field.stroke_direction`, at this size or smaller (sampled to scale).
    areas : callable or None
        The area of each of N points (N, 2), shape (N,): a stroke stops at the edge of the
        area it starts in.

    Returns
    -------
    StrokeLayer
        Each stroke coloured with the mean reference along its path.
    """
    height, width = reference.shape[:2]
    count = len(starts)
    points = np.zeros((count, limits.max_steps + 1, 2), np.float32)
    points[:, 0] = starts
    counts = np.ones(count, np.int64)
    flat_reference = reference.reshape(-1, 3)
    flat_canvas = None if canvas is None else canvas.reshape(-1, 3)
    field = _Field(direction, width, height)
    # The state of the strokes still growing, compacted as they stop.
    growing = np.arange(count)
    here: np.ndarray = starts.astype(np.float32)
    colours = flat_reference[_pixel_index(here, width, height)].astype(np.float32)
    heading = field.at(here) * np.where(rng.random(count) < 0.5, -1.0, 1.0).astype(np.float32)[:, None]
    bounds = np.array([width - 1, height - 1], np.float32)
    home = None if areas is None else areas(here)
    for step in range(1, limits.max_steps + 1):
        turn = heading if step == 1 else _follow(field.at(here), heading, limits.curvature)
        target = here + radius * turn
        keep = ((target >= 0) & (target <= bounds)).all(axis=1)
        if home is not None and areas is not None:
            keep &= areas(target) == home
        if step > limits.min_steps:
            keep &= _still_improves(
                target, colours, flat_reference, flat_canvas, width, height, limits.colour_tolerance
            )
        growing, here, heading, colours = growing[keep], target[keep], turn[keep], colours[keep]
        home = None if home is None else home[keep]
        points[growing, step] = here
        counts[growing] += 1
        if len(growing) == 0:
            break
    return _finish(radius, points, counts, flat_reference, width, height)


class _Field:
    """Samples a direction field of any size at points of a ``width`` x ``height`` picture."""

    def __init__(self, direction: np.ndarray, width: int, height: int) -> None:
        self.flat = direction.reshape(-1, 2)
        self.height, self.width = direction.shape[:2]
        self.scale = np.array([self.width / width, self.height / height], np.float32)

    def at(self, points: np.ndarray) -> np.ndarray:
        """The direction at each of ``points`` (N, 2) ``(x, y)`` of the picture, shape (N, 2)."""
        return self.flat[_pixel_index(points * self.scale, self.width, self.height)]


def _follow(isophote: np.ndarray, heading: np.ndarray, curvature: float) -> np.ndarray:
    """Hertzmann's step: the isophote the way the stroke was going, filtered by f_c."""
    isophote = isophote * np.where(_dot(isophote, heading) < 0, -1.0, 1.0).astype(np.float32)[:, None]
    turn = curvature * isophote + (1.0 - curvature) * heading
    return turn / np.sqrt(np.maximum(_dot(turn, turn), 1e-12))[:, None]


def _still_improves(
    target: np.ndarray,
    colours: np.ndarray,
    flat_reference: np.ndarray,
    flat_canvas: np.ndarray | None,
    width: int,
    height: int,
    tolerance: float,
) -> np.ndarray:
    index = _pixel_index(target, width, height)
    wanted = flat_reference[index].astype(np.float32)
    paint_miss = wanted - colours
    paint_miss = _dot(paint_miss, paint_miss)
    keep = paint_miss <= tolerance * tolerance
    if flat_canvas is not None:
        canvas_miss = wanted - flat_canvas[index].astype(np.float32)
        keep &= _dot(canvas_miss, canvas_miss) > paint_miss
    return keep


def _dot(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Row-wise dot product of two (N, C) arrays."""
    return np.einsum("ij,ij->i", first, second)


def _finish(
    radius: float, points: np.ndarray, counts: np.ndarray, flat_reference: np.ndarray, width: int, height: int
) -> StrokeLayer:
    """Give one-point strokes a second point (a dab) and colour each stroke by its path."""
    single = counts == 1
    points[single, 1] = points[single, 0]
    counts[single] = 2
    steps = np.arange(points.shape[1])
    used = (steps[None, :] < counts[:, None]).astype(np.float32)
    samples = flat_reference[_pixel_index(points.reshape(-1, 2), width, height)].astype(np.float32)
    samples = samples.reshape(points.shape[0], points.shape[1], 3)
    colours = (samples * used[:, :, None]).sum(axis=1) / used.sum(axis=1, keepdims=True)
    return StrokeLayer(float(radius), points, counts, colours.astype(np.float32))


def _pixel_index(points: np.ndarray, width: int, height: int) -> np.ndarray:
    # minimum and maximum, not clip: numpy's clip costs several microseconds a call, and a
    # layer is traced in many small calls.
    xs = np.minimum(np.maximum(np.rint(points[:, 0]).astype(np.int64), 0), width - 1)
    ys = np.minimum(np.maximum(np.rint(points[:, 1]).astype(np.int64), 0), height - 1)
    return ys * width + xs
