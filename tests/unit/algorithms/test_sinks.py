"""The sink of each format: I420 frames for MP4 and WebM, palette indices for a GIF whose palette
keeps what the styles draw before the picture."""

from __future__ import annotations

import numpy as np

from algorithms import paint_image
from algorithms.drawing.hand import SKIN_BGR
from algorithms.encoding.palette import COLOURS
from algorithms.options import RenderOptions
from algorithms.sinks import drawn_colours, flat_colours, make_sink
from algorithms.styles.painterly.texture import PAINTING_PAPER_BGR
from algorithms.styles.sketch_color.pencil import GRAPHITE_BGR, SKETCH_PAPER_BGR
from tests.helpers import images
from tests.helpers.videos import decode_frames


def test_each_format_gets_its_writer_and_frames_of_its_pixel_format(tmp_path):
    picture = images.smooth_picture(64, 48)
    for name, pix_fmt in (("mp4", "yuv420p"), ("webm", "yuv420p"), ("gif", "pal8")):
        sink = make_sink(picture, tmp_path / f"o.{name}", size=(64, 48), options=RenderOptions(format=name))
        assert (sink.writer.encoder.pix_fmt, sink.writer.fps) == (
            pix_fmt,
            RenderOptions(format=name).video_fps,
        )
        assert sink.convert(picture).format.name == pix_fmt


def test_the_drawn_colours_hold_the_papers_the_pencil_and_the_hand_and_leave_room():
    colours = {tuple(int(c) for c in colour) for colour in drawn_colours()}
    assert {SKETCH_PAPER_BGR, PAINTING_PAPER_BGR, GRAPHITE_BGR, SKIN_BGR} <= colours
    assert {tuple(int(c) for c in colour) for colour in flat_colours()} <= colours
    assert len(colours) < COLOURS // 4  # most of the palette is the picture's


def test_a_gif_shows_the_bare_paper_exactly_undithered(tmp_path):
    # A pale picture: the palette's colours crowd around the paper's, within the dither's reach.
    rng = np.random.default_rng(4)
    pale = np.array(SKETCH_PAPER_BGR) + rng.normal(0, 5, (160, 240, 3))
    source = images.write(tmp_path / "in.png", np.clip(pale, 0, 255).astype(np.uint8))
    output = tmp_path / "out.gif"
    paint_image(source, output, format="gif", duration=2.0, max_size=256, seed=3)
    first = decode_frames(output)[0]
    assert (first == np.array(SKETCH_PAPER_BGR, np.uint8)).all()
