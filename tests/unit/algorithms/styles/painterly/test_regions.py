"""Painting regions: areas of similar size covering the picture, the subject first, and their shares."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from algorithms.styles.painterly.regions import FEATHER, painting_regions
from tests.helpers.images import smooth_picture


def object_on_flat(centre: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """A flat grey 128x96 picture with a red disc at ``centre``, and the disc's mask."""
    picture = np.full((96, 128, 3), 120, np.uint8)
    cv2.circle(picture, centre, 14, (20, 30, 220), -1)
    return picture, np.all(picture == (20, 30, 220), axis=2)


@pytest.fixture(scope="module")
def pictures(photos) -> dict[str, np.ndarray]:
    """The sample photos and a generated photo-like picture."""
    return {**photos, "smooth": smooth_picture(160, 120, seed=3)}


@pytest.mark.parametrize("name", ["coffee", "chelsea", "smooth"])
def test_ranks_cover_every_pixel_and_every_rank_is_used(pictures, name):
    regions = painting_regions(pictures[name], np.random.default_rng(0))
    assert regions.ranks.shape == pictures[name].shape[:2]
    assert regions.count >= 4
    assert np.array_equal(np.unique(regions.ranks), np.arange(regions.count))


@pytest.mark.parametrize("name", ["coffee", "chelsea", "smooth"])
def test_areas_are_of_comparable_size(pictures, name):
    regions = painting_regions(pictures[name], np.random.default_rng(0))
    sizes = np.bincount(regions.ranks.ravel(), minlength=regions.count)
    assert sizes.max() < 3.0 * sizes.mean(), sizes
    assert sizes.min() > sizes.mean() / 6.0, sizes


def test_the_same_seed_gives_the_same_areas_and_another_only_wavers_their_borders():
    picture = smooth_picture(160, 120, seed=4)
    first, again = (painting_regions(picture, np.random.default_rng(7)) for _ in range(2))
    other = painting_regions(picture, np.random.default_rng(8))
    assert np.array_equal(first.ranks, again.ranks) and first.count == again.count
    assert other.count == first.count and not np.array_equal(other.ranks, first.ranks)
    assert np.mean(other.ranks == first.ranks) > 0.9


@pytest.mark.parametrize("centre", [(50, 40), (80, 56), (64, 48), (95, 70)])
def test_the_first_area_lies_on_the_subject(centre):
    picture, disc = object_on_flat(centre)
    ranks = painting_regions(picture, np.random.default_rng(1)).ranks
    near_disc = cv2.dilate(disc.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    first = ranks == 0
    assert np.mean(near_disc[first]) > 0.9
    assert np.mean(first[disc]) > 0.8  # and it holds most of the disc
    ys, xs = np.nonzero(first)
    assert np.hypot(xs.mean() - centre[0], ys.mean() - centre[1]) < 6


def test_rank_at_reads_the_map_at_the_nearest_pixel_and_clips_to_it():
    regions = painting_regions(smooth_picture(128, 96, seed=5), np.random.default_rng(2))
    rng = np.random.default_rng(3)
    xs, ys = rng.integers(0, 128, 500), rng.integers(0, 96, 500)
    jitter = rng.uniform(-0.45, 0.45, (500, 2))
    points = np.stack([xs, ys], axis=1) + jitter
    assert np.array_equal(regions.rank_at(points), regions.ranks[ys, xs])
    outside = np.array([[-5.0, -5.0], [500.0, 500.0], [-3.0, 50.0]])
    assert np.array_equal(regions.rank_at(outside), regions.ranks[[0, 95, 50], [0, 127, 0]])


def test_a_share_is_full_deep_inside_its_area_and_empty_far_outside():
    regions = painting_regions(smooth_picture(160, 120, seed=6), np.random.default_rng(4))
    kernel = np.ones((FEATHER + 2, FEATHER + 2), np.uint8)
    for rank in range(regions.count):
        inside = (regions.ranks == rank).astype(np.uint8)
        share = regions.share(rank, (0, 0, 160, 120))
        assert share.shape == (120, 160) and share.dtype == np.uint8
        deep = cv2.erode(inside, kernel, borderType=cv2.BORDER_REPLICATE).astype(bool)
        far = ~cv2.dilate(inside, kernel, borderType=cv2.BORDER_REPLICATE).astype(bool)
        assert deep.any() and np.all(share[deep] == 255)
        assert np.all(share[far] == 0)
        assert np.all(share[inside.astype(bool)] > 0)  # paint reaches every pixel of its area


@pytest.mark.parametrize("box", [(0, 0, 160, 120), (30, 20, 95, 70), (0, 100, 17, 120), (150, 0, 160, 9)])
def test_an_area_is_painted_fully_and_its_paint_spills_only_into_later_areas(box):
    regions = painting_regions(smooth_picture(160, 120, seed=6), np.random.default_rng(4))
    x0, y0, x1, y1 = box
    ranks = regions.ranks[y0:y1, x0:x1]
    spilled = np.zeros(ranks.shape, bool)
    for rank in range(regions.count):
        share = regions.share(rank, box)
        assert share.shape == ranks.shape
        assert np.all(share[ranks == rank] == 255)  # no paper left at its own border
        assert np.all(share[ranks < rank] == 0)  # a finished area is never touched again
        spilled |= (share > 0) & (ranks > rank)
    assert spilled.any() or len(np.unique(ranks)) == 1  # paint fades out over the border


@pytest.mark.parametrize("box", [(30, 20, 95, 70), (0, 0, 7, 5), (153, 110, 160, 120), (1, 60, 159, 62)])
def test_a_share_does_not_depend_on_the_box_it_is_asked_for(box):
    regions = painting_regions(smooth_picture(160, 120, seed=6), np.random.default_rng(4))
    x0, y0, x1, y1 = box
    for rank in range(regions.count):
        whole = regions.share(rank, (0, 0, 160, 120))
        assert np.array_equal(regions.share(rank, box), whole[y0:y1, x0:x1])
