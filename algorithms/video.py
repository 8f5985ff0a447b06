"""Streaming BGR frames into an H.264 MP4 that browsers can play while downloading."""

from __future__ import annotations

import errno
import os
import secrets
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import NoReturn

import av
import cv2
import numpy as np

from .errors import PaintError, StorageFullError

# veryfast + CRF 23 with the cheapest motion search: see README "Video encoding" for the
# measurements (our frames are mostly still: a finer search buys little).
PRESET = "veryfast"
CRF = 23
X264_PARAMS = "me=dia:subme=1"
# Above a megapixel x264's lookahead and frame threads hold hundreds of MB: fewer of
# each keep a service worker under 500 MB at 1920 px (peak 476 -> 403 MB at 1920x1280).
LARGE_FRAME_PIXELS = 1_000_000
LARGE_FRAME_X264_PARAMS = "rc-lookahead=5:threads=2"
PART_MARKER = ".part-"


def partial_path(output_path: Path) -> Path:
    """Return a fresh temporary name beside ``output_path`` (swept if a render is killed)."""
    return output_path.with_name(f".{output_path.name}{PART_MARKER}{secrets.token_hex(6)}")


# Full-range YCrCb chroma -> the limited range H.264 decoders assume (BT.601).
_LIMITED_CHROMA = np.clip(np.round(128 + (np.arange(256) - 128) * 224 / 255), 0, 255).astype(np.uint8)

Rect = tuple[int, int, int, int]
NOTHING: Rect = (0, 0, 0, 0)  # the changed area of a frame identical to the one before


@dataclass(frozen=True)
class FrameUpdate:
    """A frame and the rectangle ``(x0, y0, x1, y1)`` in which it differs from the previous one.

    ``changed=None`` means the whole frame may differ; an empty rectangle, nothing does.
    Styles may yield plain arrays instead, which count as wholly changed.
    """

    image: np.ndarray
    changed: Rect | None


def union_rect(rects: list[Rect]) -> Rect:
    """The smallest rectangle holding every non-empty rectangle of ``rects``."""
    boxes = [rect for rect in rects if rect[2] > rect[0] and rect[3] > rect[1]]
    if not boxes:
        return NOTHING
    x0s, y0s, x1s, y1s = zip(*boxes)
    return (min(x0s), min(y0s), max(x1s), max(y1s))


