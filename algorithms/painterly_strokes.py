"""Curved brush strokes after Hertzmann (SIGGRAPH 1998), traced a whole layer at a time.

Strokes start where the canvas differs most from the blurred reference, follow the
isophotes (perpendicular to the gradient) in steps of the brush radius and stop at
the length limit or where laying more paint would no longer reduce the error.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class StrokeLimits:
    """How a layer's strokes may grow (Hertzmann's min/max length and curvature filter)."""

    min_steps: int
    max_steps: int
    curvature: float           # f_c: 1 turns with the isophotes at once, 0 goes straight
    colour_tolerance: float    # stop where the reference strays this far from the paint


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

    def take(self, order: np.ndarray) -> "StrokeLayer":
        """The same strokes in ``order``, shape (N,)."""
        return StrokeLayer(self.radius, self.points[order], self.counts[order], self.colours[order])


def stroke_direction(reference: np.ndarray, radius: float, rng: np.random.Generator) -> np.ndarray:
    """Isophote direction of ``reference`` (H, W, 3) uint8 or float32, smoothed at the brush's scale.

    The smoothed structure tensor gives a stable orientation even where the gradient
    is weak; flat areas fall back to one slanted direction per layer.

    Returns
    -------
    ndarray, shape (H, W, 2), float32
        Unit ``(dx, dy)`` along the isophotes.
    """
    gray = cv2.cvtColor(reference, cv2.COLOR_BGR2GRAY)
    grad_x = cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)
    grad_y = cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)
    sigma = max(1.0, float(radius))
    tensor = cv2.GaussianBlur(cv2.merge([grad_x * grad_x, grad_x * grad_y, grad_y * grad_y]), (0, 0), sigma)
    # A weak default gradient: where the picture is flat, strokes run at one slant.
    slant = rng.uniform(0.15, 0.6) * np.pi
    bias = 1e-3 * float(tensor[:, :, 0].mean() + tensor[:, :, 2].mean()) + 1e-6
    cos2 = tensor[:, :, 0] - tensor[:, :, 2] + bias * np.cos(2 * slant)
    sin2 = 2.0 * tensor[:, :, 1] + bias * np.sin(2 * slant)
    return direction_from_doubled_angle(cos2, sin2)


def direction_from_doubled_angle(cos2: np.ndarray, sin2: np.ndarray) -> np.ndarray:
    """Unit isophote directions from the gradient's doubled-angle vector ``(cos 2a, sin 2a)``.

    The doubled angle is what can be smoothed and resized: it makes a direction
    and its opposite the same.

    Returns
    -------
    ndarray, shape cos2.shape + (2,), float32
    """
    norm = np.sqrt(cos2 * cos2 + sin2 * sin2) + 1e-12
    cos2 = cos2 / norm
    grad_cos = np.sqrt(np.maximum(0.0, (1.0 + cos2) * 0.5))
    grad_sin = np.sqrt(np.maximum(0.0, (1.0 - cos2) * 0.5)) * np.where(sin2 < 0, -1.0, 1.0)
    return np.ascontiguousarray(np.stack([-grad_sin, grad_cos], axis=-1), np.float32)


def stroke_starts(error: np.ndarray, cell: int, threshold: float, rng: np.random.Generator,
                  *, cover_all: bool) -> tuple[np.ndarray, np.ndarray]:
    """Where a layer's strokes begin: in each grid cell whose mean error exceeds ``threshold``,
    at the cell's worst pixel; or, with ``cover_all``, near every cell's centre.

    Parameters
    ----------
    error : ndarray, shape (H, W), float32
        Colour distance between the canvas and the reference.
    cell : int
        Grid spacing in pixels.

    Returns
    -------
    starts : ndarray, shape (N, 2), float32
        ``(x, y)`` start points.
    priority : ndarray, shape (N,), float32
        Mean error of each start's cell (zero with ``cover_all``).
    """
    height, width = error.shape
    rows, cols = -(-height // cell), -(-width // cell)
    if cover_all:
        centre_y, centre_x = np.mgrid[0:rows, 0:cols].astype(np.float32)
        jitter = rng.uniform(-0.2, 0.2, (2, rows, cols)).astype(np.float32) * cell
        xs = np.minimum((centre_x + 0.5) * cell + jitter[0], width - 1)
        ys = np.minimum((centre_y + 0.5) * cell + jitter[1], height - 1)
        starts = np.stack([xs.ravel(), ys.ravel()], axis=1).clip(0)
        return starts, np.zeros(len(starts), np.float32)
    padded = np.zeros((rows * cell, cols * cell), np.float32)
    padded[:height, :width] = error
    cells = padded.reshape(rows, cell, cols, cell)
    inside = np.minimum(cell, height - np.arange(rows) * cell)[:, None] * \
        np.minimum(cell, width - np.arange(cols) * cell)[None, :]
    mean_error = cells.sum(axis=(1, 3)) / inside
    cell_y, cell_x = np.nonzero(mean_error > threshold)
    # The worst pixel of each chosen cell (padding is 0, never above a real error > 0).
    chosen = cells[cell_y, :, cell_x, :].reshape(len(cell_y), cell * cell)
    offset_y, offset_x = np.divmod(chosen.argmax(axis=1), cell)
    xs = cell_x * cell + offset_x
    ys = cell_y * cell + offset_y
    return np.stack([xs, ys], axis=1).astype(np.float32), mean_error[cell_y, cell_x].astype(np.float32)


def trace_strokes(starts: np.ndarray, reference: np.ndarray, canvas: np.ndarray | None,
                  direction: np.ndarray, radius: float, limits: StrokeLimits,
                  rng: np.random.Generator) -> StrokeLayer:
    """Grow every stroke of a layer together, one step of ``radius`` pixels per iteration.

    Parameters
    ----------
    starts : ndarray, shape (N, 2), float32
    reference, canvas : ndarray, shape (H, W, 3), uint8 or float32
        The blurred picture and the painting so far (None: bare, infinitely far).
    direction : ndarray, shape (h, w, 2), float32
        From :func:`stroke_direction`, at this size or smaller (sampled to scale).

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
    flat_direction = direction.reshape(-1, 2)
    field_height, field_width = direction.shape[:2]
    field_scale = np.array([field_width / width, field_height / height], np.float32)

    def heading_at(points: np.ndarray) -> np.ndarray:
        return flat_direction[_pixel_index(points * field_scale, field_width, field_height)]

    # The state of the strokes still growing, compacted as they stop.
    growing = np.arange(count)
    here = starts.astype(np.float32)
    colours = flat_reference[_pixel_index(here, width, height)].astype(np.float32)
    heading = heading_at(here)
    heading *= np.where(rng.random(count) < 0.5, -1.0, 1.0).astype(np.float32)[:, None]
    bounds = np.array([width - 1, height - 1], np.float32)
    for step in range(1, limits.max_steps + 1):
        turn = heading_at(here)
        if step > 1:  # follow the isophote the way we were going, smoothed by f_c
            turn *= np.where(_dot(turn, heading) < 0, -1.0, 1.0).astype(np.float32)[:, None]
            turn = limits.curvature * turn + (1.0 - limits.curvature) * heading
            turn /= np.sqrt(np.maximum(_dot(turn, turn), 1e-12))[:, None]
        else:
            turn = heading
        target = here + radius * turn
        keep = ((target >= 0) & (target <= bounds)).all(axis=1)
        if step > limits.min_steps:
            keep &= _still_improves(target, colours, flat_reference, flat_canvas,
                                    width, height, limits.colour_tolerance)
        growing, here, heading, colours = growing[keep], target[keep], turn[keep], colours[keep]
        points[growing, step] = here
        counts[growing] += 1
        if len(growing) == 0:
            break
    return _finish(radius, points, counts, flat_reference, width, height)


def _still_improves(target: np.ndarray, colours: np.ndarray, flat_reference: np.ndarray,
                    flat_canvas: np.ndarray | None, width: int, height: int,
                    tolerance: float) -> np.ndarray:
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


def _finish(radius: float, points: np.ndarray, counts: np.ndarray, flat_reference: np.ndarray,
            width: int, height: int) -> StrokeLayer:
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
    xs = np.clip(np.rint(points[:, 0]).astype(np.int64), 0, width - 1)
    ys = np.clip(np.rint(points[:, 1]).astype(np.int64), 0, height - 1)
    return ys * width + xs
