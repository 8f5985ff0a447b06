"""Graphite on paper: strokes drawn with pressure, and the pictures of the sketch's stages.

A stroke's pressure swells from its ends to its middle and wanders a little along it; the
pressure sets both the width and the darkness of the line. Graphite catches on the
paper's tooth, so the ink is modulated by a fine grain.
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from ...drawing.geometry import SHIFT, fixed_point

SKETCH_PAPER_BGR = (240, 245, 248)
GRAPHITE_BGR = (62, 60, 58)
DARKNESS_LEVELS = 12
TAPER = 0.18  # of a stroke's length, at each end, where the pressure builds and fades


def pressure(strokes: Sequence[np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """Pressure 0 to 1 at each point of ``strokes`` (each (n, 2)), all points one after another:
    tapered at each stroke's ends, wandering a little inside it; shape (N,) float32."""
    lengths = np.array([len(stroke) for stroke in strokes])
    points = np.concatenate(strokes)
    firsts = np.cumsum(lengths) - lengths
    steps = np.zeros(len(points))
    steps[1:] = np.hypot(*np.diff(points, axis=0).T)
    steps[firsts] = 0.0
    travelled = np.cumsum(steps)
    travelled -= np.repeat(travelled[firsts], lengths)
    totals = np.repeat(np.maximum(travelled[np.cumsum(lengths) - 1], 1e-6), lengths)
    along = travelled / totals
    taper = np.clip(np.minimum(along, 1.0 - along) / TAPER, 0.0, 1.0)
    taper = 0.25 + 0.75 * taper * taper * (3.0 - 2.0 * taper)
    phase = np.repeat(rng.uniform(0, 2 * np.pi, len(strokes)), lengths)
    wobble = np.repeat(rng.uniform(0.6, 1.6, len(strokes)), lengths)
    return (taper * (0.85 + 0.15 * np.sin(phase + wobble * 2 * np.pi * along))).astype(np.float32)


def draw_strokes(
    shape: tuple[int, int],
    strokes: Sequence[np.ndarray],
    darkness: Sequence[float],
    width: float,
    rng: np.random.Generator,
) -> np.ndarray:
    """The ink of ``strokes`` on blank paper: (H, W) uint8, 0 none to 255 full graphite.

    Each stroke's pressure (see :func:`pressure`) times its ``darkness`` sets its darkness point
    by point, and its mean pressure with ``width`` (pixels at full pressure) its width. Runs of segments of
    equal width and darkness are drawn together, lightest first, so darker lines win where
    they cross.
    """
    ink = np.zeros(shape, np.uint8)
    kept = [index for index, stroke in enumerate(strokes) if len(stroke) >= 2]
    if not kept:
        return ink
    lengths = np.array([len(strokes[index]) for index in kept])
    force = pressure([strokes[index] for index in kept], rng)
    dark = np.repeat(np.asarray(darkness, np.float32)[kept], lengths)
    level = np.clip(np.rint(force * dark * DARKNESS_LEVELS), 1, DARKNESS_LEVELS).astype(np.int64)
    # One width per stroke (a jump of a whole pixel inside a line reads as a bead); the
    # pressure shows in the darkness, which varies smoothly.
    mean_force = np.add.reduceat(force, np.cumsum(lengths) - lengths) / lengths
    thickness = np.repeat(
        np.clip(np.rint(width * (0.55 + 0.45 * mean_force)), 1, 63).astype(np.int64), lengths
    )
    key = level * 64 + thickness
    lasts = np.cumsum(lengths) - 1
    # A run starts at each stroke's first point and wherever a segment's key changes.
    starts = np.zeros(len(key), bool)
    starts[lasts[:-1] + 1] = True
    starts[0] = True
    starts[1:] |= key[1:] != key[:-1]
    starts[lasts] = False  # a stroke's last point only ends its last segment
    run_starts = np.flatnonzero(starts)
    run_ends = np.minimum(np.append(run_starts[1:], len(key)), lasts[np.searchsorted(lasts, run_starts)])
    fixed = fixed_point(np.concatenate([strokes[index] for index in kept]))
    buckets: dict[int, list[np.ndarray]] = {}
    for first, stop, bucket in zip(run_starts.tolist(), run_ends.tolist(), key[run_starts].tolist()):
        buckets.setdefault(bucket, []).append(fixed[first : stop + 1])
    for bucket, pieces in sorted(buckets.items()):
        shade, line_width = divmod(bucket, 64)
        cv2.polylines(ink, pieces, False, int(shade * 255 / DARKNESS_LEVELS), line_width, cv2.LINE_AA, SHIFT)
    return ink


def paper_tooth(shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """How much graphite the paper takes at each pixel, 166 to 255 of 255, (H, W) uint8."""
    noise: np.ndarray = cv2.GaussianBlur(rng.standard_normal(shape).astype(np.float32), (0, 0), 0.8)
    noise = noise / max(float(noise.std()), 1e-6)
    return np.clip(255 * (0.85 + 0.12 * noise), 166, 255).astype(np.uint8)


def on_paper(ink: np.ndarray, tooth: np.ndarray) -> np.ndarray:
    """The paper with ``ink`` (H, W) uint8 of graphite on it, (H, W, 3) uint8 BGR."""
    cover = cv2.multiply(ink, tooth, scale=1.0 / 255.0)
    levels = np.arange(256, dtype=np.float32)[:, None] / 255.0
    paper, graphite = np.array(SKETCH_PAPER_BGR, np.float32), np.array(GRAPHITE_BGR, np.float32)
    table = np.clip(paper + (graphite - paper) * levels + 0.5, 0, 255).astype(np.uint8)  # (256, 3)
    return cv2.LUT(cv2.merge([cover, cover, cover]), table[:, None, :])
