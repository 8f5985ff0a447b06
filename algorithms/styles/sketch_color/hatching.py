"""Pencil shading: hatch strokes that follow the picture's structure, as dense as it is dark.

Three layers, each laid where the picture is darker than its threshold: a first hatch,
a second one between the first's strokes (twice the density), and a cross-hatch at a
right angle in the darkest tones. Strokes are streamlines of the structure field (they
bend with the forms) grown from seeds on a staggered grid, and stop where the tone
becomes lighter than their layer's.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..painterly.field import stroke_direction

# (darkness threshold, offset across the strokes in spacings, turn in degrees)
LAYERS = ((0.32, 0.0, 0.0), (0.55, 0.5, 0.0), (0.74, 0.25, 90.0))
SPACING_PER_SIDE = 1 / 70  # distance between hatch strokes, of the short side
LENGTH_IN_SPACINGS = 6.0  # a hatch stroke's length
STEP = 2.0  # pixels between a stroke's points
FIELD_SCALE = 4  # the structure field is found on a copy this many times smaller (it is smooth)


@dataclass(frozen=True)
class HatchLayer:
    """One layer of hatching.

    Attributes
    ----------
    strokes : list of ndarray, each (n, 2) float32
        ``(x, y)`` points (see :func:`sweep_order` for the order they are drawn in).
    darkness : ndarray, shape (S,), float32
        How dark each stroke is drawn, 0 to 1 (darker where the picture is).
    """

    strokes: list[np.ndarray]
    darkness: np.ndarray


def plan_hatching(picture: np.ndarray, rng: np.random.Generator) -> list[HatchLayer]:
    """The hatch layers of ``picture`` (H, W, 3) uint8 BGR, lightest first."""
    height, width = picture.shape[:2]
    darkness = tone_darkness(picture)
    slant = np.radians(rng.uniform(-60.0, -40.0))  # a right hand's hatching leans this way
    small = cv2.resize(
        picture, (max(1, width // FIELD_SCALE), max(1, height // FIELD_SCALE)), interpolation=cv2.INTER_AREA
    )
    direction = _leaning(stroke_direction(small, min(small.shape[:2]) / 12.0, rng), slant)
    spacing = max(3.0, min(height, width) * SPACING_PER_SIDE)
    layers = []
    for threshold, offset, turn in LAYERS:
        field = direction if turn == 0 else np.stack([-direction[..., 1], direction[..., 0]], axis=-1)
        seeds = _seeds((height, width), spacing, slant + np.radians(turn), offset, rng)
        seeds = seeds[darkness[seeds[:, 1].astype(int), seeds[:, 0].astype(int)] > threshold]
        strokes = _grow(seeds, field, darkness, threshold, spacing * LENGTH_IN_SPACINGS / 2)
        strokes = [stroke for stroke in strokes if len(stroke) * STEP >= spacing * 3]
        shade = _mean_along(darkness, strokes)
        layers.append(HatchLayer(strokes, np.clip(0.2 + 0.75 * shade, 0, 1).astype(np.float32)))
    return layers


def _leaning(field: np.ndarray, slant: float) -> np.ndarray:
    """``field`` (H, W, 2) of unit directions pulled halfway towards the hand's ``slant``: hatching
    bends with the forms but keeps the hand's direction."""
    lean = np.array([np.cos(slant), np.sin(slant)], np.float32)
    # Elementwise, not a matrix product: numpy's BLAS threads would spin on and slow the encoder.
    along = field[..., 0] * lean[0] + field[..., 1] * lean[1]
    aligned = field * np.where(along < 0, -1.0, 1.0).astype(np.float32)[..., None]
    mixed = aligned + lean
    return mixed / np.maximum(np.linalg.norm(mixed, axis=-1, keepdims=True), 1e-6)


def tone_darkness(picture: np.ndarray) -> np.ndarray:
    """How dark the picture is at each pixel, 0 (its lightest) to 1 (its darkest); (H, W) float32."""
    gray: np.ndarray = cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY).astype(np.float32)
    gray = cv2.GaussianBlur(gray, (0, 0), max(1.0, min(gray.shape) / 100.0))
    low, high = np.percentile(gray, (2, 98))
    return np.clip((high - gray) / max(float(high - low), 1.0), 0.0, 1.0).astype(np.float32)


def _mean_along(field: np.ndarray, strokes: list[np.ndarray]) -> np.ndarray:
    """The mean of ``field`` (H, W) along each of ``strokes``, shape (S,)."""
    if not strokes:
        return np.zeros(0, np.float32)
    lengths = np.array([len(stroke) for stroke in strokes])
    points = np.concatenate(strokes).astype(np.intp)
    return np.add.reduceat(field[points[:, 1], points[:, 0]], np.cumsum(lengths) - lengths) / lengths


