"""The animation styles: each turns a picture into its stream of frames.

A style is a :class:`StyleRenderer` called as ``render(picture, *, frame_count, fps, rng,
tool, finish, hold, placement)`` with ``picture`` of shape (H, W, 3) uint8 BGR. It plans
what the first frames need before returning (the "plan" phase); later work may be planned
while frames are drawn, on the drawing thread or a thread of its own, so it overlaps the
encoder. It returns an iterator of exactly ``frame_count`` frames, each a plain array or a
:class:`~algorithms.encoding.frames.FrameUpdate` naming the area that changed (only that
area is converted for the encoder). A yielded frame may be reused by the renderer once the
next one is requested.

The last ``hold`` frames (None: the style's own default, at least a second) are the
finished picture, still. The frames have the shape of ``placement``'s frame, the picture
drawn at its rectangle and the rest bare paper (None: the picture is the frame); the
style lays its tool on a :class:`~algorithms.drawing.sheet.Sheet`, so the tool can reach
over that paper.

Each style also has a ``revision``: it changes whenever the style's output changes (a
golden test of a small render holds it to that), so the service's render cache never
serves a video made by an older renderer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ..encoding.frames import Frame
from ..media.framing import Placement
from . import painterly, sketch_color


class StyleRenderer(Protocol):
    """The call every style implements (see the module's docstring)."""

    def __call__(
        self,
        picture: np.ndarray,
        *,
        frame_count: int,
        fps: int,
        rng: np.random.Generator,
        tool: str,
        finish: str,
        hold: int | None,
        placement: Placement | None,
    ) -> Iterator[Frame]: ...


@dataclass(frozen=True)
class Style:
    """A style's renderer and the revision of its output."""

    render: StyleRenderer
    revision: str


STYLES: dict[str, Style] = {
    "sketch-color": Style(sketch_color.render_sketch_color, sketch_color.REVISION),
    "painterly": Style(painterly.render_painterly, painterly.REVISION),
}
