"""The web page's route: served, CSP-compatible, and offering exactly what the API accepts."""

from __future__ import annotations

import dataclasses
import io
import re
from html.parser import HTMLParser

import pytest

from algorithms import OPTION, OPTIONS
from backend.errors import INVALID_FORMAT_MESSAGE
from backend.storage import ALLOWED_EXTENSIONS


class PageParser(HTMLParser):
    """Collect every element as ``(tag, attributes)``, the title and the bodies of scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.script_bodies: list[str] = []
        self.title = ""
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._open = tag

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open == "script":
            self.script_bodies.append(data)
        elif self._open == "title":
            self.title += data

    def find(self, element_id: str) -> dict[str, str | None]:
        matches = [attrs for _, attrs in self.elements if attrs.get("id") == element_id]
        assert len(matches) == 1, f"expected one #{element_id}, found {len(matches)}"
        return matches[0]

    def tags(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.elements if name == tag]


@pytest.fixture()
def page(client) -> PageParser:
    """The home page, parsed."""
    parser = PageParser()
    parser.feed(client.get("/").get_data(as_text=True))
    return parser


def select_options(page: PageParser, select_id: str) -> list[dict[str, str | None]]:
    """The attributes of the ``<option>`` elements following ``<select id=select_id>``."""
    start = page.elements.index(("select", page.find(select_id)))
    found = []
    for tag, attrs in page.elements[start + 1 :]:
        if tag != "option":
            break
        found.append(attrs)
    return found


def option_values(page: PageParser, select_id: str) -> list[str]:
    """The values of the options of ``<select id=select_id>``."""
    return [attrs["value"] for attrs in select_options(page, select_id)]


def selected_value(page: PageParser, select_id: str) -> str:
    """The selected option of ``<select id=select_id>``."""
    selected = [attrs["value"] for attrs in select_options(page, select_id) if "selected" in attrs]
    assert len(selected) == 1, selected
    return selected[0]


def test_index_is_an_html_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert response.mimetype_params["charset"] == "utf-8"
    parser = PageParser()
    parser.feed(response.get_data(as_text=True))
    assert "Paint Animation" in parser.title


def test_page_has_no_inline_code_or_foreign_origins(page):
    for attrs in page.tags("script"):
        assert attrs.get("src", "").startswith("/"), attrs
    assert all(not body.strip() for body in page.script_bodies)
    assert page.tags("style") == []
    for tag, attrs in page.elements:
        assert "style" not in attrs, tag
        assert not [name for name in attrs if name.startswith("on")], tag
        for name in ("src", "href", "action"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith(("/", "#")) and not value.startswith("//"), (tag, value)


def test_csp_forbids_inline_code_and_every_asset_loads_under_it(client, page):
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    script_sources = directives.get("script-src", directives["default-src"])
    style_sources = directives.get("style-src", directives["default-src"])
    assert script_sources == "'self'" and style_sources == "'self'"
    urls = [attrs["src"] for attrs in page.tags("script") + page.tags("img") if attrs.get("src")]
    urls += [attrs["href"] for attrs in page.tags("link")]
    expected_types = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
    assert {url[url.rindex(".") :] for url in urls} == set(expected_types)
    for url in urls:
        with client.get(url) as response:
            assert response.status_code == 200, url
            assert response.mimetype == expected_types[url[url.rindex(".") :]], url


def test_the_scripts_modules_load_from_the_same_origin(client, page):
    (entry,) = list(page.tags("script"))
    assert entry["type"] == "module"
    pending, seen = [entry["src"]], set()
    while pending:
        url = pending.pop()
        seen.add(url)
        with client.get(url) as response:
            assert response.status_code == 200 and response.mimetype == "text/javascript", url
            source = response.get_data(as_text=True)
        for module in re.findall(r'^import .* from "(\./[\w-]+\.js)";$', source, re.M):
            pending.append(url.rsplit("/", 1)[0] + module[1:])
    assert len(seen) >= 3


def test_favicon_is_linked_and_served_at_the_default_path(client, page):
    icons = [attrs for attrs in page.tags("link") if attrs.get("rel") == "icon"]
    assert len(icons) == 1
    with client.get(icons[0]["href"]) as linked:
        assert linked.status_code == 200
    with client.get("/favicon.ico") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert response.data.startswith(b"<svg")


def test_page_has_the_controls_the_issue_names(page):
    assert page.find("file")["type"] == "file"
    assert page.find("submit")["type"] == "submit"
    assert page.find("upload-progress") is not None and page.tags("progress")
    assert page.find("error")["role"] == "alert"
    assert page.find("status")["role"] == "status"
    video = page.find("preview")
    assert {"controls", "autoplay", "muted", "loop", "playsinline"} <= set(video)
    assert page.tags("a") and page.find("download") is not None
    assert page.find("stats") is not None


def test_every_control_has_a_label(page):
    labelled = {attrs.get("for") for attrs in page.tags("label")}
    controls = [attrs for tag, attrs in page.elements if tag in ("input", "select", "textarea")]
    assert len(controls) >= 7
    for attrs in controls:
        assert attrs["id"] in labelled, attrs


def test_the_video_player_has_a_name(page):
    assert page.find("preview").get("aria-label")


def test_options_are_the_apis_choices_ranges_and_defaults(app, page):
    defaults = app.config["RENDER_DEFAULTS"]
    assert option_values(page, "style") == list(OPTION["style"].choices)
    duration = page.find("duration")
    assert (float(duration["min"]), float(duration["max"])) == OPTION["duration"].bounds
    assert float(duration["value"]) == defaults["duration"]
    fps = page.find("fps")
    assert (int(fps["min"]), int(fps["max"]), int(fps["value"])) == (*OPTION["fps"].bounds, defaults["fps"])
    sizes = [int(value) for value in option_values(page, "max-size")]
    low, high = OPTION["max_size"].bounds
    assert all(low <= size <= high for size in sizes) and len(sizes) >= 3
    assert int(selected_value(page, "max-size")) == defaults["max_size"]
    assert selected_value(page, "style") == defaults["style"]
    assert option_values(page, "finish") == list(OPTION["finish"].choices)
    assert selected_value(page, "finish") == defaults["finish"]
    assert ("checked" in page.find("show-tools")) == defaults["show_tools"]


def test_defaults_follow_the_servers_config(app_factory):
    render_defaults = {
        **{spec.name: spec.default for spec in OPTIONS},
        "duration": 7.5,
        "max_size": 600,
        "show_tools": False,
    }
    html = app_factory(RENDER_DEFAULTS=render_defaults).test_client().get("/").get_data(as_text=True)
    assert re.search(r'id="duration"[^>]*value="7.5"', html)
    assert '<option value="600" selected>' in html
    assert not re.search(r'id="show-tools"[^>]*checked', html)


def test_a_new_style_appears_without_touching_the_page(client, monkeypatch):
    styles = (*OPTION["style"].choices, "wet-ink")
    monkeypatch.setitem(OPTION, "style", dataclasses.replace(OPTION["style"], choices=styles))
    page = PageParser()
    page.feed(client.get("/").get_data(as_text=True))
    assert option_values(page, "style") == list(styles)
    assert '<option value="wet-ink">Wet ink</option>' in client.get("/").get_data(as_text=True)


def test_client_side_checks_use_the_apis_limits_and_messages(app_factory):
    client = app_factory(MAX_CONTENT_LENGTH=1000).test_client()
    parser = PageParser()
    parser.feed(client.get("/").get_data(as_text=True))
    form = parser.find("paint-form")
    assert form["action"] == "/api/upload"
    assert int(form["data-max-bytes"]) == 1000
    assert set(form["data-extensions"].split(",")) == ALLOWED_EXTENSIONS
    assert form["data-message-format"] == INVALID_FORMAT_MESSAGE
    too_large = client.post("/api/upload", data={"file": (io.BytesIO(b"x" * 2000), "big.png")})
    assert too_large.status_code == 413
    assert form["data-message-size"] == too_large.get_json()["error"]
    accept = parser.find("file")["accept"].split(",")
    assert sorted(accept) == sorted(f".{extension}" for extension in ALLOWED_EXTENSIONS)


def test_the_footer_links_the_api_reference(page):
    assert page.find("api-docs-link")["href"] == "/api/docs"


def test_the_api_reference_runs_under_the_same_policy_from_this_servers_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Security-Policy"] == client.get("/").headers["Content-Security-Policy"]
    docs = PageParser()
    docs.feed(response.get_data(as_text=True))
    assert all(not body.strip() for body in docs.script_bodies) and docs.tags("style") == []
    assert all("style" not in attrs for _, attrs in docs.elements)
    urls = [attrs["src"] for attrs in docs.tags("script")] + [attrs["href"] for attrs in docs.tags("link")]
    assert {"/assets/swagger-ui/swagger-ui-bundle.js", "/assets/swagger-ui/swagger-ui.css"} <= set(urls)
    for url in urls:
        assert url.startswith("/") and not url.startswith("//"), url
        with client.get(url) as asset:
            assert asset.status_code == 200, url
    assert docs.find("swagger-ui")["data-spec-url"] == "/api/openapi.json"
