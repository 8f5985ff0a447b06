"""Tests of the line drawing: long contour strokes, within a budget, outlines first."""

from __future__ import annotations

import cv2
import numpy as np

from algorithms.styles.sketch_color.lines import MIN_STROKE_FRACTION, order_lines, subject_weight, trace_lines

BUDGET = 10_000.0


def drawing(width: int = 200, height: int = 150) -> np.ndarray:
    """A light picture with a dark square and a red disc."""
    picture = np.full((height, width, 3), 230, np.uint8)
    cv2.rectangle(picture, (20, 20), (90, 110), (40, 40, 40), -1)
    cv2.circle(picture, (150, 75), 35, (30, 60, 200), -1)
    return picture


def length(stroke: np.ndarray) -> float:
    return float(np.hypot(*np.diff(stroke, axis=0).T).sum())


def travel(strokes: list[np.ndarray]) -> float:
    return float(sum(np.hypot(*(b[0] - a[-1])) for a, b in zip(strokes, strokes[1:])))


def test_strokes_follow_the_shapes_edges() -> None:
    picture = drawing()
    strokes = trace_lines(picture, budget=BUDGET)
    assert strokes
    edges = cv2.Canny(cv2.cvtColor(picture, cv2.COLOR_BGR2GRAY), 50, 150)
    near_edge = cv2.dilate(edges, np.ones((7, 7), np.uint8)) > 0
    points = np.concatenate(strokes).round().astype(int)
    assert near_edge[points[:, 1], points[:, 0]].mean() > 0.97


def test_strokes_are_long_and_evenly_sampled() -> None:
    strokes = trace_lines(drawing(), budget=BUDGET)
    diagonal = float(np.hypot(150, 200))
    assert all(length(stroke) >= MIN_STROKE_FRACTION * diagonal for stroke in strokes)
    steps = np.concatenate([np.hypot(*np.diff(stroke, axis=0).T) for stroke in strokes])
    assert steps.max() <= 2.6 and np.median(steps) > 2.0


def test_one_line_per_edge() -> None:
    """A thin dark line has an edge on each side; the drawing keeps one stroke along it."""
    picture = np.full((120, 200, 3), 235, np.uint8)
    cv2.line(picture, (20, 60), (180, 60), (30, 30, 30), 3)
    strokes = trace_lines(picture, budget=BUDGET)
    covered = sum(length(stroke) for stroke in strokes if np.ptp(stroke[:, 0]) > 100)
    assert 120 < covered < 200, "one stroke along the line, not one per side"


def test_small_loops_around_highlights_are_no_lines() -> None:
    picture = np.full((150, 200, 3), 60, np.uint8)
    cv2.circle(picture, (100, 75), 3, (255, 255, 255), -1)  # a specular glint
    assert trace_lines(picture, budget=BUDGET) == []


def test_the_budget_keeps_the_best_strokes() -> None:
    everything = trace_lines(drawing(), budget=BUDGET)
    budget = 0.6 * sum(length(stroke) for stroke in everything)
    kept = trace_lines(drawing(), budget=budget)
    assert 0 < len(kept) < len(everything)
    assert sum(length(stroke) for stroke in kept) <= budget + 1e-6


def test_a_blank_picture_has_no_lines() -> None:
    assert trace_lines(np.full((64, 64, 3), 255, np.uint8), budget=BUDGET) == []


def test_ordering_keeps_every_stroke_and_shortens_travel() -> None:
    strokes = trace_lines(drawing(), budget=BUDGET)
    shuffled = [strokes[i] for i in np.random.default_rng(0).permutation(len(strokes))]
    ordered = order_lines(shuffled, np.zeros(len(shuffled)))
    assert sorted(len(s) for s in ordered) == sorted(len(s) for s in shuffled)
    assert travel(ordered) <= travel(shuffled)


def test_subject_weight_prefers_the_busy_centre() -> None:
    picture = np.full((100, 100, 3), 128, np.uint8)
    picture[40:60, 40:60] = np.random.default_rng(1).integers(0, 255, (20, 20, 3))
    weight = subject_weight(picture)
    assert weight.shape == (100, 100) and weight[50, 50] > 4 * weight[5, 5]
