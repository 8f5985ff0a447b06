"""The painting, planned area by area on a thread of its own, ahead of the frames.

A painter works area by area (:mod:`.regions`), the main subject first, blocking an area in
with big strokes and refining it with ever smaller ones (Hertzmann's layers, each planned
on the canvas as painted so far) before moving on, so detail keeps arriving to the end. A
stroke paints only its own area (it stops growing at the area's border, and its paint
fades out only into areas painted later), so an area is planned from the picture and the
canvas around it alone: the frames of an area wait only for its own plan, and the next
areas are planned while it is being painted. Each area's share of the painting time is
set beforehand from how much it will change and how much detail it holds.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass

import cv2
import numpy as np

from ...planning import PlanningExecutor
from .area import LayerGround, layer_ground, plan_area
from .canvas import lay_strokes
from .order import order_strokes
from .plan import PaintLayer, layer_specs
from .regions import FEATHER, Regions, painting_regions
from .schedule import LENGTH_SHARE, stroke_lengths

DETAIL_BLUR = 2.0  # pixels: the detail an area holds is what a blur of this takes away


@dataclass(frozen=True)
class Painting:
    """Strokes and the order they are laid in: one area's, or a whole pass's.

    Attributes
    ----------
    layers : list of PaintLayer
        Coarse to fine, each layer's strokes in their order within the layer.
    sequence : ndarray, shape (S, 3), int64
        ``(area, layer, stroke)`` of every stroke, in painting order.
    change : ndarray, shape (S,), float64
        How much each stroke of ``sequence`` changes the canvas: the sum over the pixels
        it paints of the mean absolute change of their channels (estimated).
    regions : Regions or None
        The areas the strokes keep to; None for strokes that may go anywhere.
    """

    layers: list[PaintLayer]
    sequence: np.ndarray
    change: np.ndarray
    regions: Regions | None


class PaintingPlan:
    """The painting of ``picture`` (H, W, 3) uint8 BGR on ``paper`` (same shape; not modified),
    planned on a thread of its own, from the first area in painting order.

    The first two areas are planned alone, so the frames can start soon; then the areas
    are planned in batches of doubling size (2, 4, 8...): each layer of a batch is traced in
    one go, at a fraction of the cost of one area at a time, while the areas before it are
    being painted.

    Attributes
    ----------
    spans : ndarray, shape (A + 1,), float64
        The painting's clock (0 to 1) at which each area begins, and 1.
    """

    def __init__(self, picture: np.ndarray, paper: np.ndarray, rng: np.random.Generator) -> None:
        self.regions = painting_regions(picture, rng)
        self.spans = area_spans(picture, paper, self.regions)
        batches = area_batches(self.regions.count)
        seeds = rng.integers(2**62, size=len(batches) + 1).tolist()
        self._picture, self._canvas = picture, paper.copy()
        self._pens: dict[int, np.ndarray] = {}
        executor = PlanningExecutor(max_workers=1, thread_name_prefix="painterly-plan")
        grounds = executor.submit(self._grounds, np.random.default_rng(seeds[-1]))
        self._batches: list[tuple[range, Future[list[Painting]]]] = [
            (batch, executor.submit(self._plan_batch, batch, grounds, np.random.default_rng(seed)))
            for batch, seed in zip(batches, seeds)
        ]
        executor.shutdown(wait=False)  # the thread ends with the last batch

    def part(self, index: int) -> Painting:
        """Area ``index``'s strokes (in painting order), once planned."""
        for batch, paintings in self._batches:
            if index in batch:
                return paintings.result()[index - batch.start]
        raise IndexError(f"no area {index}")

    def cancel(self) -> None:
        """Plan no more areas (a batch being planned is finished)."""
        for _, paintings in self._batches:
            paintings.cancel()

    def _grounds(self, rng: np.random.Generator) -> list[LayerGround]:
        height, width = self._picture.shape[:2]
        return [layer_ground(self._picture, spec, self.regions, rng) for spec in layer_specs(width, height)]

    def _plan_batch(
        self, batch: range, grounds: Future[list[LayerGround]], rng: np.random.Generator
    ) -> list[Painting]:
        """Plan the layers of the areas ``batch`` on the canvas, coarse to fine, laying each but
        the last (area by area, each within its share); one Painting per area."""
        ys, xs = np.nonzero((self.regions.ranks >= batch.start) & (self.regions.ranks < batch.stop))
        if len(xs) == 0:
            return [Painting([], np.zeros((0, 3), np.int64), np.zeros(0), self.regions) for _ in batch]
        box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
        planned, ratio = [], 1.0  # ratio: of a layer's measured change to its estimate
        layer_grounds = grounds.result()
        for index, ground in enumerate(layer_grounds):
            layer = plan_area(ground, self._canvas if index else None, batch, box, rng)
            order, flip = order_strokes(layer.strokes, self.regions, self._pens)
            layer = layer.flipped(flip).take(order)
            areas = self.regions.rank_at(layer.strokes.points[:, 0])
            estimate = _estimated_changes(layer, self._canvas)
            if index < len(layer_grounds) - 1 and len(layer):  # nothing is planned on the last
                # Only where the layer can paint (its strokes' bounds, and the fade past an
                # area's border) is compared: a copy of the whole canvas a layer is not needed.
                x0, y0, x1, y1 = bounds(layer.boxes)
                where = np.s_[max(0, y0 - FEATHER) : y1 + FEATHER, max(0, x0 - FEATHER) : x1 + FEATHER]
                before = self._canvas[where].copy()
                for area in np.unique(areas).tolist():
                    own = layer.take(np.flatnonzero(areas == area))
                    _lay_area(self._canvas, own, self.regions, area)
                measured = float(cv2.absdiff(before, self._canvas[where]).sum()) / 3.0
                ratio = measured / max(float(estimate.sum()), 1e-9)
            planned.append((layer, areas, estimate * ratio))
        return [self._painting_of(rank, planned) for rank in batch]

    def _painting_of(self, rank: int, planned: list[tuple[PaintLayer, np.ndarray, np.ndarray]]) -> Painting:
        """Area ``rank``'s strokes of every layer planned for its batch."""
        layers, keys, changes = [], [], []
        for index, (layer, areas, change) in enumerate(planned):
            own = np.flatnonzero(areas == rank)
            layers.append(layer.take(own))
            keys.append(np.stack([np.full(len(own), rank), np.full(len(own), index), np.arange(len(own))], 1))
            changes.append(change[own])
        return Painting(layers, np.concatenate(keys).reshape(-1, 3), np.concatenate(changes), self.regions)


