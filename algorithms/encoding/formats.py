"""The video formats a render can write: their file extension, media type and frame limits.

MP4 takes the render's frame rate and size. A WebM's long side is capped: VP9's encoder holds
several times x264's memory per pixel, and at 1920 px a render would pass a service worker's
memory budget. A GIF has its own frame rate and size (see docs/rendering.md, "Formats"): its
frame delays are whole hundredths of a second, so its frame rate divides 100, and its bytes
grow with its area much faster than a video codec's.
"""

from __future__ import annotations

from dataclasses import dataclass

GIF_FPS = 20
GIF_MAX_SIZE = 480
WEBM_MAX_SIZE = 1280


@dataclass(frozen=True)
class VideoFormat:
    """One output format.

    Attributes
    ----------
    name : str
        The ``format`` option's word.
    extension : str
        The file name's ending, with its dot.
    media_type : str
        The Content-Type it is served with.
    fps : int or None
        A fixed frame rate, or None to take the render's.
    max_size : int or None
        A cap on the long side, or None for the render's ``max_size``.
    """

    name: str
    extension: str
    media_type: str
    fps: int | None = None
    max_size: int | None = None


FORMATS: dict[str, VideoFormat] = {
    "mp4": VideoFormat("mp4", ".mp4", "video/mp4"),
    "webm": VideoFormat("webm", ".webm", "video/webm", max_size=WEBM_MAX_SIZE),
    "gif": VideoFormat("gif", ".gif", "image/gif", fps=GIF_FPS, max_size=GIF_MAX_SIZE),
}
