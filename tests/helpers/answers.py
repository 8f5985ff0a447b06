"""What the in-process test client gets back from the API."""

from __future__ import annotations


def json_error(response, status: int, code: str) -> dict:
    """Assert that ``response`` is the API's JSON error ``code`` with ``status`` (the three keys,
    a sentence for a message) and return its body."""
    body = response.get_json()
    assert response.status_code == status, body
    assert set(body) == {"success", "error", "code"}
    assert body["success"] is False and body["code"] == code
    assert body["error"].endswith(".")
    return body
