"""The commands a person types, each in a fresh interpreter: ``python -m algorithms`` (the
core's command line) and ``flask --app main cleanup``. Their in-process halves are
tests/unit/algorithms/test_cli.py and tests/unit/backend/test_cleanup.py."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.helpers import images
from tests.helpers.commands import flask_command
from tests.helpers.files import aged_file
from tests.helpers.paths import PROJECT_ROOT
from tests.helpers.videos import stream_facts

DAY = 24 * 3600


def test_renders_with_options_and_prints_plain_progress(tmp_path):
    source = images.write(tmp_path / "in.png", images.disc_picture())
    output = tmp_path / "out.mp4"
    finished = subprocess.run(
        [
            sys.executable,
            "-m",
            "algorithms",
            str(source),
            str(output),
            "--duration",
            "2",
            "--fps",
            "12",
            "--max-size",
            "128",
            "--seed",
            "4",
            "--no-tools",
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert finished.returncode == 0, finished.stderr
    assert "rendering: 100%" in finished.stderr and "\r" not in finished.stderr
    assert stream_facts(output)["frames"] == 24


def test_bad_input_exits_non_zero_with_one_line(tmp_path):
    bogus = tmp_path / "bogus.png"
    bogus.write_text("<?php echo 'hi'; ?>")
    finished = subprocess.run(
        [sys.executable, "-m", "algorithms", str(bogus), str(tmp_path / "o.mp4")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert finished.returncode == 1
    assert finished.stderr.strip().count("\n") == 0
    assert finished.stderr.startswith("error: ") and "Traceback" not in finished.stderr
    assert not (tmp_path / "o.mp4").exists()


def test_flask_app_main_cleanup_from_the_shell(tmp_path):
    env = {
        **os.environ,
        "APP_ENV": "development",
        "UPLOAD_FOLDER": str(tmp_path / "up"),
        "OUTPUT_FOLDER": str(tmp_path / "out"),
        "LOG_FOLDER": str(tmp_path / "logs"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}",
    }
    old = aged_file(tmp_path / "out", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mp4", 2 * DAY)
    result = flask_command("cleanup", env=env)
    assert result.returncode == 0, result.stderr
    assert "Removed 0 uploads, 1 videos" in result.stdout and not old.exists()
