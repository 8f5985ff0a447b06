"""Render a sample photo and tile evenly spaced frames of the video into one PNG.

Run from the repository root::

    python -m docs.contact_sheet [--photo tests/data/photos/coffee.png] [--style sketch-color]
                                 [--frames 12] [--out docs/contact-sheet.png]

The picture in the README is made with the defaults; run this again after any change to
the renderer.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Sequence
from pathlib import Path

import av
import cv2
import numpy as np

from algorithms import OPTION, paint_image

SEED = 7
COLUMNS = 4
THUMB_WIDTH = 300
GAP = 6
BACKGROUND = (255, 255, 255)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line's arguments."""
    parser = argparse.ArgumentParser(
        prog="python -m docs.contact_sheet", description="Tile frames of a rendered video into a PNG."
    )
    parser.add_argument("--photo", type=Path, default=Path("tests/data/photos/coffee.png"))
    parser.add_argument("--style", choices=OPTION["style"].choices, default=OPTION["style"].default)
    parser.add_argument("--frames", type=int, default=12, help="frames on the sheet (at least 2)")
    parser.add_argument("--out", type=Path, default=Path("docs/contact-sheet.png"))
    args = parser.parse_args(argv)
    if args.frames < 2:
        parser.error("--frames must be at least 2")
    return args


def frame_indices(total: int, count: int) -> list[int]:
    """``count`` frame numbers spread evenly from the first frame to the last of ``total``."""
    picks = np.linspace(0, total - 1, num=min(count, total))
    return sorted({int(round(pick)) for pick in picks})


def read_frames(video: Path, indices: Sequence[int]) -> dict[int, np.ndarray]:
    """Decode ``video`` and keep the frames at ``indices`` as BGR arrays."""
    wanted = set(indices)
    kept: dict[int, np.ndarray] = {}
    with av.open(str(video)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index in wanted:
                kept[index] = frame.to_ndarray(format="bgr24")
            if len(kept) == len(wanted):
                break
    if len(kept) != len(wanted):
        raise RuntimeError(f"{video} has fewer frames than expected")
    return kept


def thumbnail(frame: np.ndarray, label: str) -> np.ndarray:
    """``frame`` scaled to THUMB_WIDTH pixels wide, with ``label`` in its top-left corner."""
    height, width = frame.shape[:2]
    size = (THUMB_WIDTH, max(1, round(height * THUMB_WIDTH / width)))
    small = cv2.resize(frame, size, interpolation=cv2.INTER_AREA)
    font, scale, thickness = cv2.FONT_HERSHEY_SIMPLEX, 0.6, 1
    (text_width, text_height), baseline = cv2.getTextSize(label, font, scale, thickness)
    cv2.rectangle(small, (0, 0), (text_width + 10, text_height + baseline + 8), BACKGROUND, cv2.FILLED)
    cv2.putText(small, label, (5, text_height + 4), font, scale, (0, 0, 0), thickness, cv2.LINE_AA)
    return small


def tile(thumbs: Sequence[np.ndarray], columns: int) -> np.ndarray:
    """Lay ``thumbs`` (all one shape) out in rows of ``columns``, GAP pixels apart."""
    height, width = thumbs[0].shape[:2]
    rows = -(-len(thumbs) // columns)
    sheet_columns = min(columns, len(thumbs))
    sheet = np.full(
        (rows * height + (rows + 1) * GAP, sheet_columns * width + (sheet_columns + 1) * GAP, 3),
        BACKGROUND,
        dtype=np.uint8,
    )
    for number, thumb in enumerate(thumbs):
        row, column = divmod(number, columns)
        top, left = GAP + row * (height + GAP), GAP + column * (width + GAP)
        sheet[top : top + height, left : left + width] = thumb
    return sheet


def contact_sheet(photo: Path, style: str, count: int) -> np.ndarray:
    """Render ``photo`` in ``style`` (defaults, seed SEED) and return the tiled sheet."""
    with tempfile.TemporaryDirectory(prefix="contact-sheet-") as folder:
        video = Path(folder) / "render.mp4"
        result = paint_image(photo, video, style=style, seed=SEED)
        indices = frame_indices(result.frames, count)
        frames = read_frames(video, indices)
    last = result.frames - 1
    thumbs = [thumbnail(frames[index], f"{round(100 * index / last)} %") for index in indices]
    return tile(thumbs, COLUMNS)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the contact sheet; return the exit status."""
    args = parse_args(argv)
    sheet = contact_sheet(args.photo, args.style, args.frames)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(args.out), sheet, [cv2.IMWRITE_PNG_COMPRESSION, 9]):
        raise OSError(f"could not write {args.out}")
    print(f"wrote {args.out}: {sheet.shape[1]}x{sheet.shape[0]}, {args.out.stat().st_size // 1024} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
