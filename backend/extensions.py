"""Extensions created once at module level and bound to each app with ``init_app``."""

from __future__ import annotations

from flask import current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address


def _default_limit() -> str:
    return current_app.config["RATELIMIT_DEFAULT"]


def upload_limit() -> str:
    """The limit of ``POST /api/upload`` (``RATELIMIT_UPLOAD``), read per request."""
    return current_app.config["RATELIMIT_UPLOAD"]


def progress_limit() -> str:
    """The limit of ``GET /api/progress/<id>`` (``RATELIMIT_PROGRESS``): its own, so polling uses
    up neither the upload's limit nor the default one."""
    return current_app.config["RATELIMIT_PROGRESS"]


def _outside_api() -> bool:
    return not request.path.startswith("/api/")


# Keyed on the client address: request.remote_addr, which ProxyFix rewrites only when
# TRUSTED_PROXY_COUNT > 0, so a spoofed X-Forwarded-For cannot dodge the limit.
# Limits are callables so that every app (tests make many) reads its own config.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=[_default_limit],
    default_limits_exempt_when=_outside_api,
    headers_enabled=True,
)
