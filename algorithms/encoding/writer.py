"""Streaming frames into a video file (an MP4, a WebM or a GIF), written atomically."""

from __future__ import annotations

import errno
import os
import secrets
from fractions import Fraction
from pathlib import Path
from types import TracebackType
from typing import NoReturn

import av
import numpy as np

from ..errors import PaintError, StorageFullError
from .codecs import Encoder, h264
from .frames import to_yuv420, yuv420_frame

PART_MARKER = ".part-"


def partial_path(output_path: Path) -> Path:
    """Return a fresh temporary name beside ``output_path`` (swept if a render is killed)."""
    return output_path.with_name(f".{output_path.name}{PART_MARKER}{secrets.token_hex(6)}")


class VideoWriter:
    """Write frames to ``output_path`` atomically: a temporary file, renamed on success.

    Use as a context manager; on any exception the temporary file is removed and
    nothing appears at ``output_path``. ``encoder`` is the format's (see
    :mod:`.codecs`); by default H.264 in an MP4.
    """

    def __init__(
        self,
        output_path: str | os.PathLike,
        *,
        width: int,
        height: int,
        fps: int,
        encoder: Encoder | None = None,
    ) -> None:
        self.output_path = Path(output_path)
        self.width, self.height, self.fps = width, height, fps
        self.encoder = encoder if encoder is not None else h264(width, height)
        self._partial = partial_path(self.output_path)
        self._container: av.container.OutputContainer | None = None
        self._stream: av.video.stream.VideoStream | None = None
        self.frames_written = 0

    def __enter__(self) -> VideoWriter:
        encoder = self.encoder
        try:
            muxer_options = dict(encoder.container_options)
            self._container = av.open(
                str(self._partial), mode="w", format=encoder.container, options=muxer_options
            )
            stream = self._container.add_stream(encoder.codec, rate=Fraction(self.fps, 1))
            if not isinstance(stream, av.video.stream.VideoStream):
                raise PaintError(f"{encoder.codec} is not a video encoder")
            stream.width, stream.height, stream.pix_fmt = self.width, self.height, encoder.pix_fmt
            stream.thread_type = "AUTO"
            stream.options = dict(encoder.options)
            self._stream = stream
        except BaseException as exc:
            self._discard()
            _raise_as_paint_error(exc)
        return self

    def write(self, frame: np.ndarray, *, keyframe: bool = False) -> None:
        """Encode one frame, shape (height, width, 3), uint8 BGR, for a yuv420p encoder."""
        self.write_yuv420(to_yuv420(frame), keyframe=keyframe)

    def write_yuv420(self, planes: np.ndarray, *, keyframe: bool = False) -> None:
        """Encode one frame already converted by :func:`to_yuv420`; ``keyframe`` forces an I-frame."""
        self.write_frame(yuv420_frame(planes), keyframe=keyframe)

    def write_frame(self, video_frame: av.VideoFrame, *, keyframe: bool = False) -> None:
        """Encode one ``av.VideoFrame`` of the writer's size and its encoder's pixel format;
        ``keyframe`` forces an intra frame (a GIF has only those)."""
        if keyframe:
            video_frame.pict_type = av.video.frame.PictureType.I
        container, stream = self._open_output()
        try:
            container.mux(stream.encode(video_frame))
        except (OSError, av.FFmpegError) as exc:
            _raise_as_paint_error(exc)
        self.frames_written += 1

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if exc_type is not None:
            self._discard()
            return
        container, stream = self._open_output()
        try:
            container.mux(stream.encode(None))
            container.close()
            self._container = None
            os.replace(self._partial, self.output_path)
        except BaseException as error:
            self._discard()
            _raise_as_paint_error(error)

    def _open_output(self) -> tuple[av.container.OutputContainer, av.video.stream.VideoStream]:
        if self._container is None or self._stream is None:
            raise PaintError("the video writer is not open: use it as a context manager")
        return self._container, self._stream

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
