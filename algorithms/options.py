"""The render options, defined once: name, type, default, range or choices, and help.

Everything else derives from :data:`OPTIONS`: :class:`RenderOptions` and its validation,
the command line's arguments, the upload form's parsing, ``GET /api/options``, the web
page's controls and the service's ``RENDER_*`` settings.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from typing import Any

from .encoding.formats import FORMATS
from .errors import InvalidOptionError
from .media.framing import ASPECTS
from .styles import STYLES

DEFAULT_MAX_PIXELS = 40_000_000
MIN_DRAWING_SECONDS = 1.5  # of the duration, left to draw in when a hold is chosen
_FLAG_WORDS = {
    **dict.fromkeys(("1", "true", "yes", "on"), True),
    **dict.fromkeys(("0", "false", "no", "off"), False),
}
FLAG_WORDS = tuple(_FLAG_WORDS)  # every word parse_flag reads (in any case)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")


def parse_flag(raw: str) -> bool | None:
    """The truth value of a yes/no word (``1``/``0``, ``true``/``false``, ``yes``/``no``,
    ``on``/``off``, any case, surrounding blanks ignored), or None for anything else."""
    return _FLAG_WORDS.get(raw.strip().lower())


@dataclass(frozen=True)
class OptionSpec:
    """One render option.

    Attributes
    ----------
    name : str
        The keyword of :func:`~algorithms.paint_image`, the form field, ``--name`` on the CLI.
    kind : type
        ``str`` (with ``choices``), ``int`` or ``float`` (with ``bounds``) or ``bool``.
    default : object
        The core's default; None only for an option that is derived when not given.
    help : str
        One line for the CLI and the documentation.
    choices, bounds
        The allowed words, or the inclusive ``(low, high)`` range of a number.
    plural : str
        For an option with choices: the key of the choices in ``GET /api/options``.
    setting : bool
        Whether the service's ``RENDER_<NAME>`` setting can change the default.
    cli_flag : str
        For a bool defaulting to true: the CLI flag that turns it off.
    """

    name: str
    kind: type
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    bounds: tuple[float, float] | None = None
    plural: str = ""
    setting: bool = True
    cli_flag: str = ""

    @property
    def message(self) -> str:
        """What a valid value is, as the error message says it."""
        if self.choices:
            return f"{self.name} must be one of: {', '.join(self.choices)}"
        if self.bounds is not None:
            whole = "whole " if self.kind is int else ""
            return f"{self.name} must be a {whole}number from {self.range_text}"
        return f"{self.name} must be true or false"

    @property
    def range_text(self) -> str:
        """The range of a number option as ``"low to high"``."""
        assert self.bounds is not None
        low, high = (int(bound) if bound == int(bound) else bound for bound in self.bounds)
        return f"{low} to {high}"

    def validate(self, value: object) -> Any:
        """Return ``value`` as this option's type, or raise InvalidOptionError naming the option."""
        if value is None and self.default is None:
            return None
        if self.choices:
            if value not in self.choices:
                raise InvalidOptionError(self.name, self.message)
            return value
        if self.kind is bool:
            if not isinstance(value, bool):
                raise InvalidOptionError(self.name, self.message)
            return value
        return self._number(value)

    def parse(self, raw: str) -> Any:
        """Parse and validate the text ``raw`` (a form field, an environment variable)."""
        text = raw.strip()
        if self.kind is bool:
            return self.validate(parse_flag(text))
        if self.bounds is None:
            return self.validate(text)
        if len(text) > 40 or not _NUMBER.match(text):
            raise InvalidOptionError(self.name, self.message)
        return self.validate(int(text) if text.lstrip("+-").isdigit() else float(text))

    def _number(self, value: object) -> int | float:
        assert self.bounds is not None
        low, high = self.bounds
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise InvalidOptionError(self.name, self.message)
        if not math.isfinite(value) or not low <= value <= high:
            raise InvalidOptionError(self.name, self.message)
        if self.kind is int and value != int(value):
            raise InvalidOptionError(self.name, self.message)
        return self.kind(value)


