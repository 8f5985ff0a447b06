"""Paint-animation core: an image becomes an MP4 of it being sketched, then painted.

The front door is :func:`paint_image`; ``python -m algorithms`` is its command line.
"""

from .errors import (ImageDecodeError, ImageTooLargeError, InvalidOptionError, PaintError,
                     RenderTimeoutError, StorageFullError)
from .options import RenderOptions
from .render import RenderResult, paint_image

__all__ = [
    "ImageDecodeError", "ImageTooLargeError", "InvalidOptionError", "PaintError",
    "RenderOptions", "RenderResult", "RenderTimeoutError", "StorageFullError", "paint_image",
]
__version__ = "0.1.0"
