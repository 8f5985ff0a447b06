"""``finish="photo"``: a last pass of fine strokes that lay the picture's own pixels over the painting."""

from __future__ import annotations

import dataclasses

import numpy as np

from .area import layer_ground, plan_area
from .order import order_strokes
from .painting import Painting
from .plan import layer_specs
from .regions import Regions

PHOTO_RADIUS = 1 / 110  # of the long side: the photo's strokes are fine, yet few enough to follow
PHOTO_SOFTNESS = 3.0  # pixels of soft edge: the photo blends in, stroke by stroke


def plan_photo_pass(picture: np.ndarray, regions: Regions, rng: np.random.Generator) -> Painting:
    """Strokes covering all of ``picture`` (H, W, 3) uint8 BGR along its forms, area by area in
    the order of ``regions``, each laying the picture itself where it passes.

    Returns
    -------
    Painting
        One layer; each stroke's change is its area (the pass goes at an even pace).
    """
    height, width = picture.shape[:2]
    radius = max(1.5, PHOTO_RADIUS * max(height, width))
    spec = dataclasses.replace(
        layer_specs(width, height)[-1],
        radius=radius,
        blur=0.0,
        thickness=max(2, int(round(2.0 * radius))),
        softness=PHOTO_SOFTNESS,
        streak_gain=0.0,
        dryness=0.0,
        loaded=0.0,
    )
    whole = Regions(np.zeros((height, width), np.uint8), 1)  # one area: the strokes go anywhere
    ground = layer_ground(picture, spec, whole, rng)
    ground = dataclasses.replace(ground, look=dataclasses.replace(ground.look, source=picture))
    layer = plan_area(ground, None, range(1), (0, 0, width, height), rng)
    order, flip = order_strokes(layer.strokes, regions, {})
    layer = layer.flipped(flip).take(order)
    counts = layer.strokes.counts
    zeros = np.zeros(len(counts), np.int64)
    sequence = np.stack([zeros, zeros, np.arange(len(counts))], axis=1)
    return Painting([layer], sequence, (counts.astype(np.float64) + 1.0) * spec.thickness, None)