OPTIONS: tuple[OptionSpec, ...] = (
    OptionSpec("style", str, "sketch-color", "animation style", choices=tuple(STYLES), plural="styles"),
    OptionSpec("duration", float, 12.0, "seconds", bounds=(2.0, 60.0)),
    OptionSpec("fps", int, 30, "frames per second", bounds=(12, 60)),
    OptionSpec(
        "max_size",
        int,
        720,
        "long side of the video in pixels (small images go up to 256)",
        bounds=(128, 1920),
    ),
    OptionSpec(
        "seed",
        int,
        None,
        "random seed; default: derived from the image",
        bounds=(0, 2**32 - 1),
        setting=False,
    ),
    OptionSpec("show_tools", bool, True, "draw the pencil and brush", cli_flag="--no-tools"),
    OptionSpec(
        "tool",
        str,
        "hand",
        "what draws: a hand holding the pencil and brush, the tools alone, or nothing",
        choices=("hand", "pencil", "none"),
        plural="tools",
    ),
    OptionSpec(
        "finish",
        str,
        "painting",
        "painterly style: end on the painting or on the photo",
        choices=("painting", "photo"),
        plural="finishes",
    ),
    OptionSpec(
        "format",
        str,
        "mp4",
        "the file: MP4 (H.264), WebM (VP9, at most 1280 px) or a looping GIF (its own frame rate and size)",
        choices=tuple(FORMATS),
        plural="formats",
    ),
    OptionSpec(
        "aspect",
        str,
        "original",
        "the frame's shape; the picture is fitted inside it, centred on the paper",
        choices=tuple(ASPECTS),
        plural="aspects",
    ),
    OptionSpec(
        "hold",
        float,
        None,
        f"seconds of the finished picture at the end, leaving {MIN_DRAWING_SECONDS:g} s to draw; "
        "default: the style's (about a sixth of the duration)",
        bounds=(0.0, 58.5),
    ),
)
OPTION = {spec.name: spec for spec in OPTIONS}


@dataclass(frozen=True)
class RenderOptions:
    """Validated render options (see :func:`algorithms.paint_image` and :data:`OPTIONS`).

    ``max_pixels`` is a limit on the input, not a property of the video: images with more
    pixels are refused before they are decoded.
    """

    style: str = OPTION["style"].default
    duration: float = OPTION["duration"].default
    fps: int = OPTION["fps"].default
    max_size: int = OPTION["max_size"].default
    seed: int | None = OPTION["seed"].default
    show_tools: bool = OPTION["show_tools"].default
    tool: str = OPTION["tool"].default
    finish: str = OPTION["finish"].default
    format: str = OPTION["format"].default
    aspect: str = OPTION["aspect"].default
    hold: float | None = OPTION["hold"].default
    max_pixels: int = DEFAULT_MAX_PIXELS

    def __post_init__(self) -> None:
        for spec in OPTIONS:
            object.__setattr__(self, spec.name, spec.validate(getattr(self, spec.name)))
        if isinstance(self.max_pixels, bool) or not isinstance(self.max_pixels, int) or self.max_pixels < 1:
            raise InvalidOptionError("max_pixels", "max_pixels must be a positive integer")
        if self.hold is not None and self.duration - self.hold < MIN_DRAWING_SECONDS:
            raise InvalidOptionError(
                "hold",
                f"hold ({self.hold:g} s) must leave at least {MIN_DRAWING_SECONDS:g} s of duration "
                f"({self.duration:g} s) to draw",
            )

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> RenderOptions:
        """Build the options from ``values``; an unknown name is an InvalidOptionError naming it."""
        known = {field.name for field in dataclasses.fields(cls)}
        for name in values:
            if name not in known:
                raise InvalidOptionError(name, f"{name} is not a render option")
        return cls(**values)

    @property
    def drawn_tool(self) -> str:
        """The tool the frames show: ``tool``, or ``"none"`` when ``show_tools`` is false."""
        return self.tool if self.show_tools else "none"

    @property
    def video_fps(self) -> int:
        """The video's frame rate: ``fps``, or the format's own (a GIF's)."""
        return FORMATS[self.format].fps or self.fps

    @property
    def video_max_size(self) -> int:
        """The long side of the video's frame: ``max_size``, within the format's cap (GIF, WebM)."""
        return min(self.max_size, FORMATS[self.format].max_size or self.max_size)

    @property
    def frame_count(self) -> int:
        """Exact number of frames of the video: ``round(duration * video_fps)``."""
        return int(round(self.duration * self.video_fps))

    @property
    def hold_frames(self) -> int | None:
        """Frames of the final hold (at least the last one), or None for the style's default."""
        if self.hold is None:
            return None
        return max(1, int(round(self.hold * self.video_fps)))

    def video_settings(self) -> dict[str, Any]:
        """The options that decide the video (everything but the input limit ``max_pixels``)."""
        return {spec.name: getattr(self, spec.name) for spec in OPTIONS}
