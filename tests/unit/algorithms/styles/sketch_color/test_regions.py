"""Tests of the colour phase's plan: k-means regions and brush sweeps."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from algorithms.styles.sketch_color.regions import _nearest_centre, segment_colours, sweep_runs


def patchwork() -> np.ndarray:
    picture = np.zeros((120, 180, 3), np.uint8)
    colours = [(200, 30, 30), (30, 200, 30), (30, 30, 200), (220, 220, 220), (20, 20, 20), (0, 200, 250)]
    for index, colour in enumerate(colours):
        picture[:, index * 30 : (index + 1) * 30] = colour
    return picture


def test_regions_follow_the_colours_and_number_four_to_eight():
    picture = patchwork()
    labels, colours = segment_colours(picture, seed=1)
    assert labels.shape == (120, 180) and labels.dtype == np.uint8
    assert 4 <= len(colours) <= 8
    for index in range(6):  # each stripe's middle is one region with its colour
        stripe = labels[10:110, index * 30 + 8 : index * 30 + 22]
        assert len(np.unique(stripe)) == 1
        region_colour = colours[stripe[0, 0]].astype(int)
        assert np.abs(region_colour - picture[60, index * 30 + 15]).max() < 30


def test_segmentation_is_deterministic_by_seed():
    picture = cv2.GaussianBlur(np.random.default_rng(2).integers(0, 255, (90, 90, 3), np.uint8), (0, 0), 3)
    first = segment_colours(picture, seed=3)
    again = segment_colours(picture, seed=3)
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])


def test_one_colour_picture_is_one_region():
    labels, colours = segment_colours(np.full((50, 60, 3), 90, np.uint8), seed=0)
    assert len(np.unique(labels)) == 1 and len(colours) == 1


@pytest.mark.parametrize("groups", [1, 3, 8])
def test_each_pixel_gets_its_nearest_centre(groups):
    rng = np.random.default_rng(groups)
    lab = rng.integers(0, 256, (23, 31, 3), np.uint8)
    centres = rng.uniform(0, 255, (groups, 3)).astype(np.float32)
    distances = ((lab[:, :, None, :].astype(np.float64) - centres) ** 2).sum(axis=3)
    labels = _nearest_centre(lab, centres)
    assert labels.shape == (23, 31) and labels.dtype == np.uint8
    assert np.array_equal(labels, distances.argmin(axis=2))


@pytest.mark.parametrize("vertical", [False, True])
def test_sweeps_cover_every_pixel_of_the_region(vertical):
    mask = np.zeros((100, 140), bool)
    cv2.ellipse(mask.view(np.uint8), (70, 50), (60, 30), 20, 0, 360, 1, -1)
    mask[5:9, 5:9] = True  # a separate small island
    spacing = 6
    runs = sweep_runs(mask, spacing=spacing, vertical=vertical)
    painted = np.zeros(mask.shape, np.uint8)
    for run in runs:
        cv2.polylines(painted, [run.round().astype(np.int32)], False, 1, spacing + 1)
        cv2.circle(painted, tuple(int(v) for v in run[0].round()), spacing // 2, 1, -1)
    assert painted[mask].all()
    assert all(np.ptp(run[:, 1 if not vertical else 0]) == 0 for run in runs), "every run is straight"


def test_sweeps_go_back_and_forth():
    mask = np.ones((40, 50), bool)
    runs = sweep_runs(mask, spacing=10, vertical=False)
    assert len(runs) == 4
    directions = [np.sign(run[-1, 0] - run[0, 0]) for run in runs]
    assert directions == [1, -1, 1, -1]
