"""Style ``painterly``: the picture painted in brush strokes, coarse to fine (after Hertzmann).

The painting is planned area by area on a thread of its own (:mod:`.painting`), the main
subject first; the frames lay each area's strokes as soon as it is planned, blocking the
area in with big strokes and refining it with ever smaller ones. A hand holds the brush and moves it along
the strokes, travelling between them as the pencil of ``sketch-color`` does; each stroke
takes time by its length and by how much it changes, so the picture keeps arriving at an
even pace to the end. With ``finish="photo"`` a last pass of fine strokes lays the
picture's own pixels over the painting.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ...drawing.geometry import NOTHING, union_rect
from ...drawing.sheet import Sheet
from ...drawing.tools import MAX_TOOL_STEP, ToolHand
from ...encoding.frames import FrameUpdate
from ...media.framing import Placement
from .finish import plan_photo_pass
from .painter import StrokePainter, WholePass
from .painting import PaintingPlan
from .schedule import PaintingPhases, painting_phases
from .texture import paper

LIFT_SECONDS = 0.3  # the hand lifts away, fading, over the end of the last pass
# Diagonals a frame the brush may move: a little under the pencil's cap, as the brush's work
# is spread wider (its many small strokes are followed by their centre, never hopped between).
MAX_BRUSH_STEP = 0.8 * MAX_TOOL_STEP


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
        A hand holding the brush, the brush alone, or nothing.
    finish : {"painting", "photo"}
        End on the painting, or lay the picture itself over it in a last pass of strokes.
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
    height, width = picture.shape[:2]
    sheet: Sheet | None = None
    if placement is not None and placement.has_margin:
        sheet_paper = paper(placement.height, placement.width, rng)  # the margin is the same paper
        canvas = placement.window(sheet_paper).copy()
        sheet = Sheet(sheet_paper, placement)
    else:
        canvas = paper(height, width, rng)
    plan = PaintingPlan(picture, canvas, rng)
    passes = [StrokePainter(canvas, plan)]
    if finish == "photo":
        photo_seed = int(rng.integers(2**62))
        passes.append(
            StrokePainter(
                canvas,
                WholePass(lambda: plan_photo_pass(picture, plan.regions, np.random.default_rng(photo_seed))),
            )
        )
    hands = ToolHand(canvas, tool, float(np.hypot(height, width)) * MAX_BRUSH_STEP, surface=sheet)
    frames = _frames(picture, canvas, passes, phases, hands, fps, plan)
    return frames if sheet is None else sheet.frames(frames)


def _frames(
    picture: np.ndarray,
    canvas: np.ndarray,
    passes: list[StrokePainter],
    phases: PaintingPhases,
    hands: ToolHand,
    fps: int,
    plan: PaintingPlan,
) -> Iterator[FrameUpdate]:
    """The bare canvas, each pass of strokes (the painting, then the photo's), and the hold."""
    try:
        for _ in range(phases.blank):
            yield FrameUpdate(canvas, None)
        lift = max(1, int(round(LIFT_SECONDS * fps)))
        for index, (painter, frames) in enumerate(zip(passes, (phases.painting, phases.photo))):
            if index:
                painter.tip = passes[index - 1].tip
            yield from _pass(painter, frames, hands, lift if index == len(passes) - 1 else 0)
    finally:
        plan.cancel()  # a render given up on plans no further
    tool = hands.lift()
    if len(passes) > 1:
        canvas[:] = picture  # the photo's strokes cover all but stray pixels
        yield FrameUpdate(canvas, None)
    else:
        yield FrameUpdate(canvas, tool)
    for _ in range(phases.hold - 1):
        yield FrameUpdate(canvas, NOTHING)


def _pass(painter: StrokePainter, frames: int, hands: ToolHand, lift: int) -> Iterator[FrameUpdate]:
    """``frames`` frames of ``painter``'s strokes, the brush following them; over the last
    ``lift`` frames (at most a quarter), as the last strokes are laid, the hand lifts away."""
    lift = min(lift, frames // 4)
    for frame in range(frames):
        tool = [hands.lift()]
        painted = painter.paint_until((frame + 1) / frames if frame < frames - 1 else np.inf)
        tip = painter.follow(frame / frames, (frame + 1) / frames, hands.max_step)
        opacity = min(1.0, (frames - frame) / (lift + 1))
        tool.append(hands.brush(tip, painter.brush_colour, opacity=opacity))
        parts = (union_rect(tool), painted)
        yield FrameUpdate(painter.canvas, union_rect(list(parts)), parts)
