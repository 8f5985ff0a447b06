"""The areas a painter works through one after another, the main subject first.

The picture is split into about :data:`REGIONS` compact areas of similar size whose
borders follow its colours (a few rounds of k-means on position and Lab colour from a
regular grid, as SLIC superpixels are made: deterministic, no random start). The areas
are then put in painting order: the main subject first, then each next the nearest.
The map is made at full size with wavering borders, so where a finished area meets
bare paper the edge of the paint is irregular, never a straight or stepped line.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from ..sketch_color.lines import order_lines, subject_weight

REGIONS = 12  # about; a grid of this many cells seeds them
WORK_SIDE = 64  # regions are found on a copy this size (long side)
COMPACTNESS = 60.0  # Lab units worth one grid spacing of distance: higher, rounder areas
ROUNDS = 6
WAVER = 0.6  # of a work pixel: how far the borders waver at full size
FEATHER = 5  # pixels: the width over which two areas' paint meets


@dataclass(frozen=True)
class Regions:
    """Areas of the picture in painting order.

    Attributes
    ----------
    ranks : ndarray, shape (H, W), uint8
        Each pixel's area, by its rank in painting order (0 first).
    count : int
        How many areas there are.
    """

    ranks: np.ndarray
    count: int
    _shares: dict[int, tuple[tuple[int, int], np.ndarray]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def rank_at(self, points: np.ndarray) -> np.ndarray:
        """The rank of the area under each of ``points`` (N, 2) ``(x, y)``, shape (N,), int64."""
        height, width = self.ranks.shape
        # minimum and maximum, not clip: this is asked at every step of a layer's tracing,
        # where numpy's clip costs several microseconds a call.
        xs = np.minimum(np.maximum(np.rint(points[:, 0]).astype(np.int64), 0), width - 1)
        ys = np.minimum(np.maximum(np.rint(points[:, 1]).astype(np.int64), 0), height - 1)
        return self.ranks[ys, xs].astype(np.int64)

    def share(self, rank: int, box: tuple[int, int, int, int]) -> np.ndarray:
        """Where area ``rank``'s paint may go in ``box`` ``(x0, y0, x1, y1)``, shape
        (y1 - y0, x1 - x0) uint8: fully in the area itself, fading out over :data:`FEATHER`
        pixels into areas painted after it (their own paint covers it), never into areas
        painted before it. So where two areas meet no paper shows, and a finished area is
        never touched again."""
        if rank not in self._shares:  # made once an area: frames ask for it hundreds of times
            self._shares[rank] = self._area_share(rank)
        (left, top), whole = self._shares[rank]
        x0, y0, x1, y1 = box
        share = np.zeros((y1 - y0, x1 - x0), np.uint8)
        bottom, right = top + whole.shape[0], left + whole.shape[1]
        inner = (max(x0, left), max(y0, top), min(x1, right), min(y1, bottom))
        if inner[0] < inner[2] and inner[1] < inner[3]:
            share[inner[1] - y0 : inner[3] - y0, inner[0] - x0 : inner[2] - x0] = whole[
                inner[1] - top : inner[3] - top, inner[0] - left : inner[2] - left
            ]
        return share

    def _area_share(self, rank: int) -> tuple[tuple[int, int], np.ndarray]:
        """Area ``rank``'s share over its bounds and the feather around them, and their corner."""
        ys, xs = np.nonzero(self.ranks == rank)
        if len(xs) == 0:
            return (0, 0), np.zeros((0, 0), np.uint8)
        height, width = self.ranks.shape
        pad = FEATHER // 2 + 1
        x0, y0 = max(0, int(xs.min()) - pad), max(0, int(ys.min()) - pad)
        x1, y1 = min(width, int(xs.max()) + 1 + pad), min(height, int(ys.max()) + 1 + pad)
        ranks = self.ranks[y0:y1, x0:x1]
        inside = (ranks == rank).astype(np.uint8) * 255
        soft = np.maximum(cv2.blur(inside, (FEATHER, FEATHER), borderType=cv2.BORDER_REPLICATE), inside)
        soft[ranks < rank] = 0
        return (x0, y0), soft


