"""The planned painting: every stroke once, area by area and coarse to fine, ending on the picture;
planned on a thread of its own, yet the same for the same seed, and stopped when cancelled."""

from __future__ import annotations

import threading
import time
from concurrent.futures import CancelledError
from dataclasses import dataclass

import cv2
import numpy as np
import pytest

from algorithms.styles.painterly import painting as painting_module
from algorithms.styles.painterly.painter import StrokePainter
from algorithms.styles.painterly.painting import Painting, PaintingPlan, area_batches
from algorithms.styles.painterly.plan import layer_specs
from algorithms.styles.painterly.regions import Regions
from algorithms.styles.painterly.texture import paper
from tests.helpers.images import smooth_picture
from tests.helpers.videos import psnr

WIDTH, HEIGHT = 128, 96


@dataclass(frozen=True)
class Planned:
    picture: np.ndarray
    paper: np.ndarray  # as it was before planning
    given: np.ndarray  # the array handed to PaintingPlan
    plan: PaintingPlan
    parts: list[Painting]  # every area's strokes, in painting order


def every_part(plan: PaintingPlan) -> list[Painting]:
    """The whole painting: every area's strokes, waiting for each plan."""
    return [plan.part(index) for index in range(len(plan.spans) - 1)]


def whole(parts: list[Painting]) -> tuple[np.ndarray, np.ndarray]:
    """The sequence and change of every stroke of the painting, in painting order."""
    return np.concatenate([part.sequence for part in parts]), np.concatenate([part.change for part in parts])


def points_of(part: Painting, layer: int, stroke: int) -> np.ndarray:
    strokes = part.layers[layer].strokes
    return strokes.points[stroke, : strokes.counts[stroke]]


def plan(seed: int, plan_seed: int | None = None) -> Planned:
    picture = smooth_picture(WIDTH, HEIGHT, seed=seed)
    bare = paper(HEIGHT, WIDTH, np.random.default_rng(seed))
    given = bare.copy()
    rng = np.random.default_rng(seed + 100 if plan_seed is None else plan_seed)
    planned = PaintingPlan(picture, given, rng)
    return Planned(picture, bare, given, planned, every_part(planned))


def replay(planned: Planned) -> np.ndarray:
    canvas = planned.paper.copy()
    StrokePainter(canvas, planned.plan).paint_until(np.inf)
    return canvas


def borders(ranks: np.ndarray, size: int) -> np.ndarray:
    """Where two areas meet, widened to ``size`` pixels, shape (H, W) bool."""
    border = np.zeros(ranks.shape, np.uint8)
    border[:, 1:] |= ranks[:, 1:] != ranks[:, :-1]
    border[1:] |= ranks[1:] != ranks[:-1]
    return cv2.dilate(border, np.ones((size, size), np.uint8)).astype(bool)


@pytest.fixture(scope="module")
def planned() -> Planned:
    return plan(1)


def test_the_paper_passed_in_is_not_modified(planned):
    assert np.array_equal(planned.given, planned.paper)


def test_each_area_has_a_stretch_of_the_clock_from_0_to_1(planned):
    regions, spans = planned.plan.regions, planned.plan.spans
    assert isinstance(regions, Regions) and regions.ranks.shape == (HEIGHT, WIDTH)
    assert regions.count >= 4 and spans.shape == (regions.count + 1,)
    assert spans[0] == 0.0 and spans[-1] == 1.0
    assert np.all(np.diff(spans) >= 0)
    assert np.all(np.diff(spans) > 0.01)  # every area here has something to paint, and takes time
    assert np.all(np.diff(spans) < 0.5)  # no area takes the whole painting


def test_each_part_holds_every_stroke_of_every_layer_once(planned):
    count = len(layer_specs(WIDTH, HEIGHT))
    assert count >= 3
    for part in planned.parts:
        assert len(part.layers) == count
        assert part.regions is planned.plan.regions
        assert part.sequence.dtype == np.int64
        assert part.sequence.shape == (sum(len(layer) for layer in part.layers), 3)
        pairs = sorted(map(tuple, part.sequence[:, 1:].tolist()))
        every = [(index, stroke) for index, layer in enumerate(part.layers) for stroke in range(len(layer))]
        assert pairs == every
    for index in range(count):  # every brush paints somewhere
        assert sum(len(part.layers[index]) for part in planned.parts) > 0


