"""The browser page: ``GET /`` serves one page that calls the /api blueprint.

The page's choices, defaults, ranges, upload limits and error messages are rendered
from :data:`algorithms.OPTIONS`, the app's config and the API's own constants, so the
page always offers what the API accepts and says what the API says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, render_template, send_from_directory, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from algorithms import OPTION, OPTIONS

from .errors import INVALID_FORMAT_MESSAGE, http_error
from .storage import ALLOWED_EXTENSIONS

# Long sides offered for the video; the API's range is OPTION["max_size"].bounds.
SIZE_CHOICES = ((480, "Small"), (720, "HD"), (1080, "Full HD"), (1920, "Largest"))
STYLE_LABELS = {"sketch-color": "Sketch, then colour", "painterly": "Painterly"}
FINISH_LABELS = {"painting": "On the painting", "photo": "The photo, stroke by stroke"}
TOOL_LABELS = {"hand": "A hand", "pencil": "The pencil and brush alone", "none": "Nothing"}
FORMAT_LABELS = {"mp4": "MP4 video", "webm": "WebM video", "gif": "GIF image (loops)"}
ASPECT_LABELS = {
    "original": "As the picture",
    "1:1": "Square · 1:1",
    "4:5": "Portrait · 4:5",
    "9:16": "Vertical · 9:16 (Reels, TikTok, Shorts)",
    "16:9": "Wide · 16:9",
}
FORMAT_NAMES = "PNG, JPG, GIF, BMP or TIFF"

# Its own static URL, so the page does not depend on how the app serves /static.
STATIC_FOLDER = Path(__file__).resolve().parent / "static"
bp = Blueprint(
    "web", __name__, template_folder="templates", static_folder=STATIC_FOLDER, static_url_path="/assets"
)


@bp.get("/")
def index() -> str:
    """Render the page with the API's styles, defaults, ranges and upload limits."""
    return render_template("index.html", **page_context())


@bp.get("/favicon.ico")
def favicon() -> Response:
    """Serve the SVG icon where browsers and tools look for it by default."""
    return send_from_directory(STATIC_FOLDER, "favicon.svg", mimetype="image/svg+xml")


def page_context() -> dict[str, Any]:
    """Return the template's values, read at request time from the options and config."""
    defaults = render_defaults()
    max_bytes = int(current_app.config["MAX_CONTENT_LENGTH"])
    extensions = sorted(ALLOWED_EXTENSIONS)
    return {
        "defaults": defaults,
        "styles": [(name, style_label(name)) for name in OPTION["style"].choices],
        "finishes": labelled("finish", FINISH_LABELS),
        "tools": labelled("tool", TOOL_LABELS),
        "formats": labelled("format", FORMAT_LABELS),
        "aspects": labelled("aspect", ASPECT_LABELS),
        "hold_range": OPTION["hold"].bounds,
        "duration_range": OPTION["duration"].bounds,
        "fps_range": OPTION["fps"].bounds,
        "seed_range": OPTION["seed"].bounds,
        "size_choices": size_choices(defaults["max_size"]),
        "max_upload_bytes": max_bytes,
        "max_upload_label": f"{max_bytes / (1024 * 1024):.3g} MB",
        "extensions": extensions,
        "accept": ",".join(f".{extension}" for extension in extensions),
        "format_names": FORMAT_NAMES,
        "format_message": INVALID_FORMAT_MESSAGE,
        "size_message": http_error(RequestEntityTooLarge()).message,
        "upload_url": url_for("api.upload"),
        "stats_url": url_for("api.stats"),
        "progress_url": url_for("api.progress", render_id="RENDER_ID"),
        "docs_url": url_for("api.docs"),
    }


def render_defaults() -> dict[str, Any]:
    """Return the API's render defaults: the core's, overridden by the app's config."""
    defaults = {spec.name: spec.default for spec in OPTIONS}
    defaults.update(current_app.config.get("RENDER_DEFAULTS", {}))
    return defaults


def labelled(option: str, labels: dict[str, str]) -> list[tuple[str, str]]:
    """The ``(choice, label)`` pairs of ``option``, in the API's order (unknown ones capitalised)."""
    return [(name, labels.get(name, name.capitalize())) for name in OPTION[option].choices]


def style_label(name: str) -> str:
    """Return a person-readable label for the style ``name`` (known or not)."""
    return STYLE_LABELS.get(name, name.replace("-", " ").capitalize())


def size_choices(default: int) -> list[tuple[int, str]]:
    """Return ``(long side, label)`` pairs within the API's range, the default included."""
    low, high = OPTION["max_size"].bounds or (0, 0)
    labels = {size: label for size, label in SIZE_CHOICES if low <= size <= high}
    labels.setdefault(default, "Default")
    return [(size, f"{labels[size]} · {size} px") for size in sorted(labels)]
