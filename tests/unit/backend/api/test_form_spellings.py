"""What the upload form takes as written, as the OpenAPI description says it: blank fields (spaces
and tabs alone), a ``render_id`` in any case, and nothing else passed off as blank."""

from __future__ import annotations

import uuid

import pytest


def test_a_render_id_in_upper_case_is_followed_in_either_case(client, upload, png_bytes):
    render_id = str(uuid.uuid4())
    body = upload(png_bytes, render_id=render_id.upper()).get_json()
    assert body["render_id"] == render_id
    for spelling in (render_id, render_id.upper()):
        progress = client.get(f"/api/progress/{spelling}")
        assert progress.status_code == 200
        assert progress.get_json()["state"] == "done"


@pytest.mark.parametrize("blank", ["", " ", "\t", " \t "])
def test_spaces_and_tabs_alone_are_blank(upload, png_bytes, blank):
    body = upload(png_bytes, tool=blank, duration=blank, render_id=blank).get_json()
    assert body["success"] is True and "render_id" not in body


@pytest.mark.parametrize("field", ["tool", "duration", "show_tools", "render_id"])
@pytest.mark.parametrize("text", ["\x1c", "\n", "\u00a0"])
def test_other_invisible_characters_are_not_blank(upload, png_bytes, field, text):
    reply = upload(png_bytes, **{field: text})
    assert reply.status_code == 400
    assert reply.get_json()["code"] == "INVALID_PARAMETER"
