"""The colour phase's plan: a brush path over the picture's regions, and the wash it lays.

The picture is split into a few large colour regions (k-means in Lab, then connected
pieces, small ones merged into a neighbour). The brush paints region after region,
the main subject first, each from its middle outward along the region's own shape
(loops at growing distance from its heart), so the edge of the paint is never a ruler
line. What it lays first is a wash: the region's colours, softened; the picture's
detail follows in the brush's wake (see :mod:`.animation`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ...errors import PaintError
from .lines import order_lines, subject_weight

KMEANS_SIDE = 128  # k-means runs on a copy this size (long side)
LABEL_SIDE = 240  # regions are found on a copy this size, then scaled up
MIN_GROUPS, MAX_GROUPS = 4, 8
MIN_REGION = 0.015  # of the picture: smaller pieces join the neighbour they share most edge with


@dataclass(frozen=True)
class ColourPlan:
    """Where the brush goes and what it lays.

    Attributes
    ----------
    loops : list of ndarray, each (n, 2) float32
        The brush's strokes in painting order, at full size.
    wash : ndarray, shape (H, W, 3), uint8
        The softened colours the brush lays first.
    """

    loops: list[np.ndarray]
    wash: np.ndarray


def plan_colour(picture: np.ndarray, *, seed: int, spacing: float) -> ColourPlan:
    """Plan the brush over ``picture`` (H, W, 3) uint8 BGR, its loops ``spacing`` pixels apart."""
    height, width = picture.shape[:2]
    scale = min(1.0, LABEL_SIDE / max(height, width))
    small = cv2.resize(
        picture, (max(1, round(width * scale)), max(1, round(height * scale))), interpolation=cv2.INTER_AREA
    )
    regions = _merge_small(_pieces(segment_colours(small, seed=seed)))
    weight = cv2.resize(
        subject_weight(picture), (small.shape[1], small.shape[0]), interpolation=cv2.INTER_AREA
    )
    ids = np.unique(regions)
    centres = [np.argwhere(regions == region).mean(axis=0)[::-1] for region in ids]
    priority = np.array([weight[regions == region].mean() for region in ids])
    order = order_lines([np.array([centre], np.float32) for centre in centres], priority)
    ordered_ids = [ids[_index_of(centres, stroke[0])] for stroke in order]
    loops: list[np.ndarray] = []
    for region in ordered_ids:
        loops += _fill_loops((regions == region).astype(np.uint8), spacing * scale, 1.0 / scale)
    return ColourPlan(loops, wash_colours(picture))


def _index_of(centres: list[np.ndarray], point: np.ndarray) -> int:
    return int(np.argmin([np.hypot(*(centre - point)) for centre in centres]))


def segment_colours(picture: np.ndarray, *, seed: int) -> np.ndarray:
    """Label each pixel of ``picture`` (h, w, 3) uint8 with one of 4-8 colour groups (k-means in
    Lab, seeded by ``seed``), median-smoothed; shape (h, w), uint8."""
    height, width = picture.shape[:2]
    factor = min(1.0, KMEANS_SIDE / max(height, width))
    tiny = cv2.resize(
        picture, (max(1, round(width * factor)), max(1, round(height * factor))), interpolation=cv2.INTER_AREA
    )
    samples = cv2.cvtColor(tiny, cv2.COLOR_BGR2Lab).reshape(-1, 3).astype(np.float32)
    groups = int(
        np.clip(MIN_GROUPS + round(float(samples.std(axis=0).mean()) / 12.0), MIN_GROUPS, MAX_GROUPS)
    )
    groups = min(groups, len(np.unique(samples.round().astype(np.int32) @ np.array([65536, 256, 1]))))
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    cv2.setRNGSeed(seed)
    no_labels: Any = None  # OpenCV's stubs want an array; None (no initial labels) is documented
    compactness, _, centres = cv2.kmeans(samples, groups, no_labels, criteria, 1, cv2.KMEANS_PP_CENTERS)
    if centres is None or not np.isfinite(compactness):
        raise PaintError("k-means colour segmentation failed")
    lab = cv2.cvtColor(picture, cv2.COLOR_BGR2Lab).astype(np.float32)
    centres = centres.astype(np.float32)
    # |p - c|^2 = |p|^2 - 2 p.c + |c|^2: the |p|^2 term is the same for every centre.
    weights = np.hstack([-2.0 * centres, (centres**2).sum(axis=1, keepdims=True)])
    labels = cv2.transform(lab, weights).reshape(-1, len(centres)).argmin(axis=1).astype(np.uint8)
    return cv2.medianBlur(labels.reshape(height, width), max(5, int(min(height, width) / 30) | 1))


def _pieces(labels: np.ndarray) -> np.ndarray:
    """Connected pieces of each label, numbered from 0; shape of ``labels``, int32."""
    pieces = np.zeros(labels.shape, np.int32)
    count = 0
    for label in np.unique(labels).tolist():
        found, numbered = cv2.connectedComponents((labels == label).astype(np.uint8), connectivity=4)
        inside = numbered > 0
        pieces[inside] = numbered[inside] + count - 1
        count += found - 1
    return pieces


def _merge_small(pieces: np.ndarray) -> np.ndarray:
    """Join every piece under :data:`MIN_REGION` of the picture to the neighbour it shares most edge with."""
    count = int(pieces.max()) + 1
    areas = np.bincount(pieces.ravel(), minlength=count).astype(np.int64)
    shared = np.zeros((count, count), np.int64)  # pixel edges between two pieces
    for first, second in ((pieces[:, :-1], pieces[:, 1:]), (pieces[:-1], pieces[1:])):
        differ = first != second
        np.add.at(shared, (first[differ], second[differ]), 1)
    shared += shared.T
    owner = np.arange(count)
    for piece in np.argsort(areas, kind="stable").tolist():
        if areas[piece] == 0 or areas[piece] >= MIN_REGION * pieces.size or not shared[piece].any():
            continue
        target = int(np.argmax(shared[piece]))
        owner[owner == piece] = target
        areas[target] += areas[piece]
        areas[piece] = 0
        shared[target] += shared[piece]
        shared[:, target] += shared[:, piece]
        shared[piece] = 0
        shared[:, piece] = 0
        shared[target, target] = 0
    return owner[pieces]


def _fill_loops(mask: np.ndarray, spacing: float, upscale: float) -> list[np.ndarray]:
    """Loops that fill ``mask`` (h, w) uint8 from its heart outward, ``spacing`` pixels apart
    (at the mask's size), as full-size ``(x, y)`` points about 4 px apart."""
    distance = cv2.distanceTransform(np.pad(mask, 1), cv2.DIST_L2, 5)[1:-1, 1:-1]
    deepest = float(distance.max())
    levels = (
        np.arange(deepest - 0.5 * spacing, 0.0, -spacing) if deepest > spacing else np.array([deepest / 2])
    )
    loops = []
    for level in levels.tolist():
        contours, _ = cv2.findContours(
            (distance >= level).astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE
        )
        for contour in contours:
            points = contour.reshape(-1, 2).astype(np.float32)
            points = np.concatenate([points, points[:1]]) * upscale + upscale / 2
            loops.append(_resampled(points, 4.0))
    return loops


def _resampled(points: np.ndarray, step: float) -> np.ndarray:
    steps = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(points, axis=0).T))])
    at = np.arange(0.0, steps[-1] + 1e-6, step) if steps[-1] > 0 else np.zeros(1)
    return np.stack([np.interp(at, steps, points[:, 0]), np.interp(at, steps, points[:, 1])], 1).astype(
        np.float32
    )


def wash_colours(picture: np.ndarray) -> np.ndarray:
    """The picture's colours softened into a wash: detail smoothed away, edges kept; (H, W, 3) uint8."""
    height, width = picture.shape[:2]
    small = cv2.resize(picture, (max(1, width // 3), max(1, height // 3)), interpolation=cv2.INTER_AREA)
    small = cv2.bilateralFilter(small, 7, 40, 5)
    small = cv2.medianBlur(small, 5)
    wash = cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)
    return cv2.addWeighted(wash, 0.85, np.full_like(wash, 255), 0.15, 0.0)
