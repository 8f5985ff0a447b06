"""A layer fading in over another, pixel by pixel, brought up to date one frame at a time.

The pixels are kept in the order in which they start to fade (the order of the
:class:`~.reveal.Fading`'s schedule), so the pixels that change in a frame are one slice
of it: a frame gathers their colours from both layers, blends them in one pass and
scatters the result onto the canvas. The layers are held whole, not copied in that order:
a frame's few thousand pixels cost microseconds to gather, while two reordered copies of
each layer were a render's largest arrays at its peak, as the colour is planned.
"""

from __future__ import annotations

import cv2
import numpy as np

from .reveal import PIXEL, Fading, pixels_of


class Transition:
    """The pixels of ``fading`` going from ``under`` to ``over``, both (H, W, 3) uint8 BGR and
    C-contiguous: held, not copied, so they must not change while it is used."""

    def __init__(self, fading: Fading, under: np.ndarray, over: np.ndarray) -> None:
        self.order, self._fading = fading.schedule.order, fading
        self._under, self._over = pixels_of(under), pixels_of(over)

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
        first, last = self._fading.span(frame)
        pixels = self.order[first:last]
        if first < last:
            alpha = self._fading.alpha(first, last, frame).reshape(1, -1)
            # (1, N, 3): one row, so OpenCV blends the frame's pixels in one pass.
            under, over = (
                np.take(layer, pixels).view(np.uint8).reshape(1, -1, 3) for layer in (self._under, self._over)
            )
            blended = cv2.blendLinear(under, over, 1.0 - alpha, alpha)
            np.put(pixels_of(canvas), pixels, blended.reshape(-1).view(PIXEL))
        return pixels
