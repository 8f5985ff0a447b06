"""Tests of the sheet: the picture's canvas composed into a larger frame of paper, the tool over both."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest

from algorithms.drawing.sheet import Sheet
from algorithms.drawing.sprites import pencil_sprite
from algorithms.encoding.frames import FrameUpdate, I420Converter, to_yuv420
from algorithms.media.framing import Placement

PAPER = (230, 240, 245)
PLACEMENT = Placement(120, 200, (0, 60, 120, 140))  # a 120x80 picture in a portrait frame
Tips = list[tuple[float, float] | None]


def paper() -> np.ndarray:
    sheet = np.empty((PLACEMENT.height, PLACEMENT.width, 3), np.uint8)
    sheet[:] = PAPER
    return sheet


def painting(sheet: Sheet, tips: Tips, parts: bool = False) -> Iterator[FrameUpdate]:
    """A canvas filled with a dark square a frame, the tool laid at ``tips`` (None: no tool)."""
    canvas = np.full((80, 120, 3), 200, np.uint8)
    yield FrameUpdate(canvas, None)
    for index, tip in enumerate(tips):
        sheet.lift()
        x, y = (index * 13) % 110, (index * 7) % 70
        canvas[y : y + 10, x : x + 10] = (20, 60, 120)
        if tip is not None:
            sheet.lay(pencil_sprite(60, hand=True), tip)
        rect = (x, y, x + 10, y + 10)
        yield FrameUpdate(canvas, rect, (rect,) if parts else ())


def margins(frame: np.ndarray) -> np.ndarray:
    return np.concatenate([frame[:60], frame[140:]])


def test_the_margins_are_paper_and_the_window_is_the_canvas():
    sheet = Sheet(paper(), PLACEMENT)
    canvases = []
    for update in sheet.frames(painting(sheet, [None] * 12)):
        assert update.image.shape == (200, 120, 3)
        assert (margins(update.image) == PAPER).all()
        canvases.append(update.image[60:140].copy())
    assert canvases[0].min() == 200 and canvases[-1].min() == 20


def test_the_tool_reaches_over_the_margin_and_leaves_it_as_paper():
    sheet = Sheet(paper(), PLACEMENT)
    tips = [(60.0, 2.0), (80.0, 1.0), None, (20.0, 6.0), None]
    frames = [update.image.copy() for update in sheet.frames(painting(sheet, tips))]
    over = [int((margins(frame) != PAPER).any(axis=2).sum()) for frame in frames]
    assert over[1] > 200 and over[2] > 200 and over[4] > 200, "the tool near the top edge is drawn above it"
    assert over[0] == over[3] == over[5] == 0, "a frame shows the tool only if it was laid for it"


@pytest.mark.parametrize("parts", [False, True])
def test_each_frame_names_the_area_that_changed(parts):
    sheet = Sheet(paper(), PLACEMENT)
    tips = [(60.0, 2.0), (90.0, 40.0), None, (5.0, 79.0), (110.0, 60.0), None, None]
    converter = I420Converter()
    previous = None
    for update in sheet.frames(painting(sheet, tips, parts)):
        if previous is None:
            assert update.changed is None
        else:
            assert update.changed is not None
            outside = np.any(update.image != previous, axis=2)
            for x0, y0, x1, y1 in update.parts or (update.changed,):
                outside[y0:y1, x0:x1] = False
            assert not outside.any()
        assert np.array_equal(converter(update), to_yuv420(update.image))
        previous = update.image.copy()


def test_the_paper_must_be_the_frames_size():
    with pytest.raises(ValueError, match="frame"):
        Sheet(np.zeros((80, 120, 3), np.uint8), PLACEMENT)
