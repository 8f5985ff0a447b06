"""Render benchmark (style sketch-color): seconds per phase, the encode floor, the ratio, peak RSS.

Run from the checkout's root: ``.venv/bin/python -m bench.render_bench`` (or ``make bench``).
How cases are measured, and what the floor is: see ``bench/benchlib.py``.

Targets (issue 2): at most 1.3x the floor for the photos, 1.5x for the 12 MP JPEG,
peak RSS under 300 MB; at least 4x faster than the original project on the 512x512 case
of 1,196 frames (timed against it, in the same minutes, by ``bench.seed_compare``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import cv2
import numpy as np

from bench.benchlib import case_main, run_cases
from tests.helpers.paths import PHOTOS

ROUNDS = 5
SQUARE_OPTIONS = {"max_size": 512, "duration": 1196 / 30}  # the seed comparison's case


def cases(folder: Path) -> dict[str, tuple[Path, dict]]:
    """Write the generated inputs and list every case as (image, options)."""
    coffee, chelsea = PHOTOS / "coffee.png", PHOTOS / "chelsea.png"
    big = folder / "generated_4000x3000.jpg"
    rng = np.random.default_rng(7)
    photo = cv2.resize(cv2.imread(str(coffee)), (4000, 3000), interpolation=cv2.INTER_CUBIC)
    noise = rng.normal(0, 6, photo.shape).astype(np.float32)
    if not cv2.imwrite(str(big), np.clip(photo + noise, 0, 255).astype(np.uint8)):
        raise RuntimeError("could not write the generated JPEG")
    square = square_crop(folder)
    return {
        "coffee.png defaults": (coffee, {}),
        "chelsea.png defaults": (chelsea, {}),
        "coffee.png 512px/40s": (coffee, {"max_size": 512, "duration": 40.0}),
        "chelsea.png 512px/40s": (chelsea, {"max_size": 512, "duration": 40.0}),
        "4000x3000 JPEG defaults": (big, {}),
        "512x512 photo, 1196 frames": (square, SQUARE_OPTIONS),
    }


def square_crop(folder: Path) -> Path:
    """Write the 512x512 crop of ``coffee.png`` (the seed comparison's picture) into ``folder``."""
    square = folder / "coffee_512x512.png"
    crop = cv2.imread(str(PHOTOS / "coffee.png"))[:, 100:500]
    if not cv2.imwrite(str(square), cv2.resize(crop, (512, 512))):
        raise RuntimeError("could not write the square crop")
    return square


def main() -> None:
    """Write the inputs, measure every case in a process of its own, print the table."""
    header = (
        f"{'case':<28} {'size':>9} {'frames':>6} {'decode':>6} {'plan':>6} {'draw*':>6} "
        f"{'total':>6} {'floor':>6} {'ratio':>6} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for name, row in run_cases("bench.render_bench", cases(Path(folder)), ROUNDS):
            phases = row["phases"]
            print(
                f"{name:<28} {row['size']:>9} {row['frames']:>6} {phases['decode']:>6.2f} "
                f"{phases['plan']:>6.2f} {phases['draw']:>6.2f} {row['total']:>6.2f} "
                f"{row['floor']:>6.2f} {row['total'] / row['floor']:>6.2f} {row['peak_mb']:>8.0f}",
                flush=True,
            )
    print(
        f"best of {ROUNDS} renders and {ROUNDS} floors per case; * draw runs on its own thread, "
        "overlapped with encoding; total = decode + plan + drawing/encoding wall time"
    )


if __name__ == "__main__":
    if not case_main(sys.argv):
        main()
