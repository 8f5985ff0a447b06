"""Where a render's frames go: the format's writer, and what turns a style's frames into its frames.

MP4 and WebM take I420 frames, converted where the frame changed; a GIF takes
palette indices, dithered where it changed, in a palette made for the video (see
docs/rendering.md, "Formats").
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import av
import numpy as np

from .drawing.sprites import SHADOW_DEPTH, part_colours
from .encoding.codecs import encoder_for
from .encoding.frames import Frame, I420Converter
from .encoding.palette import make_palette
from .encoding.paletted import PalettedConverter
from .encoding.pipeline import FRAMES_IN_USE
from .encoding.writer import VideoWriter
from .options import RenderOptions
from .styles.painterly.texture import PAINTING_PAPER_BGR, PAPER_GRAIN
from .styles.sketch_color.pencil import GRAPHITE_BGR, SKETCH_PAPER_BGR

PENCIL_SHADES = 8  # palette colours from the paper to graphite
SHADOW_SHADES = 4  # ... and from each paper to its darkest under the tool's shadow


@dataclass(frozen=True)
class Sink:
    """A format's writer (not yet entered) and the conversion of a style's frames for it."""

    writer: VideoWriter
    convert: Callable[[Frame], av.VideoFrame]


def make_sink(
    picture: np.ndarray, output_path: str | os.PathLike, *, size: tuple[int, int], options: RenderOptions
) -> Sink:
    """The sink of ``options.format`` for a video that ends on ``picture`` (h, w, 3) uint8 BGR: frames
    of ``size`` ``(width, height)`` at ``options.video_fps``, written to ``output_path``."""
    width, height = size
    encoder = encoder_for(options.format, width, height)
    writer = VideoWriter(output_path, width=width, height=height, fps=options.video_fps, encoder=encoder)
    if encoder.pix_fmt == "pal8":
        palette = make_palette(picture, drawn=drawn_colours())
        return Sink(writer, PalettedConverter(palette, flat=flat_colours()).video_frame)
    return Sink(writer, I420Converter(reuse_after=FRAMES_IN_USE).video_frame)


def flat_colours() -> np.ndarray:
    """The colours the styles fill areas with, kept undithered in a GIF: the sketch's paper, the
    tools and the hand; shape (N, 3) uint8 BGR."""
    return np.array([SKETCH_PAPER_BGR, *part_colours()], np.uint8)


def drawn_colours() -> np.ndarray:
    """The colours the styles draw before the picture, shape (N, 3) uint8 BGR: the flat colours,
    the pencil's shades, the painting's paper and its grain, the tool's shadow on either paper."""
    sketch, painting = np.array(SKETCH_PAPER_BGR, np.float32), np.array(PAINTING_PAPER_BGR, np.float32)
    pencil = np.linspace(sketch, np.array(GRAPHITE_BGR, np.float32), PENCIL_SHADES)
    grain = [painting * (1 - PAPER_GRAIN), painting, painting * (1 + PAPER_GRAIN)]
    depths = np.linspace(0.0, SHADOW_DEPTH, SHADOW_SHADES + 1)[1:, None]
    shadows = [paper * (1 - depths) for paper in (sketch, painting)]
    shades = np.clip(np.round(np.vstack([pencil, *grain, *shadows])), 0, 255).astype(np.uint8)
    return np.vstack([flat_colours(), shades])
