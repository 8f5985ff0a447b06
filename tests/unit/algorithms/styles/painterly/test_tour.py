"""Stroke order: area by area in rank order, a short nearest-end tour in each, strokes from either end."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.styles.painterly.canvas import BrushLook
from algorithms.styles.painterly.order import order_strokes, stroke_boxes, stroke_polylines
from algorithms.styles.painterly.plan import PaintLayer
from algorithms.styles.painterly.regions import Regions
from algorithms.styles.painterly.strokes import StrokeLayer

WIDTH, HEIGHT = 160, 120
UNUSED = -7.0  # what the unused control points hold


def grid_regions() -> Regions:
    """Six blocks of 2 x 3 whose ranks are not in reading order."""
    blocks = np.array([[3, 0, 5], [1, 4, 2]], np.uint8)
    ranks = np.repeat(np.repeat(blocks, HEIGHT // 2, axis=0), -(-WIDTH // 3), axis=1)[:, :WIDTH]
    return Regions(np.ascontiguousarray(ranks), 6)


def random_strokes(count: int, seed: int, longest: int = 6) -> StrokeLayer:
    """``count`` wandering strokes of 2 to ``longest`` points anywhere on the picture."""
    rng = np.random.default_rng(seed)
    steps = rng.normal(0.0, 4.0, (count, longest, 2))
    steps[:, 0] = rng.uniform([0, 0], [WIDTH - 1, HEIGHT - 1], (count, 2))
    points = np.clip(np.cumsum(steps, axis=1), 0, [WIDTH - 1, HEIGHT - 1]).astype(np.float32)
    counts = rng.integers(2, longest + 1, count)
    points[np.arange(longest)[None, :] >= counts[:, None]] = UNUSED
    colours = rng.uniform(0, 255, (count, 3)).astype(np.float32)
    return StrokeLayer(2.0, points, counts.astype(np.int64), colours)


def ends(strokes: StrokeLayer) -> tuple[np.ndarray, np.ndarray]:
    """Each stroke's first and last used point, (N, 2) each."""
    return strokes.points[:, 0], strokes.points[np.arange(len(strokes)), strokes.counts - 1]


def hops(strokes: StrokeLayer) -> np.ndarray:
    """How far the brush travels from each stroke's end to the next one's start, shape (N - 1,)."""
    firsts, lasts = ends(strokes)
    return np.hypot(*(firsts[1:] - lasts[:-1]).T)


@pytest.mark.parametrize("count, seed", [(1, 0), (7, 1), (300, 2), (301, 3)])
def test_the_order_is_a_permutation_coming_area_by_area_in_rank_order(count, seed):
    strokes, regions = random_strokes(count, seed), grid_regions()
    order, flip = order_strokes(strokes, regions, {})
    assert np.array_equal(np.sort(order), np.arange(count))
    assert flip.shape == (count,) and flip.dtype == bool
    areas = regions.rank_at(strokes.points[:, 0])[order]
    assert np.all(np.diff(areas) >= 0)


def test_within_an_area_the_tour_is_much_shorter_than_a_random_order():
    strokes, regions = random_strokes(400, 4), grid_regions()
    order, flip = order_strokes(strokes, regions, {})
    painted = strokes.flipped(flip).take(order)
    areas = regions.rank_at(strokes.points[order, 0])
    same_area = areas[1:] == areas[:-1]
    rng = np.random.default_rng(5)
    shuffled = np.concatenate([rng.permutation(np.flatnonzero(areas == area)) for area in np.unique(areas)])
    at_random = hops(painted.take(shuffled))[same_area]
    assert hops(painted)[same_area].sum() < 0.25 * at_random.sum()


@pytest.mark.parametrize("seed", [6, 7])
def test_each_stroke_starts_at_the_nearest_free_end_to_where_the_brush_is(seed):
    strokes, regions = random_strokes(120, seed), grid_regions()
    pens = {area: np.float32([WIDTH / 2, HEIGHT / 2]) for area in range(regions.count)}
    order, flip = order_strokes(strokes, regions, dict(pens))
    firsts, lasts = ends(strokes)
    areas = regions.rank_at(firsts)
    here, area_before = None, None
    for position, index in enumerate(order.tolist()):
        area = int(areas[index])
        if area != area_before:
            here, area_before = pens[area], area
        rest = order[position:][areas[order[position:]] == area]
        nearest = np.hypot(*(np.concatenate([firsts[rest], lasts[rest]]) - here).T).min()
        start, end = (lasts[index], firsts[index]) if flip[index] else (firsts[index], lasts[index])
        assert np.hypot(*(start - here)) <= nearest + 1e-4
        here = end


