"""Laying brush strokes on the canvas: soft, bristly edges and streaked paint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

SHIFT = 4                  # OpenCV fixed-point bits of the stroke coordinates
FIXED_ONE = 1 << SHIFT
SHADE_ONE = 128            # the uint8 value of an unshaded paint in BrushLook.shade


@dataclass(frozen=True)
class BrushLook:
    """How one brush size lays paint.

    Attributes
    ----------
    thickness : int
        Stroke width in pixels (twice the radius).
    softness : int
        Width in pixels (odd, at least 3) of the box filter that softens the edge.
    streaks : ndarray, shape (H, W), float32
        Bristle texture of the layer, zero mean, unit deviation.
    shade : ndarray, shape (H, W, 3), uint8
        Brightness of the paint along the bristles, ``SHADE_ONE`` meaning unchanged.
    dryness : float
        How much the bristles thin the paint out at the stroke's edges.
    """

    thickness: int
    softness: int
    streaks: np.ndarray
    shade: np.ndarray
    dryness: float

    @property
    def reach(self) -> int:
        """How far paint may land from a control point, in pixels."""
        return self.thickness // 2 + self.softness // 2 + 2


def lay_strokes(canvas: np.ndarray, scratch: np.ndarray, polylines: Sequence[np.ndarray],
                colours: Sequence[tuple[float, float, float]], look: BrushLook,
                box: tuple[int, int, int, int]) -> None:
    """Paint ``polylines`` in order onto ``canvas`` (H, W, 3) uint8, in place.

    The strokes are rasterised with premultiplied coverage, box-filtered into a
    soft edge, roughened along the bristles and shaded by the bristle streaks.

    Parameters
    ----------
    scratch : ndarray, shape (H, W, 4), uint8
        All zero on entry and on return; the strokes are rasterised into it.
    polylines : sequence of ndarray, shape (n, 2), int32
        Control points in fixed point (``SHIFT`` fractional bits).
    colours : sequence of BGR tuples, one per polyline
    box : (x0, y0, x1, y1)
        Bounds of every pixel the strokes may touch (see ``BrushLook.reach``).
    """
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0 or not polylines:
        return
    for points, colour in zip(polylines, colours):
        cv2.polylines(scratch, [points], False, (*colour, 255.0), look.thickness, cv2.LINE_8, shift=SHIFT)
    region = scratch[y0:y1, x0:x1]
    # A box filter on the premultiplied paint: a soft edge at a cost independent of its width.
    paint = cv2.blur(region, (look.softness, look.softness))
    region[:] = 0
    cover = cv2.extractChannel(paint, 3).astype(np.float32)
    cover *= 1.0 / 255.0
    alpha = _bristle_alpha(cover, look.streaks[y0:y1, x0:x1], look.dryness)
    # Undo the premultiplication, then shade along the bristles.
    inverse = 1.0 / np.maximum(cover, 1.0 / 255.0)
    colour = cv2.multiply(cv2.cvtColor(paint, cv2.COLOR_BGRA2BGR).astype(np.float32),
                          cv2.merge([inverse, inverse, inverse]))
    colour = cv2.multiply(colour, look.shade[y0:y1, x0:x1], scale=1.0 / SHADE_ONE, dtype=cv2.CV_8U)
    target = canvas[y0:y1, x0:x1]
    target[:] = cv2.blendLinear(target, colour, 1.0 - alpha, alpha)


def shade_image(streaks: np.ndarray, gain: float) -> np.ndarray:
    """The uint8 (H, W, 3) shading of a layer whose paint varies by ``gain`` along ``streaks``."""
    shade = np.clip(SHADE_ONE * (1.0 + gain * streaks) + 0.5, 0, 255).astype(np.uint8)
    return cv2.merge([shade, shade, shade])


def _bristle_alpha(cover: np.ndarray, streaks: np.ndarray, dryness: float) -> np.ndarray:
    """Opacity: solid inside, ragged along the bristles where the soft edge thins out."""
    if dryness <= 0:
        return cover
    # cover * (1 - cover) is zero inside and outside the stroke, largest on its edge.
    ragged = cover * (1.0 - cover)
    ragged *= streaks
    ragged *= 4.0 * dryness
    ragged += cover
    ragged -= 0.2
    ragged *= 1.0 / 0.6
    return np.clip(ragged, 0.0, 1.0, out=ragged)


def fixed_point(points: np.ndarray) -> np.ndarray:
    """Float ``(x, y)`` points, any shape (..., 2), as OpenCV fixed-point int32."""
    return np.rint(points * FIXED_ONE).astype(np.int32)
