"""Style ``sketch-color``: a pencil sketches the main lines, then a brush paints the colours in."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from .pacing import StrokeSequence
from .regions import MAX_GROUPS, BrushPlan, plan_brush
from .sketch import order_strokes, subject_weight, trace_strokes
from .tools import ToolSprite, brush_sprite, overlay_tool, pencil_sprite, tool_length
from .video import NOTHING, FrameUpdate, Rect, union_rect

PAPER_BGR = (240, 245, 248)
INK_BGR = (58, 56, 54)
SKETCH_SHARE, COLOUR_SHARE, HOLD_SHARE = 0.35, 0.55, 0.10


@dataclass(frozen=True)
class PhaseFrames:
    """How many frames each phase gets; they add up to the video's frame count."""

    sketch: int
    colour: int
    hold: int


def phase_frames(frame_count: int, fps: int) -> PhaseFrames:
    """Split ``frame_count`` frames: about 35 % sketch, 55 % colour, the rest (>= 1 s) hold."""
    hold = max(int(round(HOLD_SHARE * frame_count)), fps)
    drawing = frame_count - hold
    sketch = int(round(drawing * SKETCH_SHARE / (SKETCH_SHARE + COLOUR_SHARE)))
    return PhaseFrames(sketch=sketch, colour=drawing - sketch, hold=hold)


def plan_pen(picture: np.ndarray) -> StrokeSequence:
    """The sketch's pen strokes for ``picture`` (H, W, 3) uint8 BGR, main subject first."""
    strokes = trace_strokes(picture)
    if not strokes:
        return StrokeSequence.from_strokes([])
    points = np.concatenate(strokes).astype(np.intp)
    lengths = np.array([len(stroke) for stroke in strokes])
    on_subject = subject_weight(picture)[points[:, 1], points[:, 0]]
    priority = np.add.reduceat(on_subject, np.cumsum(lengths) - lengths) / lengths
    return StrokeSequence.from_strokes(order_strokes(strokes, priority))


