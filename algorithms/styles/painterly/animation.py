"""Style ``painterly``: the picture painted in brush strokes, coarse to fine (after Hertzmann).

Big strokes cover the bare paper first, then ever smaller ones add detail where
the painting still differs from the picture; with ``finish="photo"`` the painting
then dissolves into the picture itself. Every frame adds only its new strokes to
one persistent canvas. The paper and the first layer are planned before the
first frame; each later layer is planned when the one before it is finished, on
the canvas as painted (so it fixes what is really left, and its planning overlaps
the encoding of the frames before it).
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from ...drawing.geometry import NOTHING, Rect, fixed_point, union_rect
from ...drawing.sheet import Sheet
from ...drawing.sprites import ToolSprite, brush_sprite, tool_length
from ...encoding.frames import FrameUpdate
from ...media.framing import Placement
from .canvas import lay_strokes
from .plan import PaintLayer, layer_specs, plan_layer
from .schedule import LayerClock, PaintingPhases, layer_spans, painting_phases, partial_points
from .texture import paper

SPRITE_COLOUR_STEP = 64  # brush sprites are cached per paint colour rounded to this


def render_painterly(
    picture: np.ndarray,
    *,
    frame_count: int,
    fps: int,
    rng: np.random.Generator,
    tool: str,
    finish: str = "painting",
    hold: int | None = None,
    placement: Placement | None = None,
) -> Iterator[FrameUpdate]:
    """Plan the painting of ``picture`` and return its ``frame_count`` frames.

    Parameters
    ----------
    picture : ndarray, shape (H, W, 3), uint8
        BGR picture; not modified.
    frame_count, fps : int
    rng : numpy.random.Generator
        Decides the paper grain, stroke order, directions in flat areas and the bristles.
    tool : {"hand", "pencil", "none"}
        Draw the brush at the stroke being laid, unless ``"none"``.
    finish : {"painting", "photo"}
        End on the painting, or dissolve into the picture and hold it.
    hold : int or None
        Frames of the final hold, at least 1; None for the default (see :func:`painting_phases`).
    placement : Placement or None
        The frame the picture sits in (None: the picture is the frame). With a margin,
        the margin is bare paper and the brush may reach over it.

    Returns
    -------
    iterator of FrameUpdate
        Frames of the placement's shape (Hf, Wf, 3) uint8 (default: the picture's), each
        with the rectangle that changed.
    """
    phases = painting_phases(frame_count, fps, finish, hold)
    if placement is not None and placement.has_margin:
        sheet_paper = paper(placement.height, placement.width, rng)  # the margin is the same paper
        painter = StrokePainter(picture, rng, canvas=placement.window(sheet_paper).copy())
    else:
        painter = StrokePainter(picture, rng)
        if tool == "none":
            return _frames(picture, painter, phases, None, finish)
        # The brush goes on a copy of the canvas, kept up to date where the canvas changes.
        height, width = picture.shape[:2]
        sheet_paper, placement = painter.canvas, Placement.whole(width, height)
    sheet = Sheet(sheet_paper, placement)
    return sheet.frames(_frames(picture, painter, phases, None if tool == "none" else sheet, finish))


def _frames(
    picture: np.ndarray, painter: StrokePainter, phases: PaintingPhases, tools: Sheet | None, finish: str
) -> Iterator[FrameUpdate]:
    """The frames on ``painter``'s canvas; the brush, if any, goes on the sheet ``tools``."""
    for _ in range(phases.blank):
        yield FrameUpdate(painter.canvas, None)
    for index in range(1, phases.painting + 1):
        tip, painted = painter.paint_until(index / phases.painting if index < phases.painting else np.inf)
        if tools is not None and tip is not None:
            tools.lay(painter.brush(tip[2]), tip[:2])
        yield FrameUpdate(painter.canvas, painted)
    final = painter.canvas
    first_change: Rect | None = NOTHING
    if finish == "photo":
        blend = np.empty_like(final)
        for index in range(1, phases.dissolve + 1):
            weight = _smoothstep(index / (phases.dissolve + 1))
            cv2.addWeighted(final, 1.0 - weight, picture, weight, 0.0, dst=blend)
            yield FrameUpdate(blend, None)
        final, first_change = picture.copy(), None
    for index in range(phases.hold):
        yield FrameUpdate(final, first_change if index == 0 else NOTHING)


