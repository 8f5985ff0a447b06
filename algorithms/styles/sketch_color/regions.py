"""The colour phase's plan: colour regions by k-means in Lab, swept by a round brush."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from ...errors import PaintError
from .pacing import StrokeSequence

KMEANS_SIDE = 128  # k-means runs on a copy this size (long side)
LABEL_SIDE = 320  # pixels are labelled on a copy this size, then scaled up
MIN_GROUPS, MAX_GROUPS = 4, 8


@dataclass(frozen=True)
class BrushPlan:
    """The colour phase, decided: where the brush goes and what each stroke reveals.

    Attributes
    ----------
    strokes : StrokeSequence
        Brush paths, region after region (largest first); each stroke is a straight
        run along one row or column, sampled every 2 px.
    stroke_regions : ndarray, shape (S,), int64
        Index into ``region_masks`` and ``colours`` of each stroke.
    region_masks : list of ndarray, each (H, W) uint8
        255 on the region and a soft rim just outside it, so seams never show.
    colours : list of tuple
        Each region's mean colour, BGR, for the paint on the brush.
    radius : int
        The brush's radius in pixels (about 1/40 of the short side).
    """

    strokes: StrokeSequence
    stroke_regions: np.ndarray
    region_masks: list[np.ndarray]
    colours: list[tuple[int, int, int]]
    radius: int


def plan_brush(picture: np.ndarray, *, seed: int, vertical: np.ndarray) -> BrushPlan:
    """Segment ``picture`` (H, W, 3) uint8 BGR and plan sweeping brush strokes over each region.

    ``vertical`` (at least 8 bools) says, region by region, whether to sweep up and down.
    """
    height, width = picture.shape[:2]
    labels, colours = segment_colours(picture, seed=seed)
    radius = max(2, int(round(min(height, width) / 40.0)))
    spacing = max(2, int(round(0.8 * radius)))
    region_areas = np.bincount(labels.ravel())
    by_area = np.argsort(-region_areas, kind="stable")[: np.count_nonzero(region_areas)]
    point_runs, run_lengths, run_regions, masks = [], [], [], []
    for order, region in enumerate(by_area):
        mask = cv2.compare(labels, np.full_like(labels, region), cv2.CMP_EQ)  # 255 on the region
        points, lengths = _sweep_points(mask, spacing=spacing, vertical=bool(vertical[order]))
        point_runs.append(points)
        run_lengths.append(lengths)
        run_regions.append(np.full(len(lengths), order, np.int64))
        masks.append(cv2.GaussianBlur(cv2.dilate(mask, np.ones((5, 5), np.uint8)), (5, 5), 0))
    strokes = StrokeSequence.from_points(np.concatenate(point_runs), np.concatenate(run_lengths))
    ordered_colours = [
        (int(colours[region][0]), int(colours[region][1]), int(colours[region][2])) for region in by_area
    ]
    return BrushPlan(strokes, np.concatenate(run_regions), masks, ordered_colours, radius)


def segment_colours(picture: np.ndarray, *, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Split ``picture`` into 4–8 colour regions with k-means in Lab.

    Parameters
    ----------
    picture : ndarray, shape (H, W, 3), uint8
        BGR picture.
    seed : int
        Seeds OpenCV's k-means initialisation.

    Returns
    -------
    labels : ndarray, shape (H, W), uint8
        Region index of every pixel (smoothed so regions have few specks).
    colours : ndarray, shape (K, 3), uint8
        Each region's mean colour, BGR.
    """
    height, width = picture.shape[:2]
    scale = min(1.0, KMEANS_SIDE / max(height, width))
    small = cv2.resize(
        picture, (max(1, round(width * scale)), max(1, round(height * scale))), interpolation=cv2.INTER_AREA
    )
    samples = cv2.cvtColor(small, cv2.COLOR_BGR2Lab).reshape(-1, 3).astype(np.float32)
    spread = float(samples.std(axis=0).mean())
    groups = int(np.clip(MIN_GROUPS + round(spread / 12.0), MIN_GROUPS, MAX_GROUPS))
    packed = np.round(samples).astype(np.int32) @ np.array([1 << 16, 1 << 8, 1], np.int32)
    groups = min(groups, len(np.unique(packed)))  # k-means needs as many distinct colours
    criteria = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 20, 0.5)
    cv2.setRNGSeed(seed)
    # OpenCV's stubs want a labels array; None (no initial labels) is what the function documents.
    no_labels: Any = None
    compactness, _, centres = cv2.kmeans(samples, groups, no_labels, criteria, 1, cv2.KMEANS_PP_CENTERS)
    if centres is None or not np.isfinite(compactness):
        raise PaintError("k-means colour segmentation failed")
    labels = _smooth_labels(picture, centres)
    colours = cv2.cvtColor(np.clip(centres, 0, 255).astype(np.uint8)[None], cv2.COLOR_Lab2BGR)[0]
    return labels, colours


