"""Style ``sketch-color``'s frames: a hand sketches the picture in pencil, shades it, then paints it.

The video is a sketch phase (contour lines, outlines first, then three layers of hatching),
a colour phase (a wash laid by a brush region by region, the picture's detail following
in its wake) and a hold on the exact picture. Every stage is rendered whole once; the
frames reveal it where the tool passes (see :mod:`.reveal`) and lay the tool on top.
"""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np

from ...drawing.geometry import NOTHING
from ...drawing.overlay import ToolSurface
from ...drawing.sheet import Sheet
from ...drawing.tools import MAX_TOOL_STEP, ToolHand
from ...encoding.frames import FrameUpdate
from ...media.framing import Placement
from ...planning import PlanningExecutor
from .colouring import Colouring
from .pencil import SKETCH_PAPER_BGR
from .regions import ColourPlan
from .sketch import Sketch

HOLD_SECONDS = (1.0, 4.0)  # the final hold is a sixth of the video, within these bounds
SKETCH_SHARE = 0.45  # of the drawing time (the rest is colour)


@dataclass(frozen=True)
class SketchPhases:
    """How many frames each phase gets; they add up to the video's frame count."""

    sketch: int
    colour: int
    hold: int


def sketch_phases(frame_count: int, fps: int, hold: int | None = None) -> SketchPhases:
    """Split ``frame_count`` frames: the hold, then the rest 45 % sketch, 55 % colour.

    The hold is ``hold`` frames, or by default a sixth of the video within 1 to 4 s
    (at least a second: the encoder starts a default hold with a keyframe a second
    before the end). It leaves at least two frames to draw.
    """
    if hold is None:
        low, high = HOLD_SECONDS
        hold = int(round(np.clip(frame_count / 6, low * fps, high * fps)))
    hold = max(1, min(hold, frame_count - 2))
    drawing = frame_count - hold
    sketch = max(1, int(round(drawing * SKETCH_SHARE)))
    return SketchPhases(sketch=sketch, colour=drawing - sketch, hold=hold)


def render_sketch_color(
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
    """Return the ``frame_count`` frames of ``picture`` being sketched, then painted, lazily.

    Parameters
    ----------
    picture : ndarray, shape (H, W, 3), uint8
        BGR picture; not modified.
    frame_count, fps : int
    rng : numpy.random.Generator
        Decides the pencil's pressure, the hatching and the k-means start.
    tool : {"hand", "pencil", "none"}
        What is drawn holding the pencil and brush.
    finish : str
        Ignored: this style always ends on the picture.
    hold : int or None
        Frames of the final hold, at least 1; None for the default (see :func:`sketch_phases`).
        A hold given is exact: the colour settles in the frame before it.
    placement : Placement or None
        The frame the picture sits in (None: the picture is the frame). With a margin,
        the margin is bare paper and the tool may reach over it.

    Returns
    -------
    iterator of FrameUpdate
        Frames of the placement's shape (Hf, Wf, 3) uint8 (default: the picture's), each
        with the area that changed.
    """
    phases = sketch_phases(frame_count, fps, hold)
    seeds = rng.integers(2**31, size=3)
    rngs = [np.random.default_rng(int(seed)) for seed in seeds]
    exact_end = hold is not None  # a default hold keeps its old timing, so old videos stay the same
    if placement is None or not placement.has_margin:
        return _frames(picture, phases, fps, tool, rngs, exact_end=exact_end)
    paper = np.empty((placement.height, placement.width, 3), np.uint8)
    paper[:] = SKETCH_PAPER_BGR
    sheet = Sheet(paper, placement)
    return sheet.frames(_frames(picture, phases, fps, tool, rngs, exact_end=exact_end, surface=sheet))


def _frames(
    picture: np.ndarray,
    phases: SketchPhases,
    fps: int,
    tool: str,
    rngs: list[np.random.Generator],
    *,
    exact_end: bool,
    surface: ToolSurface | None = None,
) -> Iterator[FrameUpdate]:
    canvas = np.empty_like(picture)
    canvas[:] = SKETCH_PAPER_BGR
    yield FrameUpdate(canvas, None)
    height, width = picture.shape[:2]
    diagonal = float(np.hypot(height, width))
    hands = ToolHand(canvas, tool, diagonal * MAX_TOOL_STEP, surface=surface)
    # The hatching and the colour phase are planned on threads of their own while the lines
    # are drawn: the hatching on one, the brush's plan (the picture's alone) on another, then
    # the rest of the colour phase once the sketch is known. Two threads get the plans more
    # of the cores' time than one, so the frames seldom wait for them.
    executor = PlanningExecutor(max_workers=2, thread_name_prefix="sketch-color-plan")
    sketch = Sketch(picture, phases.sketch - 1, rngs[:2], executor)
    colour_seed = int(rngs[2].integers(2**31))
    brush = executor.submit(Colouring.brush_plan, picture, phases.colour, fps, colour_seed)

    def plan_colour(drawn: Sketch, brush: Future[tuple[ColourPlan, float]]) -> Colouring:
        return Colouring.plan(
            picture,
            drawn.final,
            phases.colour,
            fps,
            colour_seed,
            drawn.end,
            exact_end=exact_end,
            brush=brush.result(),
        )

    colour_plan = executor.submit(plan_colour, sketch, brush)
    executor.shutdown(wait=False)
    yield from sketch.frames(canvas, hands)
    colouring = colour_plan.result()
    # The sketch's stages and schedules are done with: at 1920 px they are tens of MB that
    # would otherwise live through the colour phase, where a render peaks.
    del sketch, colour_plan, brush
    yield from colouring.frames(canvas, hands)
    canvas[:] = picture
    yield FrameUpdate(canvas, None)
    for _ in range(phases.hold - 1):
        yield FrameUpdate(canvas, NOTHING)