class StrokePainter:
    """Lays the strokes on a persistent canvas, a frame's worth at a time.

    The clock runs from 0 to 1 over the painting; each layer owns a span of it
    (see :func:`layer_spans`) and is planned when the clock reaches that span.
    Only the layer being painted is kept (``layer``, number ``layer_index``).
    """

    def __init__(
        self, picture: np.ndarray, rng: np.random.Generator, *, canvas: np.ndarray | None = None
    ) -> None:
        height, width = picture.shape[:2]
        self.picture, self.rng = picture, rng
        self.canvas = paper(height, width, rng) if canvas is None else canvas
        self.scratch = np.zeros((height, width, 4), np.uint8)
        self.specs = layer_specs(width, height)
        self.spans = layer_spans([spec.radius for spec in self.specs])
        self.layer_index = -1
        self.clock = 0.0
        self._start_layer()
        self.tool_length = tool_length(width, height)
        self.sprites: dict[tuple[int, ...], ToolSprite] = {}

    def paint_until(self, stop: float) -> tuple[tuple[float, float, tuple[float, ...]] | None, Rect]:
        """Lay every stroke up to clock ``stop``.

        Returns the brush tip ``(x, y, colour)`` (None if nothing was laid) and the
        rectangle ``(x0, y0, x1, y1)`` of the canvas that changed.
        """
        tip, changed = None, [NOTHING]
        while True:
            layer_stop = self.spans[self.layer_index + 1]
            run = self.layer_clock.run(self.clock, min(stop, layer_stop))
            if run is not None:
                assert self.layer is not None  # planned by _start_layer
                tip, box = self._lay(self.layer, *run)
                changed.append(box)
            if stop < layer_stop or self.layer_index + 1 == len(self.specs):
                self.clock = stop
                return tip, union_rect(changed)
            self.clock = layer_stop
            self._start_layer()

    def brush(self, colour: tuple[float, ...]) -> ToolSprite:
        """The brush loaded with about ``colour``, cached."""
        step = SPRITE_COLOUR_STEP
        blue, green, red = (int(channel) // step * step + step // 2 for channel in colour)
        key = (blue, green, red)
        if key not in self.sprites:
            self.sprites[key] = brush_sprite(self.tool_length, key)
        return self.sprites[key]

    def _start_layer(self) -> None:
        self.layer: PaintLayer | None = (
            None  # the finished layer's textures can go before the next is planned
        )
        self.layer_index += 1
        index = self.layer_index
        self.layer = plan_layer(self.picture, self.canvas if index else None, self.specs[index], self.rng)
        self.layer_clock = LayerClock.even(self.layer.strokes, self.spans[index], self.spans[index + 1])

    def _lay(
        self, layer: PaintLayer, first: int, end: int, low: float, high: float
    ) -> tuple[tuple[float, float, tuple[float, ...]], Rect]:
        """Paint strokes ``first..end-1`` (the first from ``low``, the last up to ``high``);
        return the brush tip and the rectangle painted."""
        polylines = layer.polylines[first:end]
        last = end - 1
        tip = layer.strokes.points[last, layer.strokes.counts[last] - 1]
        if low > 0.0:
            polylines[0], tip = self._part(layer, first, low, high if first == last else 1.0)
        if high < 1.0:
            polylines[-1], tip = self._part(layer, last, low if first == last else 0.0, high)
        boxes = layer.boxes[first:end]
        box = (int(boxes[:, 0].min()), int(boxes[:, 1].min()), int(boxes[:, 2].max()), int(boxes[:, 3].max()))
        lay_strokes(self.canvas, self.scratch, polylines, layer.colours[first:end], layer.look, box)
        return (float(tip[0]), float(tip[1]), layer.colours[last]), box

    def _part(self, layer: PaintLayer, stroke: int, low: float, high: float) -> tuple[np.ndarray, np.ndarray]:
        count = int(layer.strokes.counts[stroke])
        lengths = self.layer_clock.lengths[stroke, :count]
        part = partial_points(layer.strokes.points[stroke, :count], lengths, low, high)
        return fixed_point(part), part[-1]


def _smoothstep(fraction: float) -> float:
    return fraction * fraction * (3.0 - 2.0 * fraction)
