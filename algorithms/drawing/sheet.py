"""The sheet: the video's frame of paper, the picture's canvas inside it, the tool over both.

A style draws on a canvas the size of the picture. When the frame is larger (an aspect
other than the picture's own), the style hands its frames to a :class:`Sheet`, and lays
its tool there instead of on the canvas: each frame's changes are copied into the
sheet's window, then the tool is laid over the whole frame, so a hand near the
picture's edge reaches out over the paper instead of being cut off at it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

from ..encoding.frames import Frame, FrameUpdate
from ..media.framing import Placement
from .geometry import NOTHING, Rect, clip_rect, union_rect
from .overlay import ToolLayer
from .sprites import ToolSprite


class Sheet:
    """The frame: bare ``paper``, shape (H, W, 3) uint8, with the picture at ``placement.rect``.

    It is also the style's :class:`~algorithms.drawing.overlay.ToolSurface`: :meth:`lay`
    puts the tool on the next frame (tip in the picture's coordinates), and a frame shows
    the tool only if it was laid for it. Both return an empty rectangle: the canvas is
    untouched, and the sheet adds where the tool was and is to each frame's changed area.
    """

    def __init__(self, paper: np.ndarray, placement: Placement) -> None:
        if paper.shape[:2] != (placement.height, placement.width):
            raise ValueError(f"paper {paper.shape[:2]} for a frame {(placement.height, placement.width)}")
        self.placement = placement
        self.image = paper.copy()
        self._window = placement.window(self.image)
        self._tool = ToolLayer(self.image)
        self._next_tool: tuple[ToolSprite, tuple[float, float]] | None = None
        self._started = False

    def lay(self, sprite: ToolSprite, tip_xy: tuple[float, float]) -> Rect:
        """Show ``sprite`` on the next frame, its tip at ``tip_xy`` on the picture."""
        left, top = self.placement.rect[:2]
        self._next_tool = (sprite, (float(tip_xy[0]) + left, float(tip_xy[1]) + top))
        return NOTHING

    def lift(self) -> Rect:
        """Show no tool on the next frame (unless one is laid again)."""
        self._next_tool = None
        return NOTHING

    def frames(self, updates: Iterable[Frame]) -> Iterator[FrameUpdate]:
        """The sheet's frames: each of ``updates`` (frames of the picture's shape) in the window,
        with the tool laid for it on top, and the area of the frame that changed.

        Yields
        ------
        FrameUpdate
            ``self.image``, shape (H, W, 3) uint8, updated in place.
        """
        for update in updates:
            yield self._compose(update)

    def _compose(self, update: Frame) -> FrameUpdate:
        if isinstance(update, np.ndarray):
            update = FrameUpdate(update, None)
        image, changed, parts = update.image, update.changed, update.parts
        height, width = self._window.shape[:2]
        lifted = self._tool.lift()  # before the copy: lifting restores what was under the tool
        if changed is None:
            regions = [(0, 0, width, height)]
        else:
            regions = [clip_rect(rect, width, height) for rect in parts or (changed,)]
        for x0, y0, x1, y1 in regions:
            self._window[y0:y1, x0:x1] = image[y0:y1, x0:x1]
        laid = NOTHING if self._next_tool is None else self._tool.lay(*self._next_tool)
        self._next_tool = None
        if not self._started:
            self._started = True
            return FrameUpdate(self.image, None)
        framed = [self.placement.to_frame(region) for region in regions] + [lifted, laid]
        return FrameUpdate(self.image, union_rect(framed), tuple(framed) if parts else ())
