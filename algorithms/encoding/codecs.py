"""How each format is encoded: its container, codec, pixel format and settings.

Why these settings: docs/rendering.md ("Formats", "From frames to the video"); their
measurements: bench/README.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# veryfast + CRF 23 with the cheapest motion search: our frames are mostly still, so a finer
# search buys little (measurements: bench/README.md, "Encoder settings"). The lookahead runs
# on the encoding threads, not a thread of its own that buffers frames (the same bytes out),
# and two frame threads, not 1.5 per core: each holds frames, and a render's drawing and
# planning take a core's worth of the CPU anyway. A worker's memory and CPU per render are
# then the same on any machine.
PRESET = "veryfast"
CRF = 23
X264_PARAMS = "me=dia:subme=1:sync-lookahead=0:threads=2"
# Above a megapixel x264's lookahead holds hundreds of MB: a shorter one keeps a service
# worker's peak down at 1920 px (figures: bench/README.md).
LARGE_FRAME_PIXELS = 1_000_000
LARGE_FRAME_X264_PARAMS = "rc-lookahead=5"
# libvpx's fastest mode: VP9 costs far more per frame than x264 even so, and its
# constant-quality scale is not x264's (figures: bench/README.md, "Formats").
VP9_SPEED = 8
VP9_CRF = 32


@dataclass(frozen=True)
class Encoder:
    """The settings of one format's encoder and file.

    Attributes
    ----------
    container : str
        FFmpeg's name of the file format (its muxer).
    codec : str
        FFmpeg's name of the encoder.
    pix_fmt : str
        The pixel format of the frames the encoder takes.
    options : dict of str to str
        The encoder's options.
    container_options : dict of str to str
        The muxer's options.
    """

    container: str
    codec: str
    pix_fmt: str
    options: dict[str, str] = field(default_factory=dict)
    container_options: dict[str, str] = field(default_factory=dict)


def h264(
    width: int, height: int, *, preset: str = PRESET, crf: int = CRF, x264_params: str = X264_PARAMS
) -> Encoder:
    """H.264 (libx264) in an MP4 whose index comes first, for frames of ``width`` x ``height``."""
    if x264_params and width * height >= LARGE_FRAME_PIXELS:
        x264_params = f"{x264_params}:{LARGE_FRAME_X264_PARAMS}"
    options = {"crf": str(crf), "preset": preset}
    if x264_params:
        options["x264-params"] = x264_params
    return Encoder("mp4", "libx264", "yuv420p", options, {"movflags": "+faststart"})


def vp9(width: int, height: int) -> Encoder:
    """VP9 (libvpx) in WebM: real-time speed, constant quality, rows encoded in parallel."""
    options = {
        "deadline": "realtime",
        "cpu-used": str(VP9_SPEED),
        "row-mt": "1",
        "crf": str(VP9_CRF),
        "b": "0",  # no bit rate: the quality alone decides (libvpx's "Q" mode)
        # No look-ahead: at 1920 px its 25 frames held about 100 MB more than an MP4 render,
        # for nothing a real-time encode uses (figures: bench/README.md, "Formats").
        "lag-in-frames": "0",
    }
    # No random segment id or date in the file: the same render gives the same bytes.
    return Encoder("webm", "libvpx-vp9", "yuv420p", options, {"fflags": "+bitexact"})


def gif(width: int, height: int) -> Encoder:
    """An animated GIF of paletted frames (``pal8``) that loops forever.

    FFmpeg's encoder stores each frame as the rectangle that changed, its unchanged
    pixels transparent: both need the frames' indices to stay the same where the
    picture did, and one palette index that no frame uses.
    """
    return Encoder("gif", "gif", "pal8", {"gifflags": "+offsetting+transdiff"}, {"loop": "0"})


ENCODERS = {"mp4": h264, "webm": vp9, "gif": gif}


def encoder_for(format_name: str, width: int, height: int) -> Encoder:
    """The encoder of the format ``format_name`` (a key of :data:`~.formats.FORMATS`)."""
    return ENCODERS[format_name](width, height)
