"""Planning the painting's layers: brush sizes from the output size, coarse to fine."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.styles.painterly.plan import FINEST_PER_SIDE, brush_radii, layer_specs


@pytest.mark.parametrize(
    "width, height", [(600, 400), (720, 480), (256, 170), (1920, 1080), (128, 6), (2, 2)]
)
def test_brush_radii_go_coarse_to_fine_about_halving(width, height):
    radii = brush_radii(width, height)
    assert radii == sorted(radii, reverse=True)
    assert radii[-1] <= max(1.0, max(width, height) / FINEST_PER_SIDE) + 1e-9 and radii[-1] >= 1.0
    assert radii[0] <= max(radii[-1], max(width, height) / 24, min(width, height) / 3) + 1e-9
    ratios = np.array(radii[:-1]) / np.array(radii[1:])
    assert np.all((ratios > 1.5) & (ratios < 2.7))


def test_the_finest_brush_is_small_enough_for_detail_at_the_default_size():
    assert brush_radii(720, 480)[-1] <= 3.0 and brush_radii(600, 400)[-1] <= 2.5
    assert len(layer_specs(720, 480)) >= 4
