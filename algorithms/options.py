"""Validation of the render options, in one place for the API, CLI and server."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import InvalidOptionError

STYLES = ("sketch-color", "painterly")
FINISHES = ("painting", "photo")

DURATION_RANGE = (2.0, 60.0)
FPS_RANGE = (12, 60)
MAX_SIZE_RANGE = (128, 1920)
SEED_RANGE = (0, 2**32 - 1)
DEFAULT_MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class RenderOptions:
    """Validated render options (see :func:`algorithms.paint_image`)."""

    style: str = "sketch-color"
    duration: float = 12.0
    fps: int = 30
    max_size: int = 720
    seed: int | None = None
    show_tools: bool = True
    max_pixels: int = DEFAULT_MAX_PIXELS
    finish: str = "painting"

    def __post_init__(self) -> None:
        _check_choice("style", self.style, STYLES)
        _check_choice("finish", self.finish, FINISHES)
        object.__setattr__(self, "duration", _check_number("duration", self.duration, DURATION_RANGE, float))
        object.__setattr__(self, "fps", _check_number("fps", self.fps, FPS_RANGE, int))
        object.__setattr__(self, "max_size", _check_number("max_size", self.max_size, MAX_SIZE_RANGE, int))
        if self.seed is not None:
            object.__setattr__(self, "seed", _check_number("seed", self.seed, SEED_RANGE, int))
        if not isinstance(self.show_tools, bool):
            raise InvalidOptionError("show_tools", "show_tools must be true or false")
        if isinstance(self.max_pixels, bool) or not isinstance(self.max_pixels, int) or self.max_pixels < 1:
            raise InvalidOptionError("max_pixels", "max_pixels must be a positive integer")

    @property
    def frame_count(self) -> int:
        """Exact number of frames of the video: ``round(duration * fps)``."""
        return int(round(self.duration * self.fps))


def _check_choice(name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise InvalidOptionError(name, f"{name} must be one of: {', '.join(choices)}")


def _check_number(name: str, value: object, bounds: tuple[float, float], kind: type) -> float | int:
    low, high = bounds
    message = f"{name} must be a number from {low:g} to {high:g}"
    if kind is int:
        message = f"{name} must be a whole number from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidOptionError(name, message)
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidOptionError(name, message)
    if kind is int and value != int(value):
        raise InvalidOptionError(name, message)
    return kind(value)
