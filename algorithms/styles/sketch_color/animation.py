"""Style ``sketch-color``: a pencil sketches the main lines, then a brush paints the colours in."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from ...drawing.geometry import NOTHING, SHIFT, Rect, union_rect
from ...drawing.overlay import ToolLayer
from ...drawing.sprites import ToolSprite, brush_sprite, pencil_sprite, tool_length
from ...encoding.frames import FrameUpdate
from .lines import order_lines, subject_weight, trace_lines
from .pacing import StrokeSequence
from .regions import MAX_GROUPS, BrushPlan, plan_brush

SKETCH_PAPER_BGR = (240, 245, 248)
INK_BGR = (58, 56, 54)
SKETCH_SHARE, COLOUR_SHARE, HOLD_SHARE = 0.35, 0.55, 0.10


@dataclass(frozen=True)
class SketchPhases:
    """How many frames each phase gets; they add up to the video's frame count."""

    sketch: int
    colour: int
    hold: int


def sketch_phases(frame_count: int, fps: int) -> SketchPhases:
    """Split ``frame_count`` frames: about 35 % sketch, 55 % colour, the rest (>= 1 s) hold."""
    hold = max(int(round(HOLD_SHARE * frame_count)), fps)
    drawing = frame_count - hold
    sketch = int(round(drawing * SKETCH_SHARE / (SKETCH_SHARE + COLOUR_SHARE)))
    return SketchPhases(sketch=sketch, colour=drawing - sketch, hold=hold)


def plan_pen(picture: np.ndarray) -> StrokeSequence:
    """The sketch's pen strokes for ``picture`` (H, W, 3) uint8 BGR, main subject first."""
    strokes = trace_lines(picture)
    if not strokes:
        return StrokeSequence.from_strokes([])
    points = np.concatenate(strokes).astype(np.intp)
    lengths = np.array([len(stroke) for stroke in strokes])
    on_subject = subject_weight(picture)[points[:, 1], points[:, 0]]
    priority = np.add.reduceat(on_subject, np.cumsum(lengths) - lengths) / lengths
    return StrokeSequence.from_strokes(order_lines(strokes, priority))


def render_sketch_color(
    picture: np.ndarray,
    *,
    frame_count: int,
    fps: int,
    rng: np.random.Generator,
    show_tools: bool,
    finish: str = "painting",
) -> Iterator[FrameUpdate]:
    """Return the ``frame_count`` frames of ``picture`` being sketched, then painted, lazily.

    Parameters
    ----------
    picture : ndarray, shape (H, W, 3), uint8
        BGR picture; not modified.
    frame_count, fps : int
    rng : numpy.random.Generator
        Decides the k-means start and the sweep directions.
    show_tools : bool
        Draw the pencil and brush on the frames.
    finish : str
        Ignored: this style always ends on the picture.

    Returns
    -------
    iterator of FrameUpdate
        Frames of shape (H, W, 3) uint8, each with the area that changed.
    """
    brush_seed, vertical = int(rng.integers(2**31)), rng.random(MAX_GROUPS) < 0.5
    return _frames(
        picture,
        functools.partial(plan_brush, picture, seed=brush_seed, vertical=vertical),
        sketch_phases(frame_count, fps),
        show_tools,
    )


def _frames(
    picture: np.ndarray, make_brush_plan: Callable[[], BrushPlan], phases: SketchPhases, show_tools: bool
) -> Iterator[FrameUpdate]:
    canvas = np.empty_like(picture)
    canvas[:] = SKETCH_PAPER_BGR
    length = tool_length(picture.shape[1], picture.shape[0])
    tool = ToolLayer(canvas) if show_tools else None
    yield FrameUpdate(canvas, None)
    # The pen is planned after the blank first frame, on the drawing thread, while
    # the encoder starts up; the brush, needed only once the sketch is drawn, is
    # planned after it on a thread of its own. Planned at the same time they take
    # longer than one after the other (both hold the GIL and OpenCV's threads).
    pen_strokes = plan_pen(picture)
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brush-plan")
    brush_plan = executor.submit(make_brush_plan)
    executor.shutdown(wait=False)  # the plan still runs; the thread ends with it
    yield from _sketch_frames(canvas, pen_strokes, pencil_sprite(length), phases.sketch - 1, tool)
    pencil_rect = tool.lift() if tool else NOTHING
    painter = _ColourReveal(canvas, picture, brush_plan.result(), length)
    yield from painter.frames(phases.colour, tool, pencil_rect)
    canvas[:] = picture
    yield FrameUpdate(canvas, None)
    for _ in range(phases.hold - 1):
        yield FrameUpdate(canvas, NOTHING)


