"""Dropping strokes that would only repaint what better strokes of the layer already cover."""

from __future__ import annotations

import numpy as np

from .strokes import StrokeLayer

ROUNDS = 6
NEW_SHARE = 0.5  # a stroke must bring paint to at least this share of its cells


def drop_redundant(
    strokes: StrokeLayer, priority: np.ndarray, cell: int, width: int, height: int
) -> np.ndarray:
    """Indices of the strokes worth painting, ascending, shape (M,).

    Hertzmann starts a stroke in every grid cell with enough error, so along an
    edge each cell starts its own stroke over the same path. Here strokes claim
    the grid cells their paths cross, highest ``priority`` (cell error) first, and a
    stroke is kept only if at least half of its cells were not claimed before:
    a greedy cover, run for all strokes at once in a few rounds.

    Parameters
    ----------
    priority : ndarray, shape (N,)
        Error the stroke was placed to fix; higher claims first.
    cell : int
        Size of the claimed grid cells, pixels.
    """
    count = len(strokes)
    if count == 0:
        return np.zeros(0, np.int64)
    cols, rows = -(-width // cell), -(-height // cell)
    used = strokes.used
    grid_x = np.clip(strokes.points[:, :, 0] // cell, 0, cols - 1).astype(np.int64)
    grid_y = np.clip(strokes.points[:, :, 1] // cell, 0, rows - 1).astype(np.int64)
    cells = grid_y * cols + grid_x
    rank = np.empty(count, np.int64)
    rank[np.lexsort((np.arange(count), -priority))] = np.arange(count)[::-1]  # unique, higher first
    claimed = np.zeros(cols * rows, bool)
    kept = np.zeros(count, bool)
    undecided = np.ones(count, bool)
    for _ in range(ROUNDS):
        free = used & ~claimed[cells]
        undecided &= free.sum(axis=1) >= NEW_SHARE * used.sum(axis=1)
        if not undecided.any():
            break
        winners = _winners(cells, free & undecided[:, None], rank, claimed.shape[0])
        kept |= winners
        undecided &= ~winners
        claimed[cells[winners[:, None] & used]] = True
    return np.nonzero(kept | undecided)[0]


def _winners(cells: np.ndarray, contest: np.ndarray, rank: np.ndarray, cell_count: int) -> np.ndarray:
    """The strokes holding the best rank in at least ``NEW_SHARE`` of the cells they contest;
    the best-ranked contender always wins all of its cells, so every round makes progress."""
    best = np.full(cell_count, -1, np.int64)
    np.maximum.at(best, cells[contest], np.broadcast_to(rank[:, None], cells.shape)[contest])
    wins = (contest & (best[cells] == rank[:, None])).sum(axis=1)
    contested = contest.sum(axis=1)
    return (contested > 0) & (wins >= NEW_SHARE * contested)
