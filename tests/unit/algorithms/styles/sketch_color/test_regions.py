"""Tests of the colour phase's plan: colour regions, the brush's loops and the wash."""

from __future__ import annotations

import cv2
import numpy as np

from algorithms.styles.sketch_color.regions import (
    MIN_REGION,
    _fill_loops,
    _merge_small,
    _pieces,
    plan_colour,
    segment_colours,
    wash_colours,
)


def patchwork() -> np.ndarray:
    picture = np.zeros((120, 180, 3), np.uint8)
    colours = [(200, 30, 30), (30, 200, 30), (30, 30, 200), (220, 220, 220), (20, 20, 20), (0, 200, 250)]
    for index, colour in enumerate(colours):
        picture[:, index * 30 : (index + 1) * 30] = colour
    return picture


def test_colour_groups_follow_the_colours_and_number_at_most_eight() -> None:
    labels = segment_colours(patchwork(), seed=1)
    assert labels.shape == (120, 180) and labels.dtype == np.uint8 and len(np.unique(labels)) <= 8
    for index in range(6):
        assert len(np.unique(labels[10:110, index * 30 + 8 : index * 30 + 22])) == 1


def test_segmentation_is_deterministic_by_seed() -> None:
    picture = cv2.GaussianBlur(np.random.default_rng(2).integers(0, 255, (90, 90, 3), np.uint8), (0, 0), 3)
    assert np.array_equal(segment_colours(picture, seed=3), segment_colours(picture, seed=3))


def test_small_pieces_join_a_neighbour() -> None:
    labels = np.zeros((100, 100), np.uint8)
    labels[50:, :] = 1
    labels[20:24, 20:24] = 2  # a speck inside region 0
    regions = _merge_small(_pieces(labels))
    areas = np.bincount(regions.ravel())
    assert len(np.unique(regions)) == 2 and areas[areas > 0].min() >= MIN_REGION * regions.size
    assert regions[21, 21] == regions[0, 0], "the speck is painted with what surrounds it"


def test_loops_fill_the_region_from_its_heart_outward() -> None:
    mask = np.zeros((80, 120), np.uint8)
    cv2.ellipse(mask, (60, 40), (50, 30), 0, 0, 360, 1, -1)
    loops = _fill_loops(mask, spacing=8.0, upscale=1.0)
    points = np.concatenate(loops)
    distance = cv2.distanceTransform(1 - np.pad(np.zeros_like(mask), 0), cv2.DIST_L2, 5)
    reached = np.zeros_like(mask)
    reached[np.clip(points[:, 1].astype(int), 0, 79), np.clip(points[:, 0].astype(int), 0, 119)] = 1
    gaps = cv2.distanceTransform(1 - reached, cv2.DIST_L2, 5)
    assert gaps[mask > 0].max() <= 8.0, "every pixel of the region is near the brush"
    heart = cv2.distanceTransform(mask, cv2.DIST_L2, 5)
    depth = [
        heart[loop[:, 1].astype(int).clip(0, 79), loop[:, 0].astype(int).clip(0, 119)].mean()
        for loop in loops
    ]
    assert depth[0] > depth[-1], "inner loops first"
    assert distance.shape == mask.shape


def test_the_plan_paints_the_subject_first() -> None:
    picture = np.full((120, 180, 3), 200, np.uint8)
    picture[:, :] = (180, 200, 210)
    cv2.circle(picture, (90, 60), 30, (20, 40, 200), -1)
    picture[50:70, 80:100] = np.random.default_rng(0).integers(0, 255, (20, 20, 3))  # busy middle
    plan = plan_colour(picture, seed=0, spacing=10.0)
    first = plan.loops[0].mean(axis=0)
    assert np.hypot(first[0] - 90, first[1] - 60) < 35
    assert plan.wash.shape == picture.shape and plan.wash.dtype == np.uint8


def test_the_wash_keeps_the_colours_without_the_detail() -> None:
    rng = np.random.default_rng(4)
    picture = np.clip(np.full((90, 120, 3), 120) + rng.normal(0, 40, (90, 120, 3)), 0, 255).astype(np.uint8)
    wash = wash_colours(picture)
    assert wash.astype(float).std() < 0.5 * picture.astype(float).std()
    assert np.abs(wash.mean(axis=(0, 1)) - picture.mean(axis=(0, 1))).max() < 25
