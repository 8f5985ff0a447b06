"""A GIF's palette, made for its video, and the nearest entry of a colour, found through a table."""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np

from ..errors import PaintError

# A GIF has 256 entries; one stays unused, so FFmpeg's encoder always has an index to mark
# unchanged pixels with (it takes one no pixel of the frame uses).
COLOURS = 255
UNUSED_INDEX = 255
# The picture's long side for k-means, and its iterations: k-means' time grows fast with
# both, the palette's fit to the picture hardly (bench/README.md, "Formats").
KMEANS_SIDE = 80
_KMEANS_CRITERIA = (cv2.TERM_CRITERIA_EPS + cv2.TERM_CRITERIA_MAX_ITER, 6, 0.5)
TABLE_BITS = (5, 6, 5)  # of B, G and R by which a colour is looked up: green weighs most in brightness


def make_palette(picture: np.ndarray, *, drawn: np.ndarray, seed: int = 0) -> np.ndarray:
    """The palette of a video that ends on ``picture``: ``drawn`` colours, then the picture's.

    Parameters
    ----------
    picture : ndarray, shape (H, W, 3), uint8
        The last frame, BGR.
    drawn : ndarray, shape (N, 3), uint8
        Colours the frames show before it (paper, pencil, the tools), BGR; kept exactly.
    seed : int
        The seed of k-means.

    Returns
    -------
    ndarray, shape (COLOURS, 3), uint8
        BGR: the distinct ``drawn`` colours, then k-means centres of the picture's colours
        (repeated to fill the palette when the picture has fewer).
    """
    if picture.ndim != 3 or picture.shape[2] != 3 or picture.dtype != np.uint8:
        raise ValueError(f"the picture must be (H, W, 3) uint8, not {picture.shape} {picture.dtype}")
    fixed = np.unique(np.asarray(drawn, np.uint8).reshape(-1, 3), axis=0)
    if len(fixed) >= COLOURS:
        raise ValueError(f"{len(fixed)} drawn colours leave no room for the picture's")
    height, width = picture.shape[:2]
    factor = min(1.0, KMEANS_SIDE / max(height, width))
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    samples = cv2.resize(picture, size, interpolation=cv2.INTER_AREA).reshape(-1, 3)
    groups = min(COLOURS - len(fixed), len(np.unique(_packed(samples))))
    cv2.setRNGSeed(seed)
    no_labels: Any = None  # OpenCV's stubs want an array; None (no initial labels) is documented
    compactness, _, centres = cv2.kmeans(
        samples.astype(np.float32), groups, no_labels, _KMEANS_CRITERIA, 1, cv2.KMEANS_PP_CENTERS
    )
    if centres is None or not np.isfinite(compactness):
        raise PaintError("k-means of the GIF's palette failed")
    colours = np.vstack([fixed, np.clip(np.round(centres), 0, 255).astype(np.uint8)])
    return np.resize(colours, (COLOURS, 3))


class NearestTable:
    """The palette entry nearest to a colour, looked up by the colour's top :data:`TABLE_BITS` bits.

    A colour's cell is its quantized B, G and R as the bytes of one number, so finding the
    cells of a frame's pixels is two OpenCV calls and a view. ``table`` (2 ** 21,) uint8 holds
    each cell's entry, found when a colour of the cell first appears (a video shows a small part
    of all colours; UNUSED_INDEX until then); the cell of a palette colour gives that colour.
    """

    def __init__(self, palette: np.ndarray) -> None:
        palette = np.asarray(palette, np.uint8).reshape(-1, 3)
        if len(palette) > UNUSED_INDEX:
            raise ValueError("the palette must leave its last index unused")
        self._palette = palette.astype(np.float32)
        self._steps = np.array([1 << (8 - bits) for bits in TABLE_BITS])
        # floor(v / step) as OpenCV's rounded affine map: v / step - (step - 1) / (2 step) never ties.
        offsets = [[-(step - 1) / (2 * step)] for step in self._steps]
        self._quantize = np.hstack([np.diag(1 / self._steps), offsets]).astype(np.float32)
        self.table = np.full(1 << (16 + TABLE_BITS[2]), UNUSED_INDEX, np.uint8)
        self.table[self.cells(palette.reshape(1, -1, 3)).reshape(-1)] = np.arange(len(palette))

    def cells(self, colours: np.ndarray) -> np.ndarray:
        """The table cell of each colour of ``colours`` (h, w, 3) uint8 BGR: (h, w) uint32."""
        quantized = cv2.cvtColor(cv2.transform(colours, self._quantize), cv2.COLOR_BGR2BGRA)
        return np.bitwise_and(quantized.view("<u4")[:, :, 0], 0xFFFFFF)

    def lookup(self, colours: np.ndarray) -> np.ndarray:
        """The palette indices of ``colours`` (h, w, 3) uint8 BGR: (h, w) uint8."""
        cells = self.cells(colours)
        indices = np.take(self.table, cells)
        unknown = indices == UNUSED_INDEX
        if unknown.any():
            new = np.unique(cells[unknown])
            self.table[new] = self._nearest(new)
            indices = np.take(self.table, cells)
        return indices

    def _nearest(self, cells: np.ndarray) -> np.ndarray:
        """The entry nearest to the centre of each of ``cells`` (n,) uint32, by distance in BGR."""
        quantized = np.stack([(cells >> shift) & 0xFF for shift in (0, 8, 16)], axis=1)
        centres = (quantized * self._steps + (self._steps - 1) / 2).astype(np.float32)
        _, nearest = cv2.batchDistance(centres, self._palette, cv2.CV_32F, normType=cv2.NORM_L2SQR, K=1)
        return nearest.reshape(-1).astype(np.uint8)


def _packed(colours: np.ndarray) -> np.ndarray:
    """Each BGR colour of ``colours`` (n, 3) uint8 as one int32."""
    wide = colours.astype(np.int32)
    return (wide[:, 0] << 16) | (wide[:, 1] << 8) | wide[:, 2]
