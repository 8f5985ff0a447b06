"""Frames as styles hand them over, and their conversion to the encoder's I420, only where they changed."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import av
import cv2
import numpy as np

from ..drawing.geometry import Rect, union_rect

Planes = tuple[np.ndarray, np.ndarray, np.ndarray]  # Y (H, W), U and V (H / 2, W / 2)
# A frame's parts are converted one by one only if they cover less than this share of their
# union: each conversion has a fixed cost, and parts may overlap.
PARTS_SHARE = 0.5


def _bt601_limited() -> np.ndarray:
    """BGR -> limited-range Y, Cb, Cr (BT.601, what H.264 decoders assume) as a 3x4 affine matrix."""
    luma = np.array([0.114, 0.587, 0.299])  # B, G, R weights
    blue_diff = (np.array([1.0, 0.0, 0.0]) - luma) / (2 * (1 - luma[0]))
    red_diff = (np.array([0.0, 0.0, 1.0]) - luma) / (2 * (1 - luma[2]))
    return np.array(
        [[*(luma * 219 / 255), 16], [*(blue_diff * 224 / 255), 128], [*(red_diff * 224 / 255), 128]],
        np.float32,
    )


_BGR_TO_YCBCR = _bt601_limited()


@dataclass(frozen=True)
class FrameUpdate:
    """A frame and the rectangle ``(x0, y0, x1, y1)`` in which it differs from the previous one.

    ``changed=None`` means the whole frame may differ; an empty rectangle, nothing does.
    ``parts``, when given, are smaller rectangles inside ``changed`` that hold every change
    (scattered changes: only they are converted, unless they cover much of ``changed``).
    Styles may yield plain arrays instead, which count as wholly changed.
    """

    image: np.ndarray
    changed: Rect | None
    parts: tuple[Rect, ...] = ()


Frame = np.ndarray | FrameUpdate  # what a style yields: a whole frame, or one with its changed area


def to_yuv420(frame: np.ndarray) -> np.ndarray:
    """Convert a BGR frame (H, W, 3) uint8, H and W even, to I420 planes (H * 3 / 2, W) uint8.

    Chroma is each 2x2 block's average: OpenCV's own I420 conversion takes one
    pixel of the block, which costs about 2 dB on saturated photos.
    """
    height, width = frame.shape[:2]
    planes = np.empty((height * 3 // 2, width), np.uint8)
    _convert_region(frame, _plane_views(planes), (0, 0, width, height))
    return planes


class I420Converter:
    """Keeps the I420 planes of the last frame and converts only what changed.

    With ``reuse_after=n``, :meth:`video_frame` hands out the same ``n`` encoder
    frames in turn, each brought up to date where the frames since its last turn
    changed, instead of filling a new one every time: the caller promises that a
    frame is no longer read once ``n`` later ones have been asked for.
    """

    def __init__(self, *, reuse_after: int = 0) -> None:
        self._planes: np.ndarray | None = None
        self._views: Planes | None = None
        self._ring: list[tuple[av.VideoFrame, Planes]] = []
        self._ring_size = reuse_after
        self._recent: deque[Rect] = deque(maxlen=max(1, reuse_after))
        self._count = 0

    def __call__(self, item: Frame) -> np.ndarray:
        """Return the planes of ``item`` (a frame or a :class:`FrameUpdate`), a fresh array."""
        return self._update(item)[0].copy()

    def video_frame(self, item: Frame) -> av.VideoFrame:
        """Return ``item`` as a yuv420p ``av.VideoFrame``, ready for the encoder."""
        planes, current = self._update(item)
        if not self._ring_size:
            return yuv420_frame(planes)
        slot, self._count = self._count % self._ring_size, self._count + 1
        if slot == len(self._ring):
            frame = yuv420_frame(planes)
            self._ring.append((frame, _frame_views(frame)))
            return frame
        frame, views = self._ring[slot]
        _copy_region(current, views, union_rect(list(self._recent)))
        frame.pts = None  # the encoder numbers frames given without one
        frame.pict_type = av.video.frame.PictureType.NONE
        return frame

    def _update(self, item: Frame) -> tuple[np.ndarray, Planes]:
        """Bring the planes up to date with ``item``; return them and their Y, U, V views."""
        image, changed = (item, None) if isinstance(item, np.ndarray) else (item.image, item.changed)
        parts = () if isinstance(item, np.ndarray) else item.parts
        height, width = image.shape[:2]
        if self._planes is None or self._views is None or changed is None:
            self._planes = np.empty((height * 3 // 2, width), np.uint8)
            self._views = _plane_views(self._planes)
            changed, parts = (0, 0, width, height), ()
        if parts and _area(parts) > PARTS_SHARE * _area((changed,)):
            parts = ()
        for part in parts or (changed,):
            x0, y0, x1, y1 = _even(part, width, height)
            if x1 > x0 and y1 > y0:
                _convert_region(image, self._views, (x0, y0, x1, y1))
        self._recent.append(_even(changed, width, height))
        return self._planes, self._views


def _area(rects: tuple[Rect, ...]) -> int:
    """The summed area of ``rects`` (empty ones count 0)."""
    return sum(max(0, x1 - x0) * max(0, y1 - y0) for x0, y0, x1, y1 in rects)


def _even(rect: Rect, width: int, height: int) -> Rect:
    """``rect`` grown to even bounds (whole 2x2 chroma blocks) and clipped to the frame."""
    x0, y0, x1, y1 = rect
    return (max(0, x0) & ~1, max(0, y0) & ~1, min(width, (x1 + 1) & ~1), min(height, (y1 + 1) & ~1))


def yuv420_frame(planes: np.ndarray) -> av.VideoFrame:
    """Copy I420 ``planes`` (H * 3 / 2, W) uint8 into a new yuv420p ``av.VideoFrame``.

    Several times faster than ``VideoFrame.from_ndarray``, which matters at hundreds of frames.
    """
    height, width = planes.shape[0] * 2 // 3, planes.shape[1]
    frame = av.VideoFrame(width, height, "yuv420p")
    _copy_region(_plane_views(planes), _frame_views(frame), (0, 0, width, height))
    return frame


def _plane_views(planes: np.ndarray) -> Planes:
    """The Y (H, W), U and V (H / 2, W / 2) planes inside I420 ``planes`` (H * 3 / 2, W)."""
    height, width = planes.shape[0] * 2 // 3, planes.shape[1]
    flat = planes.reshape(-1)
    quarter = height * width // 4
    return (
        planes[:height],
        flat[height * width : height * width + quarter].reshape(height // 2, width // 2),
        flat[height * width + quarter :].reshape(height // 2, width // 2),
    )


def _frame_views(frame: av.VideoFrame) -> Planes:
    """Writable views of the Y, U and V planes of a yuv420p ``frame``, line padding cut off."""
    luma, blue, red = (
        np.frombuffer(memoryview(plane), np.uint8).reshape(-1, plane.line_size)[: plane.height, : plane.width]
        for plane in frame.planes
    )
    return luma, blue, red


def _copy_region(source: Planes, target: Planes, rect: Rect) -> None:
    """Copy ``rect`` (even bounds, in luma pixels) of the I420 planes ``source`` into ``target``."""
    x0, y0, x1, y1 = rect
    if x1 <= x0 or y1 <= y0:
        return
    for scale, source_plane, target_plane in zip((1, 2, 2), source, target):
        area = np.s_[y0 // scale : y1 // scale, x0 // scale : x1 // scale]
        target_plane[area] = source_plane[area]


def _convert_region(image: np.ndarray, planes: Planes, rect: Rect) -> None:
    """Write the I420 conversion of ``image[y0:y1, x0:x1]`` (even bounds) into ``planes``."""
    x0, y0, x1, y1 = rect
    y_plane, u_plane, v_plane = planes
    # Per pixel, then 2x2 block means of the chroma: the same as converting the block means.
    # OpenCV transforms a region row by row at a cost per row: a copy made one long row is
    # transformed in one pass, for less than the rows cost.
    region = np.ascontiguousarray(image[y0:y1, x0:x1])
    ycbcr = cv2.transform(region.reshape(1, -1, 3), _BGR_TO_YCBCR).reshape(region.shape)
    y_plane[y0:y1, x0:x1] = ycbcr[:, :, 0]
    block_means = cv2.resize(ycbcr, ((x1 - x0) // 2, (y1 - y0) // 2), interpolation=cv2.INTER_AREA)
    u_plane[y0 // 2 : y1 // 2, x0 // 2 : x1 // 2] = block_means[:, :, 1]
    v_plane[y0 // 2 : y1 // 2, x0 // 2 : x1 // 2] = block_means[:, :, 2]
