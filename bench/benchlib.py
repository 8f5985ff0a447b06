"""What the benchmarks share: a render timed against the encode floor, in its own process.

Each case runs in a fresh process (so peak RSS is its own) that first renders a
tiny warm-up image, as a service worker would have done. The floor is libx264
(preset veryfast, CRF 23) encoding the very frames of the rendered video, decoded
into memory beforehand, with the project's own VideoWriter: the time any renderer
needs just to encode those frames. Render and floor are timed ``rounds`` times
each, alternately, and the best of each is kept. The floor uses plain
``veryfast`` (the renderer's own encoder settings are cheaper, see README): the machine is shared and noisy,
so compare ratios, not seconds. PSNR compares the video's last frame (where the
picture is in the frame, for an ``aspect``) with the picture.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import av
import cv2
import numpy as np

from algorithms import paint_image
from algorithms.encoding.codecs import h264
from algorithms.encoding.writer import VideoWriter
from algorithms.media.framing import fit
from algorithms.media.loading import load_image
from algorithms.options import DEFAULT_MAX_PIXELS
from tests.helpers.paths import PROJECT_ROOT
from tests.helpers.videos import psnr


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM; ru_maxrss would include the parent's)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def measure(image: Path, options: dict, folder: Path, rounds: int) -> dict:
    """Render ``image`` with ``options`` (after a warm-up) and the floor on its frames, best of ``rounds``."""
    warm = folder / "warm.png"
    cv2.imwrite(str(warm), np.full((64, 64, 3), 128, np.uint8))
    paint_image(
        warm,
        folder / "warm.mp4",
        style=options.get("style", "sketch-color"),
        duration=2,
        fps=12,
        max_size=128,
    )
    output = folder / "render.mp4"
    renders, floors, render_cpu, floor_cpu = [], [], [], []
    for _ in range(rounds):
        started, cpu_started = time.perf_counter(), time.process_time()
        result = paint_image(image, output, **options)
        renders.append((time.perf_counter() - started, result))
        render_cpu.append(time.process_time() - cpu_started)
        if len(renders) == 1:
            peak_mb = peak_rss_mb()  # the render's own peak, before the floor's frames are held
            planes, final = _decoded(output)
        cpu_started = time.process_time()
        floors.append(_encode_floor(planes, result, folder))
        floor_cpu.append(time.process_time() - cpu_started)
    total, result = min(renders, key=lambda run: run[0])
    picture = load_image(image, max_size=options.get("max_size", 720), max_pixels=DEFAULT_MAX_PIXELS)
    picture, placement = fit(picture, aspect=options.get("aspect", "original"))
    return {
        "size": f"{result.width}x{result.height}",
        "frames": result.frames,
        "phases": result.phase_seconds,
        "total": total,
        "floor": min(floors),
        "cpu": min(render_cpu),  # CPU seconds of all the process's threads: steadier on a busy machine
        "floor_cpu": min(floor_cpu),
        "psnr": psnr(placement.window(final), picture),
        "peak_mb": peak_mb,
    }


def run_cases(module: str, cases: dict[str, tuple[Path, dict]], rounds: int) -> Iterator[tuple[str, dict]]:
    """Run every case in a fresh ``python -m module --case`` process; yield (name, measurements)."""
    for name, (image, options) in cases.items():
        finished = subprocess.run(
            [sys.executable, "-m", module, "--case", str(image), json.dumps(options), str(rounds)],
            cwd=PROJECT_ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        yield name, json.loads(finished.stdout.strip().splitlines()[-1])


def case_main(argv: list[str]) -> bool:
    """If ``argv`` asks for one case (``--case IMAGE OPTIONS ROUNDS``), measure it, print JSON and
    return True."""
    if len(argv) != 5 or argv[1] != "--case":
        return False
    with tempfile.TemporaryDirectory() as folder:
        print(json.dumps(measure(Path(argv[2]), json.loads(argv[3]), Path(folder), int(argv[4]))))
    return True


def _decoded(video: Path) -> tuple[list[np.ndarray], np.ndarray]:
    """The video's frames as I420 planes, and its last frame as BGR."""
    with av.open(str(video)) as container:
        planes, last = [], None
        for frame in container.decode(video=0):
            planes.append(frame.to_ndarray(format="yuv420p"))
            last = frame
    return planes, last.to_ndarray(format="bgr24")


def _encode_floor(planes: list[np.ndarray], result, folder: Path) -> float:
    """Seconds the project's VideoWriter (veryfast, CRF 23) takes to encode ``planes``."""
    started = time.perf_counter()
    with VideoWriter(
        folder / "floor.mp4",
        width=result.width,
        height=result.height,
        fps=result.fps,
        encoder=h264(result.width, result.height, preset="veryfast", crf=23, x264_params=""),
    ) as writer:
        for plane in planes:
            writer.write_yuv420(plane)
    return time.perf_counter() - started