def painting_regions(picture: np.ndarray, rng: np.random.Generator) -> Regions:
    """Split ``picture`` (H, W, 3) uint8 BGR into areas in painting order; ``rng`` decides
    how their borders waver."""
    height, width = picture.shape[:2]
    factor = min(1.0, WORK_SIDE / max(height, width))
    size = (max(2, round(width * factor)), max(2, round(height * factor)))
    small = cv2.resize(picture, size, interpolation=cv2.INTER_AREA)
    labels = _superpixels(cv2.cvtColor(small, cv2.COLOR_BGR2Lab).astype(np.float32))
    labels = cv2.medianBlur(labels.astype(np.uint8), 5)  # stray specks join the area around them
    ids, labels = np.unique(labels, return_inverse=True)
    labels = labels.reshape(size[1], size[0])
    weight = cv2.resize(subject_weight(picture), size, interpolation=cv2.INTER_AREA)
    counts = np.bincount(labels.ravel(), minlength=len(ids)).astype(np.float64)
    centres = np.stack(
        [
            np.bincount(labels.ravel(), weights=axis.ravel(), minlength=len(ids)) / counts
            for axis in _grid(size)
        ],
        axis=1,
    )
    priority = np.bincount(labels.ravel(), weights=weight.ravel(), minlength=len(ids)) / counts
    order = order_lines([centre[None].astype(np.float32) for centre in centres], priority)
    rank = np.full(len(ids), -1, np.int32)
    for position, point in enumerate(order):  # each ordered centre back to its area, one each
        distance = np.where(rank < 0, np.hypot(*(centres - point[0]).T), np.inf)
        rank[int(np.argmin(distance))] = position
    return Regions(_wavering(rank[labels].astype(np.uint8), (width, height), rng), len(ids))


def _wavering(small: np.ndarray, size: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    """``small`` (h, w) uint8 labels enlarged to ``size`` (W, H), their borders displaced by a
    smooth noise of :data:`WAVER` work pixels (nearest label: still one area a pixel)."""
    height, width = small.shape
    noise = cv2.resize(
        rng.uniform(-WAVER, WAVER, (2, height * 2, width * 2)).astype(np.float32).transpose(1, 2, 0),
        size,
        interpolation=cv2.INTER_CUBIC,
    )
    xs, ys = _grid(size)
    map_x = (xs + 0.5) * (width / size[0]) - 0.5 + noise[:, :, 0]
    map_y = (ys + 0.5) * (height / size[1]) - 0.5 + noise[:, :, 1]
    return cv2.remap(small, map_x, map_y, cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)


def _grid(size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
    xs, ys = np.meshgrid(np.arange(size[0], dtype=np.float32), np.arange(size[1], dtype=np.float32))
    return xs, ys


def _superpixels(lab: np.ndarray) -> np.ndarray:
    """Label each pixel of ``lab`` (h, w, 3) float32 with its nearest of a grid of centres in
    position and colour, refined over :data:`ROUNDS` rounds; shape (h, w), int64."""
    height, width = lab.shape[:2]
    spacing = float(np.sqrt(height * width / REGIONS))
    cols, rows = max(1, round(width / spacing)), max(1, round(height / spacing))
    xs, ys = _grid((width, height))
    # Position in grid spacings, weighted so that one spacing counts as COMPACTNESS Lab units.
    features = np.dstack([xs / spacing * COMPACTNESS, ys / spacing * COMPACTNESS, lab]).reshape(-1, 5)
    cell_x = ((np.arange(cols) + 0.5) * width / cols).astype(np.int64)
    cell_y = ((np.arange(rows) + 0.5) * height / rows).astype(np.int64)
    centres = features.reshape(height, width, 5)[cell_y[:, None], cell_x[None, :]].reshape(-1, 5)
    labels = np.zeros(len(features), np.int64)
    for _ in range(ROUNDS):
        distance = (features**2).sum(axis=1)[:, None] - 2.0 * features @ centres.T + (centres**2).sum(axis=1)
        labels = distance.argmin(axis=1)
        counts = np.bincount(labels, minlength=len(centres))
        for channel in range(5):
            sums = np.bincount(labels, weights=features[:, channel], minlength=len(centres))
            centres[:, channel] = np.where(counts > 0, sums / np.maximum(counts, 1), centres[:, channel])
    return labels.reshape(height, width)
