"""The one definition of the render options (algorithms/options.py) and what derives from it."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from algorithms import OPTION, OPTIONS, InvalidOptionError, RenderOptions, paint_image
from algorithms.cli import build_parser
from backend.config import Config, ConfigError

PHOTO = Path(__file__).resolve().parents[2] / "data" / "photos" / "chelsea.png"


def bad_values(name: str) -> list[object]:
    """Values the option ``name`` must refuse, whatever its kind."""
    spec = OPTION[name]
    if spec.choices:
        return ["", "SKETCH-COLOR", 3, None]
    if spec.kind is bool:
        return ["yes", 1, None]
    low, high = spec.bounds or (0, 0)
    values: list[object] = [low - 1, high + 1, math.nan, math.inf, "3", True]
    return values + ([low + 0.5] if spec.kind is int else [])


@pytest.mark.parametrize("spec", OPTIONS, ids=lambda spec: spec.name)
def test_each_default_is_valid_and_is_the_dataclass_default(spec) -> None:
    assert spec.validate(spec.default) == spec.default
    assert getattr(RenderOptions(), spec.name) == spec.default


@pytest.mark.parametrize(
    "name,value",
    [(spec.name, value) for spec in OPTIONS for value in bad_values(spec.name) if value is not None],
)
def test_a_bad_value_is_refused_naming_the_option(name: str, value: object) -> None:
    with pytest.raises(InvalidOptionError) as caught:
        RenderOptions(**{name: value})
    assert caught.value.option == name and str(caught.value).startswith(name)


def test_the_text_of_a_form_or_setting_is_parsed_by_kind() -> None:
    assert OPTION["duration"].parse(" 7.5 ") == 7.5 and OPTION["fps"].parse("+24") == 24
    assert OPTION["show_tools"].parse("Off") is False and OPTION["show_tools"].parse("1") is True
    assert OPTION["style"].parse("painterly") == "painterly"
    for name, text in (("fps", "24.5"), ("duration", "1e999"), ("duration", "0x10"), ("show_tools", "maybe")):
        with pytest.raises(InvalidOptionError, match=name):
            OPTION[name].parse(text)


def test_an_unknown_option_is_named() -> None:
    with pytest.raises(InvalidOptionError, match="colour") as caught:
        RenderOptions.from_values({"colour": "blue"})
    assert caught.value.option == "colour"


def test_the_command_line_has_every_option_with_its_default() -> None:
    args = build_parser().parse_args(["in.png", "out.mp4"])
    # Only the format has none: it is the output's extension unless given (cli.output_format).
    assert {spec.name: getattr(args, spec.name) for spec in OPTIONS} == {
        **{spec.name: spec.default for spec in OPTIONS},
        "format": None,
    }
    help_text = " ".join(build_parser().format_help().split())  # argparse wraps lines
    for spec in OPTIONS:
        assert spec.help in help_text
        if spec.bounds:
            assert spec.range_text in help_text


def test_the_render_settings_follow_the_definition() -> None:
    settable = [spec for spec in OPTIONS if spec.setting]
    assert set(Config({}).RENDER_DEFAULTS) == {spec.name for spec in settable}
    defaults = Config({"RENDER_FPS": "24", "RENDER_SHOW_TOOLS": "no"}).RENDER_DEFAULTS
    assert (defaults["fps"], defaults["show_tools"]) == (24, False)
    with pytest.raises(ConfigError, match="RENDER_FPS"):
        Config({"RENDER_FPS": "9"})


def test_paint_image_takes_an_options_object_with_keywords_over_it(tmp_path: Path) -> None:
    options = RenderOptions(duration=2.0, fps=12, max_size=128, seed=3, style="painterly")
    result = paint_image(PHOTO, tmp_path / "a.mp4", options, show_tools=False)
    assert (result.style, result.frames, result.seed) == ("painterly", 24, 3)
    with pytest.raises(InvalidOptionError, match="speed"):
        paint_image(PHOTO, tmp_path / "b.mp4", options, speed=2)
    assert not (tmp_path / "b.mp4").exists()
