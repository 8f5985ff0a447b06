"""Replaying a painting frame by frame: each part's clock and path, painted rectangles, where the
brush is, parts planned only when reached, and the photo pass."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from algorithms.drawing.geometry import NOTHING
from algorithms.drawing.timeline import GLIDE_SAMPLES, TRAVEL_STEP
from algorithms.styles.painterly.finish import plan_photo_pass
from algorithms.styles.painterly.painter import StrokePainter, WholePass
from algorithms.styles.painterly.painting import Painting, PaintingPlan
from algorithms.styles.painterly.regions import FEATHER, painting_regions
from algorithms.styles.painterly.texture import paper
from tests.helpers.images import smooth_picture

WIDTH, HEIGHT = 128, 96


class Recorded:
    """The parts of ``plan``, noting which were asked for."""

    def __init__(self, plan: PaintingPlan) -> None:
        self.plan, self.spans, self.asked = plan, plan.spans, []

    def part(self, index: int) -> Painting:
        self.asked.append(index)
        return self.plan.part(index)


@pytest.fixture(scope="module")
def bare() -> np.ndarray:
    return paper(HEIGHT, WIDTH, np.random.default_rng(1))


@pytest.fixture(scope="module")
def plan(bare) -> PaintingPlan:
    return PaintingPlan(smooth_picture(WIDTH, HEIGHT, seed=2), bare, np.random.default_rng(3))


@pytest.fixture(scope="module")
def parts(plan) -> list[Painting]:
    return [plan.part(index) for index in range(len(plan.spans) - 1)]


@pytest.fixture(scope="module")
def finished(bare, plan) -> np.ndarray:
    """The painting laid in one go."""
    canvas = bare.copy()
    StrokePainter(canvas, plan).paint_until(np.inf)
    return canvas


def timed(painter: StrokePainter, count: int) -> list:
    """Every part of ``painter``, timed."""
    return [painter._part(index) for index in range(count)]


def in_frames(bare: np.ndarray, plan: PaintingPlan, frames: int) -> tuple[np.ndarray, list[tuple]]:
    """The canvas painted over ``frames`` even clock steps (the last to the end), and each step's
    rectangle with the pixels it changed."""
    canvas = bare.copy()
    painter = StrokePainter(canvas, plan)
    steps = []
    for frame in range(frames):
        before = canvas.copy()
        rect = painter.paint_until((frame + 1) / frames if frame < frames - 1 else np.inf)
        steps.append((rect, np.any(canvas != before, axis=2)))
    return canvas, steps


def test_each_parts_path_runs_through_its_stretch_of_the_clock_and_every_stroke_in_order(bare, plan, parts):
    spans = plan.spans
    previous = None
    for index, part in enumerate(timed(StrokePainter(bare.copy(), plan), len(parts))):
        assert part.painting is parts[index]
        path = part.path
        assert path.time[0] == pytest.approx(spans[index]) and path.time[-1] == pytest.approx(
            spans[index + 1]
        )
        assert np.all(np.diff(path.time) >= 0)
        inked = path.stroke[path.stroke >= 0]
        assert np.all(np.diff(inked) >= 0)
        assert np.array_equal(np.unique(inked), np.arange(len(parts[index].sequence)))
        if previous is not None:  # the brush travels on from where it left the part before
            assert path.stroke[0] == -1
            assert np.hypot(*(path.points[0] - previous.points[-1])) <= TRAVEL_STEP
        previous = path


def test_each_stroke_is_painted_in_a_span_of_the_clock_after_the_one_before(bare, plan, parts):
    spans = plan.spans
    begins, ends = [], []
    for index, part in enumerate(timed(StrokePainter(bare.copy(), plan), len(parts))):
        clock = part.clock
        assert clock.begin.shape == clock.end.shape == (len(parts[index].sequence),)
        assert clock.begin[0] >= spans[index] and clock.end[-1] == pytest.approx(spans[index + 1])
        begins.append(clock.begin)
        ends.append(clock.end)
    begin, end = np.concatenate(begins), np.concatenate(ends)
    assert np.all(begin <= end)
    assert np.all(np.diff(begin) >= 0) and np.all(np.diff(end) >= 0)
    assert np.all(end[:-1] <= begin[1:])
    assert begin[0] == 0.0 and end[-1] == pytest.approx(1.0)


def test_a_start_is_where_the_brush_comes_from(bare, plan):
    start = np.array([3.0, HEIGHT - 4.0])
    painter = StrokePainter(bare.copy(), plan, start=start)
    assert np.array_equal(painter.tip, start)
    path = painter._part(0).path
    assert path.stroke[0] == -1 and np.hypot(*(path.points[0] - start)) <= TRAVEL_STEP  # travelling
    assert np.hypot(*(painter.follow(0.0, 0.01, 2.0) - start)) <= 2.0 + 1e-6
    assert path.time[0] == 0.0 and painter._part(0).clock.begin[0] > 0.0


@pytest.mark.parametrize("frames", [40, 7])
def test_painting_in_small_steps_ends_on_the_painting_laid_in_one_go(bare, plan, finished, frames):
    canvas, _ = in_frames(bare, plan, frames)
    difference = cv2.absdiff(canvas, finished)
    assert difference.mean() < 1.0
    assert np.mean(difference.max(axis=2) > 12) < 0.02
    assert np.mean(cv2.absdiff(bare, finished)) > 30.0  # the painting does cover the paper


def test_each_step_reports_a_rectangle_holding_every_pixel_it_changed(bare, plan):
    _, steps = in_frames(bare, plan, 40)
    assert sum(bool(changed.any()) for _, changed in steps) >= 35
    for (x0, y0, x1, y1), changed in steps:
        outside = changed.copy()
        outside[y0:y1, x0:x1] = False
        assert not outside.any()
        assert 0 <= x0 <= x1 <= WIDTH and 0 <= y0 <= y1 <= HEIGHT


def test_a_step_back_or_a_step_in_place_paints_nothing(bare, plan):
    canvas = bare.copy()
    painter = StrokePainter(canvas, plan)
    assert painter.paint_until(0.5) != NOTHING
    before = canvas.copy()
    assert painter.paint_until(0.5) == NOTHING and painter.paint_until(0.3) == NOTHING
    assert np.array_equal(canvas, before)
    assert painter.paint_until(0.6) != NOTHING  # and it goes on from where it was, not from 0.3
    straight = bare.copy()
    on = StrokePainter(straight, plan)
    on.paint_until(0.5)
    on.paint_until(0.6)
    assert np.array_equal(canvas, straight)


def test_a_part_is_asked_for_only_when_the_clock_reaches_it(bare, plan):
    recorded = Recorded(plan)
    painter = StrokePainter(bare.copy(), recorded)
    assert recorded.asked == []  # nothing is waited for before the first frame
    painter.paint_until(plan.spans[1] / 2)
    painter.follow(0.0, plan.spans[1] / 2, 10.0)
    assert set(recorded.asked) == {0}
    painter.paint_until(plan.spans[2])
    assert set(recorded.asked) == {0, 1}
    painter.paint_until(np.inf)
    assert recorded.asked == list(range(len(plan.spans) - 1))  # each once, in order


@pytest.mark.parametrize("area", [1, 3])
def test_the_areas_before_one_are_finished_before_it_is_touched(bare, plan, parts, finished, area):
    canvas = bare.copy()
    painter = StrokePainter(canvas, plan)
    painter.paint_until(float(plan.spans[area]))
    assert painter._part(area - 1).clock.end[-1] <= plan.spans[area]
    kernel = np.ones((FEATHER + 2, FEATHER + 2), np.uint8)
    ranks = plan.regions.ranks
    for rank in range(plan.regions.count):
        expected = finished if rank < area else bare
        deep = cv2.erode((ranks == rank).astype(np.uint8), kernel, borderType=cv2.BORDER_REPLICATE) > 0
        assert deep.sum() > 20
        assert np.array_equal(canvas[deep], expected[deep]), rank


def test_the_brush_carries_the_colour_of_the_stroke_it_is_on(bare, plan, parts):
    painter = StrokePainter(bare.copy(), plan)
    for stop in (0.1, 0.5, np.inf):
        painter.paint_until(stop)
        colour = painter.brush_colour
        assert isinstance(colour, tuple) and len(colour) == 3
        assert all(type(channel) is int and 0 <= channel <= 255 for channel in colour)
    layer, stroke = parts[-1].sequence[-1, 1:].tolist()
    assert colour == tuple(int(channel) for channel in parts[-1].layers[layer].colours[stroke])


def test_the_brush_follows_the_mean_of_the_path_over_the_frame(bare, plan, parts):
    """Free to move, the tip is where the path is during the frame, on average; held to a
    step, it moves that far toward it, and never more."""
    free = StrokePainter(bare.copy(), plan)
    held = StrokePainter(bare.copy(), plan)
    paths = [part.path for part in timed(free, len(parts))]
    times = np.concatenate([path.time for path in paths])
    points = np.concatenate([path.points for path in paths])
    frames, step = 30, 4.0
    previous = None
    for frame in range(frames):
        start, stop = frame / frames, (frame + 1) / frames
        samples = start + (stop - start) * (np.arange(GLIDE_SAMPLES) + 1) / GLIDE_SAMPLES
        target = np.stack([np.interp(samples, times, points[:, axis]) for axis in (0, 1)], 1).mean(axis=0)
        tip = free.follow(start, stop, 1e9)
        assert np.allclose(tip, target, atol=1e-3) and tip is free.tip
        there = held.follow(start, stop, step).copy()
        assert np.array_equal(there, held.tip) and there.shape == (2,)
        if previous is not None:
            move = float(np.hypot(*(there - previous)))
            assert move <= step + 1e-6
            assert move == pytest.approx(min(step, float(np.hypot(*(target - previous)))), abs=1e-6)
        previous = there


@pytest.mark.parametrize("width, height, seed", [(128, 96, 4), (96, 128, 5), (160, 120, 6)])
def test_the_photo_pass_covers_the_whole_picture(width, height, seed):
    rng = np.random.default_rng(seed)
    picture = np.clip(smooth_picture(width, height, seed=seed), 40, 255)  # nothing as dark as the canvas
    picture = cv2.add(picture, rng.integers(0, 12, picture.shape, dtype=np.uint8))  # and pixel-fine detail
    regions = painting_regions(picture, np.random.default_rng(seed))
    photo = plan_photo_pass(picture, regions, np.random.default_rng(seed))
    assert len(photo.layers) == 1 and photo.regions is None
    assert np.array_equal(np.sort(photo.sequence[:, 2]), np.arange(len(photo.layers[0])))
    assert np.all(photo.sequence[:, :2] == 0)
    assert photo.change.shape == (len(photo.sequence),) and np.all(photo.change > 0)
    planned = []
    whole = WholePass(lambda: planned.append(1) or photo)
    assert np.array_equal(whole.spans, [0.0, 1.0]) and planned == []  # planned when first asked for
    canvas = np.zeros_like(picture)
    StrokePainter(canvas, whole).paint_until(np.inf)
    assert whole.part(0) is photo and planned == [1]
    close = cv2.absdiff(canvas, picture).max(axis=2) <= 3
    assert close.mean() >= 0.99


def test_the_photo_pass_follows_the_painting_areas(bare):
    """Its strokes are toured area by area in the painting's order: the first strokes lie in
    the first areas, the last in the last."""
    picture = smooth_picture(WIDTH, HEIGHT, seed=7)
    regions = painting_regions(picture, np.random.default_rng(7))
    photo = plan_photo_pass(picture, regions, np.random.default_rng(8))
    strokes = photo.layers[0].strokes
    firsts = strokes.points[photo.sequence[:, 2], 0]
    ranks = regions.rank_at(firsts)
    tenth = max(1, len(ranks) // 10)
    assert ranks[:tenth].mean() < ranks[-tenth:].mean()
    assert np.corrcoef(np.arange(len(ranks)), ranks)[0, 1] > 0.8
