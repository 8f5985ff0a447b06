"""The colour phase: the brush lays a wash over the sketch, and the picture's detail follows it.

Each pixel gets two moments: when the brush's wash reaches it (the frame the brush passes
nearest, a little earlier or later by a soft noise, so the paint's edge is ragged, never
ruled) and when the detail arrives (a moment later, dab by dab). Both fade in over a few
frames. A frame recomputes only the rectangles where something is still fading in.
"""

from __future__ import annotations

from collections.abc import Iterator

import cv2
import numpy as np

from ...drawing.geometry import Rect, union_rect
from ...drawing.timeline import ToolPath, join_strokes
from ...drawing.tools import ToolHand
from ...encoding.frames import FrameUpdate
from .regions import ColourPlan, plan_colour
from .reveal import Fading, ending_stretch, moments_of, start_frames
from .transition import Transition

TILE = 40  # pixels: the changed area of a frame is given as the tiles its changes fall in
BRUSH_SPEED = 0.04  # diagonals a frame the brush moves while painting
SECONDS = {"wash_fade": 0.03, "jitter": 0.1, "lag": 0.25, "dabs": 0.25, "detail_fade": 0.07, "lift": 0.3}


class Colouring:
    """The planned colour phase of ``frames`` frames; :meth:`frames` paints it."""

    def __init__(
        self,
        sketch: np.ndarray,
        picture: np.ndarray,
        wash: np.ndarray,
        path: ToolPath,
        frames: int,
        fps: int,
        spacing: float,
        rng: np.random.Generator,
        *,
        exact_end: bool = False,
    ) -> None:
        self.shape, self.frame_count, self.path = sketch.shape, frames, path
        self.timing = {name: max(1, int(round(seconds * fps))) for name, seconds in SECONDS.items()}
        # The detail starts after the wash has faded in, wherever its jitter put it: a pixel is
        # never fading in both at once (see _paint).
        timing = self.timing
        timing["lag"] = max(timing["lag"], timing["jitter"] + timing["wash_fade"] + 1)
        tail = self.timing["lag"] + self.timing["dabs"] + self.timing["detail_fade"] + 1
        self.brush_frames = max(1, frames - tail)
        # The moments are smooth fields: they are made at half size and enlarged.
        height, width = sketch.shape[:2]
        half = (max(1, height // 2), max(1, width // 2))
        inked = path.stroke >= 0
        points = path.points[inked] * np.float32(half[1] / width)
        base = start_frames(points, path.frames(self.brush_frames)[inked], np.ones(half, bool))
        base = _ragged(base.astype(np.float32), spacing / 2, rng)
        wash_start = base + _noise(half, spacing / 12, rng) * self.timing["jitter"]
        detail_start = base + self.timing["lag"] + _noise(half, spacing / 6, rng) * self.timing["dabs"]
        detail_start = _enlarged(detail_start, width, height)
        stretch = ending_stretch(detail_start, frames) if exact_end else 1.0
        # A transparent wash: the pencil shows through it.
        washed = cv2.multiply(sketch, wash, scale=1.0 / 255.0)
        # Each layer's float moments are gone before its schedule is sorted, and the wash's are
        # made after the detail's sort: the plan's largest arrays are never alive together.
        moments = moments_of(detail_start, Fading.STEPS, stretch)
        del detail_start
        self.detail = Transition(Fading(moments, self.timing["detail_fade"]), washed, picture)
        del moments
        moments = moments_of(_enlarged(wash_start, width, height), Fading.STEPS, stretch)
        self.wash = Transition(Fading(moments, self.timing["wash_fade"]), sketch, washed)
        self.picture = picture

    @staticmethod
    def brush_plan(picture: np.ndarray, frames: int, fps: int, seed: int) -> tuple[ColourPlan, float]:
        """What the colour phase of ``frames`` frames needs of ``picture`` alone: the brush's loops
        over the colour regions and the wash (see :func:`.plan_colour`), and the loops' spacing."""
        height, width = picture.shape[:2]
        diagonal = float(np.hypot(height, width))
        reach = BRUSH_SPEED * diagonal * max(1, frames - 2 * fps // 3)
        spacing = float(
            np.clip(height * width / (0.75 * reach), min(height, width) / 40, min(height, width) / 5)
        )
        return plan_colour(picture, seed=seed, spacing=spacing), spacing

    @classmethod
    def plan(
        cls,
        picture: np.ndarray,
        sketch: np.ndarray,
        frames: int,
        fps: int,
        seed: int,
        start: np.ndarray,
        *,
        exact_end: bool = False,
        brush: tuple[ColourPlan, float] | None = None,
    ) -> Colouring:
        """Plan the colour phase of ``picture`` over the finished ``sketch``, the brush coming from
        ``start`` (the pencil's last point). With ``exact_end``, the last pixels are still
        fading in in the last frame (see :func:`.ending_stretch`). ``brush`` is
        :meth:`brush_plan`'s answer for the same arguments, if it was made beforehand."""
        plan, spacing = brush if brush is not None else cls.brush_plan(picture, frames, fps, seed)
        path = join_strokes(plan.loops, [1.0] * len(plan.loops), start=start)
        rng = np.random.default_rng(seed)
        return cls(sketch, picture, plan.wash, path, frames, fps, spacing, rng, exact_end=exact_end)

    def frames(self, canvas: np.ndarray, hands: ToolHand) -> Iterator[FrameUpdate]:
        """The colour phase's frames, painting on ``canvas`` (which holds the finished sketch)."""
        lift = self.timing["lift"]
        positions = self.path.positions(self.brush_frames, hands.max_step, start=hands.last, glide=True)
        for frame in range(self.frame_count):
            tool = [hands.lift()]
            painted = self._paint(canvas, frame)
            if frame < self.brush_frames:
                tip = positions[frame]
                tool.append(hands.brush(tip, self._paint_at(tip)))
            elif frame - self.brush_frames < lift:  # the hand lifts away, fading
                opacity = 1.0 - (frame - self.brush_frames + 1) / (lift + 1)
                tool.append(hands.brush(positions[-1], self._paint_at(positions[-1]), opacity=opacity))
            parts = (union_rect(tool), *painted)  # where the tool was and is: one area
            yield FrameUpdate(canvas, union_rect(list(parts)), parts)

    def _paint(self, canvas: np.ndarray, frame: int) -> list[Rect]:
        """Bring the pixels of ``canvas`` that change in ``frame`` up to date; the tiles they are in
        (they lie scattered along the brush's path), as rectangles."""
        # The wash fades in over the sketch, the detail over the wash: never both in one pixel.
        changing = np.concatenate([self.wash.paint(canvas, frame), self.detail.paint(canvas, frame)])
        return _tiles(changing, self.shape[0], self.shape[1]) if len(changing) else []

    def _paint_at(self, tip: np.ndarray) -> tuple[int, int, int]:
        height, width = self.shape[:2]
        x, y = min(max(int(tip[0]), 0), width - 1), min(max(int(tip[1]), 0), height - 1)
        blue, green, red = (int(channel) for channel in self.picture[y, x])
        return blue, green, red


def _tiles(pixels: np.ndarray, height: int, width: int) -> list[Rect]:
    """Rectangles holding ``pixels`` (flat indices): for each band of :data:`TILE` rows, the span
    of the tiles they fall in (changes cluster along the brush's path)."""
    across, bands = -(-width // TILE), -(-height // TILE)
    # A plain assignment marks the tiles: numpy's ufunc.at (a per-band min and max) is many
    # times slower per pixel.
    flat = np.zeros(bands * across, bool)
    flat[(pixels // (width * TILE)) * across + (pixels % width) // TILE] = True
    marked = flat.reshape(bands, across)
    rects = []
    for index in np.flatnonzero(marked.any(axis=1)).tolist():
        band = marked[index]
        first, last = int(band.argmax()), across - 1 - int(band[::-1].argmax())
        top, bottom = index * TILE, min(height, (index + 1) * TILE)
        rects.append((first * TILE, top, min(width, (last + 1) * TILE), bottom))
    return rects


def _ragged(starts: np.ndarray, spacing: float, rng: np.random.Generator) -> np.ndarray:
    """``starts`` (H, W) float32 displaced by a smooth noise of a third of ``spacing`` and feathered:
    the edge of the paint wanders like a brush's, never along the path's straight runs."""
    height, width = starts.shape
    reach = spacing / 3.0
    grid_x, grid_y = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    shift_x = (_noise((height, width), spacing / 2, rng) - 0.5) * 2 * reach
    shift_y = (_noise((height, width), spacing / 2, rng) - 0.5) * 2 * reach
    moved = cv2.remap(
        starts, grid_x + shift_x, grid_y + shift_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return cv2.GaussianBlur(moved, (0, 0), 0.6)


def _enlarged(starts: np.ndarray, width: int, height: int) -> np.ndarray:
    """``starts`` (h, w) float32 resized to ``width`` x ``height``, bilinear (the edge feathers)."""
    return cv2.resize(starts, (width, height), interpolation=cv2.INTER_LINEAR)


def _noise(shape: tuple[int, int], scale: float, rng: np.random.Generator) -> np.ndarray:
    """Smooth noise of feature size ``scale`` pixels, 0 to 1, shape ``shape``, float32."""
    small = (max(1, int(shape[1] / max(scale, 1.0))) + 2, max(1, int(shape[0] / max(scale, 1.0))) + 2)
    coarse = rng.random((small[1], small[0])).astype(np.float32)
    smooth = cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC)
    low, high = float(smooth.min()), float(smooth.max())
    return (smooth - low) / max(high - low, 1e-6)