def test_the_pens_are_left_where_the_brush_leaves_each_area():
    strokes, regions = random_strokes(90, 8), grid_regions()
    pens = {5: np.float32([3.0, 3.0]), 9: np.float32([1.0, 2.0])}  # area 9 has no strokes
    order, flip = order_strokes(strokes, regions, pens)
    painted = strokes.flipped(flip).take(order)
    areas = regions.rank_at(strokes.points[order, 0])
    lasts = ends(painted)[1]
    assert set(pens) == {*np.unique(areas).tolist(), 9}
    assert np.array_equal(pens[9], [1.0, 2.0])
    for area in np.unique(areas).tolist():
        assert np.array_equal(pens[area], lasts[np.flatnonzero(areas == area)[-1]])


def test_the_next_layer_picks_up_where_the_brush_left_the_area():
    regions = grid_regions()
    pens: dict[int, np.ndarray] = {}
    order_strokes(random_strokes(100, 9), regions, pens)
    left = {area: pen.copy() for area, pen in pens.items()}
    strokes = random_strokes(100, 10)
    order, flip = order_strokes(strokes, regions, pens)
    firsts, lasts = ends(strokes.flipped(flip).take(order))
    areas = regions.rank_at(strokes.points[order, 0])
    for area in np.unique(areas).tolist():
        members = np.flatnonzero(areas == area)
        if area not in left:
            continue
        nearest = np.hypot(*(np.concatenate([firsts[members], lasts[members]]) - left[area]).T).min()
        assert np.hypot(*(firsts[members[0]] - left[area])) <= nearest + 1e-4


def test_no_strokes_give_an_empty_order_and_leave_the_pens_alone():
    strokes = StrokeLayer(2.0, np.zeros((0, 4, 2), np.float32), np.zeros(0, np.int64), np.zeros((0, 3)))
    pens = {0: np.float32([1.0, 1.0])}
    order, flip = order_strokes(strokes, grid_regions(), pens)
    assert order.shape == (0,) and flip.shape == (0,)
    assert list(pens) == [0] and np.array_equal(pens[0], [1.0, 1.0])


def test_flipped_reverses_exactly_the_used_points_of_the_flagged_strokes():
    strokes = random_strokes(50, 11)
    flip = np.random.default_rng(12).random(50) < 0.5
    flipped = strokes.flipped(flip)
    assert np.array_equal(flipped.counts, strokes.counts) and np.array_equal(flipped.colours, strokes.colours)
    for index, count in enumerate(strokes.counts.tolist()):
        used = strokes.points[index, :count]
        assert np.array_equal(flipped.points[index, :count], used[::-1] if flip[index] else used)
        assert np.all(flipped.points[index, count:] == UNUSED)
    assert np.array_equal(flipped.flipped(flip).points, strokes.points)


def test_a_paint_layer_flipped_and_taken_keeps_its_strokes_geometry_and_colours_together():
    strokes = random_strokes(40, 13)
    look = BrushLook(thickness=4, softness=3.0, streaks=None, shade=None, dryness=0.0)
    layer = PaintLayer(
        strokes,
        look,
        stroke_boxes(strokes, look.reach, WIDTH, HEIGHT),
        stroke_polylines(strokes),
        [tuple(colour) for colour in strokes.colours.tolist()],
    )
    rng = np.random.default_rng(14)
    flip, order = rng.random(40) < 0.5, rng.permutation(40)
    moved = layer.flipped(flip).take(order)
    expected = strokes.flipped(flip).take(order)
    assert np.array_equal(moved.strokes.points, expected.points)
    assert all(np.array_equal(a, b) for a, b in zip(moved.polylines, stroke_polylines(expected)))
    assert np.array_equal(moved.boxes, stroke_boxes(expected, look.reach, WIDTH, HEIGHT))
    assert moved.colours == [tuple(colour) for colour in expected.colours.tolist()]
