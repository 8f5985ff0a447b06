"""The sketch phase: contour lines, outlines first, then the hatching, band by band.

Each stage (the lines, then each hatch layer) is drawn whole in advance; a frame reveals
the pixels the pencil reaches in it (see :mod:`.reveal`) and lays the pencil on top. The
lines are planned before the first of their frames; the hatching is planned on a thread
of its own while the lines are drawn.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Executor

import cv2
import numpy as np

from ...drawing.geometry import Rect, union_rect
from ...drawing.timeline import ToolPath, join_strokes
from ...drawing.tools import ToolHand
from ...encoding.frames import FrameUpdate
from .hatching import plan_hatching, sweep_order
from .lines import trace_lines
from .pencil import draw_strokes, on_paper, paper_tooth
from .reveal import Schedule, frame_rects, pixels_of, start_frames

LINES_SHARE = 0.55  # of the sketch time (the rest is hatching)
LINE_SPEED = 0.042  # diagonals a frame at which contours are drawn: it sets how many fit
HATCH_SPEED = 0.045  # diagonals a frame the hand moves on while hatching: it sets the bands
HATCH_COST = 0.12  # time per pixel of a hatch, relative to a contour's


class Stages:
    """Pictures of the drawing at successive stages, and when each of their pixels appears.

    ``colours[k]`` are the colours of the drawing up to stage ``k`` at the pixels that stage
    changes (:data:`~.reveal.PIXEL` items), in the order of ``schedules[k]``, which gives the
    frame each appears in, within ``rects[k][frame]``. Stage ``k`` is level ``first + k`` of the
    whole sketch (the lines are level 1, the hatch layers 2 to 4).
    """

    def __init__(
        self,
        colours: list[np.ndarray],
        schedules: list[Schedule],
        rects: list[list[Rect]],
        first: int,
    ) -> None:
        self.colours, self.schedules, self.rects, self.first = colours, schedules, rects, first

    @classmethod
    def timed(
        cls,
        inks: list[np.ndarray],
        base: np.ndarray,
        tooth: np.ndarray,
        path: ToolPath,
        owners: np.ndarray,
        frames: np.ndarray,
        frame_count: int,
        margin: int,
        first: int,
    ) -> tuple[Stages, np.ndarray]:
        """The stages of ``inks`` (each (H, W) uint8) over the ``base`` ink, ink of stage ``k`` laid by
        the points of ``path`` whose ``owners`` is ``k``, in their ``frames``; and the drawing with
        every stage, (H, W, 3) uint8."""
        colours, schedules, rects = [], [], []
        total, picture = base, on_paper(base, tooth)
        for stage, ink in enumerate(inks):
            total = cv2.add(total, ink)  # graphite adds up
            picture = on_paper(total, tooth)
            inked = owners == stage
            schedules.append(Schedule(start_frames(path.points[inked], frames[inked], ink > 0)))
            colours.append(pixels_of(picture)[schedules[-1].order])  # only what the stage changes
            rects.append(frame_rects(path.points[inked], frames[inked], frame_count, margin, ink.shape))
        return cls(colours, schedules, rects, first), picture

    def show(self, canvas: np.ndarray, reached: np.ndarray, frame: int) -> list[Rect]:
        """Reveal on ``canvas`` what appears in ``frame``; the rectangles that may have changed.

        ``reached`` (H * W,) int8 holds the level each pixel shows (0: bare paper): hatch layers
        of neighbouring bands overlap, and a pixel keeps the latest level it shows.
        """
        flat = pixels_of(canvas)
        for level, (colours, schedule) in enumerate(zip(self.colours, self.schedules), start=self.first):
            first, last = schedule.span(frame - 1, frame)
            appearing, shown = schedule.order[first:last], colours[first:last]
            later = reached[appearing] < level
            appearing = appearing[later]
            flat[appearing] = shown[later]
            reached[appearing] = level
        return [rects[frame] for rects in self.rects]


class Sketch:
    """The sketch phase of ``frames`` frames (after the blank first one) of ``picture``."""

    def __init__(
        self, picture: np.ndarray, frames: int, rngs: list[np.random.Generator], executor: Executor
    ) -> None:
        shape = picture.shape[:2]
        diagonal = float(np.hypot(*shape))
        self.frame_count = frames
        self.line_frames = min(frames, max(1, int(round(frames * LINES_SHARE))))
        lines = trace_lines(picture, budget=LINE_SPEED * diagonal * self.line_frames * 0.85)
        self.line_width = max(1.0, min(shape) / 260.0)
        # The ink and the paper's tooth are the hatching's plan's only: they go with it.
        line_ink = draw_strokes(shape, lines, [0.95] * len(lines), self.line_width, rngs[0])
        tooth = paper_tooth(shape, rngs[0])
        self.line_path = join_strokes(lines, [1.0] * len(lines))
        owners = np.where(self.line_path.stroke >= 0, 0, -1)
        timing = self.line_path.frames(self.line_frames) + 1
        margin = int(np.ceil(self.line_width)) + 2
        self.lines, _ = Stages.timed(
            [line_ink],
            np.zeros(shape, np.uint8),
            tooth,
            self.line_path,
            owners,
            timing,
            frames + 1,
            margin,
            first=1,
        )
        self._hatching = executor.submit(self._plan_hatching, picture, line_ink, tooth, rngs[1])

    @property
    def final(self) -> np.ndarray:
        """The finished sketch, (H, W, 3) uint8 (waits for the hatching's plan)."""
        return self._hatching.result()[2]

    @property
    def end(self) -> np.ndarray:
        """Where the pencil's path ends (waits for the hatching's plan)."""
        return self._hatching.result()[1].points[-1]

    def _plan_hatching(
        self, picture: np.ndarray, line_ink: np.ndarray, tooth: np.ndarray, rng: np.random.Generator
    ) -> tuple[Stages, ToolPath, np.ndarray]:
        shape = picture.shape[:2]
        hatch_frames = self.frame_count - self.line_frames
        layers = plan_hatching(picture, rng)
        band = shape[0] * shape[1] / (HATCH_SPEED * float(np.hypot(*shape)) * max(1, hatch_frames))
        order = sweep_order(layers, max(band, 8.0))
        hatches = [layers[layer].strokes[stroke] for layer, stroke in order]
        width = max(1.0, min(shape) / 520.0)
        inks = [draw_strokes(shape, layer.strokes, layer.darkness.tolist(), width, rng) for layer in layers]
        path = join_strokes(hatches, [HATCH_COST] * len(hatches), start=self.line_path.points[-1])
        stroke_layer = np.array([layer for layer, _ in order] + [-1], np.int64)  # [-1]: travel
        timing = path.frames(max(1, hatch_frames)) + self.line_frames + 1
        margin = int(np.ceil(width)) + 2
        stages, final = Stages.timed(
            inks,
            line_ink,
            tooth,
            path,
            stroke_layer[path.stroke],
            timing,
            self.frame_count + 1,
            margin,
            first=2,
        )
        return stages, path, final

    def frames(self, canvas: np.ndarray, hands: ToolHand) -> Iterator[FrameUpdate]:
        """The sketch's frames after the blank first one, drawing on ``canvas`` in place."""
        reached = np.zeros(canvas.shape[0] * canvas.shape[1], np.int8)  # 0: paper, k: up to stage k
        positions = self.line_path.positions(self.line_frames, hands.max_step)
        for frame in range(1, self.line_frames + 1):
            changed = [hands.lift(), *self.lines.show(canvas, reached, frame)]
            changed.append(hands.pencil(positions[frame - 1]))
            yield FrameUpdate(canvas, union_rect(changed))
        hatching, path, _ = self._hatching.result()
        hatch_frames = self.frame_count - self.line_frames
        positions = path.positions(max(1, hatch_frames), hands.max_step, start=hands.last, glide=True)
        for frame in range(self.line_frames + 1, self.frame_count + 1):
            changed = [hands.lift(), *hatching.show(canvas, reached, frame)]
            changed.append(hands.pencil(positions[frame - self.line_frames - 1]))
            yield FrameUpdate(canvas, union_rect(changed))
