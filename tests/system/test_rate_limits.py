"""Rate limits against real gunicorn: 429 JSON with Retry-After past the limit, /api/health never
limited, X-Forwarded-For believed only behind a trusted proxy.

``memory://`` counts in each worker process, so the exact-count tests run one worker; the
last test shows what two workers do with it (README: use ``RATELIMIT_STORAGE_URI=redis://``).
Each test has a server of its own: no test relies on the count another one left."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.helpers.multipart import encode_form
from tests.helpers.servers import LiveServer, Reply, start_server

LIMITED = {"RATELIMIT_ENABLED": "true", "RATELIMIT_UPLOAD": "2 per minute"}


@pytest.fixture
def one_worker(tmp_path) -> Iterator[LiveServer]:
    """A fresh one-worker server allowing 2 uploads a minute: no upload counted yet."""
    live = start_server(tmp_path, WEB_CONCURRENCY="1", **LIMITED)
    yield live
    live.stop()


@pytest.fixture
def behind_proxy(tmp_path) -> Iterator[LiveServer]:
    """As ``one_worker``, behind one trusted proxy (X-Forwarded-For names the client)."""
    live = start_server(tmp_path, WEB_CONCURRENCY="1", TRUSTED_PROXY_COUNT="1", **LIMITED)
    yield live
    live.stop()


def _post(server: LiveServer, forwarded_for: str | None = None) -> Reply:
    """An upload without a file: answered 400 by the view, so it counts against the limit."""
    body, content_type = encode_form([])
    headers = {"Content-Type": content_type, "Connection": "close"}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    return server.request("POST", "/api/upload", body, headers)


def test_the_upload_past_the_limit_is_429_json_with_retry_after(one_worker):
    assert [_post(one_worker).status for _ in range(2)] == [400, 400]
    limited = _post(one_worker)
    assert limited.status == 429
    body = limited.json()
    assert body == {
        "success": False,
        "code": "RATE_LIMITED",
        "error": "Too many requests: the limit is 2 per 1 minute. Please try again later.",
    }
    assert 0 < int(limited.headers["retry-after"]) <= 60
    assert limited.headers["x-ratelimit-limit"] == "2" and limited.headers["x-ratelimit-remaining"] == "0"
    assert limited.headers["content-type"] == "application/json"


def test_a_spoofed_forwarded_for_does_not_reset_the_count(one_worker):
    assert [_post(one_worker).status for _ in range(3)] == [400, 400, 429]
    for address in ("203.0.113.7", "198.51.100.1, 203.0.113.8", "127.0.0.2"):
        assert _post(one_worker, forwarded_for=address).status == 429


def test_health_is_never_limited(one_worker):
    assert [_post(one_worker).status for _ in range(3)] == [400, 400, 429]
    assert all(one_worker.request("GET", "/api/health").status == 200 for _ in range(30))
    assert one_worker.request("GET", "/api/stats").json()["total_uploads"] == 2  # 429s never reach the view


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_count(behind_proxy):
    assert [_post(behind_proxy, "203.0.113.1").status for _ in range(3)] == [400, 400, 429]
    assert _post(behind_proxy, "203.0.113.2").status == 400  # another client behind the proxy
    assert _post(behind_proxy, "203.0.113.1").status == 429


def test_memory_storage_counts_per_worker(tmp_path):
    """Two workers, one upload a minute: each worker lets one through (at most two in all)."""
    server = start_server(
        tmp_path, WEB_CONCURRENCY="2", RATELIMIT_ENABLED="true", RATELIMIT_UPLOAD="1 per minute"
    )
    try:
        statuses = [_post(server).status for _ in range(12)]
    finally:
        server.stop()
    assert set(statuses) <= {400, 429}
    assert 1 <= statuses.count(400) <= 2 and statuses[0] == 400
