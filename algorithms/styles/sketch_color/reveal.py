"""When each pixel changes: the frame the tool passes nearest to it.

A stage of the drawing (the contour lines, a hatch layer, the wash) is rendered whole in
advance; a pixel of it appears in the frame in which the tool reaches the nearest point
of the path that lays it. That is what drawing the strokes frame by frame would show,
at the cost of a lookup per frame instead of drawing. Paint does not appear at once: it
fades in over a few frames from its moment (:class:`Fading`).
"""

from __future__ import annotations

import functools
import math

import cv2
import numpy as np

from ...drawing.geometry import Rect

NEVER = np.iinfo(np.uint16).max  # the start of a pixel that a stage leaves as it was
PIXEL = np.dtype("V3")  # a BGR pixel as one item: numpy gathers and scatters these faster than rows


def pixels_of(image: np.ndarray) -> np.ndarray:
    """The pixels of ``image``, (H, W, 3) uint8 C-contiguous, as a flat view, shape (H * W,) of
    :data:`PIXEL`: writing to it writes to ``image``."""
    return image.reshape(-1, copy=False).view(PIXEL)


def start_frames(points: np.ndarray, frames: np.ndarray, where: np.ndarray) -> np.ndarray:
    """The frame in which each pixel of ``where`` changes: that of the nearest of ``points``.

    Parameters
    ----------
    points : ndarray, shape (N, 2)
        ``(x, y)`` of the path's points.
    frames : ndarray, shape (N,), int
        The frame each point is reached in.
    where : ndarray, shape (H, W), bool
        The pixels the stage changes.

    Returns
    -------
    ndarray, shape (H, W), uint16
        The frame of each pixel of ``where``; :data:`NEVER` elsewhere.
    """
    height, width = where.shape
    if len(points) == 0 or not where.any():
        return np.full((height, width), NEVER, np.uint16)
    xs = np.clip(np.rint(points[:, 0]).astype(np.intp), 0, width - 1)
    ys = np.clip(np.rint(points[:, 1]).astype(np.intp), 0, height - 1)
    seeds = np.full((height, width), 255, np.uint8)
    seeds[ys, xs] = 0
    _, found = cv2.distanceTransformWithLabels(seeds, cv2.DIST_L2, 3, labelType=cv2.DIST_LABEL_PIXEL)
    labels = np.asarray(found, np.int32)
    first = np.full(int(labels.max()) + 1, NEVER, np.int64)
    np.minimum.at(first, labels[ys, xs], frames)  # a pixel reached twice keeps the earlier frame
    # Every pixel looked up, then masked: faster than gathering and scattering through the mask.
    return np.where(where, np.take(first.astype(np.uint16), labels), np.uint16(NEVER))


def frame_rects(
    points: np.ndarray, frames: np.ndarray, frame_count: int, margin: int, shape: tuple[int, ...]
) -> list[Rect]:
    """For each frame, the rectangle ``(x0, y0, x1, y1)`` around the points reached in it,
    grown by ``margin`` pixels and clipped to ``shape``; empty for a frame that reaches none.

    ``frames`` must not decrease along ``points`` (a path is timed in order).
    """
    rects: list[Rect] = [(0, 0, 0, 0)] * frame_count
    if len(points) == 0:
        return rects
    height, width = shape[:2]
    firsts = np.searchsorted(frames, np.arange(frame_count), side="left")
    lasts = np.searchsorted(frames, np.arange(frame_count), side="right")
    for frame in np.flatnonzero(lasts > firsts).tolist():
        piece = points[firsts[frame] : lasts[frame]]
        low, high = piece.min(axis=0), piece.max(axis=0)
        rects[frame] = (
            max(0, int(low[0]) - margin),
            max(0, int(low[1]) - margin),
            min(width, int(high[0]) + margin + 2),
            min(height, int(high[1]) + margin + 2),
        )
    return rects


