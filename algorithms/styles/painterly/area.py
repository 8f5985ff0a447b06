"""Tracing one layer's strokes in some areas of the picture, on the canvas as painted so far.

What does not depend on the canvas (the reference at the layer's working scale, its stroke
directions, its bristle textures) is made once per layer for the whole picture: a
:class:`LayerGround`. The strokes of some areas are then placed where the canvas still
differs from the picture (Hertzmann), on the part of the picture around those areas only.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .canvas import BrushLook, quantized_streaks, shade_image
from .field import stroke_direction
from .order import stroke_boxes, stroke_polylines
from .plan import LayerSpec, PaintLayer
from .regions import Regions
from .select import drop_redundant
from .starts import stroke_starts
from .strokes import StrokeLayer, grow_strokes
from .texture import streak_texture

COLOUR_JITTER = 0.025  # relative brightness variation between strokes
WORK_RADIUS = 4.0  # big brushes are planned on a picture scaled to this radius
FLAT_BIAS = 0.03  # of the mean gradient energy: flat areas (a sky) are laid in parallel strokes on
# one slant, not in rings around their faint noise (see stroke_direction)
CELL_PER_RADIUS = 2.0  # grid spacing of the stroke starts, in brush radii (Hertzmann: 1)
COVER_CELL_PER_RADIUS = 1.5  # the first layer's grid, in radii: strokes side by side, not stacked


@dataclass(frozen=True)
class LayerGround:
    """What one layer's strokes are planned from, for the whole picture: all of it but the
    canvas, so it is made once and serves every area.

    Attributes
    ----------
    factors : ndarray, shape (2,), float32
        From full-size ``(x, y)`` to the layer's working scale.
    reference : ndarray, shape (h, w, 3), uint8
        The picture at the working scale, blurred for the brush's size.
    direction : ndarray, shape (h2, w2, 2), float32
        The stroke directions, at half the working scale (rounded down, at least 2).
    regions : Regions
        The areas strokes keep to.
    shape : (H, W)
        The picture's size.
    """

    spec: LayerSpec
    factors: np.ndarray
    reference: np.ndarray
    direction: np.ndarray
    regions: Regions
    look: BrushLook
    shape: tuple[int, int]


def layer_ground(
    picture: np.ndarray, spec: LayerSpec, regions: Regions, rng: np.random.Generator
) -> LayerGround:
    """The ground of the layer ``spec`` of ``picture`` (H, W, 3) uint8 BGR.

    Big brushes are planned on a reduced copy of the picture, where their radius is
    ``WORK_RADIUS``: the same strokes at a fraction of the cost.
    """
    height, width = picture.shape[:2]
    scale = min(1.0, WORK_RADIUS / spec.radius)
    size = (max(2, int(round(width * scale))), max(2, int(round(height * scale))))
    factors = np.array([size[0] / width, size[1] / height], np.float32)
    blur = spec.blur * float(factors.mean())
    source = _resized(picture, size)
    reference = cv2.GaussianBlur(source, (0, 0), blur) if blur >= 0.3 else source  # uint8: light on memory
    # The isophotes, smoothed at the brush's scale anyway, are found at half that size.
    field_size = (max(2, size[0] // 2), max(2, size[1] // 2))
    radius = spec.radius * float(factors.mean())
    direction = stroke_direction(_resized(reference, field_size), radius / 2.0, rng, FLAT_BIAS)
    streaks = None
    if spec.streak_gain > 0:
        streaks = quantized_streaks(streak_texture(direction, spec.radius, rng, (height, width)))
    look = BrushLook(
        thickness=spec.thickness,
        softness=spec.softness,
        streaks=streaks,
        shade=None if streaks is None else shade_image(streaks, spec.streak_gain),
        dryness=spec.dryness,
        # A brush loaded with the colours under it, as a painter's fine brush picks up several:
        # detail within a stroke, not one flat colour over it.
        source=cv2.GaussianBlur(picture, (0, 0), spec.loaded) if spec.loaded > 0 else None,
    )
    return LayerGround(spec, factors, reference, direction, regions, look, (height, width))


def plan_area(
    ground: LayerGround,
    canvas: np.ndarray | None,
    areas: range,
    box: tuple[int, int, int, int],
    rng: np.random.Generator,
) -> PaintLayer:
    """Plan one layer's strokes in some areas (in no particular order: see :func:`.order.order_strokes`).

    Parameters
    ----------
    canvas : ndarray, shape (H, W, 3), uint8, or None
        The painting so far; None for the first layer, which covers the bare paper.
    areas : range
        The areas' ranks: a stroke starts in one of them and stops at its border.
    box : (x0, y0, x1, y1)
        The areas' bounds, full size.
    """
    strokes = _trace_area(ground, canvas, areas, box, rng)
    shade = 1.0 + COLOUR_JITTER * rng.standard_normal((len(strokes), 1)).astype(np.float32)
    strokes = StrokeLayer(
        strokes.radius, strokes.points, strokes.counts, np.clip(strokes.colours * shade, 0, 255)
    )
    height, width = ground.shape
    return PaintLayer(
        strokes,
        ground.look,
        stroke_boxes(strokes, ground.look.reach, width, height),
        stroke_polylines(strokes),
        [tuple(c) for c in strokes.colours.tolist()],
    )


def _trace_area(
    ground: LayerGround,
    canvas: np.ndarray | None,
    areas: range,
    box: tuple[int, int, int, int],
    rng: np.random.Generator,
) -> StrokeLayer:
    """Place, trace and thin out some areas' strokes at the layer's working scale, on the part of
    the picture around them; the strokes in full-size coordinates."""
    spec, factors = ground.spec, ground.factors
    height, width = ground.reference.shape[:2]
    # The area's bounds at the working scale, from an even corner (the field is at half scale).
    x0, y0 = (int(np.floor(box[0] * factors[0])) - 2) & ~1, (int(np.floor(box[1] * factors[1])) - 2) & ~1
    x0, y0 = max(0, x0), max(0, y0)
    x1 = min(width, int(np.ceil(box[2] * factors[0])) + 2)
    y1 = min(height, int(np.ceil(box[3] * factors[1])) + 2)
    reference = ground.reference[y0:y1, x0:x1]
    direction = ground.direction[y0 // 2 : max(y0 // 2 + 1, y1 // 2), x0 // 2 : max(x0 // 2 + 1, x1 // 2)]
    offset = np.array([x0, y0], np.float32)

    def area_of(points: np.ndarray) -> np.ndarray:
        """The area of each of ``points`` (the crop's working coordinates), judged at full size."""
        return ground.regions.rank_at((points + offset + 0.5) / factors - 0.5)

    def planned(points: np.ndarray) -> np.ndarray:
        rank = area_of(points)
        return (rank >= areas.start) & (rank < areas.stop)

    # Each working pixel's area, judged at full size as area_of does, row and column apart
    # (a crop's worth of coordinates would take tens of megabytes at 1920 px).
    full_height, full_width = ground.regions.ranks.shape
    columns = np.clip(np.rint((np.arange(x0, x1) + 0.5) / factors[0] - 0.5), 0, full_width - 1).astype(
        np.intp
    )
    rows = np.clip(np.rint((np.arange(y0, y1) + 0.5) / factors[1] - 0.5), 0, full_height - 1).astype(np.intp)
    ranks = ground.regions.ranks[rows[:, None], columns[None, :]]
    inside = (ranks >= areas.start) & (ranks < areas.stop)
    radius = spec.radius * float(factors.mean())
    painted = None if canvas is None else _working_crop(canvas, factors, (x0, y0, x1, y1))
    # The first layer must leave no paper bare: a start near every cell's centre,
    # cells no wider than the brush radius. Later layers only fix what is left.
    cell = max(2, int(round((COVER_CELL_PER_RADIUS if painted is None else CELL_PER_RADIUS) * radius)))
    if painted is None:
        error = np.zeros(reference.shape[:2], np.float32)
    else:
        error = colour_distance(reference, painted)
        error[~inside] = 0.0
    starts, priority = stroke_starts(error, cell, spec.threshold, rng, cover_all=painted is None)
    if painted is None:
        starts = _into_area(starts, inside, cell)
    keep = planned(starts)  # as the strokes will judge it: a start in an area grows in it
    starts, priority = starts[keep], priority[keep]

    strokes = grow_strokes(starts, reference, painted, direction, radius, spec.limits, rng, area_of)
    if painted is not None:
        strokes = strokes.take(drop_redundant(strokes, priority, cell, x1 - x0, y1 - y0))
    points = (strokes.points + offset + 0.5) / factors - 0.5
    return StrokeLayer(spec.radius, points, strokes.counts, strokes.colours)


def _into_area(starts: np.ndarray, inside: np.ndarray, cell: int) -> np.ndarray:
    """``starts`` (N, 2) that fell just outside the area ``inside`` (h, w) bool moved to its
    nearest pixel, if it is within half a cell: a cell the area only partly fills still gets
    its stroke, so no sliver of paper is left along the area's border."""
    if inside.all() or not inside.any():
        return starts
    outside = (~inside).astype(np.uint8)
    distance, labels = cv2.distanceTransformWithLabels(
        outside, cv2.DIST_L2, 3, labelType=cv2.DIST_LABEL_PIXEL
    )
    ys, xs = np.nonzero(~outside.astype(bool))  # the labelled (inside) pixels, in label order
    column = np.minimum(starts[:, 0].astype(np.int64), inside.shape[1] - 1)
    row = np.minimum(starts[:, 1].astype(np.int64), inside.shape[0] - 1)
    near = (distance[row, column] > 0) & (distance[row, column] <= cell / 2)
    label = labels[row[near], column[near]] - 1
    moved = starts.copy()
    moved[near] = np.stack([xs[label], ys[label]], axis=1).astype(np.float32)
    return moved


def _working_crop(canvas: np.ndarray, factors: np.ndarray, crop: tuple[int, int, int, int]) -> np.ndarray:
    """The part ``crop`` (working-scale bounds) of ``canvas`` at the working scale."""
    x0, y0, x1, y1 = crop
    if factors[0] == 1.0 and factors[1] == 1.0:
        return canvas[y0:y1, x0:x1]
    height, width = canvas.shape[:2]
    left, top = int(np.floor(x0 / factors[0])), int(np.floor(y0 / factors[1]))
    right = min(width, max(left + 1, int(np.ceil(x1 / factors[0]))))
    bottom = min(height, max(top + 1, int(np.ceil(y1 / factors[1]))))
    return cv2.resize(canvas[top:bottom, left:right], (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)


def colour_distance(first: np.ndarray, second: np.ndarray, band: int = 128) -> np.ndarray:
    """Per-pixel Euclidean BGR distance of two (H, W, 3) uint8 images, shape (H, W) float32.

    Worked out a band of rows at a time, so big pictures need no full-size float copies.
    """
    distance = np.empty(first.shape[:2], np.float32)
    weights = np.ones((1, 3), np.float32)
    for top in range(0, first.shape[0], band):
        rows = slice(top, top + band)
        difference = cv2.absdiff(first[rows], second[rows]).astype(np.float32)
        difference *= difference
        distance[rows] = np.sqrt(cv2.transform(difference, weights)).reshape(distance[rows].shape)
    return distance


def _resized(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    if (image.shape[1], image.shape[0]) == size:
        return image
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA)
