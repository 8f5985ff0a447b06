"""Framing benchmark: one photo at every aspect, for each style; framing should cost only its pixels.

Run from the checkout's root: ``.venv/bin/python -m bench.framing_bench``.
How cases are measured, and what the floor is: see ``bench/benchlib.py``.

Target (issue: framing): no measurable time beyond the extra pixels. Two measures
of that: ``cpu/MPf``, the render's CPU seconds per million output pixels times frames,
and the ``ratio`` of the render's time to the floor's, libx264 encoding the very same
frames; ``vs orig`` is the CPU ratio over the ``original`` aspect's in the same style.
A frame larger than the picture adds paper, which costs the encoder little and the
renderer a copy of what changed, so both should stay at or below the original's. CPU
seconds (all of the process's threads) are shown beside wall seconds: on a busy shared
machine they vary far less.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import cv2

from algorithms.media.framing import ASPECTS
from bench.benchlib import case_main, run_cases
from tests.helpers.paths import PHOTOS

ROUNDS = 5
STYLES = ("sketch-color", "painterly")


def cases(folder: Path) -> dict[str, tuple[Path, dict]]:
    """Every case as (image, options): ``coffee.png`` enlarged to 1080x720, so its long side is
    the default ``max_size`` (720), at every aspect, in both styles (seed 5)."""
    photo = folder / "coffee_1080x720.png"
    enlarged = cv2.resize(cv2.imread(str(PHOTOS / "coffee.png")), (1080, 720), interpolation=cv2.INTER_CUBIC)
    if not cv2.imwrite(str(photo), enlarged):
        raise RuntimeError("could not write the enlarged photo")
    return {
        f"{style} {aspect}": (photo, {"style": style, "aspect": aspect, "seed": 5})
        for style in STYLES
        for aspect in ASPECTS
    }


def main() -> None:
    """Measure every case in a process of its own and print the table."""
    header = (
        f"{'style':<12} {'aspect':<8} {'size':>9} {'MPf':>5} {'total':>5} {'floor':>5} {'ratio':>5} "
        f"{'cpu':>5} {'floor':>5} {'ratio':>5} {'cpu/MPf':>7} {'vs orig':>7} {'PSNR dB':>7}"
    )
    print(f"{'':<48}{'wall seconds':<18}{'CPU seconds':<18}")
    print(header)
    print("-" * len(header))
    original: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, row in run_cases("bench.framing_bench", cases(Path(folder)), ROUNDS):
            style, aspect = name.split(" ")
            width, height = (int(side) for side in row["size"].split("x"))
            megapixel_frames = width * height * row["frames"] / 1e6
            cpu_ratio = row["cpu"] / row["floor_cpu"]
            original.setdefault(style, cpu_ratio)  # the original aspect comes first
            print(
                f"{style:<12} {aspect:<8} {row['size']:>9} {megapixel_frames:>5.0f} {row['total']:>5.2f} "
                f"{row['floor']:>5.2f} {row['total'] / row['floor']:>5.2f} {row['cpu']:>5.2f} "
                f"{row['floor_cpu']:>5.2f} {cpu_ratio:>5.2f} {row['cpu'] / megapixel_frames:>7.4f} "
                f"{cpu_ratio / original[style]:>7.2f} {row['psnr']:>7.2f}",
                flush=True,
            )
    print(
        f"best of {ROUNDS} renders and {ROUNDS} floors per case, at the defaults; MPf = million "
        "output pixels x frames; CPU seconds are the process's, all threads; vs orig = the CPU ratio "
        "over the original aspect's; PSNR of the last frame's picture area"
    )


if __name__ == "__main__":
    if not case_main(sys.argv):
        main()
