"""Frames as a GIF's palette indices: ordered dithering of only what changed.

Ordered (Bayer) dithering makes each pixel's index a function of its colour and its
place alone, so a pixel that did not change keeps its index: FFmpeg's GIF encoder then
stores only the rectangle that changed, with the pixels in it that did not as
transparent. Error diffusion would carry changes across the frame, and flicker.
"""

from __future__ import annotations

import av
import cv2
import numpy as np

from .frames import Frame
from .palette import UNUSED_INDEX, NearestTable

BAYER_ORDER = 3  # an 8x8 pattern: 64 levels between two palette colours
DITHER_SPREAD = 16  # grey levels from the lowest offset to the highest, the same on B, G and R


def bayer_matrix(order: int = BAYER_ORDER) -> np.ndarray:
    """The Bayer threshold matrix, shape (2 ** order, 2 ** order), int32: each of 0 .. 4 ** order - 1
    once, each level placed as far as it can be from those before it."""
    matrix = np.zeros((1, 1), np.int32)
    for _ in range(order):
        matrix = np.block([[4 * matrix, 4 * matrix + 2], [4 * matrix + 3, 4 * matrix + 1]])
    return matrix


def dither_offsets(
    height: int, width: int, *, spread: float = DITHER_SPREAD
) -> tuple[np.ndarray, np.ndarray]:
    """The offsets added to each pixel before its nearest colour is looked up: the Bayer pattern
    centred on zero, ``spread`` levels wide, as what to add and what to subtract, each
    (height, width, 3) uint8 (OpenCV's saturating arithmetic keeps the sum within 0..255)."""
    bayer = bayer_matrix()
    pattern = np.round(((bayer + 0.5) / bayer.size - 0.5) * spread).astype(np.int16)
    side = len(bayer)
    tiled = np.tile(pattern, (-(-height // side), -(-width // side)))[:height, :width, None]
    tiled = np.repeat(tiled, 3, axis=2)
    return np.maximum(tiled, 0).astype(np.uint8), np.maximum(-tiled, 0).astype(np.uint8)


class PalettedConverter:
    """Keeps the palette indices of the last frame and dithers only what changed.

    ``palette`` is (N, 3) uint8 BGR with N at most 255 (see :func:`.palette.make_palette`).
    A pixel in the table cell of one of the ``flat`` colours (M, 3) uint8 BGR, each in the
    palette, takes that colour undithered: bare paper and the hand's flat parts stay flat
    instead of a pattern of their neighbours.
    """

    def __init__(
        self, palette: np.ndarray, *, flat: np.ndarray | None = None, spread: float = DITHER_SPREAD
    ) -> None:
        palette = np.asarray(palette, np.uint8).reshape(-1, 3)
        self._table = NearestTable(palette)
        self._flat = np.full_like(self._table.table, UNUSED_INDEX)
        if flat is not None and len(flat):
            flat = np.asarray(flat, np.uint8).reshape(-1, 3)
            found = (flat[:, None, :] == palette[None, :, :]).all(axis=2)
            if not found.any(axis=1).all():
                raise ValueError("every flat colour must be in the palette")
            self._flat[self._table.cells(flat[None])[0]] = found.argmax(axis=1)
        self._spread = spread
        self._palette_plane = palette_plane(palette)
        self._indices: np.ndarray | None = None
        self._raise = self._lower = np.zeros((0, 0, 3), np.uint8)

    def __call__(self, item: Frame) -> np.ndarray:
        """The palette indices of ``item`` (a frame or a FrameUpdate), shape (H, W) uint8, a fresh array."""
        return self._update(item).copy()

    def video_frame(self, item: Frame) -> av.VideoFrame:
        """``item`` as a new ``pal8`` ``av.VideoFrame`` holding the palette, for the GIF encoder.

        A new frame every time: the encoder keeps the last one it was given, to compare with.
        """
        indices = self._update(item)
        height, width = indices.shape
        frame = av.VideoFrame(width, height, "pal8")
        plane = frame.planes[0]
        np.frombuffer(memoryview(plane), np.uint8).reshape(-1, plane.line_size)[:height, :width] = indices
        frame.planes[1].update(self._palette_plane)
        return frame

    def _update(self, item: Frame) -> np.ndarray:
        """Bring the indices up to date with ``item``; return them."""
        image, changed = (item, None) if isinstance(item, np.ndarray) else (item.image, item.changed)
        parts = () if isinstance(item, np.ndarray) else item.parts
        height, width = image.shape[:2]
        if self._indices is None or changed is None or self._indices.shape != (height, width):
            self._indices = np.empty((height, width), np.uint8)
            self._raise, self._lower = dither_offsets(height, width, spread=self._spread)
            changed, parts = (0, 0, width, height), ()
        for x0, y0, x1, y1 in parts or (changed,):
            x0, y0, x1, y1 = max(0, x0), max(0, y0), min(width, x1), min(height, y1)
            if x1 > x0 and y1 > y0:
                area = np.s_[y0:y1, x0:x1]
                self._indices[area] = self._dither(image[area], self._raise[area], self._lower[area])
        return self._indices

    def _dither(self, region: np.ndarray, raise_by: np.ndarray, lower_by: np.ndarray) -> np.ndarray:
        """The palette indices of ``region`` (h, w, 3) uint8 BGR: the entry nearest to each pixel
        raised and lowered by its offsets, or the flat colour of its cell."""
        dithered = self._table.lookup(cv2.subtract(cv2.add(region, raise_by), lower_by))
        flat = np.take(self._flat, self._table.cells(region))
        np.copyto(dithered, flat, where=flat != UNUSED_INDEX)
        return dithered


def palette_plane(palette: np.ndarray) -> bytes:
    """The 256 entries of a ``pal8`` frame's palette for ``palette`` (N <= 255, 3) uint8 BGR: opaque
    0xAARRGGBB words in the machine's byte order, the unused entries repeating the first colour."""
    colours = np.asarray(palette, np.uint32).reshape(-1, 3)
    if not 1 <= len(colours) <= UNUSED_INDEX:
        raise ValueError(f"a GIF palette has 1 to {UNUSED_INDEX} colours, not {len(colours)}")
    words = np.resize(0xFF000000 | colours[:, 2] << 16 | colours[:, 1] << 8 | colours[:, 0], 256)
    words[len(colours) :] = words[0]
    return words.astype(np.uint32).tobytes()
