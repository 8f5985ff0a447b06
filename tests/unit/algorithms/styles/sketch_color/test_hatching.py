"""Tests of the hatching: as dense as the picture is dark, cross-hatched only where darkest."""

from __future__ import annotations

import numpy as np

from algorithms.styles.sketch_color.hatching import plan_hatching, sweep_order, tone_darkness


def ramp(width: int = 240, height: int = 160) -> np.ndarray:
    """Light on the left, dark on the right."""
    row = np.linspace(250, 10, width).astype(np.uint8)
    return np.ascontiguousarray(np.broadcast_to(row[None, :, None], (height, width, 3)))


def ink_per_column(layers, width: int, bins: int = 4) -> np.ndarray:
    points = np.concatenate([stroke for layer in layers for stroke in layer.strokes])
    return np.bincount((points[:, 0] * bins // width).astype(int).clip(0, bins - 1), minlength=bins)


def test_tone_darkness_spans_the_pictures_range() -> None:
    darkness = tone_darkness(ramp())
    assert darkness.dtype == np.float32 and darkness.shape == (160, 240)
    assert darkness[:, :20].mean() < 0.1 and darkness[:, -20:].mean() > 0.9


def test_darker_parts_get_more_hatching() -> None:
    layers = plan_hatching(ramp(), np.random.default_rng(0))
    counts = ink_per_column(layers, 240)
    assert counts[0] == 0, "the lightest quarter stays paper"
    assert counts[1] < counts[2] < counts[3]


def test_cross_hatching_only_in_the_darkest_tones_and_across() -> None:
    light, middle, cross = plan_hatching(ramp(), np.random.default_rng(0))
    darkness = tone_darkness(ramp())
    for layer in (light, middle, cross):
        assert len(layer.strokes) and layer.darkness.min() >= 0 and layer.darkness.max() <= 1
    centres = np.array([stroke[len(stroke) // 2] for stroke in cross.strokes]).astype(int)
    assert darkness[centres[:, 1], centres[:, 0]].min() > 0.6

    def angle(layer) -> float:
        directions = np.array([stroke[-1] - stroke[0] for stroke in layer.strokes])
        return float(
            np.degrees(np.arctan2(*np.median(directions * np.sign(directions[:, :1] + 1e-9), axis=0)[::-1]))
        )

    assert 60 < abs(angle(light) - angle(cross)) < 120


def test_the_sweep_takes_every_stroke_once_band_by_band() -> None:
    layers = plan_hatching(ramp(), np.random.default_rng(1))
    order = sweep_order(layers, 40.0)
    assert sorted(order) == sorted(
        (i, j) for i, layer in enumerate(layers) for j in range(len(layer.strokes))
    )
    rows = [layers[i].strokes[j][len(layers[i].strokes[j]) // 2][1] // 40 for i, j in order]
    assert rows == sorted(rows), "bands from top to bottom"
