"""Render benchmark: seconds per phase, the encode floor, the ratio to it, peak RSS.

Run: ``.venv/bin/python bench/render_bench.py`` (or ``make bench``).

Each case runs in a fresh process (so peak RSS is its own) that first renders a
tiny warm-up image, as a service worker would have. The floor is libx264
(preset veryfast, CRF 23) encoding the very frames of the rendered video,
decoded into memory beforehand, with the project's own VideoWriter: the time any
renderer needs just to encode those frames. The machine is shared, so compare
ratios, not seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT.parent / "shared" / "photos"
sys.path.insert(0, str(ROOT))

from algorithms import paint_image  # noqa: E402
from algorithms.video import VideoWriter  # noqa: E402

SEED_PROJECT_SECONDS = 8.3  # the seed renderer, 512x512 photo, 1,196 frames, this machine


def make_inputs(folder: Path) -> dict[str, tuple[Path, dict]]:
    """Write the generated inputs and list every case as (image, options)."""
    coffee, chelsea = PHOTOS / "coffee.png", PHOTOS / "chelsea.png"
    big = folder / "generated_4000x3000.jpg"
    rng = np.random.default_rng(7)
    photo = cv2.resize(cv2.imread(str(coffee)), (4000, 3000), interpolation=cv2.INTER_CUBIC)
    noise = rng.normal(0, 6, photo.shape).astype(np.float32)
    if not cv2.imwrite(str(big), np.clip(photo + noise, 0, 255).astype(np.uint8)):
        raise RuntimeError("could not write the generated JPEG")
    square = folder / "coffee_512x512.png"
    if not cv2.imwrite(str(square), cv2.resize(cv2.imread(str(coffee))[:, 100:500], (512, 512))):
        raise RuntimeError("could not write the square crop")
    return {
        "coffee.png defaults": (coffee, {}),
        "chelsea.png defaults": (chelsea, {}),
        "coffee.png 512px/40s": (coffee, {"max_size": 512, "duration": 40.0}),
        "chelsea.png 512px/40s": (chelsea, {"max_size": 512, "duration": 40.0}),
        "4000x3000 JPEG defaults": (big, {}),
        "512x512 photo, 1196 frames": (square, {"max_size": 512, "duration": 1196 / 30}),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def measure(image: Path, options: dict, folder: Path) -> dict:
    """Render once (after a warm-up) and time the encode floor on the same frames."""
    warm = folder / "warm.png"
    cv2.imwrite(str(warm), np.full((64, 64, 3), 128, np.uint8))
    paint_image(warm, folder / "warm.mp4", duration=2, fps=12, max_size=128)
    output = folder / "render.mp4"
    started = time.perf_counter()
    result = paint_image(image, output, **options)
    total = time.perf_counter() - started
    peak_mb = peak_rss_mb()
    with av.open(str(output)) as container:
        planes = [frame.to_ndarray(format="yuv420p") for frame in container.decode(video=0)]
    started = time.perf_counter()
    with VideoWriter(folder / "floor.mp4", width=result.width, height=result.height,
                     fps=result.fps) as writer:
        for frame in planes:
            writer.write_yuv420(frame)
    floor = time.perf_counter() - started
    return {"size": f"{result.width}x{result.height}", "frames": result.frames,
            "phases": result.phase_seconds, "total": total, "floor": floor, "peak_mb": peak_mb}


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--case":
        image, options = sys.argv[2], json.loads(sys.argv[3])
        with tempfile.TemporaryDirectory() as folder:
            print(json.dumps(measure(Path(image), options, Path(folder))))
        return
    header = (f"{'case':<28} {'size':>9} {'frames':>6} {'decode':>6} {'plan':>6} {'draw*':>6} "
              f"{'total':>6} {'floor':>6} {'ratio':>6} {'peak MB':>8}")
    print(header)
    print("-" * len(header))
    with tempfile.TemporaryDirectory() as folder:
        for name, (image, options) in make_inputs(Path(folder)).items():
            row = json.loads(subprocess.run(
                [sys.executable, __file__, "--case", str(image), json.dumps(options)],
                check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1])
            phases = row["phases"]
            print(f"{name:<28} {row['size']:>9} {row['frames']:>6} {phases['decode']:>6.2f} "
                  f"{phases['plan']:>6.2f} {phases['draw']:>6.2f} {row['total']:>6.2f} "
                  f"{row['floor']:>6.2f} {row['total'] / row['floor']:>6.2f} {row['peak_mb']:>8.0f}",
                  flush=True)
            if name.startswith("512x512"):
                print(f"{'':<28} seed project: {SEED_PROJECT_SECONDS:.1f} s -> "
                      f"{SEED_PROJECT_SECONDS / row['total']:.1f}x faster")
    print("* draw runs on its own thread, overlapped with encoding; total = decode + plan + "
          "drawing/encoding wall time")


if __name__ == "__main__":
    main()
