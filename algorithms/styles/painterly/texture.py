"""The look of paint: the paper's grain and bristle streaks that run along the strokes."""

from __future__ import annotations

import cv2
import numpy as np

from .field import resized_direction

PAINTING_PAPER_BGR = (226, 236, 242)
PAPER_GRAIN = 0.035  # relative brightness variation of the bare paper
BRISTLE_PER_RADIUS = 1 / 6  # width (Gaussian sigma) of a bristle streak, in brush radii
MIN_BRISTLE = 2.0  # ... and at least this many pixels: streaks, never grain finer than detail
MAX_STREAK_SAMPLES = 15  # samples along the stroke direction per texture pixel


def paper(height: int, width: int, rng: np.random.Generator) -> np.ndarray:
    """The bare canvas: warm paper with a fine grain and faint fibres.

    Returns
    -------
    ndarray, shape (height, width, 3), uint8
    """
    fine = cv2.GaussianBlur(rng.standard_normal((height, width)).astype(np.float32), (0, 0), 0.7)
    small = (max(1, width // 4), max(1, height // 4))
    coarse = cv2.GaussianBlur(rng.standard_normal(small[::-1]).astype(np.float32), (0, 0), 1.5)
    coarse = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_LINEAR)
    grain = fine / max(float(fine.std()), 1e-6) + 0.6 * coarse / max(float(coarse.std()), 1e-6)
    shade = 1.0 + PAPER_GRAIN * grain / 1.2
    colour = np.array(PAINTING_PAPER_BGR, np.float32)
    return np.clip(shade[:, :, None] * colour + 0.5, 0, 255).astype(np.uint8)


def streak_texture(
    direction: np.ndarray, radius: float, rng: np.random.Generator, size: tuple[int, int]
) -> np.ndarray:
    """Bristle streaks: noise smeared along ``direction``, the way the layer's strokes run.

    A line-integral convolution: each pixel averages a noise image at points
    along its own stroke direction, so streaks follow the curved strokes. Big
    brushes have wide bristles, so their texture is made at a reduced size.

    Parameters
    ----------
    direction : ndarray, shape (h, w, 2), float32
        Unit ``(dx, dy)`` stroke direction, at any size.
    radius : float
        Brush radius of the layer at full size; sets the bristle width and streak length.
    size : (H, W)
        Size of the texture.

    Returns
    -------
    ndarray, shape (H, W), float32
        Zero mean, unit standard deviation.
    """
    height, width = size
    factor = int(np.clip(round(radius / 3.0), 1, 4))
    work_size = (max(1, -(-width // factor)), max(1, -(-height // factor)))
    field = resized_direction(direction, work_size)
    bristle = max(MIN_BRISTLE, BRISTLE_PER_RADIUS * radius)
    streaks = _line_integral(field, radius / factor, bristle / factor, rng)
    if factor > 1:
        streaks = cv2.resize(streaks, (width, height), interpolation=cv2.INTER_LINEAR)
    streaks -= float(streaks.mean())
    return streaks / max(float(streaks.std()), 1e-6)


def _line_integral(
    direction: np.ndarray, radius: float, bristle: float, rng: np.random.Generator
) -> np.ndarray:
    height, width = direction.shape[:2]
    noise = cv2.GaussianBlur(rng.standard_normal((height, width)).astype(np.float32), (0, 0), bristle)
    grid_x, grid_y = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    reach = max(2.5 * bristle, 1.2 * radius)
    streaks = np.zeros((height, width), np.float32)
    # Samples about one bristle width apart, so the streaks are smooth along their length.
    samples = int(np.clip(np.ceil(2.0 * reach / (1.5 * bristle)), 5, MAX_STREAK_SAMPLES))
    for offset in np.linspace(-reach, reach, samples, dtype=np.float32):
        map_x = grid_x + offset * direction[:, :, 0]
        map_y = grid_y + offset * direction[:, :, 1]
        streaks += cv2.remap(noise, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT)
    return streaks