def _seeds(
    shape: tuple[int, int], spacing: float, angle: float, offset: float, rng: np.random.Generator
) -> np.ndarray:
    """Stroke centres on a staggered grid turned to ``angle``: ``spacing`` apart across the
    strokes, a stroke's length apart along them; shape (N, 2) float32 ``(x, y)``."""
    height, width = shape
    along = spacing * LENGTH_IN_SPACINGS
    reach = float(np.hypot(height, width)) / 2
    rows = np.arange(-reach, reach, spacing) + offset * spacing
    cols = np.arange(-reach, reach, along)
    across, ahead = np.meshgrid(rows, cols, indexing="ij")
    ahead = ahead + (np.arange(len(rows))[:, None] * 0.37 % 1.0) * along  # staggered rows
    ahead = ahead + rng.uniform(-0.15, 0.15, ahead.shape) * along
    axis, normal = np.array([np.cos(angle), np.sin(angle)]), np.array([-np.sin(angle), np.cos(angle)])
    points = ahead.ravel()[:, None] * axis + across.ravel()[:, None] * normal + (width / 2, height / 2)
    inside = (points[:, 0] >= 0) & (points[:, 0] < width) & (points[:, 1] >= 0) & (points[:, 1] < height)
    return points[inside].astype(np.float32)


def _grow(
    seeds: np.ndarray, field: np.ndarray, darkness: np.ndarray, threshold: float, half_length: float
) -> list[np.ndarray]:
    """Streamlines of ``field`` through each seed, up to ``half_length`` each way, while the
    tone stays darker than ``threshold`` (a little lighter is allowed, so strokes overlap)."""
    height, width = darkness.shape
    steps = max(1, int(half_length / STEP))
    count = len(seeds)
    sides = []
    for sign in (1.0, -1.0):
        here: np.ndarray = seeds.astype(np.float32)
        heading = _sample(field, here) * sign
        alive = np.ones(count, bool)
        path = np.zeros((steps, count, 2), np.float32)
        valid = np.zeros((steps, count), bool)
        for step in range(steps):
            turn = _sample(field, here)
            turn *= np.where((turn * heading).sum(axis=1) < 0, -1.0, 1.0)[:, None]
            here = here + STEP * turn
            inside = (
                (here[:, 0] >= 0) & (here[:, 0] <= width - 1) & (here[:, 1] >= 0) & (here[:, 1] <= height - 1)
            )
            xs, ys = (
                np.clip(here[:, 0], 0, width - 1).astype(int),
                np.clip(here[:, 1], 0, height - 1).astype(int),
            )
            alive &= inside & (darkness[ys, xs] > threshold - 0.05)
            path[step], valid[step], heading = here, alive, turn
        sides.append((path, valid))
    (forward, ahead), (backward, behind) = sides
    # A stroke stops for good where it first leaves the tone: its valid steps are a prefix on
    # each side, so each stroke is one slice of the walks laid end to end, the seed between.
    walks = np.concatenate([backward[::-1], seeds[None].astype(np.float32), forward]).transpose(1, 0, 2)
    walks = np.ascontiguousarray(walks)
    firsts = (steps - behind.sum(axis=0)).tolist()
    stops = (steps + 1 + ahead.sum(axis=0)).tolist()
    return [walks[index, first:stop] for index, (first, stop) in enumerate(zip(firsts, stops))]


def _sample(field: np.ndarray, points: np.ndarray) -> np.ndarray:
    """The field (h, w, 2), :data:`FIELD_SCALE` times smaller than the picture, at the picture's
    ``points`` (N, 2), nearest pixel."""
    height, width = field.shape[:2]
    xs = np.clip((points[:, 0] / FIELD_SCALE).astype(int), 0, width - 1)
    ys = np.clip((points[:, 1] / FIELD_SCALE).astype(int), 0, height - 1)
    return field[ys, xs].astype(np.float32)


def sweep_order(layers: list[HatchLayer], band: float) -> list[tuple[int, int]]:
    """The order the hand hatches in, as ``(layer, stroke)`` pairs: the page in bands ``band``
    pixels tall, top to bottom, each swept left to right then right to left alternately, and
    every layer of a stretch of band (light to dark) before the hand moves on."""
    pairs = [(layer, stroke) for layer, found in enumerate(layers) for stroke in range(len(found.strokes))]
    if not pairs:
        return []
    centres = np.array(
        [layers[layer].strokes[stroke][len(layers[layer].strokes[stroke]) // 2] for layer, stroke in pairs]
    )
    rows = (centres[:, 1] // band).astype(int)
    lateral = np.where(rows % 2 == 0, centres[:, 0], -centres[:, 0]) // (band / 2)  # stretches
    order = np.lexsort((np.array([layer for layer, _ in pairs]), lateral, rows))
    return [pairs[index] for index in order.tolist()]
