"""Style ``sketch-color``: a pencil sketches the main lines, then a brush paints the colours in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from .pacing import StrokeSequence
from .regions import segment_colours, sweep_runs
from .sketch import order_strokes, subject_weight, trace_strokes
from .tools import ToolSprite, brush_sprite, overlay_tool, pencil_sprite, tool_length

PAPER_BGR = (240, 245, 248)
INK_BGR = (58, 56, 54)
SKETCH_SHARE, COLOUR_SHARE, HOLD_SHARE = 0.35, 0.55, 0.10


@dataclass(frozen=True)
class PhaseFrames:
    """How many frames each phase gets; they add up to the video's frame count."""

    sketch: int
    colour: int
    hold: int


@dataclass(frozen=True)
class SketchColourPlan:
    """Everything decided before the first frame is drawn."""

    pen_strokes: StrokeSequence
    brush_strokes: StrokeSequence
    brush_regions: np.ndarray      # (S,) region index of each brush stroke
    region_masks: list[np.ndarray]  # soft (H, W) uint8 coverage of each region
    brush_radius: int
    pencil: ToolSprite
    brushes: list[ToolSprite]       # one per region, loaded with its colour


def phase_frames(frame_count: int, fps: int) -> PhaseFrames:
    """Split ``frame_count`` frames: about 35 % sketch, 55 % colour, the rest (>= 1 s) hold."""
    hold = max(int(round(HOLD_SHARE * frame_count)), fps)
    drawing = frame_count - hold
    sketch = int(round(drawing * SKETCH_SHARE / (SKETCH_SHARE + COLOUR_SHARE)))
    return PhaseFrames(sketch=sketch, colour=drawing - sketch, hold=hold)


def plan_sketch_colour(picture: np.ndarray, *, rng: np.random.Generator) -> SketchColourPlan:
    """Trace the pen strokes and plan the brush sweeps for ``picture`` (H, W, 3) uint8 BGR."""
    height, width = picture.shape[:2]
    strokes = trace_strokes(picture)
    weight = subject_weight(picture)
    priority = np.array([weight[s[:, 1].astype(int), s[:, 0].astype(int)].mean() for s in strokes])
    pen_strokes = StrokeSequence.from_strokes(order_strokes(strokes, priority))

    labels, colours = segment_colours(picture, seed=int(rng.integers(2**31)))
    radius = max(2, int(round(min(height, width) / 40.0)))
    spacing = max(2, int(round(0.8 * radius)))
    regions = np.unique(labels)
    areas = np.array([np.count_nonzero(labels == region) for region in regions])
    runs, run_regions, masks = [], [], []
    for order, region in enumerate(regions[np.argsort(-areas, kind="stable")]):
        mask = labels == region
        region_runs = sweep_runs(mask, spacing=spacing, vertical=bool(rng.random() < 0.5))
        runs.extend(region_runs)
        run_regions.extend([order] * len(region_runs))
        masks.append(_soft_mask(mask))
    length = tool_length(width, height)
    ordered_colours = [tuple(int(c) for c in colours[region]) for region in regions[np.argsort(-areas, kind="stable")]]
    return SketchColourPlan(
        pen_strokes=pen_strokes, brush_strokes=StrokeSequence.from_strokes(runs),
        brush_regions=np.array(run_regions, np.int64), region_masks=masks, brush_radius=radius,
        pencil=pencil_sprite(length), brushes=[brush_sprite(length, c) for c in ordered_colours])


def render_sketch_color(picture: np.ndarray, *, frame_count: int, fps: int, rng: np.random.Generator,
                        show_tools: bool, finish: str = "painting") -> Iterator[np.ndarray]:
    """Plan the animation of ``picture`` and return its ``frame_count`` frames.

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
    iterator of ndarray, shape (H, W, 3), uint8
    """
    plan = plan_sketch_colour(picture, rng=rng)
    return _frames(picture, plan, phase_frames(frame_count, fps), show_tools)


def _frames(picture: np.ndarray, plan: SketchColourPlan, phases: PhaseFrames,
            show_tools: bool) -> Iterator[np.ndarray]:
    canvas = np.empty_like(picture)
    canvas[:] = PAPER_BGR
    yield canvas
    yield from _sketch_frames(canvas, plan, phases.sketch - 1, show_tools)
    painter = _Painter(canvas, picture, plan)
    yield from painter.frames(phases.colour, show_tools)
    canvas[:] = picture
    for _ in range(phases.hold):
        yield canvas


