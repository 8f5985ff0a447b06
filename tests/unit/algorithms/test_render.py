"""End-to-end tests of algorithms.paint_image with the sketch-color style."""

from __future__ import annotations

import time
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from algorithms import InvalidOptionError, PaintError, RenderTimeoutError, paint_image
from algorithms.encoding.formats import FORMATS, GIF_FPS, GIF_MAX_SIZE
from algorithms.media.framing import ASPECTS, Placement, fit
from algorithms.media.loading import load_image
from algorithms.styles.sketch_color.animation import sketch_phases
from algorithms.styles.sketch_color.pencil import SKETCH_PAPER_BGR
from tests.helpers import images
from tests.helpers.paths import PHOTOS
from tests.helpers.videos import decode_frames, gif_facts, psnr, stream_facts, top_level_boxes

SMALL = {"duration": 2.0, "fps": 12, "max_size": 256}
CODEC_OF = {"mp4": "h264", "webm": "vp9", "gif": "gif"}
# The last frame against the picture: MP4 and WebM hold the core's 33 dB; a GIF's 255 colours,
# dithered, gave 33.3 to 37.9 dB on the sample photos and test pictures (docs/rendering.md).
LAST_FRAME_DB = {"mp4": 33.0, "webm": 33.0, "gif": 30.0}


@pytest.fixture
def picture_path(tmp_path: Path) -> Path:
    """A 240x160 picture: shapes in several colours on a gradient, seeded noise."""
    rng = np.random.default_rng(3)
    gradient = np.linspace(60, 200, 240, dtype=np.float32)[None, :, None]
    picture = np.broadcast_to(gradient, (160, 240, 3)).copy()
    cv2.circle(picture, (80, 80), 45, (30, 40, 200), -1)
    cv2.rectangle(picture, (140, 30), (220, 130), (200, 120, 20), -1)
    cv2.line(picture, (10, 150), (230, 100), (20, 20, 20), 4)
    picture += rng.normal(0, 3, picture.shape).astype(np.float32)
    path = tmp_path / "picture.png"
    assert cv2.imwrite(str(path), np.clip(picture, 0, 255).astype(np.uint8))
    return path


@pytest.fixture
def photo() -> Path:
    return PHOTOS / "coffee.png"


def test_video_is_h264_yuv420p_with_exact_frames_and_index_first(picture_path, tmp_path):
    output = tmp_path / "out.mp4"
    result = paint_image(picture_path, output, duration=3.0, fps=15, max_size=256)
    facts = stream_facts(output)
    assert facts == {
        "codec": "h264",
        "pix_fmt": "yuv420p",
        "fps": 15.0,
        "width": 256,
        "height": 170,
        "frames": 45,
    }
    assert (result.frames, result.fps, result.width, result.height) == (45, 15, 256, 170)
    assert result.duration == pytest.approx(3.0)
    assert result.video_size == output.stat().st_size
    boxes = top_level_boxes(output)
    assert boxes.index("moov") < boxes.index("mdat")


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_each_format_decodes_with_its_codec_every_frame_and_the_picture_at_the_end(
    photo, tmp_path, format_name
):
    output = tmp_path / f"out{FORMATS[format_name].extension}"
    result = paint_image(photo, output, format=format_name, duration=2.3, fps=15, max_size=256, seed=2)
    fps = GIF_FPS if format_name == "gif" else 15
    frames = round(2.3 * fps)
    facts = stream_facts(output)
    assert (facts["codec"], facts["frames"], facts["width"], facts["height"]) == (
        CODEC_OF[format_name],
        frames,
        256,
        170,
    )
    assert (result.frames, result.fps, result.duration) == (frames, fps, pytest.approx(frames / fps))
    picture = load_image(photo, max_size=256, max_pixels=10**8)
    assert psnr(decode_frames(output)[-1], picture) >= LAST_FRAME_DB[format_name]


