"""Where a layer's strokes start: Hertzmann's grid of cells, each with enough error."""

from __future__ import annotations

import numpy as np


def stroke_starts(
    error: np.ndarray, cell: int, threshold: float, rng: np.random.Generator, *, cover_all: bool
) -> tuple[np.ndarray, np.ndarray]:
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
        starts = _cell_centres(rows, cols, cell, width, height, rng)
        return starts, np.zeros(len(starts), np.float32)
    padded = np.zeros((rows * cell, cols * cell), np.float32)
    padded[:height, :width] = error
    cells = padded.reshape(rows, cell, cols, cell)
    inside = (
        np.minimum(cell, height - np.arange(rows) * cell)[:, None]
        * np.minimum(cell, width - np.arange(cols) * cell)[None, :]
    )
    mean_error = cells.sum(axis=(1, 3)) / inside
    cell_y, cell_x = np.nonzero(mean_error > threshold)
    # The worst pixel of each chosen cell (padding is 0, never above a real error > 0).
    chosen = cells[cell_y, :, cell_x, :].reshape(len(cell_y), cell * cell)
    offset_y, offset_x = np.divmod(chosen.argmax(axis=1), cell)
    xs = cell_x * cell + offset_x
    ys = cell_y * cell + offset_y
    return np.stack([xs, ys], axis=1).astype(np.float32), mean_error[cell_y, cell_x].astype(np.float32)


def _cell_centres(
    rows: int, cols: int, cell: int, width: int, height: int, rng: np.random.Generator
) -> np.ndarray:
    """A point near the centre of every grid cell, shape (rows * cols, 2): jittered by at
    most a fifth of a cell, so a brush as wide as the cell still covers all of it."""
    centre_y, centre_x = np.mgrid[0:rows, 0:cols].astype(np.float32)
    jitter = rng.uniform(-0.2, 0.2, (2, rows, cols)).astype(np.float32) * cell
    xs = np.minimum((centre_x + 0.5) * cell + jitter[0], width - 1)
    ys = np.minimum((centre_y + 0.5) * cell + jitter[1], height - 1)
    return np.stack([xs.ravel(), ys.ravel()], axis=1).clip(0)
