"""The front door: :func:`paint_image` turns an image file into a painting video."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import av
import cv2
import numpy as np

from .encoding.frames import Frame
from .encoding.pipeline import FramePipeline
from .encoding.writer import VideoWriter
from .errors import PaintError, RenderTimeoutError
from .media.framing import Placement, fit
from .media.loading import load_image
from .options import RenderOptions
from .sinks import make_sink
from .styles import STYLES

ProgressCallback = Callable[[float], None]


@dataclass(frozen=True)
class RenderResult:
    """What a finished render produced."""

    width: int
    height: int
    fps: int
    frames: int
    duration: float
    style: str
    seed: int
    video_size: int
    phase_seconds: dict[str, float] = field(default_factory=dict)


def seed_from_picture(picture: np.ndarray) -> int:
    """Derive a 32-bit seed from the pixels of ``picture``, shape (H, W, 3)."""
    digest = hashlib.blake2b(np.ascontiguousarray(picture).tobytes(), digest_size=4).digest()
    return int.from_bytes(digest, "big")


def paint_image(
    image_path: str | os.PathLike,
    output_path: str | os.PathLike,
    options: RenderOptions | None = None,
    *,
    progress: ProgressCallback | None = None,
    deadline: float | None = None,
    **values: Any,
) -> RenderResult:
    """Render the image at ``image_path`` as a video of it being painted: an MP4, a WebM or a GIF.

    Parameters
    ----------
    image_path, output_path : path-like
        The PNG, JPEG, GIF, BMP or TIFF to read; the video to write (atomically), in the
        format of the option ``format`` whatever its name.
    options : RenderOptions or None
        The render options; None takes the defaults.
    progress : callable or None
        Called with the fraction done, at least every 2 % of frames.
    deadline : float or None
        A ``time.monotonic()`` value; the render stops with RenderTimeoutError past it.
    **values
        Options by name, over ``options``: ``style``, ``duration``, ``fps``, ``max_size``,
        ``seed``, ``show_tools``, ``tool``, ``finish``, ``format``, ``aspect``, ``hold`` (see
        :data:`algorithms.options.OPTIONS` for their defaults and ranges) and ``max_pixels``
        (refuse larger images before decoding).

    Returns
    -------
    RenderResult

    Raises
    ------
    InvalidOptionError, ImageDecodeError, ImageTooLargeError, RenderTimeoutError,
    StorageFullError, PaintError
    """
    with _no_bare_cv2_errors():
        options = _options(options, values)
        phases: dict[str, float] = {}
        started = time.perf_counter()
        picture = load_image(image_path, max_size=options.video_max_size, max_pixels=options.max_pixels)
        picture, placement = fit(picture, aspect=options.aspect)
        phases["decode"] = time.perf_counter() - started
        _check_deadline(deadline)
        render_seed = options.seed if options.seed is not None else seed_from_picture(picture)

        started = time.perf_counter()
        frames = _plan(picture, options, render_seed, placement)
        phases["plan"] = time.perf_counter() - started
        width, height = placement.width, placement.height
        started = time.perf_counter()
        sink = make_sink(picture, output_path, size=(width, height), options=options)
        with sink.writer as writer:
            # The final hold starts on a keyframe: where the hold asked for starts, else a
            # second before the end (every style's default hold is at least that long).
            hold = writer.fps if options.hold_frames is None else options.hold_frames
            phases["draw"] = _write_frames(
                frames, writer, sink.convert, options.frame_count, hold, progress, deadline
            )
        phases["frames"] = time.perf_counter() - started  # drawing and encoding, overlapped
    return RenderResult(
        width=width,
        height=height,
        fps=writer.fps,
        frames=writer.frames_written,
        duration=writer.frames_written / writer.fps,
        style=options.style,
        seed=render_seed,
        video_size=os.path.getsize(output_path),
        phase_seconds={name: round(value, 4) for name, value in phases.items()},
    )


def _options(options: RenderOptions | None, values: dict[str, Any]) -> RenderOptions:
    """``options`` (or the defaults) with ``values`` over them, validated."""
    if options is None:
        return RenderOptions.from_values(values)
    if not values:
        return options
    return RenderOptions.from_values({**dataclasses.asdict(options), **values})


@contextlib.contextmanager
def _no_bare_cv2_errors() -> Iterator[None]:
    """Turn a failed OpenCV call anywhere in the render into a PaintError."""
    try:
        yield
    except cv2.error as error:
        raise PaintError("the image could not be processed") from error


def _plan(picture: np.ndarray, options: RenderOptions, seed: int, placement: Placement) -> Iterator[Frame]:
    return STYLES[options.style].render(
        picture,
        frame_count=options.frame_count,
        fps=options.video_fps,
        rng=np.random.default_rng(seed),
        tool=options.drawn_tool,
        finish=options.finish,
        hold=options.hold_frames,
        placement=placement if placement.has_margin else None,
    )


def _write_frames(
    frames: Iterator[Frame],
    writer: VideoWriter,
    convert: Callable[[Frame], av.VideoFrame],
    frame_count: int,
    hold: int,
    progress: ProgressCallback | None,
    deadline: float | None,
) -> float:
    """Write exactly ``frame_count`` frames, each made by ``convert`` for ``writer``, the last
    ``hold`` of them still; return the seconds spent drawing and converting them."""
    report_every = max(1, frame_count // 50)
    # Starting the still hold with an I-frame makes the final picture sharp (about +2 dB)
    # for a few KB.
    final_keyframe = max(0, frame_count - hold)
    with FramePipeline(frames, frame_count, convert) as pipeline:
        for index, video_frame in enumerate(pipeline):
            _check_deadline(deadline)
            writer.write_frame(video_frame, keyframe=index == final_keyframe)
            if progress is not None and ((index + 1) % report_every == 0 or index + 1 == frame_count):
                progress((index + 1) / frame_count)
    return pipeline.draw_seconds


def _check_deadline(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise RenderTimeoutError("the render took longer than its time limit")
