"""The whole painting, planned before the first frame: every layer's strokes, the order a
painter would lay them in, and how much each one visibly changes.

Layers are planned coarse to fine as Hertzmann does, each on a canvas holding the layers
before it. The video does not paint them layer after layer over the whole picture,
though: it works area by area (:mod:`.regions`), the main subject first, blocking an area
in and refining it before moving on, so detail keeps arriving to the end. A stroke paints
only its own area (it stops growing at the area's border and its paint is masked there),
so the areas hardly depend on each other: painted area by area, the strokes make nearly
the painting they were planned on layer by layer (it differs where paint fades out over an
area's border, and where a frame's batch of strokes is softened together).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .canvas import lay_strokes
from .order import order_strokes
from .plan import PaintLayer, layer_specs, plan_layer
from .regions import Regions, painting_regions


@dataclass(frozen=True)
class Painting:
    """Every stroke of the painting and the order they are laid in.

    Attributes
    ----------
    layers : list of PaintLayer
        Coarse to fine, each layer's strokes in their order within the layer.
    sequence : ndarray, shape (S, 3), int64
        ``(area, layer, stroke)`` of every stroke, in painting order.
    change : ndarray, shape (S,), float64
        How much each stroke of ``sequence`` changes the canvas: the sum over the pixels
        it paints of the mean absolute change of their channels (estimated).
    regions : Regions or None
        The areas the strokes keep to; None for strokes that may go anywhere.
    """

    layers: list[PaintLayer]
    sequence: np.ndarray
    change: np.ndarray
    regions: Regions | None


def plan_painting(picture: np.ndarray, paper: np.ndarray, rng: np.random.Generator) -> Painting:
    """Plan the painting of ``picture`` (H, W, 3) uint8 BGR on ``paper`` (same shape; not modified).

    Each layer is planned on the canvas painted so far, put in order area by area and laid
    on that canvas (the video lays the same strokes, so it ends on nearly the same painting).
    """
    height, width = picture.shape[:2]
    regions = painting_regions(picture, rng)
    canvas = paper.copy()
    scratch = np.zeros((height, width, 4), np.uint8)
    layers, changes, keys = [], [], []
    pens: dict[int, np.ndarray] = {}
    specs = layer_specs(width, height)
    ratio = 1.0  # of the layer's measured change to its estimate
    for index, spec in enumerate(specs):
        layer = plan_layer(picture, canvas if index else None, spec, rng, regions)
        order, flip = order_strokes(layer.strokes, regions, pens)
        layer = layer.flipped(flip).take(order)
        areas = regions.rank_at(layer.strokes.points[:, 0])
        estimate = _estimated_changes(layer, canvas)
        if index < len(specs) - 1:  # no layer is planned on the last one: it need not be laid
            before = canvas.copy()
            for area in np.unique(areas).tolist():
                _lay_area(canvas, scratch, layer, np.flatnonzero(areas == area), regions, area)
            measured = float(cv2.absdiff(before, canvas).sum()) / 3.0
            ratio = measured / max(float(estimate.sum()), 1e-9) if len(layer) else ratio
        changes.append(estimate * ratio)
        keys.append(np.stack([areas, np.full(len(areas), index), np.arange(len(areas))], axis=1))
        layers.append(layer)
    sequence = np.concatenate(keys).reshape(-1, 3)
    order = np.lexsort((sequence[:, 2], sequence[:, 1], sequence[:, 0]))
    return Painting(layers, sequence[order], np.concatenate(changes)[order], regions)


def _lay_area(
    canvas: np.ndarray,
    scratch: np.ndarray,
    layer: PaintLayer,
    strokes: np.ndarray,
    regions: Regions,
    area: int,
) -> None:
    """Lay ``strokes`` (indices, in order) of ``layer``, all of area ``area``, within that area."""
    boxes = layer.boxes[strokes]
    box = (int(boxes[:, 0].min()), int(boxes[:, 1].min()), int(boxes[:, 2].max()), int(boxes[:, 3].max()))
    polylines = [layer.polylines[index] for index in strokes.tolist()]
    colours = [layer.colours[index] for index in strokes.tolist()]
    lay_strokes(canvas, scratch, polylines, colours, layer.look, box, regions.share(area, box))


def _estimated_changes(layer: PaintLayer, canvas: np.ndarray) -> np.ndarray:
    """How much each stroke of ``layer`` will change ``canvas`` (the painting before the layer),
    roughly: the colour distance between its paint and the canvas under its path, times its
    area; shape (N,), float64 (scaled to the layer's measured change by the caller)."""
    if len(layer) == 0:
        return np.zeros(0)
    strokes = layer.strokes
    used = strokes.used
    height, width = canvas.shape[:2]
    xs = np.clip(np.rint(strokes.points[:, :, 0]).astype(np.int64), 0, width - 1)
    ys = np.clip(np.rint(strokes.points[:, :, 1]).astype(np.int64), 0, height - 1)
    under = canvas[ys, xs].astype(np.float32)
    distance = np.abs(under - strokes.colours[:, None, :]).mean(axis=2)
    mean_distance = (distance * used).sum(axis=1) / used.sum(axis=1)
    steps = np.hypot(*np.diff(strokes.points, axis=1).transpose(2, 0, 1)) * used[:, 1:]
    area = (steps.sum(axis=1) + layer.look.thickness) * layer.look.thickness
    return (mean_distance * area + 1e-6).astype(np.float64)