def _sketch_frames(canvas: np.ndarray, plan: SketchColourPlan, frames: int,
                   show_tools: bool) -> Iterator[np.ndarray]:
    strokes = plan.pen_strokes
    thickness = max(1, int(round(min(canvas.shape[:2]) / 300.0)))
    drawn = -1
    for end in strokes.frame_ends(max(frames, 0)):
        for _, points in strokes.pieces(drawn + 1, int(end)):
            cv2.polylines(canvas, [np.round(points * 16).astype(np.int32)], False, INK_BGR,
                          thickness, cv2.LINE_AA, shift=4)
        drawn = int(end)
        if not show_tools or drawn < 0:
            yield canvas
            continue
        frame = canvas.copy()
        overlay_tool(frame, plan.pencil, tuple(strokes.points[drawn]))
        yield frame


class _Painter:
    """Reveals the picture under a soft round brush, on top of the finished sketch."""

    def __init__(self, canvas: np.ndarray, picture: np.ndarray, plan: SketchColourPlan) -> None:
        self.canvas, self.picture, self.plan = canvas, picture, plan
        self.sketch = canvas.copy()
        self.painted = np.zeros(canvas.shape[:2], np.uint8)
        self.softness = max(1.0, plan.brush_radius / 4.0)

    def frames(self, frames: int, show_tools: bool) -> Iterator[np.ndarray]:
        strokes = self.plan.brush_strokes
        drawn = -1
        for end in strokes.frame_ends(max(frames, 0)):
            by_region: dict[int, list[np.ndarray]] = {}
            for stroke, points in strokes.pieces(drawn + 1, int(end)):
                by_region.setdefault(int(self.plan.brush_regions[stroke]), []).append(points)
            for region, pieces in by_region.items():
                self._paint(pieces, region)
            drawn = int(end)
            if not show_tools or drawn < 0:
                yield self.canvas
                continue
            region = int(self.plan.brush_regions[np.searchsorted(strokes.offsets, drawn, "right") - 1])
            frame = self.canvas.copy()
            overlay_tool(frame, self.plan.brushes[region], tuple(strokes.points[drawn]))
            yield frame

    def _paint(self, pieces: list[np.ndarray], region: int) -> None:
        """Lay the brush along ``pieces`` (each (n, 2) points), revealing ``region``."""
        height, width = self.painted.shape
        radius = self.plan.brush_radius
        reach = radius + int(3 * self.softness) + 1
        every_point = np.concatenate(pieces)
        x0, y0 = np.maximum(0, every_point.min(axis=0).astype(int) - reach)
        x1, y1 = np.minimum((width, height), every_point.max(axis=0).astype(int) + reach + 1)
        dab = np.zeros((y1 - y0, x1 - x0), np.uint8)
        for points in pieces:
            local = np.round((points - (x0, y0)) * 16).astype(np.int32)
            cv2.polylines(dab, [local], False, 255, 2 * radius, cv2.LINE_AA, shift=4)
            cv2.circle(dab, tuple(local[-1]), radius * 16, 255, -1, cv2.LINE_AA, shift=4)
        dab = cv2.GaussianBlur(dab, (0, 0), self.softness)
        cover = cv2.min(dab, self.plan.region_masks[region][y0:y1, x0:x1])
        painted = self.painted[y0:y1, x0:x1]
        np.maximum(painted, cover, out=painted)
        weight = painted.astype(np.float32) * np.float32(1 / 255)
        self.canvas[y0:y1, x0:x1] = cv2.blendLinear(self.sketch[y0:y1, x0:x1], self.picture[y0:y1, x0:x1],
                                                    1.0 - weight, weight)


def _soft_mask(mask: np.ndarray) -> np.ndarray:
    """Full coverage on the region and a soft rim just outside it, so seams never show."""
    grown = cv2.dilate(mask.astype(np.uint8) * 255, np.ones((5, 5), np.uint8))
    return cv2.GaussianBlur(grown, (5, 5), 0)