def sweep_runs(mask: np.ndarray, *, spacing: int, vertical: bool) -> list[np.ndarray]:
    """Brush paths that sweep ``mask`` back and forth, rows ``spacing`` apart.

    Every mask pixel lies within ``spacing / 2`` (across the sweep) of a path.

    Parameters
    ----------
    mask : ndarray, shape (H, W), bool or uint8 (nonzero on the region)
    spacing : int
        Distance between sweep rows, in pixels.
    vertical : bool
        Sweep up and down instead of left and right.

    Returns
    -------
    list of ndarray, each of shape (n, 2), float32
        ``(x, y)`` paths sampled every 2 px, in sweeping order.
    """
    points, lengths = _sweep_points(mask, spacing=spacing, vertical=vertical)
    return np.split(points, np.cumsum(lengths)[:-1]) if len(lengths) else []


def _sweep_points(mask: np.ndarray, *, spacing: int, vertical: bool) -> tuple[np.ndarray, np.ndarray]:
    """:func:`sweep_runs` as one array: every run's points (N, 2) float32, and each run's length."""
    grid = mask.T if vertical else mask
    rows, cols = grid.shape
    bands = -(-rows // spacing)
    padded = np.zeros((bands * spacing, cols), bool)
    padded[:rows] = grid
    covered = padded.reshape(bands, spacing, cols).any(axis=1)
    edges = np.diff(np.pad(covered, ((0, 0), (1, 1))).astype(np.int8), axis=1)
    band, starts = np.nonzero(edges == 1)  # both in band order, then column order
    stops = np.nonzero(edges == -1)[1] - 1
    backwards = band % 2 == 1  # odd bands sweep right to left
    order = np.lexsort((np.where(backwards, -starts, starts), band))
    band, starts, stops, backwards = band[order], starts[order], stops[order], backwards[order]
    counts = (stops - starts + 1) // 2 + 1  # a point every 2 px, and the run's last pixel
    step = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    xs = np.where(
        np.repeat(backwards, counts),
        np.maximum(np.repeat(stops, counts) - 2 * step, np.repeat(starts, counts)),
        np.minimum(np.repeat(starts, counts) + 2 * step, np.repeat(stops, counts)),
    )
    ys = np.repeat(np.minimum(rows - 1, band * spacing + spacing // 2), counts)
    return np.stack([ys, xs] if vertical else [xs, ys], axis=1).astype(np.float32), counts


def _smooth_labels(picture: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Label each pixel with its nearest centre; a median filter removes specks.

    Specks would each need a brush stroke of their own, so regions are kept
    blobby; the final frame is the exact picture whatever the labels.
    """
    height, width = picture.shape[:2]
    scale = min(1.0, LABEL_SIDE / max(height, width))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = cv2.resize(picture, size, interpolation=cv2.INTER_AREA)
    labels = _nearest_centre(cv2.cvtColor(small, cv2.COLOR_BGR2Lab), centres)
    kernel = max(5, int(min(size) / 30) | 1)
    labels = cv2.medianBlur(labels, kernel)
    return cv2.resize(labels, (width, height), interpolation=cv2.INTER_NEAREST)


def _nearest_centre(lab: np.ndarray, centres: np.ndarray) -> np.ndarray:
    # |p - c|^2 = |p|^2 - 2 p.c + |c|^2, and |p|^2 is the same for every centre. cv2.transform,
    # not a matrix product: numpy's BLAS threads spin on after one, taking CPU from the encoder.
    centres = centres.astype(np.float32)
    weights = np.hstack([-2.0 * centres, (centres**2).sum(axis=1, keepdims=True)])
    distances = cv2.transform(lab.astype(np.float32), weights)
    return distances.reshape(-1, len(centres)).argmin(axis=1).astype(np.uint8).reshape(lab.shape[:2])
