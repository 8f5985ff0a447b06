"""The painterly renderer's frames: coverage, detail, pace, tools, changed areas, finishes, seeds.

End-to-end renders through ``paint_image`` are in ``test_end_to_end.py``.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from algorithms.encoding.frames import I420Converter, to_yuv420
from algorithms.media.framing import Placement, fit
from algorithms.styles.painterly import painting
from algorithms.styles.painterly.animation import LIFT_SECONDS, MAX_BRUSH_STEP, render_painterly
from algorithms.styles.painterly.painter import StrokePainter
from algorithms.styles.painterly.painting import PaintingPlan
from algorithms.styles.painterly.plan import PaintLayer
from algorithms.styles.painterly.schedule import painting_phases
from algorithms.styles.painterly.texture import PAINTING_PAPER_BGR, paper

SMALL = (160, 120)  # the largest picture rendered here: the frames are made in seconds


def smaller(picture: np.ndarray) -> np.ndarray:
    """``picture`` scaled down to fit :data:`SMALL`."""
    height, width = picture.shape[:2]
    factor = min(SMALL[0] / width, SMALL[1] / height)
    size = (round(width * factor), round(height * factor))
    return cv2.resize(picture, size, interpolation=cv2.INTER_AREA)


@pytest.fixture(scope="module")
def photos(photos) -> dict[str, np.ndarray]:
    """The shared photos, small."""
    return {name: smaller(picture) for name, picture in photos.items()}


@pytest.fixture(scope="module")
def shapes(shapes) -> np.ndarray:
    """The shared shapes, small."""
    return smaller(shapes)


def render_frames(
    picture: np.ndarray,
    *,
    frame_count: int = 48,
    fps: int = 12,
    seed: int = 1,
    show_tools: bool = False,
    finish: str = "painting",
    hold: int | None = None,
    placement: Placement | None = None,
) -> list[np.ndarray]:
    """Every frame of the painterly renderer, copied (it reuses its buffers)."""
    frames = render_painterly(
        picture,
        frame_count=frame_count,
        fps=fps,
        tool="pencil" if show_tools else "none",
        rng=np.random.default_rng(seed),
        finish=finish,
        hold=hold,
        placement=placement,
    )
    return [update.image.copy() for update in frames]


def laplacian_variance(frame: np.ndarray) -> float:
    return float(cv2.Laplacian(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), cv2.CV_64F).var())


@pytest.mark.parametrize("frame_count, fps", [(24, 12), (37, 12), (90, 30)])
def test_renderer_gives_exactly_frame_count_frames_of_the_picture(shapes, frame_count, fps):
    frames = render_frames(shapes, frame_count=frame_count, fps=fps)
    assert len(frames) == frame_count
    assert all(frame.shape == shapes.shape and frame.dtype == np.uint8 for frame in frames)


def test_the_picture_is_not_modified(shapes):
    before = shapes.copy()
    render_frames(shapes, show_tools=True, finish="photo")
    assert np.array_equal(shapes, before)


def test_it_starts_on_bare_paper(shapes):
    first = render_frames(shapes)[0].astype(np.float32)
    assert first.mean() > 200 and first.std() < 12


def test_the_paper_is_covered_area_by_area_to_the_end(photos, shapes):
    for picture in [*photos.values(), shapes]:
        frames = render_frames(picture, frame_count=120)
        phases = painting_phases(120, 12, "painting")
        bare = [float(np.all(frame == frames[0], axis=2).mean()) for frame in frames[: 1 + phases.painting]]
        assert bare[int(0.1 * len(bare))] > 0.5  # the first areas are painted, most paper is bare
        assert bare[int(0.5 * len(bare))] < bare[int(0.2 * len(bare))] - 0.2
        assert 0.0 < bare[int(0.7 * len(bare))] and bare[-1] < 0.02
        assert all(later <= earlier + 1e-3 for earlier, later in zip(bare, bare[1:]))


def test_detail_keeps_arriving_to_the_end(photos):
    for seed in (1, 2):
        for picture in photos.values():
            frames = render_frames(picture, seed=seed, frame_count=120)
            phases = painting_phases(120, 12, "painting")
            painting = frames[: 1 + phases.painting]
            distance = [
                float(np.abs(painting[int(share * (len(painting) - 1))].astype(np.int16) - picture).mean())
                for share in (0.3, 0.6, 0.9, 1.0)
            ]
            assert distance[0] > distance[1] > distance[2] > distance[3]
            late = painting[int(0.8 * len(painting)) :]
            assert sum(not np.array_equal(a, b) for a, b in zip(late, late[1:])) >= len(late) // 2


def test_every_painting_frame_lays_paint_and_the_hold_is_still(shapes):
    frames = render_frames(shapes, frame_count=48)
    phases = painting_phases(48, 12, "painting")
    painting = range(1, 1 + phases.painting)  # to the last: the hand lifts away as the last strokes are laid
    assert all(not np.array_equal(frames[index], frames[index - 1]) for index in painting)
    assert phases.hold >= 12
    assert all(np.array_equal(frame, frames[-1]) for frame in frames[-phases.hold - 1 :])


def test_the_first_layer_is_laid_at_an_even_pace(photos):
    frames = render_frames(photos["coffee"], frame_count=120)
    painted = [
        np.count_nonzero(np.any(frames[index] != frames[index - 1], axis=2)) for index in range(2, 25)
    ]  # well inside the first layer (30 % of the painting)
    assert min(painted) > 0
    assert np.std(painted) / np.mean(painted) < 0.6


def test_the_brush_is_drawn_near_where_paint_is_being_laid(photos):
    picture = photos["chelsea"]
    rng = np.random.default_rng(4)
    canvas = paper(*picture.shape[:2], rng)
    painter = StrokePainter(canvas, PaintingPlan(picture, canvas.copy(), rng))
    frames = 60
    diagonal = float(np.hypot(*picture.shape[:2]))
    distances, positions = [], []
    for index in range(frames):
        before = painter.canvas.copy()
        painter.paint_until((index + 1) / frames if index < frames - 1 else np.inf)
        tip = painter.follow(index / frames, (index + 1) / frames, MAX_BRUSH_STEP * diagonal).copy()
        positions.append(tip)
        changed = np.argwhere(np.any(painter.canvas != before, axis=2))
        if len(changed):
            distances.append(np.hypot(changed[:, 1] - tip[0], changed[:, 0] - tip[1]).min() / diagonal)
    assert len(distances) > 0.9 * frames
    assert np.median(distances) < 0.05 and np.percentile(distances, 90) < 0.2
    moves = np.hypot(*np.diff(positions, axis=0).T) / diagonal
    assert moves.max() <= MAX_BRUSH_STEP + 1e-6  # a hand: no jumps
    with_tools = render_frames(picture, show_tools=True)
    without = render_frames(picture, show_tools=False)
    phases = painting_phases(len(with_tools), 12, "painting")
    assert np.array_equal(with_tools[0], without[0])
    assert np.array_equal(with_tools[-1], without[-1])
    painting = range(1, 1 + phases.painting)
    assert all(not np.array_equal(with_tools[index], without[index]) for index in painting)


def test_the_hand_lifts_away_fading_while_the_last_strokes_are_laid(shapes):
    fps = 12
    with_tools = render_frames(shapes, show_tools=True, fps=fps)
    without = render_frames(shapes, fps=fps)
    phases = painting_phases(len(without), fps, "painting")
    lift = min(round(LIFT_SECONDS * fps), phases.painting // 4)
    last = phases.painting  # the last painting frame (frame 0 is the bare paper)
    assert lift >= 2
    shown = [float(cv2.absdiff(tools, plain).sum()) for tools, plain in zip(with_tools, without)]
    lifting = range(last - lift + 1, last + 1)
    before = float(np.median(shown[1 : last - lift + 1]))
    fading = [shown[index] for index in lifting]
    assert min(fading) > 0.0  # still there, fading
    assert fading[-1] < 0.5 * before and fading[-1] < fading[0]
    assert all(not np.array_equal(without[index], without[index - 1]) for index in lifting)  # paint laid
    assert shown[last + 1] == 0.0  # gone once the painting is done


def _without_later_strokes(real_plan_area):
    """plan_area, but every layer after the first has nothing left to paint."""

    def plan(ground, canvas, area, box, rng):
        layer = real_plan_area(ground, canvas, area, box, rng)
        if canvas is None:
            return layer
        none = np.zeros(0, np.int64)
        return PaintLayer(layer.strokes.take(none), layer.look, layer.boxes[none], [], [])

    return plan


@pytest.mark.parametrize("finish", ["painting", "photo"])
@pytest.mark.parametrize("idle_layers", [False, True])  # frames that lay no paint at all
def test_each_frame_reports_the_rectangle_that_changed(photos, finish, idle_layers, monkeypatch):
    if idle_layers:
        monkeypatch.setattr(painting, "plan_area", _without_later_strokes(painting.plan_area))
    picture = photos["coffee"]
    converter = I420Converter()
    previous = None
    for update in render_painterly(
        picture, frame_count=60, fps=12, tool="pencil", rng=np.random.default_rng(5), finish=finish
    ):
        if previous is not None and update.changed is not None:
            x0, y0, x1, y1 = update.changed
            outside = np.any(update.image != previous, axis=2)
            outside[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)] = False
            assert not outside.any()
        assert np.array_equal(converter(update), to_yuv420(update.image))
        previous = update.image.copy()


def test_the_seed_decides_the_painting(shapes):
    first, again, other = (render_frames(shapes, seed=seed)[-1] for seed in (7, 7, 8))
    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_the_photo_finish_lays_the_picture_stroke_by_stroke(shapes):
    frames = render_frames(shapes, frame_count=60, finish="photo")
    phases = painting_phases(60, 12, "photo")
    start = 1 + phases.painting
    finish = frames[start - 1 : start + phases.photo]
    distances = [float(np.abs(frame.astype(np.int16) - shapes).mean()) for frame in finish]
    assert phases.photo >= 5
    assert all(later <= earlier for earlier, later in zip(distances, distances[1:]))
    assert distances[-1] < 0.2 * distances[0]
    # Strokes, not a cross-fade: mid-way, part of the picture is exact and part untouched.
    middle = finish[len(finish) // 2].astype(np.int16)
    exact = np.all(np.abs(middle - shapes) <= 2, axis=2).mean()
    untouched = np.all(middle == finish[0], axis=2).mean()
    assert exact > 0.1 and untouched > 0.1
    assert all(np.array_equal(frame, shapes) for frame in frames[-phases.hold :])


@pytest.mark.parametrize("finish", ["painting", "photo"])
@pytest.mark.parametrize("hold", [1, 9])
def test_a_hold_asked_for_is_exact(shapes, finish, hold):
    frames = render_frames(shapes, show_tools=True, finish=finish, hold=hold)
    assert len(frames) == 48
    assert all(np.array_equal(frame, frames[-1]) for frame in frames[-hold:])
    assert not np.array_equal(frames[-hold - 1], frames[-1])


def test_in_a_larger_frame_the_margin_is_bare_paper_and_the_brush_reaches_over_it(photos):
    picture, placement = fit(photos["chelsea"], aspect="9:16")
    x0, y0, x1, y1 = placement.rect
    margin = np.ones((placement.height, placement.width), bool)
    margin[y0:y1, x0:x1] = False
    plain = render_frames(picture, placement=placement, finish="photo", frame_count=120)
    brushed = render_frames(picture, placement=placement, show_tools=True, frame_count=120)
    assert all(frame.shape == (placement.height, placement.width, 3) for frame in plain + brushed)
    paper = plain[0][margin].astype(np.float32)
    assert np.abs(paper.mean(axis=0) - PAINTING_PAPER_BGR).max() < 6 and paper.std(axis=0).max() < 12
    assert all(np.array_equal(frame[margin], plain[0][margin]) for frame in plain)
    assert np.array_equal(plain[-1][y0:y1, x0:x1], picture)
    over = [int(np.any(frame[margin] != plain[0][margin], axis=1).sum()) for frame in brushed]
    assert sum(count > 50 for count in over) >= 3, "the brush is not cut off at the picture's edge"
    assert over[-1] == 0