def test_a_gif_loops_forever_at_its_own_frame_rate_for_the_whole_duration(picture_path, tmp_path):
    output = tmp_path / "out.gif"
    paint_image(picture_path, output, format="gif", duration=2.3, fps=30, max_size=256)
    facts = gif_facts(output)
    assert facts["loop"] == 0  # NETSCAPE2.0, repeat forever
    assert facts["delays"] == [100 // GIF_FPS] * round(2.3 * GIF_FPS)
    assert sum(facts["delays"]) == 230  # hundredths of a second


def test_a_gif_is_no_larger_than_its_cap(tmp_path):
    source = images.write(tmp_path / "in.png", images.smooth_picture(800, 600, seed=1))
    output = tmp_path / "out.gif"
    result = paint_image(source, output, format="gif", duration=2.0, seed=1)  # max_size 720
    assert (result.width, result.height) == (GIF_MAX_SIZE, GIF_MAX_SIZE * 3 // 4)
    assert (gif_facts(output)["width"], gif_facts(output)["height"]) == (result.width, result.height)


def test_webm_starts_the_final_hold_on_a_keyframe(picture_path, tmp_path):
    output = tmp_path / "out.webm"
    paint_image(picture_path, output, format="webm", duration=3.0, fps=12, max_size=128, seed=1)
    with av.open(str(output)) as container:
        key_frames = [index for index, packet in enumerate(container.demux(video=0)) if packet.is_keyframe]
    assert key_frames == [0, 36 - 12]


@pytest.mark.parametrize("duration, fps", [(2.0, 12), (2.5, 25), (7.3, 30)])
def test_frame_count_is_round_duration_times_fps(picture_path, tmp_path, duration, fps):
    output = tmp_path / "out.mp4"
    paint_image(picture_path, output, duration=duration, fps=fps, max_size=128)
    assert stream_facts(output)["frames"] == round(duration * fps)


def test_animation_goes_blank_sketch_colour_picture(photo, tmp_path):
    output = tmp_path / "out.mp4"
    paint_image(photo, output, duration=4.0, fps=15, max_size=256, show_tools=False)
    frames = decode_frames(output)
    phases = sketch_phases(len(frames), 15)
    picture = load_image(photo, max_size=256, max_pixels=10**8)
    assert np.abs(frames[0].astype(int) - SKETCH_PAPER_BGR).max() <= 6  # blank canvas
    lines = cv2.cvtColor(frames[phases.sketch // 3], cv2.COLOR_BGR2GRAY)
    paper = np.mean(SKETCH_PAPER_BGR)
    dark = lines < paper - 60
    assert 0.002 < dark.mean() < 0.1, "first a line drawing: some thin dark lines"
    thin = cv2.erode(dark.astype(np.uint8), np.ones((5, 5), np.uint8))
    assert thin.sum() < 0.1 * dark.sum(), "lines are thin, not filled areas"
    sketch = cv2.cvtColor(frames[phases.sketch - 1], cv2.COLOR_BGR2HSV)
    assert np.percentile(sketch[:, :, 1], 95) < 50, "the finished sketch is graphite, no colour yet"
    assert (sketch[:, :, 2] < paper - 60).mean() > dark.mean(), "then shaded"
    assert psnr(frames[-1], picture) >= 33.0


def test_distance_to_the_end_only_shrinks_while_painting(photo, tmp_path):
    output = tmp_path / "out.mp4"
    paint_image(photo, output, duration=4.0, fps=15, max_size=256, show_tools=False)
    frames = decode_frames(output)
    phases = sketch_phases(len(frames), 15)
    last = frames[-1].astype(np.float32)
    distances = [np.abs(frame.astype(np.float32) - last).mean() for frame in frames[phases.sketch - 1 :]]
    steps = np.diff(distances)
    assert steps.max() <= 0.05, "colour only ever moves towards the picture (codec noise aside)"
    assert distances[0] > 10 * max(distances[-1], 0.1)


def test_every_pixel_is_painted_before_the_hold(photo, tmp_path):
    output = tmp_path / "out.mp4"
    paint_image(photo, output, duration=4.0, fps=15, max_size=256, show_tools=False)
    frames = decode_frames(output)
    phases = sketch_phases(len(frames), 15)
    picture = load_image(photo, max_size=256, max_pixels=10**8)
    assert phases.hold >= 15
    # No paper left (paper would be under 20 dB); a P-frame right after the last changes, not a keyframe.
    assert psnr(frames[phases.sketch + phases.colour - 1], picture) >= 30.0
    assert psnr(frames[phases.sketch + phases.colour // 2], picture) < 25.0


def test_same_seed_gives_identical_bytes_and_seed_changes_them(picture_path, tmp_path):
    paths = [tmp_path / f"{name}.mp4" for name in ("a", "b", "c", "d")]
    paint_image(picture_path, paths[0], seed=7, **SMALL)
    paint_image(picture_path, paths[1], seed=7, **SMALL)
    paint_image(picture_path, paths[2], seed=8, **SMALL)
    first = paint_image(picture_path, paths[3], **SMALL)
    again = paint_image(picture_path, paths[3], **SMALL)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()
    assert first.seed == again.seed


@pytest.mark.parametrize("format_name", ["webm", "gif"])
def test_the_same_render_in_another_format_is_the_same_bytes_too(picture_path, tmp_path, format_name):
    first, again = tmp_path / f"a.{format_name}", tmp_path / f"b.{format_name}"
    paint_image(picture_path, first, format=format_name, seed=5, **SMALL)
    paint_image(picture_path, again, format=format_name, seed=5, **SMALL)
    assert first.read_bytes() == again.read_bytes()


def test_reusing_encoder_frames_changes_no_byte(picture_path, tmp_path, monkeypatch):
    from algorithms import sinks
    from algorithms.encoding.writer import VideoWriter

    real_write = VideoWriter.write_frame

    def slow_write(writer, video_frame, **kwargs):  # the drawer runs ahead and fills the queue
        if writer.frames_written % 7 == 0:
            time.sleep(0.002)
        real_write(writer, video_frame, **kwargs)

    monkeypatch.setattr(VideoWriter, "write_frame", slow_write)
    reused, fresh = tmp_path / "reused.mp4", tmp_path / "fresh.mp4"
    paint_image(picture_path, reused, seed=3, **SMALL)
    monkeypatch.setattr(sinks, "FRAMES_IN_USE", 0)
    paint_image(picture_path, fresh, seed=3, **SMALL)
    assert reused.read_bytes() == fresh.read_bytes()


def test_progress_is_reported_at_least_every_five_percent(picture_path, tmp_path):
    reported: list[float] = []
    paint_image(
        picture_path, tmp_path / "out.mp4", progress=reported.append, duration=5.0, fps=24, max_size=128
    )
    assert reported[-1] == 1.0
    gaps = np.diff([0.0] + reported)
    assert gaps.max() <= 0.05 + 1e-9
    assert all(later > earlier for earlier, later in zip(reported, reported[1:]))


def test_deadline_stops_the_render_and_leaves_no_file(picture_path, tmp_path):
    output = tmp_path / "out.mp4"
    with pytest.raises(RenderTimeoutError):
        paint_image(
            picture_path, output, deadline=time.monotonic() + 0.05, duration=60.0, fps=60, max_size=512
        )
    assert list(tmp_path.iterdir()) == [picture_path]


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_a_failure_mid_render_leaves_no_partial_file(picture_path, tmp_path, monkeypatch, format_name):
    from algorithms import styles

    def failing(picture, **options):
        yield np.zeros_like(picture)
        raise PaintError("boom")

    monkeypatch.setitem(styles.STYLES, "sketch-color", styles.Style(failing, "test"))
    output = tmp_path / f"out{FORMATS[format_name].extension}"
    with pytest.raises(PaintError, match="boom"):
        paint_image(picture_path, output, format=format_name, **SMALL)
    assert list(tmp_path.iterdir()) == [picture_path]


def test_a_cv2_error_becomes_a_paint_error(picture_path, tmp_path, monkeypatch):
    from algorithms.styles.sketch_color import sketch

    def broken(picture, **options):
        return cv2.cvtColor(picture[:, :, :2], cv2.COLOR_BGR2GRAY)

    monkeypatch.setattr(sketch, "trace_lines", broken)
    with pytest.raises(PaintError) as caught:
        paint_image(picture_path, tmp_path / "out.mp4", **SMALL)
    assert not isinstance(caught.value, cv2.error)


@pytest.mark.parametrize(
    "option, value, words",
    [
        ("style", "cubist", "style must be one of"),
        ("duration", 1.0, "duration must be a number from 2 to 60"),
        ("duration", float("nan"), "duration"),
        ("fps", 61, "fps must be a whole number from 12 to 60"),
        ("fps", 12.5, "fps"),
        ("max_size", 100, "max_size must be a whole number from 128 to 1920"),
        ("seed", -1, "seed"),
        ("show_tools", "yes", "show_tools"),
    ],
)
def test_bad_options_name_the_option(picture_path, tmp_path, option, value, words):
    with pytest.raises(InvalidOptionError, match=words) as caught:
        paint_image(picture_path, tmp_path / "out.mp4", **{option: value})
    assert caught.value.option == option
    assert not (tmp_path / "out.mp4").exists()


def test_picture_file_is_not_modified(picture_path, tmp_path):
    before = picture_path.read_bytes()
    paint_image(picture_path, tmp_path / "out.mp4", **SMALL)
    assert picture_path.read_bytes() == before


@pytest.mark.parametrize("aspect", list(ASPECTS))
def test_each_aspect_gives_its_frame_with_the_picture_centred_on_paper(photo, tmp_path, aspect):
    output = tmp_path / "out.mp4"
    result = paint_image(photo, output, aspect=aspect, show_tools=False, **SMALL)
    frames = decode_frames(output)
    height, width = frames[0].shape[:2]
    across, down = ASPECTS[aspect] or (width, height)
    assert (result.width, result.height) == (width, height)
    assert max(width, height) == 256, "the long side of a large picture is max_size"
    assert abs(width / height - across / down) < 0.02
    # Where the finished picture is: centred, and the rest paper in every frame.
    drawn = np.abs(frames[-1].astype(int) - SKETCH_PAPER_BGR).max(axis=2) > 24
    rows, cols = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
    x0, y0, x1, y1 = cols[0], rows[0], cols[-1] + 1, rows[-1] + 1
    assert abs(x0 - (width - x1)) <= 2 and abs(y0 - (height - y1)) <= 2
    assert x0 == 0 or y0 == 0
    margin = np.ones((height, width), bool)
    margin[max(0, y0 - 4) : y1 + 4, max(0, x0 - 4) : x1 + 4] = False  # the decoder's chroma bleeds 4 px
    for frame in frames:  # paper, within the codec's ringing by the picture's edge
        deviation = np.abs(frame[margin].astype(int) - SKETCH_PAPER_BGR)
        assert deviation.size == 0 or (deviation.max() <= 12 and deviation.mean() <= 3), "paper"
    picture, placement = fit(load_image(photo, max_size=256, max_pixels=10**8), aspect=aspect)
    assert placement.rect == (x0, y0, x1, y1)
    assert psnr(frames[-1][y0:y1, x0:x1], picture) >= 33.0


def test_the_style_is_given_the_hold_in_frames_and_the_pictures_place(picture_path, tmp_path, monkeypatch):
    from algorithms import styles

    given: dict = {}

    def spy(picture, **options):
        given.update(options, shape=picture.shape)
        return real(picture, **options)

    real = styles.STYLES["sketch-color"].render
    monkeypatch.setitem(styles.STYLES, "sketch-color", styles.Style(spy, "spy"))
    paint_image(picture_path, tmp_path / "a.mp4", hold=0.25, aspect="9:16", **SMALL)
    assert given["hold"] == 3 and given["shape"] == (96, 144, 3)
    assert given["placement"] == Placement(144, 256, (0, 80, 144, 176))
    paint_image(picture_path, tmp_path / "b.mp4", **SMALL)
    assert given["hold"] is None and given["placement"] is None


@pytest.mark.parametrize("style", ["sketch-color", "painterly"])
@pytest.mark.parametrize("hold", [0.0, 0.5])
def test_the_hold_is_the_last_frames_and_starts_on_a_keyframe(picture_path, tmp_path, style, hold):
    output = tmp_path / "out.mp4"
    paint_image(picture_path, output, style=style, hold=hold, aspect="4:5", **SMALL)
    hold_frames = max(1, round(hold * 12))
    with av.open(str(output)) as container:
        decoded = [(frame.key_frame, frame.to_ndarray(format="bgr24")) for frame in container.decode(video=0)]
    assert len(decoded) == 24
    assert [index for index, (key, _) in enumerate(decoded) if key] == [0, 24 - hold_frames]
    assert all(psnr(frame, decoded[-1][1]) >= 45.0 for _, frame in decoded[-hold_frames:])


@pytest.mark.parametrize("hold, duration", [(1.0, 2.0), (10.6, 12.0), (58.5, 59.0)])
def test_a_hold_leaving_too_little_to_draw_is_refused_naming_both(picture_path, tmp_path, hold, duration):
    with pytest.raises(InvalidOptionError) as caught:
        paint_image(picture_path, tmp_path / "out.mp4", hold=hold, duration=duration)
    assert caught.value.option == "hold"
    assert "hold" in str(caught.value) and "duration" in str(caught.value)
    assert not (tmp_path / "out.mp4").exists()
