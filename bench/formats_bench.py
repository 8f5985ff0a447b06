"""Formats benchmark: each format's render against the MP4 render of the same picture and options.

Run from the checkout's root: ``.venv/bin/python -m bench.formats_bench``.

Each case (a photo in one format) runs in a fresh process, after a tiny warm-up render in
its format and in MP4: its render and the MP4 render of the same picture and options are
timed in turn, ``ROUNDS`` times, and the best of each kept, so the ratio compares renders
made under the same load. Peak RSS is the process's by the end of its first render, before
any MP4 render. PSNR is the video's last frame against the picture at the video's size.

Targets (the issue): WebM and GIF at most 1.5x the MP4 render; a 12 s default GIF under
about 8 MB.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
import numpy as np

from algorithms import RenderOptions, RenderResult, paint_image
from algorithms.encoding.formats import FORMATS
from algorithms.media.loading import load_image
from bench.benchlib import peak_rss_mb, run_cases
from tests.helpers.paths import PHOTOS
from tests.helpers.videos import psnr

ROUNDS = 5


def measure(image: Path, options: dict, folder: Path, rounds: int) -> dict:
    """Render ``image`` in ``options["format"]`` and in MP4, in turn, ``rounds`` times; the best of each."""
    warm = folder / "warm.png"
    cv2.imwrite(str(warm), np.full((64, 64, 3), 128, np.uint8))
    mp4_options = {**options, "format": "mp4"}
    for name, values in (("warm", options), ("warm-mp4", mp4_options)):
        warm_output = folder / f"{name}{FORMATS[values['format']].extension}"
        paint_image(warm, warm_output, **{**values, "duration": 2, "fps": 12, "max_size": 128})
    output = folder / f"render{FORMATS[options['format']].extension}"
    renders, mp4_renders = [], []
    for _ in range(rounds):
        renders.append(_timed(image, output, options))
        if len(renders) == 1:
            peak_mb = peak_rss_mb()
        if options["format"] != "mp4":
            mp4_renders.append(_timed(image, folder / "mp4.mp4", mp4_options))
    seconds, result = min(renders, key=lambda run: run[0])
    mp4_seconds = min(mp4_renders, key=lambda run: run[0])[0] if mp4_renders else seconds
    picture = load_image(image, max_size=RenderOptions(**options).video_max_size, max_pixels=10**8)
    return {
        "size": f"{result.width}x{result.height}",
        "frames": result.frames,
        "fps": result.fps,
        "bytes": result.video_size,
        "seconds": seconds,
        "mp4_seconds": mp4_seconds,
        "psnr": psnr(_last_frame(output), picture),
        "peak_mb": peak_mb,
    }


def _timed(image: Path, output: Path, options: dict) -> tuple[float, RenderResult]:
    started = time.perf_counter()
    result = paint_image(image, output, **options)
    return time.perf_counter() - started, result


def _last_frame(video: Path) -> np.ndarray:
    with av.open(str(video)) as container:
        *_, last = container.decode(video=0)
    return last.to_ndarray(format="bgr24")


def cases() -> dict[str, tuple[Path, dict]]:
    """Both sample photos at the defaults (12 s, 30 fps, 720 px), in every format."""
    return {
        f"{photo} {name}": (PHOTOS / photo, {"format": name})
        for photo in ("coffee.png", "chelsea.png")
        for name in FORMATS
    }


def main() -> None:
    """Measure every case in a process of its own and print the table."""
    header = (
        f"{'case':<18} {'size':>8} {'frames':>6} {'fps':>4} {'file':>9} {'render':>7} "
        f"{'mp4':>6} {'ratio':>6} {'PSNR dB':>8} {'peak MB':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, row in run_cases("bench.formats_bench", cases(), ROUNDS):
        print(
            f"{name:<18} {row['size']:>8} {row['frames']:>6} {row['fps']:>4} "
            f"{row['bytes'] / 2**20:>6.2f} MiB {row['seconds']:>7.2f} {row['mp4_seconds']:>6.2f} "
            f"{row['seconds'] / row['mp4_seconds']:>6.2f} {row['psnr']:>8.2f} {row['peak_mb']:>8.0f}",
            flush=True,
        )
    print(
        f"best of {ROUNDS} renders of each format and {ROUNDS} MP4 renders per case, in turn, in one "
        "process; ratio = render / mp4"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--case":
        with tempfile.TemporaryDirectory() as folder:
            options = json.loads(sys.argv[3])
            print(json.dumps(measure(Path(sys.argv[2]), options, Path(folder), int(sys.argv[4]))))
    else:
        main()
