"""When each pixel changes: the frame the tool passes nearest to it.

A stage of the drawing (the contour lines, a hatch layer, the wash) is rendered whole in
advance; a pixel of it appears in the frame in which the tool reaches the nearest point
of the path that lays it. That is what drawing the strokes frame by frame would show,
at the cost of a lookup per frame instead of drawing. Paint does not appear at once: it
fades in over a few frames from its moment (:class:`Fading`).
"""

from __future__ import annotations

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
    # Only the labels: the distances (float32, as large) are dropped at once.
    found = cv2.distanceTransformWithLabels(seeds, cv2.DIST_L2, 3, labelType=cv2.DIST_LABEL_PIXEL)[1]
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
    """Pixels sorted by the moment they change, so a frame's pixels are one slice of them.

    ``moments`` (H, W) uint16 holds each pixel's moment in ``1 / steps`` of a frame,
    :data:`NEVER` for never. Only the sorted pixels and where each moment's pixels begin among
    them are kept: a moment's pixels are found by a lookup, not a search.
    """

    PARTS = 8  # the sort is made in about this many ranges of moments (see _stable_order)

    def __init__(self, moments: np.ndarray, steps: int = 1) -> None:
        flat = moments.ravel()
        counts = np.bincount(flat, minlength=NEVER + 1)[:NEVER]
        changed = np.flatnonzero(counts)
        last = int(changed[-1]) if len(changed) else -1
        # ends[k]: how many changing pixels have a moment before k, for k = 0 .. last + 1
        self.ends = np.zeros(last + 2, np.int64)
        np.cumsum(counts[: last + 1], out=self.ends[1:])
        del counts
        self.order = _stable_order(flat, self.ends, self.PARTS)
        self.steps = steps

    def between(self, first: float, last: float) -> np.ndarray:
        """Flat indices of the pixels changing from ``first`` (excluded) to ``last`` (included)."""
        start, stop = self.span(first, last)
        return self.order[start:stop]

    def span(self, first: float, last: float) -> tuple[int, int]:
        """The slice of :attr:`order` of the pixels changing from ``first`` (excluded) to ``last``."""
        # Scalars clipped in Python: numpy's clip costs microseconds a call, twice a frame a layer.
        top = len(self.ends) - 1
        low = min(max(math.floor(first * self.steps), 0) + 1, top)
        high = min(max(math.floor(last * self.steps), 0) + 1, top)
        return (0 if first < 0 else int(self.ends[low])), int(self.ends[high])

    def moments(self, start: int, stop: int) -> np.ndarray:
        """The moment of each pixel of ``order[start:stop]``, shape (stop - start,) uint16."""
        if stop <= start:
            return np.zeros(0, np.uint16)
        first, last = np.searchsorted(self.ends, [start, stop - 1], side="right") - 1
        bounds = np.clip(self.ends[first : last + 2], start, stop)
        return np.repeat(np.arange(first, last + 1, dtype=np.uint16), bounds[1:] - bounds[:-1])


def _stable_order(moments: np.ndarray, ends: np.ndarray, parts: int) -> np.ndarray:
    """The flat indices of the pixels whose ``moments`` (flat uint16) are not :data:`NEVER`,
    by moment, ties in reading order, as int32.

    One stable sort of every pixel would hold an int64 index of them all, the largest array of
    a colour plan; sorted a range of moments at a time (ranges of about ``1 / parts`` of all the
    pixels, by ``ends``), only a range's indices are held.
    """
    changing = int(ends[-1])
    order = np.empty(changing, np.int32)
    parts = max(1, math.ceil(parts * changing / max(len(moments), 1)))
    targets = np.arange(1, parts) * (changing / parts)
    bounds = np.unique(np.concatenate([[0], np.searchsorted(ends, targets), [len(ends) - 1]]))
    for low, high in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        if ends[high] == ends[low]:
            continue
        # moments - low wraps below low, so one unsigned comparison keeps just the range
        inside = np.flatnonzero(np.subtract(moments, np.uint16(low), dtype=np.uint16) < high - low)
        ranked = inside[np.argsort(moments[inside], kind="stable")]
        order[ends[low] : ends[high]] = ranked
    return order


def moments_of(starts: np.ndarray, steps: int, scale: float = 1.0) -> np.ndarray:
    """``starts`` (H, W) float32 frame numbers, times ``scale``, in ``1 / steps`` of a frame, for
    a :class:`Schedule`: (H, W) uint16, :data:`NEVER` where the scaled start is NEVER or more."""
    scaled = np.multiply(starts, np.float32(scale), dtype=np.float32)
    never = scaled >= NEVER
    scaled *= np.float32(steps)
    moments = np.clip(np.rint(scaled, out=scaled), 0, NEVER, out=scaled).astype(np.uint16)
    moments[never] = NEVER
    return moments


class Fading:
    """Pixels fading in over ``fade`` frames from their moment: ``moments`` (H, W) uint16 in
    :data:`STEPS` of a frame (see :func:`moments_of`)."""

    STEPS = 8  # starts are kept to an eighth of a frame

    def __init__(self, moments: np.ndarray, fade: int) -> None:
        self.schedule = Schedule(moments, self.STEPS)
        self.fade = fade

    def span(self, frame: int) -> tuple[int, int]:
        """The slice of ``schedule.order`` of the pixels whose opacity in ``frame`` differs from
        the frame before."""
        return self.schedule.span(frame - self.fade - 1 / self.STEPS, frame + 1 - 1 / self.STEPS)

    def changing(self, frame: int) -> np.ndarray:
        """Flat indices of the pixels whose opacity in ``frame`` differs from the frame before."""
        start, stop = self.span(frame)
        return self.schedule.order[start:stop]

    def alpha(self, start: int, stop: int, frame: int) -> np.ndarray:
        """The opacity in ``frame`` of the pixels ``schedule.order[start:stop]``, (N, 1) float32."""
        starts = self.schedule.moments(start, stop).astype(np.float32) * np.float32(1.0 / self.STEPS)
        # minimum and maximum, not clip: this runs twice a frame, and numpy's clip costs
        # several microseconds a call.
        return np.minimum(np.maximum((frame + 1 - starts) * (1.0 / self.fade), 0.0), 1.0)[:, None]


def ending_stretch(starts: np.ndarray, frames: int) -> float:
    """The factor (at least 1) by which to multiply ``starts``, (H, W) frame numbers, so the
    last of them falls half a frame before the end of ``frames`` frames.

    The colour phase's timing leaves some slack: the picture is complete a few frames
    early, and the still picture at the end would last longer than a hold asked for.
    Stretched, the last pixels are still fading in in the phase's last frame.
    """
    last = float(starts.max())
    return max(1.0, (frames - 0.5) / last) if last > 0 else 1.0
