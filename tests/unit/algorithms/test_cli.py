"""Tests of ``python -m algorithms``."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

from algorithms.cli import main, progress_printer
from tests.helpers.paths import PROJECT_ROOT
from tests.helpers.videos import stream_facts


def write_picture(path: Path) -> Path:
    picture = np.full((90, 120, 3), 200, np.uint8)
    cv2.circle(picture, (60, 45), 30, (20, 80, 160), -1)
    assert cv2.imwrite(str(path), picture)
    return path


def test_renders_with_options_and_prints_plain_progress(tmp_path):
    source = write_picture(tmp_path / "in.png")
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


def test_out_of_range_option_names_it(tmp_path, capsys):
    source = write_picture(tmp_path / "in.png")
    assert main([str(source), str(tmp_path / "o.mp4"), "--fps", "500"]) == 1
    assert "fps must be a whole number from 12 to 60" in capsys.readouterr().err


def test_progress_bar_redraws_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    report = progress_printer(stream)
    for fraction in (0.25, 0.5, 1.0):
        report(fraction)
    text = stream.getvalue()
    assert text.count("\r") == 3 and text.endswith("100%\n")
    assert "[" + "#" * 30 + "]" in text
