"""``GET /api/openapi.json``: a valid OpenAPI 3.1 description of every ``/api`` route, whose
option fields come from :data:`algorithms.OPTIONS` and whose errors are the documented ones."""

from __future__ import annotations

import dataclasses
import json
import re

import pytest
from openapi_schema_validator import OAS31Validator
from openapi_spec_validator import validate

from algorithms import OPTIONS, OptionSpec
from backend import openapi
from tests.helpers.paths import PROJECT_ROOT

METHODS_FLASK_ADDS = {"HEAD", "OPTIONS"}
_RULE_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def description(client) -> dict:
    reply = client.get("/api/openapi.json")
    assert reply.status_code == 200
    assert reply.mimetype == "application/json"
    return reply.get_json()


def upload_form(document: dict) -> dict:
    return document["components"]["schemas"]["UploadForm"]["properties"]


def test_the_served_description_is_valid_openapi_3_1(client):
    document = description(client)
    assert document["openapi"].startswith("3.1.")
    validate(document)  # raises on any error


def test_every_api_route_the_app_registers_is_described_and_nothing_else(app, client):
    registered = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            path = _RULE_ARGUMENT.sub(r"{\1}", rule.rule)
            methods = set(rule.methods or ()) - METHODS_FLASK_ADDS
            registered |= {(path, method.lower()) for method in methods}
    described = {(path, method) for path, item in description(client)["paths"].items() for method in item}
    assert registered == described
    assert ("/api/openapi.json", "get") in described and ("/api/docs", "get") in described


def test_each_option_field_is_its_options_type_range_choices_and_default(app_factory):
    fields = upload_form(description(app_factory(RENDER_DEFAULTS={}).test_client()))
    assert set(fields) == {"file", "render_id"} | {spec.name for spec in OPTIONS}
    for spec in OPTIONS:
        field = fields[spec.name]["anyOf"][0]  # then the blank text (and the yes/no words)
        if spec.choices:
            assert field["enum"] == list(spec.choices)
        elif spec.kind is bool:
            assert field["type"] == "boolean"
        else:
            assert field["type"] == ("integer" if spec.kind is int else "number")
            assert (field["minimum"], field["maximum"]) == spec.bounds
        assert fields[spec.name].get("default") == spec.default
        assert fields[spec.name]["description"].lower().startswith(spec.help[:20].lower())


def test_a_new_option_appears_in_the_description_without_touching_it(client, monkeypatch):
    extra = OptionSpec("grain", float, 0.5, "paper grain", bounds=(0.0, 1.0))
    monkeypatch.setattr(openapi, "OPTIONS", (*OPTIONS, extra))
    document = description(client)
    grain = upload_form(document)["grain"]
    assert grain["anyOf"][0] == {"type": "number", "minimum": 0.0, "maximum": 1.0}
    assert (grain["default"], grain["description"][:12]) == (0.5, "Paper grain.")
    assert "grain" in document["components"]["schemas"]["Options"]["properties"]


def test_the_defaults_are_this_servers(app_factory):
    app = app_factory(RENDER_DEFAULTS={"duration": 5.0, "style": "painterly"})
    fields = upload_form(description(app.test_client()))
    assert fields["duration"]["default"] == 5.0
    assert fields["style"]["default"] == "painterly"


def test_the_options_answer_conforms_to_its_generated_schema(client):
    document = description(client)
    schema = {**document["components"]["schemas"]["Options"], "components": document["components"]}
    OAS31Validator(schema).validate(client.get("/api/options").get_json())


@pytest.mark.parametrize(
    ("changed", "key"),
    [({"choices": ("sketch-color", "painterly", "mosaic")}, "styles"), ({"bounds": (1.0, 90.0)}, "duration")],
)
def test_the_options_schema_follows_the_options(monkeypatch, changed, key):
    name = "style" if key == "styles" else key
    specs = tuple(dataclasses.replace(spec, **changed) if spec.name == name else spec for spec in OPTIONS)
    monkeypatch.setattr(openapi, "OPTIONS", specs)
    schema = openapi.options_schema()["properties"][key]
    if key == "styles":
        assert schema["items"]["enum"] == ["sketch-color", "painterly", "mosaic"]
    else:
        assert schema["items"] == {"type": "number"}


def test_every_error_code_of_the_api_docs_table_is_described_and_no_other(client):
    table = (PROJECT_ROOT / "docs" / "api.md").read_text().split("## Errors", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| \d{3} \| `([A-Z_]+)` \|", table, re.MULTILINE))
    described = description(client)["components"]["schemas"]["Error"]["properties"]["code"]["enum"]
    assert documented == set(described)


def test_every_answer_names_x_request_id_and_no_marker_is_left(client):
    document = description(client)
    text = json.dumps(document)
    assert "x-rate-limit" not in text and "x-video-types" not in text
    for item in document["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                if "$ref" not in response:
                    assert "X-Request-ID" in response["headers"]
    for response in document["components"]["responses"].values():
        assert "X-Request-ID" in response["headers"]


def test_the_video_media_types_and_name_pattern_are_the_servers(client):
    document = description(client)
    content = document["components"]["responses"]["Video"]["content"]
    assert set(content) == {"video/mp4", "video/webm", "image/gif"}
    pattern = document["components"]["parameters"]["VideoName"]["schema"]["pattern"]
    assert re.match(pattern, "3b0f2c1e-8a4d-4f7e-9c55-0d6a1e2b7f90_output.webm")
    assert not re.match(pattern, "../app.db")


def test_the_description_and_the_docs_page_are_never_rate_limited(app_factory):
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="1 per hour")
    client = app.test_client()
    for _ in range(3):
        assert client.get("/api/openapi.json").status_code == 200
        assert client.get("/api/docs").status_code == 200


def test_a_429_and_its_headers_are_as_described(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="1 per hour").test_client()
    document = description(client)
    assert client.get("/api/stats").status_code == 200
    reply = client.get("/api/stats")
    assert reply.status_code == 429 and "429" in document["paths"]["/api/stats"]["get"]["responses"]
    limited = document["components"]["responses"]["RateLimited"]
    schemas = {**document["components"]["schemas"], **document["components"]["headers"]}
    OAS31Validator({**schemas["Error"], "components": document["components"]}).validate(reply.get_json())
    for name in ("Retry-After", *openapi.RATE_LIMIT_HEADERS, "X-Request-ID"):
        assert name in limited["headers"]
        OAS31Validator(schemas[name]["schema"]).validate(
            int(reply.headers[name]) if name != "X-Request-ID" else reply.headers[name]
        )