def test_the_sequence_goes_area_by_area_the_subject_first_and_coarse_to_fine_in_each(planned):
    for area, part in enumerate(planned.parts):
        assert len(part.sequence) > 0
        assert np.all(part.sequence[:, 0] == area)
        rows = list(map(tuple, part.sequence.tolist()))
        assert rows == sorted(rows)
        assert part.sequence[0, 1] == 0  # each area is blocked in by the first layer
    sequence, _ = whole(planned.parts)
    assert np.array_equal(np.unique(sequence[:, 0]), np.arange(planned.plan.regions.count))
    assert np.all(np.diff(sequence[:, 0]) >= 0)


def test_each_stroke_is_filed_under_the_area_it_starts_in(planned):
    regions = planned.plan.regions
    for part in planned.parts:
        for area, index, stroke in part.sequence.tolist():
            first = points_of(part, index, stroke)[:1]
            assert regions.rank_at(first)[0] == area, (area, index, stroke, first.tolist())


def test_each_stroke_stays_in_its_area(planned):
    regions = planned.plan.regions
    near_border = borders(regions.ranks, 5)
    inside = total = 0
    for part in planned.parts:
        for area, index, stroke in part.sequence.tolist():
            points = points_of(part, index, stroke)
            at = regions.rank_at(points) == area
            xs = np.clip(np.rint(points[:, 0]).astype(int), 0, WIDTH - 1)
            ys = np.clip(np.rint(points[:, 1]).astype(int), 0, HEIGHT - 1)
            assert np.all(at | near_border[ys, xs]), (area, index, stroke, points.tolist())
            inside, total = inside + int(at.sum()), total + len(points)
    assert inside >= 0.98 * total


def test_every_stroke_changes_something_and_the_first_layer_most(planned):
    for part in planned.parts:
        assert part.change.shape == (len(part.sequence),)
    sequence, change = whole(planned.parts)
    assert np.all(change > 0)
    layers = sequence[:, 1]
    finest = len(layer_specs(WIDTH, HEIGHT)) - 1
    first, last = change[layers == 0], change[layers == finest]
    assert len(first) > 0 and len(last) > 0
    assert first.mean() > 5.0 * last.mean()


def test_the_first_layer_changes_about_as_much_as_the_paper_differs_from_the_picture(planned):
    sequence, change = whole(planned.parts)
    first = change[sequence[:, 1] == 0].sum()
    bare = float(cv2.absdiff(planned.paper, planned.picture).sum()) / 3.0
    assert 0.5 * bare < first < 1.5 * bare


@pytest.mark.parametrize("seed", [1, 2])
def test_the_whole_painting_replayed_comes_close_to_the_picture(seed, planned):
    planned = planned if seed == 1 else plan(seed)
    canvas = replay(planned)
    assert psnr(canvas, planned.picture) > 22.0
    assert psnr(planned.paper, planned.picture) < 15.0  # the paper alone is far from it


def test_the_same_seed_gives_the_same_painting_and_another_a_different_one(planned):
    again = plan(1)
    for first, second in zip(planned.parts, again.parts, strict=True):
        assert np.array_equal(first.sequence, second.sequence)
        assert np.array_equal(first.change, second.change)
    assert np.array_equal(again.plan.spans, planned.plan.spans)
    assert np.array_equal(replay(again), replay(planned))
    other = plan(1, plan_seed=7)
    assert not np.array_equal(replay(other), replay(planned))


def test_the_plan_is_the_same_however_its_thread_runs_and_its_parts_are_asked_for():
    """Two plans of one seed planned at once, on two threads, one asked for its parts
    last to first while the other is not asked until both are done: the same strokes."""
    picture = smooth_picture(WIDTH, HEIGHT, seed=3)
    bare = paper(HEIGHT, WIDTH, np.random.default_rng(3))
    first = PaintingPlan(picture, bare, np.random.default_rng(9))
    second = PaintingPlan(picture, bare, np.random.default_rng(9))
    count = len(first.spans) - 1
    backwards = [second.part(index) for index in reversed(range(count))][::-1]
    forwards = every_part(first)
    assert np.array_equal(first.spans, second.spans)
    assert np.array_equal(first.regions.ranks, second.regions.ranks)
    for one, other in zip(forwards, backwards, strict=True):
        assert np.array_equal(one.sequence, other.sequence)
        assert np.array_equal(one.change, other.change)
        for layer, same in zip(one.layers, other.layers, strict=True):
            assert np.array_equal(layer.strokes.points, same.strokes.points)
            assert np.array_equal(layer.strokes.colours, same.strokes.colours)
    canvases = [bare.copy(), bare.copy()]
    for canvas, parts in zip(canvases, (first, second)):
        StrokePainter(canvas, parts).paint_until(np.inf)
    assert np.array_equal(*canvases)
    assert not np.array_equal(canvases[0], bare)


