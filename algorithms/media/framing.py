"""Framing: the shape of the video's frame, and where the picture sits inside it.

The frame's long side is the long side the picture was loaded at (see
:func:`~algorithms.media.loading.output_size`); the picture is shrunk, if it must be,
to fit inside, and centred. Sides and offsets are even, so no 2x2 chroma block of
the video holds both picture and paper.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..drawing.geometry import Rect, clip_rect

ASPECTS: dict[str, tuple[int, int] | None] = {
    "original": None,
    "1:1": (1, 1),
    "4:5": (4, 5),
    "9:16": (9, 16),
    "16:9": (16, 9),
}


@dataclass(frozen=True)
class Placement:
    """A frame of ``width`` x ``height`` with the picture at ``rect`` ``(x0, y0, x1, y1)``."""

    width: int
    height: int
    rect: Rect

    @classmethod
    def whole(cls, width: int, height: int) -> Placement:
        """The frame that is the picture itself, ``width`` x ``height``."""
        return cls(width, height, (0, 0, width, height))

    @property
    def has_margin(self) -> bool:
        """Whether some of the frame is paper outside the picture."""
        return self.rect != (0, 0, self.width, self.height)

    def to_frame(self, rect: Rect) -> Rect:
        """``rect`` in the picture's coordinates moved to the frame's, clipped to the frame."""
        x0, y0, x1, y1 = rect
        left, top = self.rect[:2]
        return clip_rect((x0 + left, y0 + top, x1 + left, y1 + top), self.width, self.height)

    def window(self, frame: np.ndarray) -> np.ndarray:
        """The picture's area of ``frame`` (height, width, 3): a view, shape (h, w, 3)."""
        x0, y0, x1, y1 = self.rect
        return frame[y0:y1, x0:x1]


def frame_size(width: int, height: int, *, aspect: str) -> tuple[int, int]:
    """The ``(width, height)`` of an ``aspect`` frame for a ``width`` x ``height`` picture.

    The frame's long side is the picture's; the other is rounded to an even number
    (at least 2). ``"original"`` is the picture's own size.
    """
    shape = ASPECTS[aspect]
    if shape is None:
        return width, height
    across, down = shape
    long_side = max(2, max(width, height) // 2 * 2)
    if across >= down:
        return long_side, _even(long_side * down / across)
    return _even(long_side * across / down), long_side


def fit(picture: np.ndarray, *, aspect: str) -> tuple[np.ndarray, Placement]:
    """Fit ``picture`` into its ``aspect`` frame (see :func:`frame_size`), centred.

    Parameters
    ----------
    picture : ndarray, shape (H, W, 3), uint8
        Not modified.
    aspect : str
        A key of :data:`ASPECTS`.

    Returns
    -------
    fitted : ndarray, shape (h, w, 3), uint8
        ``picture`` itself when it fits as it is, else a copy shrunk with area
        averaging; h and w even.
    placement : Placement
        The frame and the fitted picture's even, centred rectangle in it.
    """
    if aspect not in ASPECTS:
        raise ValueError(f"unknown aspect {aspect!r}")
    height, width = picture.shape[:2]
    frame_w, frame_h = frame_size(width, height, aspect=aspect)
    scale = min(frame_w / width, frame_h / height, 1.0)
    fitted_w, fitted_h = min(frame_w, _even(width * scale)), min(frame_h, _even(height * scale))
    if (fitted_w, fitted_h) != (width, height):
        picture = cv2.resize(picture, (fitted_w, fitted_h), interpolation=cv2.INTER_AREA)
    left, top = (frame_w - fitted_w) // 4 * 2, (frame_h - fitted_h) // 4 * 2
    return picture, Placement(frame_w, frame_h, (left, top, left + fitted_w, top + fitted_h))


def _even(side: float) -> int:
    return max(2, int(round(side / 2.0)) * 2)
