"""Planning the painting: brush sizes from the output size, each layer's settings, and a
layer's planned strokes (:class:`PaintLayer`; they are traced in :mod:`.area`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .canvas import BrushLook
from .order import stroke_polylines
from .strokes import StrokeLayer, StrokeLimits

BLUR_PER_RADIUS = 0.5  # Hertzmann's f_sigma: the reference is blurred by this times the radius
ERROR_THRESHOLD = 16.0  # mean colour distance of a grid cell that earns a stroke
STREAK_GAIN = (0.09, 0.05)  # brightness variation along the bristles, coarsest and finest brush
DRYNESS = 0.35  # how ragged the bristles make the edges of big brushes
TEXTURE_RADIUS = 3.0  # brushes smaller than this, and the finest, lay plain paint
FINE_SOFTNESS = 3.0  # width of the soft edge of those plain small strokes, pixels
FINEST_SOFTNESS = 2.0  # the finest brush lays crisper strokes: detail sharpens to the end
FINEST_LOAD_BLUR = 0.85  # pixels: the finest brush carries the picture's own colours, blurred by this
RADIUS_RATIO = 2.0  # between successive brush sizes (about)
FINEST_PER_SIDE = 240.0  # the finest radius is the long side over this (it lays the picture's colours)


@dataclass(frozen=True)
class LayerSpec:
    """The settings of one brush size."""

    radius: float
    threshold: float  # mean error of a grid cell that earns a stroke
    blur: float  # sigma of the layer's reference, pixels
    limits: StrokeLimits
    thickness: int  # of the strokes, pixels
    softness: float  # width of their soft edges, pixels
    streak_gain: float  # brightness variation along the bristles
    dryness: float  # how ragged the bristles make the edges
    loaded: float = 0.0  # sigma of the blurred picture whose own colours the brush lays (0: one colour)


@dataclass(frozen=True)
class PaintLayer:
    """One brush size: its strokes in painting order, their look and pixel bounds."""

    strokes: StrokeLayer
    look: BrushLook
    boxes: np.ndarray  # (N, 4) int64 x0, y0, x1, y1 of each stroke's paint
    polylines: list[np.ndarray]  # each stroke's points, fixed point (see lay_strokes)
    colours: list[tuple[float, ...]]  # each stroke's BGR paint

    def __len__(self) -> int:
        return len(self.strokes)

    def flipped(self, flip: np.ndarray) -> PaintLayer:
        """The same layer, the strokes where ``flip`` (N,) bool is set running from their end."""
        strokes = self.strokes.flipped(flip)
        return PaintLayer(strokes, self.look, self.boxes, stroke_polylines(strokes), self.colours)

    def take(self, order: np.ndarray) -> PaintLayer:
        """The same layer with its strokes in ``order``, shape (N,)."""
        return PaintLayer(
            self.strokes.take(order),
            self.look,
            self.boxes[order],
            [self.polylines[index] for index in order.tolist()],
            [self.colours[index] for index in order.tolist()],
        )


def brush_radii(width: int, height: int) -> list[float]:
    """Brush radii from coarse to fine for a ``width`` x ``height`` canvas, about halving.

    The coarsest blocks in the picture with strokes ~1/12 of the long side wide;
    the finest is ~1/240 of it (2.5 px at 600): it lays the picture's own colours, so it
    need not be smaller to bring faces and text out.
    """
    long_side, short_side = max(width, height), min(width, height)
    finest = float(np.clip(long_side / FINEST_PER_SIDE, 1.0, 3.0))
    coarsest = max(finest, min(long_side / 24.0, short_side / 3.0))
    steps = np.log(coarsest / finest) / np.log(RADIUS_RATIO)
    count = 1 + int(np.ceil(steps - 0.25)) if coarsest > finest else 1
    return [float(r) for r in np.geomspace(coarsest, finest, count)]


def layer_specs(width: int, height: int) -> list[LayerSpec]:
    """The settings of every layer, coarse to fine, for a ``width`` x ``height`` canvas."""
    radii = brush_radii(width, height)
    specs = []
    for index, radius in enumerate(radii):
        fineness = index / max(1, len(radii) - 1)  # 0 for the first layer, 1 for the last
        longest = max(2, int(0.25 * max(width, height) / radius))
        finest = index == len(radii) - 1
        textured = radius >= TEXTURE_RADIUS and not finest
        limits = StrokeLimits(
            min_steps=2, max_steps=min(12, longest), curvature=0.8, colour_tolerance=3.0 * ERROR_THRESHOLD
        )
        specs.append(
            LayerSpec(
                radius=radius,
                threshold=ERROR_THRESHOLD,
                blur=BLUR_PER_RADIUS * radius,
                limits=limits,
                thickness=max(2, int(round(2.0 * radius))),
                softness=max(5.0, 0.3 * radius) if textured else FINEST_SOFTNESS if finest else FINE_SOFTNESS,
                streak_gain=float(np.interp(fineness, [0, 1], STREAK_GAIN)) if textured else 0.0,
                dryness=DRYNESS if textured else 0.0,
                loaded=FINEST_LOAD_BLUR if finest else 0.0,
            )
        )
    return specs