def area_batches(count: int) -> list[range]:
    """Areas ``0..count-1`` in batches planned together: one, one, then 2, 4, 8... areas."""
    batches, start, size = [], 0, 1
    while start < count:
        batches.append(range(start, min(count, start + size)))
        start += size
        size = 1 if start < 2 else 2 * size
    return batches


def area_spans(picture: np.ndarray, paper: np.ndarray, regions: Regions) -> np.ndarray:
    """The painting's clock at which each area of ``regions`` begins, and 1; shape (A + 1,).

    An area's time is planned before its strokes, from what they will do: cover the paper
    with the picture's colours (the change, see :func:`.schedule.stroke_path`) and lay its
    detail (the length of paint, which grows with the area and with its detail).
    """
    ranks = regions.ranks.ravel()
    count = regions.count
    cover = cv2.absdiff(picture, paper).astype(np.float32).mean(axis=2).ravel()
    detail = cv2.absdiff(picture, cv2.GaussianBlur(picture, (0, 0), DETAIL_BLUR)).astype(np.float32)
    detail = detail.mean(axis=2).ravel()
    change = np.bincount(ranks, weights=cover + detail, minlength=count)
    pixels = np.bincount(ranks, minlength=count).astype(np.float64)
    length = pixels + np.bincount(ranks, weights=detail, minlength=count) / max(float(detail.mean()), 1e-6)
    share = (1.0 - LENGTH_SHARE) * change / max(float(change.sum()), 1e-9)
    share += LENGTH_SHARE * length / max(float(length.sum()), 1e-9)
    spans = np.concatenate([[0.0], np.cumsum(share)]) / max(float(share.sum()), 1e-9)
    spans[-1] = 1.0
    return spans


def bounds(boxes: np.ndarray) -> tuple[int, int, int, int]:
    """The rectangle ``(x0, y0, x1, y1)`` holding every one of ``boxes`` (N, 4), N >= 1."""
    return (int(boxes[:, 0].min()), int(boxes[:, 1].min()), int(boxes[:, 2].max()), int(boxes[:, 3].max()))


def _lay_area(canvas: np.ndarray, layer: PaintLayer, regions: Regions, area: int) -> None:
    """Lay every stroke of ``layer`` (all of area ``area``), in order, within that area."""
    box = bounds(layer.boxes)
    lay_strokes(canvas, layer.polylines, layer.colours, layer.look, box, regions.share(area, box))


def _estimated_changes(layer: PaintLayer, canvas: np.ndarray) -> np.ndarray:
    """How much each stroke of ``layer`` will change ``canvas`` (the painting before the layer),
    roughly: the colour distance between its paint and the canvas under its path, times its
    area; shape (N,), float64 (scaled to the layer's measured change by the caller)."""
    if len(layer) == 0:
        return np.zeros(0)
    strokes = layer.strokes
    used = strokes.used
    height, width = canvas.shape[:2]
    xs = np.clip(np.rint(strokes.points[:, :, 0]).astype(np.int64), 0, width - 1)
    ys = np.clip(np.rint(strokes.points[:, :, 1]).astype(np.int64), 0, height - 1)
    under = canvas[ys, xs].astype(np.float32)
    distance = np.abs(under - strokes.colours[:, None, :]).mean(axis=2)
    mean_distance = (distance * used).sum(axis=1) / used.sum(axis=1)
    area = (stroke_lengths(strokes)[:, -1] + layer.look.thickness) * layer.look.thickness
    return (mean_distance * area + 1e-6).astype(np.float64)
