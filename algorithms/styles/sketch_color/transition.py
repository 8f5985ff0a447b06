"""A layer fading in over another, pixel by pixel, brought up to date one frame at a time.

Both layers' colours are kept in the order in which their pixels start to fade (the
order of the :class:`~.reveal.Fading`'s schedule), so the pixels that change in a frame
are one slice of each: a frame blends two contiguous runs of colours and scatters the
result onto the canvas, instead of gathering scattered pixels from two whole layers.
"""

from __future__ import annotations

import cv2
import numpy as np

from .reveal import PIXEL, Fading, pixels_of


class Transition:
    """The pixels of ``fading`` going from ``under`` to ``over``, both (H, W, 3) uint8 BGR.

    Only the pixels ``fading`` schedules are kept, in its order: the layers may be let go.
    """

    def __init__(self, fading: Fading, under: np.ndarray, over: np.ndarray) -> None:
        schedule = fading.schedule
        self.order, self.fade, self._span = schedule.order, fading.fade, schedule.span
        self._steps = fading.STEPS
        self._keys = schedule.sorted
        # (1, N, 3): one row, so OpenCV blends a frame's run in one pass.
        self._under, self._over = (
            pixels_of(layer)[self.order].view(np.uint8).reshape(1, -1, 3) for layer in (under, over)
        )

    def paint(self, canvas: np.ndarray, frame: int) -> np.ndarray:
        """Bring the pixels of ``canvas`` that change in ``frame`` to their colour in it.

        Parameters
        ----------
        canvas : ndarray, shape (H, W, 3), uint8, C-contiguous
            Holds every pixel as of the frame before; updated in place.
        frame : int

        Returns
        -------
        ndarray, shape (N,), int32
            Flat indices of the pixels that changed.
        """
        steps = self._steps
        first, last = self._span(frame - self.fade - 1 / steps, frame + 1 - 1 / steps)
        pixels = self.order[first:last]
        if first < last:
            starts = self._keys[first:last].astype(np.float32) * np.float32(1.0 / steps)
            # Positive: the span holds starts at least an eighth of a frame before ``frame + 1``.
            alpha = np.minimum((frame + 1 - starts) * (1.0 / self.fade), 1.0)[None]
            under, over = self._under[:, first:last], self._over[:, first:last]
            blended = cv2.blendLinear(under, over, 1.0 - alpha, alpha)
            np.put(pixels_of(canvas), pixels, blended.reshape(-1).view(PIXEL))
        return pixels
