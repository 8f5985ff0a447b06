"""The registry of animation styles: each maps a picture to its stream of frames.

A style renderer is called as ``renderer(picture, *, frame_count, fps, rng, show_tools,
finish)`` with ``picture`` of shape (H, W, 3) uint8 BGR. It plans what the first frames
need before returning (the "plan" phase); later work may be planned while frames are
drawn, on the drawing thread or a thread of its own, so it overlaps the encoder. It
returns an iterator of exactly ``frame_count`` frames of the same shape, each a plain
array or a :class:`algorithms.frames.FrameUpdate` naming the area that changed (only that
area is converted for the encoder). A yielded frame may be reused by the renderer once
the next one is requested.
"""

from __future__ import annotations

from .painterly import render_painterly
from .sketch_color import render_sketch_color

STYLE_RENDERERS = {
    "sketch-color": render_sketch_color,
    "painterly": render_painterly,
}
