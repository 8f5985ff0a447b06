"""How the sketch-color video reads: tone of the sketch, straight cuts and paper holes in the
colour phase, and how the tool moves.

Run from the repository root: ``python -m bench.sketch_color_bench [--photos DIR] [--seed N]``.
Each photo is rendered at the defaults twice with the same seed, with and without tools;
the measures are those of the sketch-color issue (see bench/README.md for the definitions
and the latest figures).
"""

from __future__ import annotations

import argparse
import tempfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from algorithms import RenderOptions, paint_image
from algorithms.media.loading import load_image
from algorithms.styles.sketch_color.animation import sketch_phases
from bench.look import decode, tool_motion

SHARED_PHOTOS = Path(__file__).resolve().parents[2] / "shared" / "photos"
PAPER_TOLERANCE = 14  # a pixel within this of the paper colour (per channel) is paper
DISC = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))


@dataclass(frozen=True)
class Measures:
    """The issue's measures for one photo."""

    tone: float
    straight_cut: float
    holes: float
    motion_median: float
    motion_p95: float
    jumps_per_10s: float


def tone_correlation(sketch: np.ndarray, picture: np.ndarray) -> float:
    """Pearson correlation of the blurred grayscale of the sketch frame and of the picture."""
    sigma = float(np.hypot(*picture.shape[:2])) / 120.0
    blurred = [
        cv2.GaussianBlur(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY).astype(np.float32), (0, 0), sigma)
        for image in (sketch, picture)
    ]
    return float(np.corrcoef(blurred[0].ravel(), blurred[1].ravel())[0, 1])


def painted_mask(frame: np.ndarray, paper: np.ndarray) -> np.ndarray:
    """Pixels that are not paper-coloured, opened with a 5 px disc (pencil lines dropped), uint8 0/1."""
    differs = (np.abs(frame.astype(np.int16) - paper).max(axis=2) > PAPER_TOLERANCE).astype(np.uint8)
    return cv2.morphologyEx(differs, cv2.MORPH_OPEN, DISC)


def longest_run(mask: np.ndarray) -> int:
    """The longest run of set pixels along any row of ``mask`` (0/1)."""
    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(padded, axis=1)
    starts, stops = np.nonzero(edges == 1), np.nonzero(edges == -1)
    return int((stops[1] - starts[1]).max()) if len(starts[1]) else 0


def straight_cut(frame: np.ndarray, paper: np.ndarray, content: np.ndarray) -> float:
    """Longest axis-aligned run of paper/paint boundary inside the content, over the frame side."""
    painted = painted_mask(frame, paper)
    inside = cv2.erode(content, np.ones((3, 3), np.uint8))
    horizontal = (painted[1:, :] != painted[:-1, :]) & (inside[1:, :] > 0)  # boundary between rows
    vertical = (painted[:, 1:] != painted[:, :-1]) & (inside[:, 1:] > 0)
    height, width = painted.shape
    return max(longest_run(horizontal) / width, longest_run(vertical.T) / height)


def holes(frame: np.ndarray, paper: np.ndarray, content: np.ndarray) -> int:
    """Paper islands of 0.02-1 % of the frame, enclosed by paint, where the final picture has content."""
    unpainted = 1 - painted_mask(frame, paper)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(unpainted, connectivity=4)
    height, width = unpainted.shape
    area = height * width
    found = 0
    for label in range(1, count):
        x, y, w, h, pixels = stats[label]
        touches_border = x == 0 or y == 0 or x + w == width or y + h == height
        if touches_border or not 0.0002 * area <= pixels <= 0.01 * area:
            continue
        if content[labels == label].mean() > 0.5:
            found += 1
    return found


def measure(photo: Path, seed: int, folder: Path) -> Measures:
    """Render ``photo`` with and without tools and take every measure."""
    options = RenderOptions(seed=seed)
    paint_image(photo, folder / "tools.mp4", options)
    paint_image(photo, folder / "plain.mp4", options, show_tools=False)
    tooled, plain = decode(folder / "tools.mp4"), decode(folder / "plain.mp4")
    picture = load_image(photo, max_size=options.max_size, max_pixels=options.max_pixels)
    phases = sketch_phases(len(plain), options.fps)
    paper = plain[0].astype(np.int16)
    content = painted_mask(plain[-1], paper)
    colour = plain[phases.sketch : phases.sketch + phases.colour]
    late = colour[int(0.7 * len(colour)) : int(0.9 * len(colour)) + 1]
    median, p95, jumps = tool_motion(tooled, plain, options.fps)
    return Measures(
        tone=tone_correlation(plain[phases.sketch - 1], picture),
        straight_cut=max(straight_cut(frame, paper, content) for frame in colour),
        holes=float(np.mean([holes(frame, paper, content) for frame in late])),
        motion_median=median,
        motion_p95=p95,
        jumps_per_10s=jumps,
    )


def main() -> None:
    """Print the measures for each photo as a table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=Path, default=SHARED_PHOTOS)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"{'photo':<14}{'tone':>7}{'cut':>7}{'holes':>7}{'move50':>8}{'move95':>8}{'jumps/10s':>11}")
    for photo in sorted(args.photos.glob("*.png")):
        with tempfile.TemporaryDirectory() as folder:
            found = measure(photo, args.seed, Path(folder))
        print(
            f"{photo.name:<14}{found.tone:7.2f}{found.straight_cut:7.2f}{found.holes:7.1f}"
            f"{found.motion_median:8.3f}{found.motion_p95:8.3f}{found.jumps_per_10s:11.1f}"
        )
    print("targets:        >=0.6  <=0.10  <=3   <=0.050 <=0.080     <=3")


if __name__ == "__main__":
    main()
