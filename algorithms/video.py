"""Streaming BGR frames into an H.264 MP4 that browsers can play while downloading."""

from __future__ import annotations

import errno
import os
import secrets
from fractions import Fraction
from pathlib import Path
from types import TracebackType

import av
import cv2
import numpy as np

from .errors import PaintError, StorageFullError

# veryfast + CRF 23: see README "Video encoding" for the size/speed measurements.
PRESET = "veryfast"
CRF = 23
PART_MARKER = ".part-"


def partial_path(output_path: Path) -> Path:
    """Return a fresh temporary name beside ``output_path`` (swept if a render is killed)."""
    return output_path.with_name(f".{output_path.name}{PART_MARKER}{secrets.token_hex(6)}")


_LIMITED_CHROMA = 224.0 / 255.0  # full-range YCrCb chroma -> H.264's limited range


def to_yuv420(frame: np.ndarray) -> np.ndarray:
    """Convert a BGR frame (H, W, 3) uint8, H and W even, to I420 planes (H * 3 / 2, W) uint8.

    Chroma is each 2x2 block's average: OpenCV's own I420 conversion takes one
    pixel of the block, which costs about 2 dB on saturated photos.
    """
    height, width = frame.shape[:2]
    planes = cv2.cvtColor(frame, cv2.COLOR_BGR2YUV_I420)
    block_means = cv2.resize(frame, (width // 2, height // 2), interpolation=cv2.INTER_AREA)
    ycrcb = cv2.cvtColor(block_means, cv2.COLOR_BGR2YCrCb)
    chroma = cv2.addWeighted(ycrcb, _LIMITED_CHROMA, 0, 0, 128.0 * (1.0 - _LIMITED_CHROMA))
    flat = planes.reshape(-1)
    luma_size, chroma_size = height * width, height * width // 4
    flat[luma_size:luma_size + chroma_size] = chroma[:, :, 2].reshape(-1)  # U (Cb)
    flat[luma_size + chroma_size:] = chroma[:, :, 1].reshape(-1)           # V (Cr)
    return planes


class VideoWriter:
    """Write frames to ``output_path`` atomically: a temporary file, renamed on success.

    Use as a context manager; on any exception the temporary file is removed and
    nothing appears at ``output_path``.
    """

    def __init__(self, output_path: str | os.PathLike, *, width: int, height: int, fps: int,
                 preset: str = PRESET, crf: int = CRF) -> None:
        self.output_path = Path(output_path)
        self.width, self.height, self.fps = width, height, fps
        self._preset, self._crf = preset, crf
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
            stream.options = {"crf": str(self._crf), "preset": self._preset}
            self._stream = stream
        except BaseException as exc:
            self._discard()
            raise _storage_error(exc) from exc
        return self

    def write(self, frame: np.ndarray, *, keyframe: bool = False) -> None:
        """Encode one frame, shape (height, width, 3), uint8 BGR."""
        self.write_yuv420(to_yuv420(frame), keyframe=keyframe)

    def write_yuv420(self, planes: np.ndarray, *, keyframe: bool = False) -> None:
        """Encode one frame already converted by :func:`to_yuv420`; ``keyframe`` forces an I-frame."""
        video_frame = av.VideoFrame.from_ndarray(planes, format="yuv420p")
        if keyframe:
            video_frame.pict_type = av.video.frame.PictureType.I
        try:
            self._container.mux(self._stream.encode(video_frame))
        except (OSError, av.FFmpegError) as exc:
            raise _storage_error(exc) from exc
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
            raise _storage_error(error) from error

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


def _storage_error(exc: BaseException) -> BaseException:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return StorageFullError("the disk is full: the video could not be written")
    if isinstance(exc, (OSError, av.FFmpegError)):
        return PaintError("the video could not be written")
    return exc
