"""``algorithms.cli`` in-process: option errors and the progress bar (the command itself,
``python -m algorithms``, runs in tests/system/test_commands.py)."""

from __future__ import annotations

import io

from algorithms.cli import main, progress_printer
from tests.helpers import images


def test_out_of_range_option_names_it(tmp_path, capsys):
    source = images.write(tmp_path / "in.png", images.disc_picture())
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
