"""Command line: ``python -m algorithms INPUT OUTPUT [options]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from .errors import PaintError
from .options import FINISHES, STYLES, RenderOptions
from .render import paint_image

BAR_WIDTH = 30


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with the API's defaults."""
    defaults = RenderOptions()
    parser = argparse.ArgumentParser(
        prog="python -m algorithms",
        description="Render an image as an MP4 of it being sketched, then painted.")
    parser.add_argument("input", help="PNG, JPEG, GIF, BMP or TIFF image")
    parser.add_argument("output", help="MP4 file to write")
    parser.add_argument("--style", choices=STYLES, default=defaults.style)
    parser.add_argument("--duration", type=float, default=defaults.duration, help="seconds, 2 to 60")
    parser.add_argument("--fps", type=int, default=defaults.fps, help="12 to 60")
    parser.add_argument("--max-size", type=int, default=defaults.max_size,
                        help="long side in pixels, 128 to 1920")
    parser.add_argument("--seed", type=int, default=None, help="default: derived from the image")
    parser.add_argument("--finish", choices=FINISHES, default=defaults.finish,
                        help="painterly style: end on the painting or on the photo")
    parser.add_argument("--no-tools", action="store_true", help="hide the pencil and brush")
    return parser


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
    args = build_parser().parse_args(argv)
    try:
        result = paint_image(args.input, args.output, style=args.style, duration=args.duration,
                             fps=args.fps, max_size=args.max_size, seed=args.seed,
                             show_tools=not args.no_tools, finish=args.finish,
                             progress=progress_printer(sys.stderr))
    except PaintError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.output}: {result.width}x{result.height}, {result.frames} frames, "
          f"{result.duration:g} s, {result.video_size / 1024:.0f} KiB", file=sys.stderr)
    return 0
