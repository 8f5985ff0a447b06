"""``algorithms.cli`` in-process: option errors, the format and the output's name, and the
progress bar (the command itself, ``python -m algorithms``, runs in tests/system/test_commands.py)."""

from __future__ import annotations

import io
import re

import pytest

from algorithms.cli import main, output_format, progress_printer
from algorithms.encoding.formats import GIF_FPS
from tests.helpers import images
from tests.helpers.videos import stream_facts


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


@pytest.mark.parametrize(
    "name, chosen, expected",
    [("o.mp4", None, "mp4"), ("o.WebM", None, "webm"), ("o.gif", "gif", "gif"), ("a.b.gif", None, "gif")],
)
def test_the_format_is_the_one_given_or_the_output_s_extension(name, chosen, expected):
    assert output_format(name, chosen) == expected


def test_a_gif_named_so_is_rendered_as_one(tmp_path, capsys):
    source = images.write(tmp_path / "in.png", images.disc_picture())
    output = tmp_path / "out.gif"
    assert main([str(source), str(output), "--duration", "2", "--max-size", "128"]) == 0
    assert (stream_facts(output)["codec"], stream_facts(output)["frames"]) == ("gif", 2 * GIF_FPS)
    assert "wrote" in capsys.readouterr().err


@pytest.mark.parametrize(
    "name, extra, words",
    [
        ("o.mp4", ["--format", "gif"], "--format gif writes a .gif file: name the output .*o.gif"),
        ("o.mov", [], r"must end in \.mp4, \.webm or \.gif"),
        ("o", ["--format", "webm"], "name the output .*o.webm"),
    ],
)
def test_an_output_not_named_for_its_format_is_refused_before_rendering(tmp_path, capsys, name, extra, words):
    source = images.write(tmp_path / "in.png", images.disc_picture())
    with pytest.raises(SystemExit) as exited:
        main([str(source), str(tmp_path / name), *extra])
    assert exited.value.code == 2
    assert re.search(words, capsys.readouterr().err)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["in.png"]
