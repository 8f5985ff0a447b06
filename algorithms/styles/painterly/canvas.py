"""Laying brush strokes on the canvas: soft, bristly edges and streaked paint."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np

from ...drawing.geometry import FIXED_ONE, SHIFT

SHADE_ONE = 128  # the uint8 value of an unshaded paint in BrushLook.shade
STREAK_ONE = 32  # the int8 value of one standard deviation in BrushLook.streaks
LIFT_WIDTH = 0.55  # of a textured brush's width: its last step, as it lifts off


@dataclass(frozen=True)
class BrushLook:
    """How one brush size lays paint.

    Attributes
    ----------
    thickness : int
        Stroke width in pixels (twice the radius).
    softness : float
        Width in pixels of the stroke's soft edge (see ``_soften``); 0 for crisp.
    streaks : ndarray, shape (H, W), int8, or None
        Bristle texture of the layer, zero mean, unit deviation times :data:`STREAK_ONE`
        (int8: a layer's textures are held through the render); None for plain paint.
    shade : ndarray, shape (H, W), uint8, or None
        Brightness of the paint along the bristles, ``SHADE_ONE`` meaning unchanged.
    dryness : float
        How much the bristles thin the paint out at the stroke's edges.
    source : ndarray, shape (H, W, 3), uint8, or None
        A picture whose own pixels the strokes lay, instead of their colours.
    """

    thickness: int
    softness: float
    streaks: np.ndarray | None
    shade: np.ndarray | None
    dryness: float
    source: np.ndarray | None = None

    @property
    def reach(self) -> int:
        """How far paint may land from a control point, in pixels."""
        return self.thickness // 2 + int(np.ceil(self.softness / 2)) + 2


def lay_strokes(
    canvas: np.ndarray,
    polylines: Sequence[np.ndarray],
    colours: Sequence[tuple[float, ...]],
    look: BrushLook,
    box: tuple[int, int, int, int],
    share: np.ndarray | None = None,
) -> None:
    """Paint ``polylines`` in order onto ``canvas`` (H, W, 3) uint8, in place.

    The strokes are rasterised with premultiplied coverage, box-filtered into a
    soft edge, roughened along the bristles and shaded by the bristle streaks.

    Parameters
    ----------
    polylines : sequence of ndarray, shape (n, 2), int32
        Control points in fixed point (``SHIFT`` fractional bits).
    colours : sequence of BGR tuples, one per polyline
    box : (x0, y0, x1, y1)
        Bounds of every pixel the strokes may touch (see ``BrushLook.reach``).
    share : ndarray, shape (y1 - y0, x1 - x0), uint8, or None
        Where the paint may go (255) or not (0): the strokes' area (see ``Regions.share``).
    """
    x0, y0, x1, y1 = box
    if x1 <= x0 or y1 <= y0 or not polylines:
        return
    # The strokes are rasterised into the box alone: a whole-canvas buffer would cost
    # tens of megabytes at 1920 px, held through the render.
    scratch = np.zeros((y1 - y0, x1 - x0, 4), np.uint8)
    corner = np.array([x0, y0], np.int32) * FIXED_ONE
    local = [points - corner for points in polylines]
    if look.source is not None and look.streaks is None:
        # Paint that lays the source's own pixels needs only the strokes' coverage: one call.
        cv2.polylines(scratch, local, False, (0, 0, 0, 255), look.thickness, cv2.LINE_8, shift=SHIFT)
    else:
        _rasterise(scratch, local, colours, look)
    paint = _soften(scratch, look.softness)
    _lay_paint(canvas[y0:y1, x0:x1], paint, look, (slice(y0, y1), slice(x0, x1)), share)


def _rasterise(
    scratch: np.ndarray, polylines: list[np.ndarray], colours: Sequence[tuple[float, ...]], look: BrushLook
) -> None:
    """Draw ``polylines`` (fixed point, in ``scratch``'s own coordinates) one by one in their
    colours, premultiplied, onto ``scratch`` (h, w, 4) uint8, in place."""
    lifted = max(1, int(round(LIFT_WIDTH * look.thickness)))
    for points, colour in zip(polylines, colours):
        loaded = (*colour, 255.0)
        if look.streaks is not None and len(points) >= 3:
            # The brush lifts off: the last step narrower, its end dry and ragged, not a round cap.
            cv2.polylines(scratch, [points[:-1]], False, loaded, look.thickness, cv2.LINE_8, shift=SHIFT)
            cv2.polylines(scratch, [points[-2:]], False, loaded, lifted, cv2.LINE_8, shift=SHIFT)
        else:
            cv2.polylines(scratch, [points], False, loaded, look.thickness, cv2.LINE_8, shift=SHIFT)


def _lay_paint(
    target: np.ndarray,
    paint: np.ndarray,
    look: BrushLook,
    where: tuple[slice, slice],
    share: np.ndarray | None,
) -> None:
    """Lay premultiplied BGRA ``paint`` over ``target`` (the same region of the canvas),
    roughened and shaded by the layer's textures at ``where``, only within ``share``: all in uint8."""
    cover8 = cv2.extractChannel(paint, 3)
    if look.streaks is None:
        alpha8 = cover8
    else:
        cover = cover8.astype(np.float32)
        cover *= 1.0 / 255.0
        streaks = look.streaks[where].astype(np.float32)
        streaks *= 1.0 / STREAK_ONE
        alpha8 = cv2.convertScaleAbs(_bristle_alpha(cover, streaks, look.dryness), alpha=255.0)
    if look.source is not None:
        colour = look.source[where]
    else:
        colour = cv2.divide(
            cv2.cvtColor(paint, cv2.COLOR_BGRA2BGR), cv2.merge([cover8, cover8, cover8]), scale=255
        )
    if look.shade is not None:
        shade = look.shade[where]
        colour = cv2.multiply(colour, cv2.merge([shade, shade, shade]), scale=1.0 / SHADE_ONE)
    if share is not None:
        alpha8 = cv2.multiply(alpha8, share, scale=1.0 / 255.0)
    alpha3 = cv2.merge([alpha8, alpha8, alpha8])
    cv2.add(
        cv2.multiply(colour, alpha3, scale=1.0 / 255.0),
        cv2.multiply(target, cv2.bitwise_not(alpha3), scale=1.0 / 255.0),
        dst=target,
    )


def _soften(paint: np.ndarray, softness: float) -> np.ndarray:
    """Soften the edges of premultiplied ``paint`` over about ``softness`` pixels: a box
    filter for wide edges (its cost does not grow with the width), a 3x3 Gaussian for
    narrow ones, a copy for 0."""
    if softness >= 4.5:
        width = 2 * int(softness // 2) + 1
        return cv2.blur(paint, (width, width))
    if softness > 0:
        return cv2.GaussianBlur(paint, (3, 3), softness / 5.0)
    return paint.copy()


def quantized_streaks(streaks: np.ndarray) -> np.ndarray:
    """``streaks`` (H, W) float32, unit deviation, as int8 of :data:`STREAK_ONE` a deviation."""
    return np.clip(np.rint(streaks * STREAK_ONE), -127, 127).astype(np.int8)


def shade_image(streaks: np.ndarray, gain: float) -> np.ndarray:
    """The uint8 (H, W) shading of a layer whose paint varies by ``gain`` along ``streaks``
    ((H, W) int8, see :func:`quantized_streaks`)."""
    return cv2.convertScaleAbs(
        streaks.astype(np.float32), alpha=SHADE_ONE * gain / STREAK_ONE, beta=SHADE_ONE
    )


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
