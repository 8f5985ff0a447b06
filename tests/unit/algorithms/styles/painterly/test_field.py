"""The isophote field: strokes run perpendicular to the gradient; resizing keeps the axis."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.styles.painterly.field import resized_direction, stroke_direction
from tests.helpers.images import stripes


@pytest.mark.parametrize("vertical", [False, True])
def test_direction_runs_along_the_isophotes(vertical):
    direction = stroke_direction(stripes(vertical), 2.0, np.random.default_rng(0))
    along = np.abs(direction[8:-8, 8:-8, 1 if vertical else 0])
    assert along.min() > 0.99
    assert np.allclose(np.linalg.norm(direction, axis=2), 1.0, atol=1e-4)


def test_flat_areas_get_one_slanted_direction():
    flat = np.full((40, 60, 3), 128, np.uint8)
    direction = stroke_direction(flat, 3.0, np.random.default_rng(5))
    assert np.allclose(direction, direction[0, 0], atol=1e-5)
    assert 0.3 < abs(direction[0, 0, 0]) < 0.96  # diagonal: neither level nor upright


@pytest.mark.parametrize("angle", [0.3, 1.2, 2.5])
def test_resizing_keeps_the_axis_even_across_opposite_signs(angle):
    direction = np.empty((10, 12, 2), np.float32)
    direction[:, :, 0], direction[:, :, 1] = np.cos(angle), np.sin(angle)
    direction[:, ::2] *= -1  # the same axis, pointing both ways
    bigger = resized_direction(direction, (30, 25))
    assert bigger.shape == (25, 30, 2)
    alignment = np.abs(bigger[:, :, 0] * np.cos(angle) + bigger[:, :, 1] * np.sin(angle))
    assert alignment.min() > 0.999
