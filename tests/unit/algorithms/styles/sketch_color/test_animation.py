"""Tests of sketch-color's frames: phases, tone in the sketch, bounded tool motion, no paper left."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from algorithms.media.framing import Placement, fit
from algorithms.styles.sketch_color.animation import MAX_TOOL_STEP, render_sketch_color, sketch_phases
from algorithms.styles.sketch_color.pencil import SKETCH_PAPER_BGR


@pytest.fixture(scope="module")
def photo(photos: dict[str, np.ndarray]) -> np.ndarray:
    return photos["coffee"]


def frames(
    picture: np.ndarray,
    tool: str,
    count: int = 72,
    fps: int = 12,
    hold: int | None = None,
    placement: Placement | None = None,
) -> list[np.ndarray]:
    rendered = render_sketch_color(
        picture,
        frame_count=count,
        fps=fps,
        rng=np.random.default_rng(5),
        tool=tool,
        hold=hold,
        placement=placement,
    )
    return [update.image.copy() for update in rendered]


@pytest.mark.parametrize("count,fps", [(360, 30), (24, 12), (3600, 60), (1800, 30)])
def test_phases_add_up_with_a_hold_of_a_sixth_within_one_to_four_seconds(count: int, fps: int) -> None:
    phases = sketch_phases(count, fps)
    assert phases.sketch + phases.colour + phases.hold == count
    assert phases.hold == min(max(round(count / 6), fps), 4 * fps)
    assert phases.sketch > 0 and phases.colour > phases.sketch * 0.8


@pytest.mark.parametrize("count, fps, hold", [(360, 30, 30), (24, 12, 1), (120, 60, 100), (30, 12, 40)])
def test_a_hold_asked_for_is_the_hold_leaving_at_least_two_frames_to_draw(count, fps, hold) -> None:
    phases = sketch_phases(count, fps, hold)
    assert phases.sketch + phases.colour + phases.hold == count
    assert phases.hold == min(hold, count - 2) and phases.sketch >= 1 and phases.colour >= 1


@pytest.mark.parametrize("hold", [1, 7, 20])
def test_a_hold_asked_for_is_exact_the_picture_finishing_just_before_it(photo: np.ndarray, hold: int) -> None:
    rendered = frames(photo, "hand", hold=hold)
    assert len(rendered) == 72
    assert all(np.array_equal(frame, photo) for frame in rendered[-hold:])
    assert not np.array_equal(rendered[-hold - 1], photo)


def test_the_finished_sketch_carries_the_pictures_tone(photo: np.ndarray) -> None:
    phases = sketch_phases(72, 12)
    sketch = frames(photo, "none")[phases.sketch - 1]
    sigma = float(np.hypot(*photo.shape[:2])) / 120
    blurred = [
        cv2.GaussianBlur(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.float32), (0, 0), sigma)
        for image in (sketch, photo)
    ]
    assert np.corrcoef(blurred[0].ravel(), blurred[1].ravel())[0, 1] > 0.6
    saturation = cv2.cvtColor(sketch, cv2.COLOR_BGR2HSV)[:, :, 1]
    assert np.percentile(saturation, 99) < 40, "the sketch is graphite, not colour"


def test_it_starts_on_paper_and_leaves_no_paper_where_the_picture_has_content(photo: np.ndarray) -> None:
    phases = sketch_phases(72, 12)
    plain = frames(photo, "none")
    assert (np.abs(plain[0].astype(int) - SKETCH_PAPER_BGR) <= 1).all()
    end_of_colour = plain[phases.sketch + phases.colour - 1]
    assert np.abs(end_of_colour.astype(int) - photo).max() <= 2
    assert all(np.array_equal(frame, photo) for frame in plain[-phases.hold :])


def test_the_tool_moves_within_its_bound(photo: np.ndarray) -> None:
    tooled, plain = frames(photo, "hand"), frames(photo, "none")
    diagonal = float(np.hypot(*photo.shape[:2]))
    centres = []
    for with_tool, without in zip(tooled, plain):
        ys, xs = np.nonzero(np.abs(with_tool.astype(int) - without).max(axis=2) > 24)
        centres.append(np.array([xs.mean(), ys.mean()]) if len(xs) > 200 else None)
    moves = [
        np.hypot(*(b - a)) / diagonal for a, b in zip(centres, centres[1:]) if a is not None and b is not None
    ]
    assert len(moves) > 30
    # The tip moves at most MAX_TOOL_STEP a frame; the sprite's centre can swing a little more as it leans.
    assert max(moves) < 2.5 * MAX_TOOL_STEP


def test_the_tool_option_changes_only_the_tool(photo: np.ndarray) -> None:
    hand, pencil, none = frames(photo, "hand"), frames(photo, "pencil"), frames(photo, "none")
    assert np.array_equal(hand[-1], none[-1]) and np.array_equal(pencil[-1], none[-1])
    middle = len(hand) // 3
    assert not np.array_equal(hand[middle], pencil[middle]) and not np.array_equal(
        pencil[middle], none[middle]
    )


def test_in_a_larger_frame_the_margin_is_paper_and_the_hand_reaches_over_it(photo: np.ndarray) -> None:
    fitted, placement = fit(photo, aspect="9:16")
    x0, y0, x1, y1 = placement.rect
    margin = np.ones((placement.height, placement.width), bool)
    margin[y0:y1, x0:x1] = False
    plain, tooled = frames(fitted, "none", placement=placement), frames(fitted, "hand", placement=placement)
    assert all(frame.shape == (placement.height, placement.width, 3) for frame in plain + tooled)
    assert all((frame[margin] == SKETCH_PAPER_BGR).all() for frame in plain)
    assert np.array_equal(plain[-1][y0:y1, x0:x1], fitted)
    unframed = frames(fitted, "none")
    assert all(np.array_equal(inner[y0:y1, x0:x1], alone) for inner, alone in zip(plain, unframed))
    over = [int((frame[margin] != SKETCH_PAPER_BGR).any(axis=1).sum()) for frame in tooled]
    assert sum(count > 100 for count in over) >= 3, "the hand is not cut off at the picture's edge"
    assert over[0] == over[-1] == 0


def test_a_frame_that_is_the_picture_changes_nothing(photo: np.ndarray) -> None:
    height, width = photo.shape[:2]
    whole = frames(photo, "hand", count=36, placement=Placement.whole(width, height))
    assert all(np.array_equal(a, b) for a, b in zip(whole, frames(photo, "hand", count=36)))
