"""Replaying a planned sequence of strokes on the canvas, a frame's worth at a time."""

from __future__ import annotations

import numpy as np

from ...drawing.geometry import NOTHING, Rect, fixed_point, union_rect
from .canvas import lay_strokes
from .painting import Painting
from .schedule import StrokeClock, partial_points, stroke_lengths, stroke_path


class StrokePainter:
    """Lays the strokes of ``painting`` on ``canvas`` (H, W, 3) uint8, in place, as its clock runs.

    The clock runs from 0 to 1 along the brush's path (:attr:`path`); a stroke is laid bit by
    bit while the brush is on it, so long strokes grow over several frames.
    """

    def __init__(self, canvas: np.ndarray, painting: Painting) -> None:
        self.canvas = canvas
        self.layers = painting.layers
        self.sequence = painting.sequence[:, 1:]  # (layer, stroke)
        self.areas = painting.sequence[:, 0]
        self.regions = painting.regions
        self.scratch = np.zeros((*canvas.shape[:2], 4), np.uint8)
        self.lengths = [stroke_lengths(layer.strokes) for layer in self.layers]
        strokes = [self._points(layer, stroke) for layer, stroke in self.sequence.tolist()]
        totals = [
            lengths[np.arange(len(lengths)), layer.strokes.counts - 1]
            for lengths, layer in zip(self.lengths, self.layers)
        ]
        lengths = np.array([totals[layer][stroke] for layer, stroke in self.sequence.tolist()], np.float64)
        self.path = stroke_path(strokes, lengths, painting.change)
        self.clock = StrokeClock.along(self.path, len(strokes))
        self.time = 0.0
        self.brush_colour = (128, 128, 128)  # BGR of the paint on the brush

    def paint_until(self, stop: float) -> Rect:
        """Lay every stroke, or part of one, up to clock ``stop``; the rectangle painted."""
        run = self.clock.run(self.time, stop)
        self.time = max(self.time, stop)
        if run is None:
            return NOTHING
        first, end, low, high = run
        sequence = self.sequence[first:end]
        areas = self.areas[first:end]
        breaks = np.flatnonzero((np.diff(sequence[:, 0]) != 0) | (np.diff(areas) != 0)) + 1
        painted = []
        for begin, stop_at in zip([0, *breaks.tolist()], [*breaks.tolist(), len(sequence)]):
            layer = self.layers[int(sequence[begin, 0])]
            strokes = sequence[begin:stop_at, 1]
            polylines = [layer.polylines[index] for index in strokes.tolist()]
            if begin == 0 and low > 0.0:
                polylines[0] = self._part(first, low, high if end - first == 1 else 1.0)
            if stop_at == len(sequence) and high < 1.0:
                polylines[-1] = self._part(end - 1, low if end - first == 1 else 0.0, high)
            boxes = layer.boxes[strokes]
            box = (
                int(boxes[:, 0].min()),
                int(boxes[:, 1].min()),
                int(boxes[:, 2].max()),
                int(boxes[:, 3].max()),
            )
            share = None if self.regions is None else self.regions.share(int(areas[begin]), box)
            colours = [layer.colours[index] for index in strokes.tolist()]
            lay_strokes(self.canvas, self.scratch, polylines, colours, layer.look, box, share)
            painted.append(box)
        last_layer, last_stroke = (int(value) for value in sequence[-1])
        blue, green, red = (int(channel) for channel in self.layers[last_layer].colours[last_stroke])
        self.brush_colour = (blue, green, red)
        return union_rect(painted)

    def _points(self, layer: int, stroke: int) -> np.ndarray:
        strokes = self.layers[layer].strokes
        return strokes.points[stroke, : int(strokes.counts[stroke])]

    def _part(self, position: int, low: float, high: float) -> np.ndarray:
        """Stroke ``position`` of the sequence, fractions ``low`` to ``high`` of its length, fixed point."""
        layer, stroke = (int(value) for value in self.sequence[position])
        points = self._points(layer, stroke)
        return fixed_point(partial_points(points, self.lengths[layer][stroke, : len(points)], low, high))
