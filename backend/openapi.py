"""The OpenAPI 3.1 description served at ``GET /api/openapi.json``.

Two sources, never one fact in both: ``openapi_base.json`` (maintained by hand: routes, answers,
headers, errors) and the code's own definitions, filled in here — the upload's option fields
and ``GET /api/options`` from :data:`algorithms.OPTIONS` (with this server's defaults), the
video media types from :data:`algorithms.FORMATS`, the name and id patterns from the
validators, ``X-Request-ID`` on every operation and answer, and the rate-limit headers where the
base file marks ``"x-rate-limit": true``.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from algorithms import FORMATS, OPTIONS, OptionSpec
from algorithms.options import FLAG_WORDS

from . import __version__
from .progress import RENDER_ID
from .storage import ALLOWED_EXTENSIONS
from .upload_form import BLANKS
from .video_store import VIDEO_NAME

BASE_PATH = Path(__file__).resolve().parent / "openapi_base.json"
RATE_LIMIT_HEADERS = ("X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset")
BLANK_PATTERN = f"^[{BLANKS}]*$"
_FLAG_NOTE = " (`true`/`false`; also `1`/`0`, `yes`/`no`, `on`/`off`, any case)"
_BLANK_NOTE = " A blank field (spaces or tabs alone) takes the default."


@functools.cache
def _base() -> dict[str, Any]:
    return json.loads(BASE_PATH.read_text(encoding="utf-8"))


def build_description(defaults: Mapping[str, Any], max_upload_bytes: int) -> dict[str, Any]:
    """The whole description for a server whose render ``defaults`` are these (``RENDER_DEFAULTS``)."""
    document = copy.deepcopy(_base())
    document["info"]["version"] = __version__
    schemas, parameters = document["components"]["schemas"], document["components"]["parameters"]
    form = schemas["UploadForm"]
    form["properties"].update(option_fields(defaults))
    form["properties"]["render_id"]["anyOf"] = [
        {"type": "string", "pattern": RENDER_ID.pattern},
        {"type": "string", "pattern": BLANK_PATTERN},
    ]
    form["properties"]["file"]["description"] += f" At most {max_upload_bytes} bytes for the whole request."
    schemas["UploadResult"]["properties"]["video_filename"]["pattern"] = VIDEO_NAME.pattern
    schemas["Options"] = options_schema()
    parameters["RenderId"]["schema"]["pattern"] = RENDER_ID.pattern
    parameters["VideoName"]["schema"]["pattern"] = VIDEO_NAME.pattern
    for operation in _operations(document):
        operation.setdefault("parameters", []).append({"$ref": "#/components/parameters/RequestId"})
    for response in _responses(document):
        _fill_response(response)
    return document


def option_fields(defaults: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The upload form's option fields: one per :data:`OPTIONS` entry, its value (see
    :func:`option_schema`) or a blank text, with ``defaults`` (this server's) over the core's."""
    fields = {}
    for spec in OPTIONS:
        spellings = [option_schema(spec), {"type": "string", "pattern": BLANK_PATTERN}]
        if spec.kind is bool:
            spellings.append({"type": "string", "pattern": flag_pattern()})
        schema: dict[str, Any] = {"anyOf": spellings}
        default = defaults.get(spec.name, spec.default)
        if default is not None:
            schema["default"] = default
        schema["description"] = _field_description(spec)
        fields[spec.name] = schema
    return fields


def option_schema(spec: OptionSpec) -> dict[str, Any]:
    """The JSON Schema of one option's value: its type and its choices or inclusive range."""
    if spec.choices:
        return {"type": "string", "enum": list(spec.choices)}
    if spec.kind is bool:
        return {"type": "boolean"}
    assert spec.bounds is not None
    low, high = spec.bounds
    if spec.kind is int:
        return {"type": "integer", "minimum": int(low), "maximum": int(high)}
    return {"type": "number", "minimum": low, "maximum": high}


def flag_pattern() -> str:
    """The words a yes/no field also takes, in any case: ``^(1|0|[Tt][Rr][Uu][Ee]|...)$``."""
    words = ("".join(f"[{c.upper()}{c}]" if c.isalpha() else c for c in word) for word in FLAG_WORDS)
    return f"^({'|'.join(words)})$"


def options_schema() -> dict[str, Any]:
    """The schema of ``GET /api/options``: each option's choices (under its plural) or range."""
    properties: dict[str, Any] = {}
    for spec in OPTIONS:
        if spec.choices:
            properties[spec.plural] = {"type": "array", "items": option_schema(spec), "minItems": 1}
        elif spec.bounds is not None:
            bound = {"type": option_schema(spec)["type"]}
            properties[spec.name] = {"type": "array", "items": bound, "minItems": 2, "maxItems": 2}
    defaults = {spec.name: _nullable(option_schema(spec), spec) for spec in OPTIONS if spec.setting}
    properties["defaults"] = {"type": "object", "properties": defaults, "additionalProperties": False}
    properties["max_upload_bytes"] = {"type": "integer", "minimum": 1}
    properties["extensions"] = {"type": "array", "items": {"enum": sorted(ALLOWED_EXTENSIONS)}}
    return {
        "type": "object",
        "description": "The upload's choices and inclusive `[low, high]` ranges, this server's defaults "
        "(`RENDER_*` settings over the renderer's own), the largest request body and the extensions.",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def video_content() -> dict[str, Any]:
    """The media types a video is served with, one per output format."""
    media_types = dict.fromkeys(video_format.media_type for video_format in FORMATS.values())
    return {name: {"schema": {"type": "string", "contentMediaType": name}} for name in media_types}


def _field_description(spec: OptionSpec) -> str:
    text = spec.help[0].upper() + spec.help[1:] + (_FLAG_NOTE if spec.kind is bool else "")
    return text + "." + _BLANK_NOTE


def _nullable(schema: dict[str, Any], spec: OptionSpec) -> dict[str, Any]:
    if spec.default is None:
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


def _operations(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for path_item in document["paths"].values():
        yield from path_item.values()


def _responses(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every response object written out (the components' and the operations' own, not refs)."""
    yield from document["components"]["responses"].values()
    for operation in _operations(document):
        yield from (response for response in operation["responses"].values() if "$ref" not in response)


def _fill_response(response: dict[str, Any]) -> None:
    """Expand the base file's markers and add ``X-Request-ID``."""
    headers = response.setdefault("headers", {})
    if headers.pop("x-rate-limit", False):
        for name in RATE_LIMIT_HEADERS:
            headers[name] = {"$ref": f"#/components/headers/{name}"}
    headers["X-Request-ID"] = {"$ref": "#/components/headers/X-Request-ID"}
    if response.get("content", {}).pop("x-video-types", False):
        response["content"] = video_content()
