"""Issue 12's 4x: our renderer against the original project's, in turns, in the same minutes.

The case is the 512x512 crop of ``coffee.png`` that ``bench.render_bench`` renders into 1,196
frames. The original project (https://github.com/AhmedMedani01/paint-me, the renderer this
one reimplements) runs in an environment of its own, since its dependencies are not ours:
see bench/README.md ("The 4x comparison") for how to set it up. Then, from our checkout's
root::

    .venv/bin/python -m bench.seed_compare --original /tmp/paint-me

Each render runs in a fresh process after a warm-up render: ours through
``bench.render_bench --case`` (one render and its floor), the original's through
``bench/original_runner.py`` with the original's Python. The original decides its own
frame count from the picture (1,066 frames for this one); the table gives both counts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import av

from bench.render_bench import SQUARE_OPTIONS, square_crop
from tests.helpers.paths import PROJECT_ROOT

ROUNDS = 5
TARGET = 4.0


def _ours(image: Path) -> dict:
    """One render of ``image`` by this checkout (after a warm-up), with its floor and frames."""
    finished = subprocess.run(
        [sys.executable, "-m", "bench.render_bench", "--case", str(image), json.dumps(SQUARE_OPTIONS), "1"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


def _original(python: Path, checkout: Path, image: Path, folder: Path) -> dict:
    """One render of ``image`` by the original project (after a warm-up), with its frame count."""
    output, runner = folder / "original.mp4", PROJECT_ROOT / "bench" / "original_runner.py"
    finished = subprocess.run(
        [str(python), str(runner), str(checkout), str(image), str(output)],
        check=True,
        capture_output=True,
        text=True,
    )
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    with av.open(str(output)) as container:
        result["frames"] = sum(1 for _ in container.decode(video=0))
    return result


def _row(name: str, results: list[dict]) -> str:
    """A table row: the frames, each render's seconds, the best, the median and the peak."""
    totals = [result["total"] for result in results]
    peak = max(result["peak_mb"] for result in results)
    return (
        f"| {name} | {results[0]['frames']} | {', '.join(f'{total:.2f}' for total in totals)} | "
        f"{min(totals):.2f} | {statistics.median(totals):.2f} | {peak:.0f} |"
    )


def _speedups(runs: dict[str, list[dict]]) -> str:
    """The original's seconds over ours, best against best and median against median."""
    original, ours = runs["original project"], runs["ours"]
    theirs, mine = [run["total"] for run in original], [run["total"] for run in ours]
    frames = original[0]["frames"] / ours[0]["frames"]  # a frame's speed-up is the case's over this
    best, middle = min(theirs) / min(mine), statistics.median(theirs) / statistics.median(mine)
    return (
        f"ours is {best:.1f}x (best of each) and {middle:.1f}x (medians) faster on the case; "
        f"a frame, {best / frames:.1f}x and {middle / frames:.1f}x (target {TARGET:.0f}x)"
    )


def main() -> None:
    """Time both renderers in turns, print the table and the speed-up."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--original", type=Path, required=True, help="a checkout of the original project")
    parser.add_argument("--python", type=Path, help="its Python (default: ORIGINAL/.venv/bin/python)")
    arguments = parser.parse_args()
    checkout = arguments.original.resolve()
    python = arguments.python or checkout / ".venv" / "bin" / "python"
    runs: dict[str, list[dict]] = {"original project": [], "ours": []}
    with tempfile.TemporaryDirectory() as folder:
        image = square_crop(Path(folder))
        for _ in range(ROUNDS):
            runs["original project"].append(_original(python, checkout, image, Path(folder)))
            runs["ours"].append(_ours(image))
    print("| renderer | frames | seconds | best | median | peak MB |")
    print("| --- | --- | --- | --- | --- | --- |")
    for name, results in runs.items():
        print(_row(name, results))
    print(_speedups(runs))
    print(f"our floor: {statistics.median(result['floor'] for result in runs['ours']):.2f} s (median)")


if __name__ == "__main__":
    main()
