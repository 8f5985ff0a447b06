"""``python -m bench.load_test`` still runs: a tiny load against the server it starts, every check passing."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.helpers.paths import PHOTOS, PROJECT_ROOT

PER_WORKER = "- uploads answered per worker process: "


def test_the_load_test_runs_and_its_checks_pass():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.load_test",
            "--clients",
            "2",
            "--uploads",
            "2",
            "--duration",
            "2",
            "--fps",
            "12",
            "--max-size",
            "128",
            "--photos",
            str(PHOTOS),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "- [x] all 9 uploads answered 200 with a fresh video" in lines  # 2 warm-up, 3 floor, 4 load
    assert "- [x] /api/stats counted 9 uploads, 9 successful (sent 9)" in lines
    assert '- [x] no "database is locked" in the logs' in lines
    assert "- [x] peak worker RSS under 500 MB" in lines
    answered = next(line for line in lines if line.startswith(PER_WORKER))
    assert sum(ast.literal_eval(answered.removeprefix(PER_WORKER)).values()) == 9  # read from the log
    row = next(line for line in lines if line.startswith("| 2 x 2 |")).strip("|").split("|")
    assert len(row) == 10 and float(row[2]) > 0 and 0 < float(row[9]) < 500  # videos/min, peak RSS MB