class Schedule:
    """Pixels sorted by the moment they change (``starts``, (H, W) frame numbers, :data:`NEVER`
    for never), so a frame finds its pixels with two binary searches instead of a scan.

    Moments are kept to ``1 / steps`` of a frame.
    """

    def __init__(self, starts: np.ndarray, steps: int = 1) -> None:
        flat = starts.ravel()
        if steps == 1 and flat.dtype == np.uint16:  # already whole frames
            keys = flat
        else:
            scaled = np.multiply(flat, np.float32(steps), dtype=np.float32)
            keys = np.clip(np.rint(scaled, out=scaled), 0, NEVER, out=scaled).astype(np.uint16)
            keys[flat >= NEVER] = NEVER
            del scaled  # before the sort, the moment of a plan's most memory
        # A radix sort for 16-bit keys. Where most pixels never change (a stage's ink covers a
        # part of the page) they are left out before it; where most change (the colour's
        # moments) they are cut off after it, sparing the index arrays of the other way.
        changing = int(np.count_nonzero(keys != NEVER))
        if changing < len(keys) // 2:
            index = np.flatnonzero(keys != NEVER)
            self.order = index[np.argsort(keys[index], kind="stable")].astype(np.int32)
        else:  # the stable sort puts the pixels that never change last
            self.order = np.argsort(keys, kind="stable")[:changing].astype(np.int32)
        self.sorted = keys[self.order]
        self.steps = steps

    def between(self, first: float, last: float) -> np.ndarray:
        """Flat indices of the pixels changing from ``first`` (excluded) to ``last`` (included)."""
        start, stop = self.span(first, last)
        return self.order[start:stop]

    def span(self, first: float, last: float) -> tuple[int, int]:
        """The slice of :attr:`order` of the pixels changing from ``first`` (excluded) to ``last``."""
        # Keys of the array's own type: a Python int would make numpy convert the whole array.
        # Scalars clipped in Python: numpy's clip costs microseconds a call, twice a frame a layer.
        low = np.uint16(min(max(math.floor(first * self.steps), 0), NEVER - 1))
        high = np.uint16(min(max(math.floor(last * self.steps), 0), NEVER - 1))
        start = 0 if first < 0 else int(np.searchsorted(self.sorted, low, side="right"))
        return start, int(np.searchsorted(self.sorted, high, side="right"))


class Fading:
    """Pixels fading in over ``fade`` frames from their start, (H, W) float32 frame numbers."""

    STEPS = 8  # starts are kept to an eighth of a frame

    def __init__(self, starts: np.ndarray, fade: int) -> None:
        self.schedule = Schedule(starts, self.STEPS)
        self.fade = fade
        self._shape = starts.shape

    @functools.cached_property
    def keys(self) -> np.ndarray:
        """Each pixel's start in :data:`STEPS` of a frame, shape (H * W,) uint16 (made on first use)."""
        keys = np.full(self._shape[0] * self._shape[1], NEVER, np.uint16)
        keys[self.schedule.order] = self.schedule.sorted
        return keys

    def changing(self, frame: int) -> np.ndarray:
        """Flat indices of the pixels whose opacity in ``frame`` differs from the frame before."""
        return self.schedule.between(frame - self.fade - 1 / self.STEPS, frame + 1 - 1 / self.STEPS)

    def alpha(self, pixels: np.ndarray, frame: int) -> np.ndarray:
        """The opacity in ``frame`` of ``pixels`` (flat indices), shape (N, 1) float32."""
        starts = self.keys[pixels].astype(np.float32) * np.float32(1.0 / self.STEPS)
        return np.clip((frame + 1 - starts) * (1.0 / self.fade), 0.0, 1.0)[:, None]


def ending_stretch(starts: np.ndarray, frames: int) -> float:
    """The factor (at least 1) by which to multiply ``starts``, (H, W) frame numbers, so the
    last of them falls half a frame before the end of ``frames`` frames.

    The colour phase's timing leaves some slack: the picture is complete a few frames
    early, and the still picture at the end would last longer than a hold asked for.
    Stretched, the last pixels are still fading in in the phase's last frame.
    """
    last = float(starts.max())
    return max(1.0, (frames - 0.5) / last) if last > 0 else 1.0
