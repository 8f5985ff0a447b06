"""Where strokes start: every cell for the first layer, the worst pixel of cells with error."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.styles.painterly.starts import stroke_starts


def test_cover_all_puts_a_start_near_every_cells_centre():
    error = np.zeros((50, 70), np.float32)
    starts, priority = stroke_starts(error, 10, 5.0, np.random.default_rng(0), cover_all=True)
    assert len(starts) == 5 * 7 and np.all(priority == 0)
    cells = {(int(x // 10), int(y // 10)) for x, y in starts}
    assert cells == {(col, row) for col in range(7) for row in range(5)}


def test_starts_are_at_the_worst_pixel_of_cells_over_the_threshold():
    error = np.zeros((40, 40), np.float32)
    error[16:24, 8:16] = 10.0  # one 8x8 cell of mean error 10
    error[17, 14] = 80.0  # its worst pixel
    error[30:32, 30:32] = 12.0  # a cell of mean error 0.75: under the threshold
    starts, priority = stroke_starts(error, 8, 6.0, np.random.default_rng(0), cover_all=False)
    assert starts.tolist() == [[14.0, 17.0]]
    assert priority[0] == pytest.approx((63 * 10 + 80) / 64)
