"""Planning a layer: brush sizes from the output size, coverage by the first layer, strokes where needed."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.styles.painterly.canvas import lay_strokes
from algorithms.styles.painterly.plan import brush_radii, layer_specs, plan_layer
from algorithms.styles.painterly.texture import paper
from tests.helpers.images import smooth_picture


@pytest.mark.parametrize(
    "width, height", [(600, 400), (720, 480), (256, 170), (1920, 1080), (128, 6), (2, 2)]
)
def test_brush_radii_go_coarse_to_fine_about_halving(width, height):
    radii = brush_radii(width, height)
    assert radii == sorted(radii, reverse=True)
    assert radii[-1] <= max(1.0, max(width, height) / 320) + 1e-9 and radii[-1] >= 1.0
    assert radii[0] <= max(radii[-1], max(width, height) / 24, min(width, height) / 3) + 1e-9
    ratios = np.array(radii[:-1]) / np.array(radii[1:])
    assert np.all((ratios > 1.5) & (ratios < 2.7))


def test_the_finest_brush_is_small_enough_for_detail_at_the_default_size():
    assert brush_radii(720, 480)[-1] <= 2.5 and brush_radii(600, 400)[-1] <= 2.0
    assert len(layer_specs(720, 480)) >= 4


def paint_layer(canvas: np.ndarray, layer) -> np.ndarray:
    painted = canvas.copy()
    scratch = np.zeros(canvas.shape[:2] + (4,), np.uint8)
    height, width = canvas.shape[:2]
    lay_strokes(painted, scratch, layer.polylines, layer.colours, layer.look, (0, 0, width, height))
    return painted


@pytest.mark.parametrize("width, height", [(256, 170), (170, 256), (128, 6), (600, 400)])
def test_the_first_layer_leaves_no_paper_bare(width, height):
    picture = smooth_picture(width, height, seed=1)
    rng = np.random.default_rng(2)
    bare = paper(height, width, rng)
    layer = plan_layer(picture, None, layer_specs(width, height)[0], rng)
    painted = paint_layer(bare, layer)
    assert np.count_nonzero(np.all(painted == bare, axis=2)) == 0


def gradient(width: int, height: int) -> np.ndarray:
    """A picture blurring leaves alone: a smooth colour gradient."""
    x = np.linspace(0, 1, width, dtype=np.float32)[None, :, None]
    y = np.linspace(0, 1, height, dtype=np.float32)[:, None, None]
    return (40 + 160 * x * np.float32([1.0, 0.5, 0.2]) + 50 * y).astype(np.uint8)


def test_a_later_layer_paints_only_where_the_painting_is_wrong():
    picture = gradient(256, 170)
    canvas = picture.copy()
    canvas[60:110, 100:160] = (255, 0, 255)  # one wrong patch
    spec = layer_specs(256, 170)[2]
    layer = plan_layer(picture, canvas, spec, np.random.default_rng(4))
    assert len(layer.strokes) > 0
    starts = layer.strokes.points[:, 0]
    assert np.all((starts[:, 0] > 100 - spec.radius * 2) & (starts[:, 0] < 160 + spec.radius * 2))
    assert np.all((starts[:, 1] > 60 - spec.radius * 2) & (starts[:, 1] < 110 + spec.radius * 2))
    before = np.abs(canvas.astype(int) - picture).mean()
    after = np.abs(paint_layer(canvas, layer).astype(int) - picture).mean()
    assert after < before / 2


def test_a_right_canvas_needs_no_strokes():
    picture = gradient(200, 120)
    for spec in layer_specs(200, 120)[1:]:
        assert len(plan_layer(picture, picture.copy(), spec, np.random.default_rng(6)).strokes) == 0
