"""Paint-animation core: an image becomes an MP4 of it being sketched, then painted.

The front door is :func:`paint_image`; ``python -m algorithms`` is its command line.
This module is the one face of the package: the service and the command line import
from here only.

Subpackages: :mod:`.media` (reading input images), :mod:`.encoding` (frames to an MP4),
:mod:`.drawing` (geometry and the tools), :mod:`.styles` (one subpackage per style).
"""

from .encoding.formats import FORMATS, VideoFormat
from .encoding.writer import PART_MARKER
from .errors import (
    ImageDecodeError,
    ImageTooLargeError,
    InvalidOptionError,
    PaintError,
    RenderTimeoutError,
    StorageFullError,
)
from .media import probe_image, sniff_format
from .options import DEFAULT_MAX_PIXELS, OPTION, OPTIONS, OptionSpec, RenderOptions, parse_flag
from .render import RenderResult, paint_image
from .styles import STYLES


def renderer_revision(style: str) -> str:
    """The revision of ``style``'s output: it changes whenever the style's videos change."""
    return STYLES[style].revision


__all__ = [
    "DEFAULT_MAX_PIXELS",
    "FORMATS",
    "OPTION",
    "OPTIONS",
    "PART_MARKER",
    "ImageDecodeError",
    "ImageTooLargeError",
    "InvalidOptionError",
    "OptionSpec",
    "PaintError",
    "RenderOptions",
    "RenderResult",
    "RenderTimeoutError",
    "StorageFullError",
    "VideoFormat",
    "paint_image",
    "parse_flag",
    "probe_image",
    "renderer_revision",
    "sniff_format",
]
