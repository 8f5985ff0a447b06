"""The encoder of each format: every format has one, and their settings say what the docs say."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from algorithms.encoding.codecs import ENCODERS, LARGE_FRAME_PIXELS, X264_PARAMS, encoder_for, h264
from algorithms.encoding.formats import FORMATS
from algorithms.encoding.writer import VideoWriter


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


def test_the_lookahead_on_the_encoding_threads_writes_the_same_bytes(tmp_path: Path) -> None:
    """``sync-lookahead=0`` saves memory only: the file is byte for byte the one x264 writes with
    its lookahead on a thread of its own."""
    rng = np.random.default_rng(4)
    base = cv2.GaussianBlur(rng.integers(0, 256, (96, 128, 3), dtype=np.uint8), (0, 0), 3)
    frames = [np.roll(base, 2 * index, axis=1) for index in range(40)]
    files = {}
    for params in (X264_PARAMS, X264_PARAMS.replace(":sync-lookahead=0", "")):
        path = tmp_path / f"{len(params)}.mp4"
        encoder = h264(128, 96, x264_params=params)
        with VideoWriter(path, width=128, height=96, fps=24, encoder=encoder) as out:
            for frame in frames:
                out.write(frame)
        files[params] = path.read_bytes()
    assert "sync-lookahead=0" in X264_PARAMS and len(files) == 2
    assert len(set(files.values())) == 1
