"""Tests of the line drawing: tracing contours into strokes and ordering them."""

from __future__ import annotations

import cv2
import numpy as np

from algorithms.styles.sketch_color.lines import order_lines, subject_weight, trace_lines


def drawing(width: int = 200, height: int = 150) -> np.ndarray:
    picture = np.full((height, width, 3), 230, np.uint8)
    cv2.rectangle(picture, (20, 20), (90, 110), (40, 40, 40), -1)
    cv2.circle(picture, (150, 75), 35, (30, 60, 200), -1)
    return picture


def travel(strokes: list[np.ndarray]) -> float:
    return float(sum(np.hypot(*(b[0] - a[-1])) for a, b in zip(strokes, strokes[1:])))


def test_strokes_follow_the_shapes_edges():
    picture = drawing()
    strokes = trace_lines(picture)
    assert strokes
    edges = cv2.Canny(cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY), 50, 150)
    near_edge = cv2.dilate(edges, np.ones((7, 7), np.uint8)) > 0
    points = np.concatenate(strokes).round().astype(int)
    assert near_edge[points[:, 1], points[:, 0]].mean() > 0.97


def test_no_stroke_is_speckle_and_no_pixel_is_drawn_twice():
    rng = np.random.default_rng(1)
    picture = drawing()
    for _ in range(40):  # isolated dots: speckle
        x, y = int(rng.integers(5, 195)), int(rng.integers(5, 145))
        cv2.circle(picture, (x, y), 1, (0, 0, 0), -1)
    strokes = trace_lines(picture)
    diagonal = np.hypot(200, 150)
    lengths = [np.hypot(*np.diff(s, axis=0).T).sum() for s in strokes]
    assert min(lengths) >= 0.01 * diagonal
    pixels = np.concatenate(strokes).round().astype(int)
    unique = np.unique(pixels[:, 1] * 1000 + pixels[:, 0])
    assert len(unique) > 0.9 * len(pixels), "a there-and-back contour walk would double it"


def test_blank_picture_has_no_strokes():
    assert trace_lines(np.full((64, 64, 3), 255, np.uint8)) == []


def test_ordering_keeps_every_stroke_and_travels_less_than_shuffled():
    rng = np.random.default_rng(5)
    picture = np.full((300, 300, 3), 240, np.uint8)
    for _ in range(30):
        x, y = (int(v) for v in rng.integers(10, 280, 2))
        cv2.rectangle(picture, (x, y), (x + 12, y + 12), (20, 20, 20), 2)
    strokes = trace_lines(picture)
    shuffled = [strokes[i] for i in rng.permutation(len(strokes))]
    ordered = order_lines(shuffled, np.zeros(len(shuffled)))
    assert len(ordered) == len(shuffled)
    assert sorted(len(s) for s in ordered) == sorted(len(s) for s in shuffled)
    assert travel(ordered) < 0.5 * travel(shuffled)


def test_subject_strokes_come_first():
    strokes = [np.array([[x, 10.0], [x + 20, 10.0]], np.float32) for x in range(0, 200, 25)]
    priority = np.array([0, 0, 0, 0, 1, 1, 1, 1], float)
    ordered = order_lines(strokes, priority)
    first_half = {float(min(s[0, 0], s[-1, 0])) for s in ordered[:4]}
    assert first_half == {100.0, 125.0, 150.0, 175.0}


def test_subject_weight_prefers_a_busy_centre_and_does_not_mutate():
    picture = np.full((120, 160, 3), 128, np.uint8)
    picture[40:80, 60:100] = np.random.default_rng(0).integers(0, 255, (40, 40, 3))
    before = picture.copy()
    weight = subject_weight(picture)
    assert weight.shape == (120, 160)
    assert weight[60, 80] > 5 * weight[5, 5]
    assert np.array_equal(picture, before)
