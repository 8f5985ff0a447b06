"""The pencil and the paint brush, drawn by code as anti-aliased sprites with a soft shadow.

Laying them on a frame is :mod:`algorithms.drawing.overlay`.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import cv2
import numpy as np

from .geometry import Rect
from .hand import hand_behind, hand_in_front

SUPERSAMPLE = 4
BANDS = 4  # strips per sprite: fewer blend more empty pixels, more cost a call each
# The tool leans up and to the right, as held by a right hand; the tip is the drawn point.
LEAN = -50.0
SHADOW_DEPTH = 0.35  # the most the soft shadow darkens what is under it

# Parts as (polygon in (along the axis, across it) units of the tool's length, BGR colour).
_PENCIL_PARTS = (
    ([(0.00, 0.0), (0.17, -0.045), (0.17, 0.045)], (150, 195, 226)),  # sharpened wood
    ([(0.00, 0.0), (0.06, -0.016), (0.06, 0.016)], (45, 45, 50)),  # graphite
    ([(0.17, -0.045), (0.86, -0.045), (0.86, 0.045), (0.17, 0.045)], (40, 190, 245)),
    ([(0.17, -0.012), (0.86, -0.012), (0.86, 0.012), (0.17, 0.012)], (30, 160, 215)),
    ([(0.86, -0.047), (0.93, -0.047), (0.93, 0.047), (0.86, 0.047)], (180, 180, 185)),
    ([(0.93, -0.045), (1.00, -0.040), (1.00, 0.040), (0.93, 0.045)], (150, 140, 230)),
)
_BRUSH_HANDLE = (
    (
        [(0.30, -0.030), (0.40, -0.040), (1.00, -0.022), (1.00, 0.022), (0.40, 0.040), (0.30, 0.030)],
        (40, 50, 150),
    ),
    ([(0.20, -0.040), (0.32, -0.034), (0.32, 0.034), (0.20, 0.040)], (190, 190, 195)),
)
_BRUSH_TIP = [
    (0.00, 0.0),
    (0.04, -0.030),
    (0.12, -0.045),
    (0.21, -0.040),
    (0.21, 0.040),
    (0.12, 0.045),
    (0.04, 0.030),
]


@dataclass(frozen=True)
class ToolSprite:
    """A tool image ready to lay over a frame.

    Attributes
    ----------
    colour : ndarray, shape (h, w, 3), uint8
        The tool and its shadow, BGR.
    weight, inverse : ndarray, shape (h, w), float32
        Coverage in [0, 1] (shadow included) and one minus it.
    tip : tuple of int
        ``(x, y)`` of the drawing point inside the sprite.
    bands : tuple of Rect
        Horizontal strips ``(x0, y0, x1, y1)`` of the sprite that hold all it shows:
        a leaning tool fills under half its rectangle, so only these are blended.
    """

    colour: np.ndarray
    weight: np.ndarray
    inverse: np.ndarray
    tip: tuple[int, int]
    bands: tuple[Rect, ...]


def part_colours() -> tuple[tuple[int, int, int], ...]:
    """Every flat colour the tools and the hand are drawn in, BGR, once each (the brush's paint aside)."""
    parts = [*_parts("pencil", True), *_parts("brush", True)]
    colours = (tuple(int(c) for c in colour) for _, colour in parts if colour is not _PAINT)
    return tuple(dict.fromkeys((b, g, r) for b, g, r in colours))


def tool_length(width: int, height: int) -> int:
    """Length in pixels of the tools for a frame of ``width`` x ``height``."""
    return max(40, int(round(0.3 * min(width, height) + 0.05 * max(width, height))))


@functools.lru_cache(maxsize=64)
def pencil_sprite(length: int, *, angle: float = LEAN, hand: bool = False) -> ToolSprite:
    """The pencil, ``length`` pixels long, leaning ``angle`` degrees (from the x axis, y down), tip at
    its lower left, held by a hand if ``hand`` (cached, read-only)."""
    straight, weight = _straight("pencil", length, hand)
    tip = _layout("pencil", length, hand).tip
    (straight, weight), tip = _turned([straight, weight], tip, angle - LEAN)
    return _sprite(straight, weight, tip)


def brush_sprite(
    length: int, paint_bgr: tuple[int, int, int], *, angle: float = LEAN, hand: bool = False
) -> ToolSprite:
    """The round paint brush, ``length`` pixels long, its bristles loaded with ``paint_bgr``."""
    loaded, unloaded, per_paint, template = _brush_template(length, angle, hand)
    # Only the loaded bristles change with the paint: the rest is the unloaded brush's.
    colour = template.colour.copy()
    colour[loaded] = np.clip(unloaded + per_paint[:, :, None] * np.array(paint_bgr, np.float32) + 0.5, 0, 255)
    return dataclasses.replace(template, colour=_read_only(colour))


@dataclass(frozen=True)
class _Layout:
    """Where a tool's parts lie: each part's polygon on the supersampled canvas (``SUPERSAMPLE``
    times the sprite's ``size``, (h, w)), in drawing order, and the tip on the sprite."""

    polygons: list[np.ndarray]  # (n, 2) float (x, y)
    size: tuple[int, int]
    tip: tuple[int, int]


_PAINT = (0.0, 0.0, 0.0)  # stands for the brush's paint in a list of part colours


Part = tuple[list[tuple[float, float]], tuple[float, float, float]]


def _parts(tool: str, hand: bool) -> list[Part]:
    """The polygons and colours of ``tool`` (and the hand holding it), in drawing order."""
    parts: list[Part] = list(_PENCIL_PARTS) if tool == "pencil" else [*_BRUSH_HANDLE, (_BRUSH_TIP, _PAINT)]
    if not hand:
        return parts
    behind: list[Part] = list(hand_behind())
    return [*behind, *parts, *hand_in_front()]


def _turned(
    layers: list[np.ndarray], tip: tuple[int, int], degrees: float
) -> tuple[list[np.ndarray], tuple[int, int]]:
    """``layers`` (each (h, w) or (h, w, 3)) turned by ``degrees`` about ``tip`` (y down: positive
    turns clockwise), on a canvas just big enough to hold them; the tip's new place."""
    if degrees == 0:
        return layers, tip
    height, width = layers[0].shape[:2]
    matrix = np.array(cv2.getRotationMatrix2D((float(tip[0]), float(tip[1])), -degrees, 1.0), np.float64)
    # cv2.transform, not a matrix product: numpy's BLAS threads would spin on and slow the encoder.
    corners = cv2.transform(
        np.array([[[0, 0], [width, 0], [0, height], [width, height]]], np.float64), matrix
    )[0]
    low = np.floor(corners.min(axis=0))
    size = (int(np.ceil(corners[:, 0].max() - low[0])) + 1, int(np.ceil(corners[:, 1].max() - low[1])) + 1)
    matrix[:, 2] -= low
    turned = [cv2.warpAffine(layer, matrix, size, flags=cv2.INTER_LINEAR) for layer in layers]
    moved = cv2.transform(np.array([[[tip[0], tip[1]]]], np.float64), matrix)[0, 0]
    return turned, (int(round(moved[0])), int(round(moved[1])))


@functools.lru_cache(maxsize=16)
def _layout(tool: str, length: int, hand: bool) -> _Layout:
    """Where the parts of ``tool`` (in a hand if ``hand``), ``length`` pixels long, lie on its sprite."""
    axis = np.array([np.cos(np.radians(LEAN)), np.sin(np.radians(LEAN))])
    normal = np.array([-axis[1], axis[0]])
    polygons = [np.array(polygon) for polygon, _ in _parts(tool, hand)]
    scale = length * SUPERSAMPLE
    if hand:  # the box holds every part
        corners = np.concatenate([p[:, :1] * axis + p[:, 1:] * normal for p in polygons]) * scale
        low, high = corners.min(axis=0) - 0.05 * scale, corners.max(axis=0) + 0.05 * scale
    else:
        low = np.minimum(0.0, axis * scale) - int(0.12 * scale)
        high = np.maximum(0.0, axis * scale) + int(0.12 * scale)
    size = (int(np.ceil(high[1] - low[1])) // SUPERSAMPLE, int(np.ceil(high[0] - low[0])) // SUPERSAMPLE)
    placed = [-low + polygon[:, :1] * scale * axis + polygon[:, 1:] * scale * normal for polygon in polygons]
    tip = (int(round(-low[0] / SUPERSAMPLE)), int(round(-low[1] / SUPERSAMPLE)))
    return _Layout(placed, size, tip)


def _coverage(polygon: np.ndarray, size: tuple[int, int]) -> tuple[tuple[slice, slice], np.ndarray]:
    """How much of each pixel of a sprite of ``size`` the supersampled ``polygon`` covers, within
    the rectangle around it: that rectangle and the coverage there, (h, w) float32 in [0, 1]."""
    # A part is a small piece of the tool: filling and reducing only its rectangle (whole pixels
    # of the sprite, so the reduction is the same block average) is far cheaper than the canvas.
    points = np.round(polygon * 16).astype(np.int32)
    low = np.maximum((points.min(axis=0) // 16 - 2) // SUPERSAMPLE, 0)
    high = np.minimum((points.max(axis=0) // 16 + 3) // SUPERSAMPLE + 1, (size[1], size[0]))
    mask = np.zeros(((high[1] - low[1]) * SUPERSAMPLE, (high[0] - low[0]) * SUPERSAMPLE), np.uint8)
    cv2.fillPoly(mask, [(points - low * SUPERSAMPLE * 16).astype(np.int32)], 255, cv2.LINE_AA, shift=4)
    small = (int(high[0] - low[0]), int(high[1] - low[1]))
    coverage = cv2.resize(mask, small, interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    return np.s_[int(low[1]) : int(high[1]), int(low[0]) : int(high[0])], coverage


@functools.lru_cache(maxsize=4)
def _straight(
    tool: str, length: int, hand: bool, paint: tuple[float, float, float] = _PAINT
) -> tuple[np.ndarray, np.ndarray]:
    """The tool at the default lean, its bristles (if a brush) in ``paint``: colour (h, w, 3)
    float32 and weight (h, w), read-only. Cached: every lean's sprite is turned from it."""
    colours = [paint if colour is _PAINT else colour for _, colour in _parts(tool, hand)]
    colour, weight = _straight_colour(_layout(tool, length, hand), colours, length)
    return _read_only(colour), _read_only(weight)


def _straight_colour(
    layout: _Layout, colours: list[tuple[float, float, float]], length: int
) -> tuple[np.ndarray, np.ndarray]:
    """Lay the parts in ``colours``; return the colour (h, w, 3) float32 and the weight (h, w)."""
    colour = np.zeros(layout.size + (3,), np.float32)
    body = np.zeros(layout.size, np.float32)
    for polygon, bgr in zip(layout.polygons, colours):
        box, part = _coverage(polygon, layout.size)
        weight = part[:, :, None]
        colour[box] = colour[box] * (1.0 - weight) + np.array(bgr, np.float32) * weight
        body[box] = np.maximum(body[box], part)
    offset = max(2, int(round(0.02 * length)))
    size = (layout.size[1], layout.size[0])
    shadow = cv2.warpAffine(body, np.array([[1, 0, offset], [0, 1, offset]], np.float32), size)
    # The shadow never darkens the paper under the tip, so the drawn point stays exact.
    shadow = cv2.GaussianBlur(shadow, (0, 0), offset * 0.8) * SHADOW_DEPTH * (1.0 - body)
    weight = body + shadow
    # The shadow is black: the tool's colour is diluted by it where both overlap.
    return colour * (body / np.maximum(weight, 1e-6))[:, :, None], weight


def _shown(weight: np.ndarray) -> tuple[slice, slice]:
    """The rectangle of ``weight`` that shows (under half a grey level is nothing)."""
    rows, cols = np.nonzero(weight >= 1 / 512)
    return np.s_[int(rows.min()) : int(rows.max()) + 1, int(cols.min()) : int(cols.max()) + 1]


def _sprite(straight: np.ndarray, weight: np.ndarray, tip: tuple[int, int]) -> ToolSprite:
    # Cropped to what shows: every frame blends, copies and converts the sprite's rectangle.
    shown = _shown(weight)
    weight = np.ascontiguousarray(weight[shown])
    return ToolSprite(
        colour=_read_only(np.clip(straight[shown] + 0.5, 0, 255).astype(np.uint8)),
        weight=_read_only(weight),
        inverse=_read_only(np.ascontiguousarray(1.0 - weight)),
        tip=(tip[0] - shown[1].start, tip[1] - shown[0].start),
        bands=_bands(weight >= 1 / 512),
    )


def _read_only(array: np.ndarray) -> np.ndarray:
    # Sprites are cached and shared between renders (and threads): nothing may write to them.
    array.setflags(write=False)
    return array


@functools.lru_cache(maxsize=64)
def _brush_template(
    length: int, angle: float, hand: bool
) -> tuple[tuple[slice, slice], np.ndarray, np.ndarray, ToolSprite]:
    """The brush with unloaded (black) bristles, cropped; the rectangle of it the paint shows
    in, and there the unloaded colour (h, w, 3) and how much of the paint shows (h, w).

    A sprite's colour is linear in the paint's: ``unloaded + per_paint * paint``.
    """
    unloaded, weight = _straight("brush", length, hand)
    loaded, _ = _straight("brush", length, hand, (255.0, 255.0, 255.0))
    tip = _layout("brush", length, hand).tip
    (unloaded, loaded, weight), tip = _turned([unloaded, loaded, weight], tip, angle - LEAN)
    shown = _shown(weight)
    per_paint = np.ascontiguousarray((loaded - unloaded)[shown][:, :, 0] / 255.0)
    rows, cols = np.nonzero(per_paint)
    box = np.s_[int(rows.min()) : int(rows.max()) + 1, int(cols.min()) : int(cols.max()) + 1]
    # Copies: a view of the bristles' box would keep the whole turned float32 brush alive.
    bristles = np.ascontiguousarray(unloaded[shown][box])
    return box, bristles, np.ascontiguousarray(per_paint[box]), _sprite(unloaded, weight, tip)


def _bands(shown: np.ndarray) -> tuple[Rect, ...]:
    """Cut the rows of ``shown`` (h, w) bool into strips, each narrowed to its shown columns."""
    bands = []
    for rows in np.array_split(np.arange(shown.shape[0]), BANDS):
        cols = np.flatnonzero(shown[rows].any(axis=0)) if len(rows) else np.zeros(0, np.intp)
        if len(cols):
            bands.append((int(cols[0]), int(rows[0]), int(cols[-1]) + 1, int(rows[-1]) + 1))
    return tuple(bands)
