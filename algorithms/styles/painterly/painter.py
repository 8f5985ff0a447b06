"""Laying planned strokes on the canvas, a frame's worth at a time, and where the brush is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from ...drawing.geometry import FIXED_ONE, SHIFT, Rect, fixed_point, union_rect
from ...drawing.timeline import GLIDE_SAMPLES, ToolPath
from .canvas import lay_strokes
from .painting import Painting, bounds
from .schedule import StrokeClock, partial_points, stroke_lengths, stroke_path


class Parts(Protocol):
    """A pass of strokes in parts, each with its own stretch of the pass's clock (0 to 1)."""

    spans: np.ndarray  # (P + 1,): where each part begins, and 1

    def part(self, index: int) -> Painting:
        """Part ``index``'s strokes, in painting order (waiting for its plan if need be)."""
        ...


@dataclass(frozen=True)
class _Timed:
    """A part's strokes with the brush's path through them, on the pass's clock."""

    painting: Painting
    path: ToolPath
    clock: StrokeClock
    lengths: list[np.ndarray]
    xs: np.ndarray  # the path's x and y, contiguous: sampled a few times every frame
    ys: np.ndarray


class StrokePainter:
    """Lays the strokes of ``parts`` on ``canvas`` (H, W, 3) uint8, in place, as the clock runs.

    A part is timed when the clock first reaches it: its strokes take its stretch of the
    clock, along the brush's path from where the part before it ended; a stroke is laid
    bit by bit while the brush is on it.
    """

    def __init__(self, canvas: np.ndarray, parts: Parts, start: np.ndarray | None = None) -> None:
        self.canvas, self.parts = canvas, parts
        self.time = 0.0
        self.brush_colour = (128, 128, 128)  # BGR of the paint on the brush
        self._timed: list[_Timed] = []
        self._start = start
        self.tip: np.ndarray | None = None if start is None else np.asarray(start, np.float64)

    def paint_until(self, stop: float) -> Rect:
        """Lay every stroke, or part of one, up to clock ``stop``; the rectangle painted."""
        painted = []
        spans = self.parts.spans
        for index in range(int(np.searchsorted(spans, self.time, side="right")) - 1, len(spans) - 1):
            if index < 0 or spans[index] >= stop:
                break
            timed = self._part(index)
            run = timed.clock.run(self.time, stop)
            if run is not None:
                painted.append(self._lay(timed, *run))
        self.time = max(self.time, stop)
        return union_rect(painted)

    def follow(self, start: float, stop: float, max_step: float) -> np.ndarray:
        """Where the brush is at the end of the frame from clock ``start`` to ``stop``: where the
        path is during the frame, on average (it glides over small strokes), moving at most
        ``max_step`` pixels from where it was."""
        times = start + (stop - start) * (np.arange(GLIDE_SAMPLES) + 1) / GLIDE_SAMPLES
        target = self._points_at(np.minimum(times, 1.0)).mean(axis=0)
        here = target if self.tip is None else self.tip
        move = target - here
        length = float(np.hypot(*move))
        self.tip = here + (move * (max_step / length) if length > max_step else move)
        return self.tip

    def _points_at(self, times: np.ndarray) -> np.ndarray:
        spans = self.parts.spans
        parts = np.clip(np.searchsorted(spans, times, side="right") - 1, 0, len(spans) - 2)
        if parts[0] == parts[-1]:  # a frame's samples are nearly always in one part
            return self._path_at(int(parts[0]), times)
        points = np.empty((len(times), 2))
        for index in np.unique(parts).tolist():
            at = parts == index
            points[at] = self._path_at(index, times[at])
        return points

    def _path_at(self, index: int, times: np.ndarray) -> np.ndarray:
        """Where part ``index``'s path is at each of ``times`` (all within its span), (T, 2)."""
        timed = self._part(index)
        return np.stack([np.interp(times, timed.path.time, axis) for axis in (timed.xs, timed.ys)], 1)

    def _part(self, index: int) -> _Timed:
        """Part ``index`` timed (and every part before it)."""
        while len(self._timed) <= index:
            self._timed.append(self._timing(len(self._timed)))
        return self._timed[index]

    def _timing(self, index: int) -> _Timed:
        painting = self.parts.part(index)
        begin, end = float(self.parts.spans[index]), float(self.parts.spans[index + 1])
        lengths = [stroke_lengths(layer.strokes) for layer in painting.layers]
        strokes, totals = [], []
        for layer, stroke in painting.sequence[:, 1:].tolist():
            count = int(painting.layers[layer].strokes.counts[stroke])
            strokes.append(painting.layers[layer].strokes.points[stroke, :count])
            totals.append(float(lengths[layer][stroke, count - 1]))
        start = self._timed[-1].path.points[-1] if self._timed else self._start
        if start is None and not strokes:  # nothing to paint, nowhere to come from: the middle
            start = np.array(self.canvas.shape[1::-1], np.float32) / 2
        path = stroke_path(strokes, np.array(totals), painting.change, start=start)
        path = ToolPath(path.points, path.stroke, begin + (end - begin) * path.time)
        xs, ys = (np.ascontiguousarray(path.points[:, axis], np.float64) for axis in (0, 1))
        return _Timed(painting, path, StrokeClock.along(path, len(strokes)), lengths, xs, ys)

    def _lay(self, timed: _Timed, first: int, end: int, low: float, high: float) -> Rect:
        """Lay strokes ``first..end-1`` of a part (the first from fraction ``low`` of its length,
        the last up to ``high``), in groups of one layer and one area; the rectangle painted."""
        painting = timed.painting
        sequence = painting.sequence[first:end]
        keys = sequence[:, 0] * len(painting.layers) + sequence[:, 1]
        breaks = (np.flatnonzero(np.diff(keys)) + 1).tolist()
        painted = []
        for begin, stop in zip([0, *breaks], [*breaks, len(sequence)]):
            area, layer_index = (int(value) for value in sequence[begin, :2])
            layer = painting.layers[layer_index]
            strokes = sequence[begin:stop, 2]
            polylines = [layer.polylines[index] for index in strokes.tolist()]
            boxes = layer.boxes[strokes]
            if begin == 0 and low > 0.0:
                polylines[0] = self._part_of(timed, first, low, high if end - first == 1 else 1.0)
                boxes[0] = self._piece_box(polylines[0], layer.look.reach)
            if stop == len(sequence) and high < 1.0:
                polylines[-1] = self._part_of(timed, end - 1, low if end - first == 1 else 0.0, high)
                boxes[-1] = self._piece_box(polylines[-1], layer.look.reach)
            box = bounds(boxes)
            share = None if painting.regions is None else painting.regions.share(area, box)
            colours = [layer.colours[index] for index in strokes.tolist()]
            lay_strokes(self.canvas, polylines, colours, layer.look, box, share)
            painted.append(box)
        _, last_layer, last_stroke = (int(value) for value in sequence[-1])
        blue, green, red = (int(channel) for channel in painting.layers[last_layer].colours[last_stroke])
        self.brush_colour = (blue, green, red)
        return union_rect(painted)

    def _piece_box(self, piece: np.ndarray, reach: int) -> np.ndarray:
        """The pixels a piece of a stroke (fixed point, see :meth:`_part_of`) may paint: the
        bounds of its points widened by ``reach``, within the canvas; a laid piece's work
        is its own box's, not its whole stroke's."""
        height, width = self.canvas.shape[:2]
        low = (piece.min(axis=0) >> SHIFT) - reach
        high = (piece.max(axis=0) + FIXED_ONE - 1 >> SHIFT) + reach + 1
        # minimum and maximum, not clip: this runs for a frame's first and last piece, and
        # numpy's clip costs several microseconds a call.
        return np.minimum(np.maximum(np.concatenate([low, high]), 0), [width, height, width, height])

    @staticmethod
    def _part_of(timed: _Timed, position: int, low: float, high: float) -> np.ndarray:
        """Stroke ``position`` of a part, fractions ``low`` to ``high`` of its length, fixed point."""
        _, layer, stroke = (int(value) for value in timed.painting.sequence[position])
        strokes = timed.painting.layers[layer].strokes
        count = int(strokes.counts[stroke])
        lengths = timed.lengths[layer][stroke, :count]
        return fixed_point(partial_points(strokes.points[stroke, :count], lengths, low, high))


class WholePass:
    """A pass of strokes in one part (the photo's finish), planned by ``plan`` when first asked for."""

    spans = np.array([0.0, 1.0])

    def __init__(self, plan: Callable[[], Painting]) -> None:
        self._plan = plan
        self._painting: Painting | None = None

    def part(self, index: int) -> Painting:
        """The pass's strokes (``index`` 0)."""
        if self._painting is None:
            self._painting = self._plan()
        return self._painting