def render_sketch_color(picture: np.ndarray, *, frame_count: int, fps: int, rng: np.random.Generator,
                        show_tools: bool, finish: str = "painting") -> Iterator[FrameUpdate]:
    """Start planning the animation of ``picture`` and return its ``frame_count`` frames.

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
    # The brush plan is needed only once the sketch is drawn: it is worked out
    # meanwhile, on a thread of its own, while the first frames are encoded.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="brush-plan")
    brush_plan = executor.submit(plan_brush, picture, seed=brush_seed, vertical=vertical)
    executor.shutdown(wait=False)  # the plan still runs; the thread ends with it
    return _frames(picture, brush_plan, phase_frames(frame_count, fps), show_tools)


def _frames(picture: np.ndarray, brush_plan: Future, phases: PhaseFrames,
            show_tools: bool) -> Iterator[FrameUpdate]:
    canvas = np.empty_like(picture)
    canvas[:] = PAPER_BGR
    length = tool_length(picture.shape[1], picture.shape[0])
    yield FrameUpdate(canvas, None)
    # The pen is planned after the blank first frame, on the drawing thread, while
    # the encoder starts up.
    pen_strokes = plan_pen(picture)
    yield from _sketch_frames(canvas, pen_strokes, pencil_sprite(length), phases.sketch - 1, show_tools)
    painter = _Painter(canvas, picture, brush_plan.result(), length)
    yield from painter.frames(phases.colour, show_tools)
    canvas[:] = picture
    yield FrameUpdate(canvas, None)
    for _ in range(phases.hold - 1):
        yield FrameUpdate(canvas, NOTHING)


def _sketch_frames(canvas: np.ndarray, strokes: StrokeSequence, pencil: ToolSprite, frames: int,
                   show_tools: bool) -> Iterator[FrameUpdate]:
    thickness = max(1, int(round(min(canvas.shape[:2]) / 300.0)))
    drawn, tool_rect = -1, NOTHING
    for end in strokes.frame_ends(max(frames, 0)):
        changed = [tool_rect]
        for _, points in strokes.pieces(drawn + 1, int(end)):
            cv2.polylines(canvas, [np.round(points * 16).astype(np.int32)], False, INK_BGR,
                          thickness, cv2.LINE_AA, shift=4)
            changed.append(_bounds(points, thickness + 2))
        drawn = int(end)
        if not show_tools or drawn < 0:
            yield FrameUpdate(canvas, union_rect(changed))
            continue
        frame = canvas.copy()
        tool_rect = overlay_tool(frame, pencil, tuple(strokes.points[drawn]))
        yield FrameUpdate(frame, union_rect(changed + [tool_rect]))


def _bounds(points: np.ndarray, margin: int) -> Rect:
    x0, y0 = np.floor(points.min(axis=0)).astype(int) - margin
    x1, y1 = np.ceil(points.max(axis=0)).astype(int) + margin + 1
    return (int(x0), int(y0), int(x1), int(y1))


class _Painter:
    """Reveals the picture under a soft round brush, on top of the finished sketch."""

    def __init__(self, canvas: np.ndarray, picture: np.ndarray, plan: BrushPlan, tool_size: int) -> None:
        self.canvas, self.picture, self.plan = canvas, picture, plan
        self.sketch = canvas.copy()
        self.painted = np.zeros(canvas.shape[:2], np.uint8)
        self.softness = max(3, plan.radius // 2) | 1
        self.brushes = [brush_sprite(tool_size, colour) for colour in plan.colours]

    def frames(self, frames: int, show_tools: bool) -> Iterator[FrameUpdate]:
        strokes = self.plan.strokes
        # The pencil may still stand anywhere: the first frame is converted whole.
        drawn, tool_rect = -1, (0, 0) + self.canvas.shape[1::-1]
        for end in strokes.frame_ends(max(frames, 0)):
            by_region: dict[int, list[np.ndarray]] = {}
            for stroke, points in strokes.pieces(drawn + 1, int(end)):
                by_region.setdefault(int(self.plan.stroke_regions[stroke]), []).append(points)
            changed = [tool_rect] + [self._paint(pieces, region) for region, pieces in by_region.items()]
            drawn = int(end)
            if not show_tools or drawn < 0:
                yield FrameUpdate(self.canvas, union_rect(changed))
                continue
            region = int(self.plan.stroke_regions[np.searchsorted(strokes.offsets, drawn, "right") - 1])
            frame = self.canvas.copy()
            tool_rect = overlay_tool(frame, self.brushes[region], tuple(strokes.points[drawn]))
            yield FrameUpdate(frame, union_rect(changed + [tool_rect]))

    def _paint(self, pieces: list[np.ndarray], region: int) -> Rect:
        """Lay the brush along ``pieces`` (each (n, 2) points), revealing ``region``; return the area."""
        height, width = self.painted.shape
        radius = self.plan.radius
        reach = radius + self.softness // 2 + 2
        every_point = np.concatenate(pieces)
        x0, y0 = (int(v) for v in np.maximum(0, every_point.min(axis=0).astype(int) - reach))
        x1, y1 = (int(v) for v in np.minimum((width, height), every_point.max(axis=0).astype(int) + reach + 1))
        dab = np.zeros((y1 - y0, x1 - x0), np.uint8)
        for points in pieces:
            local = np.round((points - (x0, y0)) * 16).astype(np.int32)
            # No anti-aliasing: the box blur below softens the edge anyway.
            cv2.polylines(dab, [local], False, 255, 2 * radius, cv2.LINE_8, shift=4)
            cv2.circle(dab, tuple(local[-1]), radius * 16, 255, -1, cv2.LINE_8, shift=4)
        dab = cv2.blur(dab, (self.softness, self.softness))  # a box blur: soft edge, cheap
        cover = cv2.min(dab, self.plan.region_masks[region][y0:y1, x0:x1])
        painted = self.painted[y0:y1, x0:x1]
        np.maximum(painted, cover, out=painted)
        weight = painted.astype(np.float32) * np.float32(1 / 255)
        self.canvas[y0:y1, x0:x1] = cv2.blendLinear(self.sketch[y0:y1, x0:x1], self.picture[y0:y1, x0:x1],
                                                    1.0 - weight, weight)
        return (x0, y0, x1, y1)