def test_cancelling_at_once_leaves_each_part_planned_or_cancelled_and_returns_promptly():
    picture = smooth_picture(WIDTH, HEIGHT, seed=4)
    bare = paper(HEIGHT, WIDTH, np.random.default_rng(4))
    plan = PaintingPlan(picture, bare, np.random.default_rng(5))
    began = time.perf_counter()
    plan.cancel()
    outcomes = []
    for index in range(len(plan.spans) - 1):
        try:
            outcomes.append(plan.part(index))
        except CancelledError:
            outcomes.append(None)
    assert time.perf_counter() - began < 5.0
    assert all(outcome is None or isinstance(outcome, Painting) for outcome in outcomes)


def test_cancelling_after_the_first_part_stops_the_areas_not_yet_begun(monkeypatch):
    """The plan of area 1 is held until the first part is in and the plan cancelled: area 1,
    begun, is finished; no later area is planned."""
    real_plan_area = painting_module.plan_area
    release = threading.Event()
    areas = []

    def held_plan_area(ground, canvas, batch, box, rng):
        areas.append(batch.start)
        if batch.start >= 1:
            release.wait(timeout=30.0)
        return real_plan_area(ground, canvas, batch, box, rng)

    monkeypatch.setattr(painting_module, "plan_area", held_plan_area)
    picture = smooth_picture(WIDTH, HEIGHT, seed=4)
    bare = paper(HEIGHT, WIDTH, np.random.default_rng(4))
    before = set(threading.enumerate())
    plan = PaintingPlan(picture, bare, np.random.default_rng(5))
    threads = [thread for thread in threading.enumerate() if thread not in before]
    try:
        first = plan.part(0)
        assert isinstance(first, Painting) and len(first.sequence) > 0
        plan.cancel()
    finally:
        release.set()
    assert len(threads) == 1
    threads[0].join(timeout=30.0)
    assert not threads[0].is_alive()  # the planning thread ends
    assert isinstance(plan.part(1), Painting)  # begun before the cancel: finished
    for index in range(2, len(plan.spans) - 1):
        with pytest.raises(CancelledError):
            plan.part(index)
    assert set(areas) == {0, 1}


def test_later_layers_are_planned_on_the_canvas_the_earlier_ones_left():
    """A flat picture is all but covered by the first layer: the later ones find much less to fix
    than on a detailed picture, and the painting leaves no paper bare."""
    counts = {}
    for name, picture in {
        "flat": np.full((HEIGHT, WIDTH, 3), (90, 40, 20), np.uint8),
        "detailed": smooth_picture(WIDTH, HEIGHT, seed=4),
    }.items():
        white = np.full_like(picture, 255)
        plan = PaintingPlan(picture, white, np.random.default_rng(0))
        counts[name] = np.sum([[len(layer) for layer in part.layers] for part in every_part(plan)], axis=0)
        canvas = white.copy()
        StrokePainter(canvas, plan).paint_until(np.inf)
        assert not np.all(canvas == white, axis=2).any()
    assert counts["flat"][0] > 0
    assert counts["flat"][1:].sum() < 0.5 * counts["detailed"][1:].sum()


def test_areas_meet_without_a_seam_of_paper():
    picture = np.full((HEIGHT, WIDTH, 3), (90, 40, 20), np.uint8)
    white = np.full_like(picture, 255)
    plan = PaintingPlan(picture, white, np.random.default_rng(0))
    canvas = white.copy()
    StrokePainter(canvas, plan).paint_until(np.inf)
    near = borders(plan.regions.ranks, 3)
    brightness = canvas.mean(axis=2)
    assert brightness[near].mean() < brightness[~near].mean() + 2.0


@pytest.mark.parametrize("count", [1, 2, 3, 7, 12, 40])
def test_areas_are_planned_one_two_alone_then_in_doubling_batches(count):
    batches = area_batches(count)
    assert [area for batch in batches for area in batch] == list(range(count))
    assert [len(batch) for batch in batches[:2]] == [1, 1][: len(batches)]
    sizes = [len(batch) for batch in batches[2:-1]]
    assert sizes == [2**step for step in range(1, len(sizes) + 1)]