def _sketch_frames(
    canvas: np.ndarray, strokes: StrokeSequence, pencil: ToolSprite, frames: int, tool: ToolLayer | None
) -> Iterator[FrameUpdate]:
    thickness = max(1, int(round(min(canvas.shape[:2]) / 300.0)))
    drawn = -1
    for end in strokes.frame_ends(max(frames, 0)).tolist():
        changed = [tool.lift() if tool else NOTHING]
        ranges = strokes.piece_ranges(drawn + 1, end)
        if ranges:
            cv2.polylines(
                canvas,
                [strokes.fixed_points[start:stop] for _, start, stop in ranges],
                False,
                INK_BGR,
                thickness,
                cv2.LINE_AA,
                shift=SHIFT,
            )
            changed.append(
                _bounds(strokes.fixed_points[ranges[0][1] : ranges[-1][2]], thickness + 2, canvas.shape)
            )
        drawn = end
        if tool and drawn >= 0:
            changed.append(tool.lay(pencil, strokes.points[drawn]))
        yield FrameUpdate(canvas, union_rect(changed))


def _bounds(fixed_points: np.ndarray, margin: int, shape: tuple[int, ...]) -> Rect:
    """The pixels within ``margin`` of ``fixed_points`` (n, 2) int32 in 1/16 px, clipped to ``shape``."""
    x, y, width, height = cv2.boundingRect(fixed_points)
    return (
        max(0, (x >> 4) - margin),
        max(0, (y >> 4) - margin),
        min(shape[1], ((x + width - 1) >> 4) + margin + 2),
        min(shape[0], ((y + height - 1) >> 4) + margin + 2),
    )


class _ColourReveal:
    """Reveals the picture under a soft round brush, on top of the finished sketch."""

    def __init__(self, canvas: np.ndarray, picture: np.ndarray, plan: BrushPlan, tool_size: int) -> None:
        self.canvas, self.picture, self.plan = canvas, picture, plan
        self.sketch = canvas.copy()
        self.painted = np.zeros(canvas.shape[:2], np.uint8)
        self.dabs = np.zeros(canvas.shape[:2], np.uint8)  # scratch: cleared after every use
        self.softness = max(3, plan.radius // 2) | 1
        self.reach = plan.radius + self.softness // 2 + 2
        self.brushes = [brush_sprite(tool_size, colour) for colour in plan.colours]

    def frames(self, frames: int, tool: ToolLayer | None, first_changed: Rect) -> Iterator[FrameUpdate]:
        """Yield ``frames`` frames of colouring; the first also redraws ``first_changed``."""
        strokes, regions = self.plan.strokes, self.plan.stroke_regions
        drawn, changed = -1, [first_changed]
        for end in strokes.frame_ends(max(frames, 0)).tolist():
            changed.append(tool.lift() if tool else NOTHING)
            by_region: dict[int, list[tuple[int, int]]] = {}
            for stroke, start, stop in strokes.piece_ranges(drawn + 1, end):
                by_region.setdefault(int(regions[stroke]), []).append((start, stop))
            changed += [self._paint(ranges, region) for region, ranges in by_region.items()]
            drawn = end
            if tool and drawn >= 0:
                region = int(regions[strokes.stroke_at(drawn)])
                changed.append(tool.lay(self.brushes[region], strokes.points[drawn]))
            yield FrameUpdate(self.canvas, union_rect(changed))
            changed = []

    def _paint(self, ranges: list[tuple[int, int]], region: int) -> Rect:
        """Lay the brush along points ``[start, stop)`` of each range, revealing ``region``;
        return the area."""
        fixed = self.plan.strokes.fixed_points
        # Brush strokes are straight runs: each piece is one segment, first point to last,
        # with round ends, not dozens of segments with a round joint each.
        first_last = np.array(ranges) - (0, 1)
        x0, y0, x1, y1 = _bounds(fixed[ranges[0][0] : ranges[-1][1]], self.reach, self.canvas.shape)
        # No anti-aliasing: the box blur below softens the edge anyway.
        cv2.polylines(self.dabs, fixed[first_last], False, 255, 2 * self.plan.radius, cv2.LINE_8, shift=SHIFT)
        dabs = self.dabs[y0:y1, x0:x1]
        soft = cv2.blur(dabs, (self.softness, self.softness))  # a box blur: soft edge, cheap
        dabs[:] = 0
        painted = self.painted[y0:y1, x0:x1]
        np.maximum(painted, cv2.min(soft, self.plan.region_masks[region][y0:y1, x0:x1]), out=painted)
        weight = np.multiply(painted, np.float32(1 / 255), dtype=np.float32)
        cv2.blendLinear(
            self.sketch[y0:y1, x0:x1],
            self.picture[y0:y1, x0:x1],
            1.0 - weight,
            weight,
            dst=self.canvas[y0:y1, x0:x1],
        )
        return (x0, y0, x1, y1)
