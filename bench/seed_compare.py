"""The seed comparison of issue 12, in the same minutes: our renderer against the one measured
4.1 to 7.1 times faster than the seed project, on the 512x512 photo of 1,196 frames.

Run from the checkout's root (a git checkout: the reference is built from its history):
``.venv/bin/python -m bench.seed_compare``. The seed project's 8.3 s was measured once, on
this machine when it was about twice as fast; the seed project itself cannot be run here.
The renderer of commit :data:`REFERENCE_COMMIT` (the last before issue 12's rewrite) was
timed against that 8.3 s in issue 2's runs, at :data:`REFERENCE_SPEEDUPS`. It is checked out
into a temporary git worktree and timed in turns with ours, each render in a fresh process
after a warm-up (``bench/render_bench.py --case``, one render and one floor a process); the
medians make the ratio, and the ratio carries the reference's speed-up over to ours.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.render_bench import SQUARE_OPTIONS, square_crop
from tests.helpers.paths import PROJECT_ROOT

REFERENCE_COMMIT = "d29cea6"
REFERENCE_SPEEDUPS = (4.1, 7.1)  # the reference against the seed project's 8.3 s (issue 2)
ROUNDS = 4
REFERENCE = f"before issue 12 ({REFERENCE_COMMIT})"


def _case(command: list[str], cwd: Path, image: Path) -> dict:
    """One render and floor of ``image`` by the checkout at ``cwd``, as JSON."""
    finished = subprocess.run(
        [*command, "--case", str(image), json.dumps(SQUARE_OPTIONS), "1"],
        cwd=cwd,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(finished.stdout.strip().splitlines()[-1])


def main() -> None:
    """Check the reference out, time both renderers in turns, print the table and the ratio."""
    with tempfile.TemporaryDirectory() as folder:
        reference = Path(folder) / "reference"
        git = ["git", "-C", str(PROJECT_ROOT)]
        checkout = ["worktree", "add", "--detach", "-q", str(reference), REFERENCE_COMMIT]
        subprocess.run([*git, *checkout], check=True)
        try:
            image = square_crop(Path(folder))
            renderers = {  # the reference's bench ran as a script, ours as a module
                REFERENCE: ([sys.executable, "bench/render_bench.py"], reference),
                "now": ([sys.executable, "-m", "bench.render_bench"], PROJECT_ROOT),
            }
            runs: dict[str, list[dict]] = {name: [] for name in renderers}
            for _ in range(ROUNDS):
                for name, (command, cwd) in renderers.items():
                    runs[name].append(_case(command, cwd, image))
        finally:
            subprocess.run([*git, "worktree", "remove", "--force", str(reference)], check=True)
    print("| renderer | renders s | median | floors s | median |")
    print("| --- | --- | --- | --- | --- |")
    medians = {}
    for name, results in runs.items():
        totals, floors = [run["total"] for run in results], [run["floor"] for run in results]
        medians[name] = statistics.median(totals)
        print(
            f"| {name} | {', '.join(f'{t:.2f}' for t in totals)} | {medians[name]:.2f} | "
            f"{', '.join(f'{f:.2f}' for f in floors)} | {statistics.median(floors):.2f} |"
        )
    ratio = medians["now"] / medians[REFERENCE]
    low, high = (speedup / ratio for speedup in REFERENCE_SPEEDUPS)
    print(
        f"now / before: {ratio:.2f}; the reference was {REFERENCE_SPEEDUPS[0]} to {REFERENCE_SPEEDUPS[1]}x "
        f"faster than the seed project, so ours is about {low:.1f} to {high:.1f}x (target: 4x)"
    )


if __name__ == "__main__":
    main()
