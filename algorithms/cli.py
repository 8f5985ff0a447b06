"""Command line: ``python -m algorithms INPUT OUTPUT [options]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from .encoding.formats import FORMATS
from .errors import PaintError
from .options import OPTIONS, OptionSpec
from .render import paint_image

BAR_WIDTH = 30
_SUFFIXES = [video_format.extension for video_format in FORMATS.values()]
_EXTENSIONS = f"{', '.join(_SUFFIXES[:-1])} or {_SUFFIXES[-1]}"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: one argument per render option, with the core's defaults."""
    parser = argparse.ArgumentParser(
        prog="python -m algorithms",
        description="Render an image as a video (MP4, WebM or GIF) of it being sketched, then painted.",
    )
    parser.add_argument("input", help="PNG, JPEG, GIF, BMP or TIFF image")
    parser.add_argument(
        "output", help=f"the video to write, named {_EXTENSIONS}: its format, unless --format"
    )
    for spec in OPTIONS:
        _add_option(parser, spec)
    # The format follows the output's name unless it is given (see output_format).
    parser.set_defaults(format=None)
    return parser


def output_format(output: str, chosen: str | None) -> str:
    """The format to write ``output`` in: ``chosen``, else the one its extension names.

    Raises ValueError, with the message to show, when the name does not end in the format's
    extension (any case): a file's name always says what it holds.
    """
    suffix = Path(output).suffix.lower()
    named = next((name for name, video_format in FORMATS.items() if video_format.extension == suffix), None)
    if chosen is None:
        if named is None:
            raise ValueError(f"the output's name must end in {_EXTENSIONS} (the format to write)")
        return named
    if named != chosen:
        wanted = Path(output).with_suffix(FORMATS[chosen].extension)
        raise ValueError(
            f"--format {chosen} writes a {FORMATS[chosen].extension} file: name the output {wanted}"
        )
    return chosen


def _add_option(parser: argparse.ArgumentParser, spec: OptionSpec) -> None:
    if spec.kind is bool:
        parser.add_argument(spec.cli_flag, dest=spec.name, action="store_false", help=f"do not {spec.help}")
        return
    flag = "--" + spec.name.replace("_", "-")
    if spec.choices:
        parser.add_argument(flag, choices=spec.choices, default=spec.default, help=spec.help)
        return
    parser.add_argument(flag, type=spec.kind, default=spec.default, help=f"{spec.help}, {spec.range_text}")


def progress_printer(stream: TextIO) -> Callable[[float], None]:
    """A progress callback: a redrawn bar on a terminal, plain lines otherwise."""
    interactive = stream.isatty()
    last_percent = [-1]

    def report(fraction: float) -> None:
        percent = int(fraction * 100)
        if interactive:
            filled = int(fraction * BAR_WIDTH)
            stream.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:3d}%")
            if fraction >= 1.0:
                stream.write("\n")
        elif percent // 10 > last_percent[0] // 10 or fraction >= 1.0:
            stream.write(f"rendering: {percent}%\n")
        last_percent[0] = percent
        stream.flush()

    return report


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        args.format = output_format(args.output, args.format)
    except ValueError as error:
        parser.error(str(error))
    try:
        values = {spec.name: getattr(args, spec.name) for spec in OPTIONS}
        result = paint_image(args.input, args.output, progress=progress_printer(sys.stderr), **values)
    except PaintError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        f"wrote {args.output}: {result.width}x{result.height}, {result.frames} frames, "
        f"{result.duration:g} s, {result.video_size / 1024:.0f} KiB",
        file=sys.stderr,
    )
    return 0
