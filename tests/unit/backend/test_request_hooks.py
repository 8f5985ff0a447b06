"""What every request goes through: JSON for unknown routes and methods, rate limits, security
headers and request ids (backend/request_hooks.py, backend/extensions.py)."""

from __future__ import annotations

import pytest

from tests.helpers.answers import json_error

# ---- Routing, rate limits, headers ---------------------------------------------------------


def test_unknown_api_route_and_wrong_method_are_json(client):
    json_error(client.get("/api/nothing-here"), 404, "NOT_FOUND")
    response = client.get("/api/upload")
    json_error(response, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in response.headers["Allow"]
    json_error(client.delete("/api/stats"), 405, "METHOD_NOT_ALLOWED")


def test_upload_rate_limit_answers_429_json(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_UPLOAD="2 per minute").test_client()
    assert client.post("/api/upload").status_code == 400
    assert client.post("/api/upload").status_code == 400
    limited = client.post("/api/upload")
    body = json_error(limited, 429, "RATE_LIMITED")
    assert "2 per 1 minute" in body["error"]
    assert int(limited.headers["Retry-After"]) > 0
    assert limited.headers["X-RateLimit-Limit"] == "2" and limited.headers["X-RateLimit-Remaining"] == "0"
    assert limited.headers["X-Request-ID"] and limited.headers["X-Frame-Options"] == "DENY"
    spoofed = client.post("/api/upload", headers={"X-Forwarded-For": "203.0.113.9"})
    json_error(spoofed, 429, "RATE_LIMITED")  # no trusted proxy: the header changes nothing
    assert client.get("/api/stats").get_json()["total_uploads"] == 2  # refused before the handler


def test_forwarded_for_counts_only_behind_a_trusted_proxy(app_factory):
    client = app_factory(
        RATELIMIT_ENABLED=True, RATELIMIT_UPLOAD="1 per minute", TRUSTED_PROXY_COUNT=1
    ).test_client()
    assert client.post("/api/upload", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 400
    assert client.post("/api/upload", headers={"X-Forwarded-For": "203.0.113.1"}).status_code == 429
    assert client.post("/api/upload", headers={"X-Forwarded-For": "203.0.113.2"}).status_code == 400


def test_default_limit_applies_to_the_api_but_never_to_health_or_streaming(app_factory):
    client = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute").test_client()
    assert [client.get("/api/stats").status_code for _ in range(3)] == [200, 200, 429]
    assert [client.get("/api/download/x").status_code for _ in range(3)] == [404, 404, 429]
    assert all(client.get("/api/health").status_code == 200 for _ in range(5))
    assert all(client.get("/api/video/x").status_code == 404 for _ in range(5))  # seeks are range requests


@pytest.mark.parametrize(
    "method,path",
    [("get", "/api/health"), ("get", "/api/nothing"), ("post", "/api/upload"), ("get", "/api/upload")],
)
def test_security_headers_and_request_id_on_every_response(client, method, path):
    response = getattr(client, method)(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-XSS-Protection"] == "1; mode=block"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert len(response.headers["X-Request-ID"]) == 32


def test_a_sane_incoming_request_id_is_kept_and_a_hostile_one_replaced(client):
    assert (
        client.get("/api/health", headers={"X-Request-ID": "proxy-1234abcd"}).headers["X-Request-ID"]
        == "proxy-1234abcd"
    )
    replaced = client.get("/api/health", headers={"X-Request-ID": "<script>"}).headers["X-Request-ID"]
    assert replaced != "<script>" and len(replaced) == 32
