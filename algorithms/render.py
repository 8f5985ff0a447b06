"""The front door: :func:`paint_image` turns an image file into a painting video."""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import cv2
import numpy as np

from .errors import PaintError, RenderTimeoutError
from .frames import I420Converter
from .loading import load_image
from .options import RenderOptions
from .pipeline import FRAMES_IN_USE, FramePipeline
from .styles import STYLE_RENDERERS
from .video import VideoWriter

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


def paint_image(image_path: str | os.PathLike, output_path: str | os.PathLike, *,
                style: str = "sketch-color", duration: float = 12.0, fps: int = 30,
                max_size: int = 720, seed: int | None = None, show_tools: bool = True,
                finish: str = "painting", max_pixels: int | None = None,
                progress: ProgressCallback | None = None,
                deadline: float | None = None) -> RenderResult:
    """Render the image at ``image_path`` as an MP4 of it being painted.

    Parameters
    ----------
    image_path, output_path : path-like
        The PNG, JPEG, GIF, BMP or TIFF to read; the MP4 to write (atomically).
    style : {"sketch-color", "painterly"}
    duration : float
        Seconds, 2 to 60; the video has exactly ``round(duration * fps)`` frames.
    fps : int
        12 to 60.
    max_size : int
        Long side of the video in pixels, 128 to 1920 (small images go up to 256).
    seed : int or None
        0 to 2**32-1; None derives it from the image content.
    show_tools : bool
        Draw the pencil and brush.
    finish : {"painting", "photo"}
        Painterly style only: end on the painting or dissolve into the photo.
    max_pixels : int or None
        Refuse larger images before decoding them (default 40 MP).
    progress : callable or None
        Called with the fraction done, at least every 5 % of frames.
    deadline : float or None
        A ``time.monotonic()`` value; the render stops with RenderTimeoutError past it.

    Returns
    -------
    RenderResult

    Raises
    ------
    InvalidOptionError, ImageDecodeError, ImageTooLargeError, RenderTimeoutError,
    StorageFullError, PaintError
    """
    with _no_bare_cv2_errors():
        extra = {} if max_pixels is None else {"max_pixels": max_pixels}
        options = RenderOptions(style=style, duration=duration, fps=fps, max_size=max_size, seed=seed,
                                show_tools=show_tools, finish=finish, **extra)
        phases: dict[str, float] = {}
        started = time.perf_counter()
        picture = load_image(image_path, max_size=options.max_size, max_pixels=options.max_pixels)
        phases["decode"] = time.perf_counter() - started
        _check_deadline(deadline)
        render_seed = options.seed if options.seed is not None else seed_from_picture(picture)

        started = time.perf_counter()
        frames = _plan(picture, options, render_seed)
        phases["plan"] = time.perf_counter() - started
        height, width = picture.shape[:2]
        started = time.perf_counter()
        with VideoWriter(output_path, width=width, height=height, fps=options.fps) as writer:
            phases["draw"] = _write_frames(frames, writer, options.frame_count, progress, deadline)
        phases["frames"] = time.perf_counter() - started  # drawing and encoding, overlapped
    return RenderResult(width=width, height=height, fps=options.fps, frames=writer.frames_written,
                        duration=writer.frames_written / options.fps, style=options.style,
                        seed=render_seed, video_size=os.path.getsize(output_path),
                        phase_seconds={name: round(value, 4) for name, value in phases.items()})


@contextlib.contextmanager
def _no_bare_cv2_errors() -> Iterator[None]:
    """Turn a failed OpenCV call anywhere in the render into a PaintError."""
    try:
        yield
    except cv2.error as error:
        raise PaintError("the image could not be processed") from error


def _plan(picture: np.ndarray, options: RenderOptions, seed: int) -> Iterable[np.ndarray]:
    renderer = STYLE_RENDERERS[options.style]
    return renderer(picture, frame_count=options.frame_count, fps=options.fps,
                    rng=np.random.default_rng(seed), show_tools=options.show_tools,
                    finish=options.finish)


def _write_frames(frames: Iterable[np.ndarray], writer: VideoWriter, frame_count: int,
                  progress: ProgressCallback | None, deadline: float | None) -> float:
    """Write exactly ``frame_count`` frames; return the seconds spent drawing them."""
    report_every = max(1, frame_count // 50)
    # Every style ends on a still hold of at least a second; starting it with an
    # I-frame makes the final picture sharp (about +2 dB) for a few KB.
    final_keyframe = max(0, frame_count - writer.fps)
    convert = I420Converter(reuse_after=FRAMES_IN_USE).video_frame
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