def to_yuv420(frame: np.ndarray) -> np.ndarray:
    """Convert a BGR frame (H, W, 3) uint8, H and W even, to I420 planes (H * 3 / 2, W) uint8.

    Chroma is each 2x2 block's average: OpenCV's own I420 conversion takes one
    pixel of the block, which costs about 2 dB on saturated photos.
    """
    height, width = frame.shape[:2]
    planes = np.empty((height * 3 // 2, width), np.uint8)
    _convert_region(frame, planes, (0, 0, width, height))
    return planes


class I420Converter:
    """Keeps the I420 planes of the last frame and converts only what changed."""

    def __init__(self) -> None:
        self._planes: np.ndarray | None = None

    def __call__(self, item: np.ndarray | FrameUpdate) -> np.ndarray:
        """Return the planes of ``item`` (a frame or a :class:`FrameUpdate`), a fresh array."""
        return self._update(item).copy()

    def video_frame(self, item: np.ndarray | FrameUpdate) -> av.VideoFrame:
        """Return ``item`` as a new yuv420p ``av.VideoFrame``, ready for the encoder."""
        return yuv420_frame(self._update(item))

    def _update(self, item: np.ndarray | FrameUpdate) -> np.ndarray:
        image, changed = (item, None) if isinstance(item, np.ndarray) else (item.image, item.changed)
        height, width = image.shape[:2]
        if self._planes is None or changed is None:
            self._planes = np.empty((height * 3 // 2, width), np.uint8)
            changed = (0, 0, width, height)
        x0, y0 = max(0, changed[0]) & ~1, max(0, changed[1]) & ~1
        x1, y1 = min(width, (changed[2] + 1) & ~1), min(height, (changed[3] + 1) & ~1)
        if x1 > x0 and y1 > y0:
            _convert_region(image, self._planes, (x0, y0, x1, y1))
        return self._planes


def yuv420_frame(planes: np.ndarray) -> av.VideoFrame:
    """Copy I420 ``planes`` (H * 3 / 2, W) uint8 into a new yuv420p ``av.VideoFrame``.

    Several times faster than ``VideoFrame.from_ndarray``, which matters at hundreds of frames.
    """
    height, width = planes.shape[0] * 2 // 3, planes.shape[1]
    frame = av.VideoFrame(width, height, "yuv420p")
    flat = planes.reshape(-1)
    quarter = height * width // 4
    sources = (planes[:height], flat[height * width:height * width + quarter].reshape(height // 2, width // 2),
               flat[height * width + quarter:].reshape(height // 2, width // 2))
    for plane, source in zip(frame.planes, sources):
        rows = np.frombuffer(plane, np.uint8).reshape(-1, plane.line_size)
        rows[:source.shape[0], :source.shape[1]] = source
    return frame


def _convert_region(image: np.ndarray, planes: np.ndarray, rect: Rect) -> None:
    """Write the I420 conversion of ``image[y0:y1, x0:x1]`` (even bounds) into ``planes``."""
    x0, y0, x1, y1 = rect
    height, width = image.shape[:2]
    region = image[y0:y1, x0:x1]
    planes[y0:y1, x0:x1] = cv2.cvtColor(region, cv2.COLOR_BGR2YUV_I420)[:y1 - y0]
    block_means = cv2.resize(region, ((x1 - x0) // 2, (y1 - y0) // 2), interpolation=cv2.INTER_AREA)
    chroma = cv2.LUT(cv2.cvtColor(block_means, cv2.COLOR_BGR2YCrCb), _LIMITED_CHROMA)
    quarter = height * width // 4
    flat = planes.reshape(-1)
    u_plane = flat[height * width:height * width + quarter].reshape(height // 2, width // 2)
    v_plane = flat[height * width + quarter:].reshape(height // 2, width // 2)
    u_plane[y0 // 2:y1 // 2, x0 // 2:x1 // 2] = chroma[:, :, 2]
    v_plane[y0 // 2:y1 // 2, x0 // 2:x1 // 2] = chroma[:, :, 1]


class VideoWriter:
    """Write frames to ``output_path`` atomically: a temporary file, renamed on success.

    Use as a context manager; on any exception the temporary file is removed and
    nothing appears at ``output_path``.
    """

    def __init__(self, output_path: str | os.PathLike, *, width: int, height: int, fps: int,
                 preset: str = PRESET, crf: int = CRF, x264_params: str = X264_PARAMS) -> None:
        self.output_path = Path(output_path)
        self.width, self.height, self.fps = width, height, fps
        if x264_params and width * height >= LARGE_FRAME_PIXELS:
            x264_params = f"{x264_params}:{LARGE_FRAME_X264_PARAMS}"
        self._preset, self._crf, self._x264_params = preset, crf, x264_params
        self._partial = partial_path(self.output_path)
        self._container = None
        self._stream = None
        self.frames_written = 0

    def __enter__(self) -> "VideoWriter":
        try:
            self._container = av.open(str(self._partial), mode="w", format="mp4",
                                      options={"movflags": "+faststart"})
            stream = self._container.add_stream("libx264", rate=Fraction(self.fps, 1))
            stream.width, stream.height, stream.pix_fmt = self.width, self.height, "yuv420p"
            stream.thread_type = "AUTO"
            options = {"crf": str(self._crf), "preset": self._preset}
            stream.options = {**options, "x264-params": self._x264_params} if self._x264_params else options
            self._stream = stream
        except BaseException as exc:
            self._discard()
            _raise_as_paint_error(exc)
        return self

    def write(self, frame: np.ndarray, *, keyframe: bool = False) -> None:
        """Encode one frame, shape (height, width, 3), uint8 BGR."""
        self.write_yuv420(to_yuv420(frame), keyframe=keyframe)

    def write_yuv420(self, planes: np.ndarray, *, keyframe: bool = False) -> None:
        """Encode one frame already converted by :func:`to_yuv420`; ``keyframe`` forces an I-frame."""
        self.write_frame(yuv420_frame(planes), keyframe=keyframe)

    def write_frame(self, video_frame: av.VideoFrame, *, keyframe: bool = False) -> None:
        """Encode one yuv420p ``av.VideoFrame`` of the writer's size."""
        if keyframe:
            video_frame.pict_type = av.video.frame.PictureType.I
        try:
            self._container.mux(self._stream.encode(video_frame))
        except (OSError, av.FFmpegError) as exc:
            _raise_as_paint_error(exc)
        self.frames_written += 1

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None:
            self._discard()
            return
        try:
            self._container.mux(self._stream.encode(None))
            self._container.close()
            self._container = None
            os.replace(self._partial, self.output_path)
        except BaseException as error:
            self._discard()
            _raise_as_paint_error(error)

    def _discard(self) -> None:
        if self._container is not None:
            try:
                self._container.close()
            except (OSError, av.FFmpegError):
                pass
            self._container = None
        try:
            self._partial.unlink()
        except FileNotFoundError:
            pass


def _raise_as_paint_error(exc: BaseException) -> NoReturn:
    """Raise a full disk as StorageFullError, other I/O failures as PaintError, the rest as is."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        raise StorageFullError("the disk is full: the video could not be written") from exc
    if isinstance(exc, (OSError, av.FFmpegError)):
        raise PaintError("the video could not be written") from exc
    raise exc
