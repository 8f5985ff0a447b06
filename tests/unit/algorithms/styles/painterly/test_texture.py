"""The paper and the bristle streaks: reproducible by seed, streaks along the strokes."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.styles.painterly.texture import PAINTING_PAPER_BGR, paper, streak_texture


def test_paper_is_warm_grainy_and_decided_by_the_seed():
    sheet = paper(90, 120, np.random.default_rng(3))
    assert sheet.shape == (90, 120, 3) and sheet.dtype == np.uint8
    assert np.allclose(sheet.reshape(-1, 3).mean(axis=0), PAINTING_PAPER_BGR, atol=3)
    assert 2 < sheet.astype(float).std(axis=(0, 1)).mean() < 15
    assert np.array_equal(sheet, paper(90, 120, np.random.default_rng(3)))
    assert not np.array_equal(sheet, paper(90, 120, np.random.default_rng(4)))


@pytest.mark.parametrize("radius", [3.0, 12.0])
@pytest.mark.parametrize("angle", [0.0, 0.6, 1.4])
def test_streaks_run_along_the_stroke_direction(radius, angle):
    direction = np.zeros((120, 160, 2), np.float32)
    direction[:, :, 0], direction[:, :, 1] = np.cos(angle), np.sin(angle)
    streaks = streak_texture(direction, radius, np.random.default_rng(0), (120, 160))
    assert streaks.shape == (120, 160)
    assert abs(float(streaks.mean())) < 1e-3 and float(streaks.std()) == pytest.approx(1.0, abs=1e-3)

    def correlation(dx: float, dy: float) -> float:
        shift = int(round(dx)), int(round(dy))
        core = streaks[20:-20, 20:-20]
        moved = np.roll(streaks, (-shift[1], -shift[0]), axis=(0, 1))[20:-20, 20:-20]
        return float(np.corrcoef(core.ravel(), moved.ravel())[0, 1])

    step = max(4.0, radius / 2)
    along = correlation(step * np.cos(angle), step * np.sin(angle))
    across = correlation(-step * np.sin(angle), step * np.cos(angle))
    assert along > 0.5 and along > across + 0.3


def test_streaks_are_decided_by_the_seed():
    direction = np.zeros((40, 50, 2), np.float32)
    direction[:, :, 0] = 1.0
    first, again, other = (
        streak_texture(direction, 5.0, np.random.default_rng(seed), (40, 50)) for seed in (1, 1, 2)
    )
    assert np.array_equal(first, again) and not np.array_equal(first, other)
