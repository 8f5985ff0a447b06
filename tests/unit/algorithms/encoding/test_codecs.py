"""The encoder of each format: every format has one, and their settings say what the docs say."""

from __future__ import annotations

from algorithms.encoding.codecs import ENCODERS, LARGE_FRAME_PIXELS, encoder_for, h264
from algorithms.encoding.formats import FORMATS


def test_every_format_has_an_encoder_writing_its_container():
    assert set(ENCODERS) == set(FORMATS)
    containers = {name: encoder_for(name, 320, 240).container for name in FORMATS}
    assert containers == {"mp4": "mp4", "webm": "webm", "gif": "gif"}


def test_h264_bounds_its_lookahead_only_for_large_frames():
    assert "rc-lookahead" not in h264(1000, 999).options["x264-params"]
    assert "rc-lookahead" in h264(1000, LARGE_FRAME_PIXELS // 1000).options["x264-params"]
    assert "x264-params" not in h264(2000, 2000, x264_params="").options


def test_vp9_is_real_time_constant_quality_and_gif_loops_forever():
    webm = encoder_for("webm", 320, 240)
    assert (webm.codec, webm.options["deadline"], webm.options["b"]) == ("libvpx-vp9", "realtime", "0")
    gif = encoder_for("gif", 320, 240)
    assert (gif.codec, gif.pix_fmt, gif.container_options["loop"]) == ("gif", "pal8", "0")
