"""Per-request plumbing: request ids, security headers, and ProxyFix when a proxy is trusted."""

from __future__ import annotations

import re
import time
import uuid

from flask import Flask, Response, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

REQUEST_ID_HEADER = "X-Request-ID"
_CLIENT_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")

# The web page uses only its own scripts, styles and images: no inline code, no CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "X-XSS-Protection": "1; mode=block",
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def request_id() -> str:
    """Return this request's id: a sane ``X-Request-ID`` from a proxy, else a fresh one."""
    if "request_id" not in g:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _CLIENT_REQUEST_ID.match(incoming) else uuid.uuid4().hex
    return g.request_id


def _start_request() -> None:
    g.request_started = time.monotonic()
    request_id()


def _finish_response(response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers[REQUEST_ID_HEADER] = request_id()
    if response.mimetype == "application/json":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    """Install the hooks on ``app``; wrap it in ProxyFix only if ``TRUSTED_PROXY_COUNT`` > 0."""
    app.before_request(_start_request)
    app.after_request(_finish_response)
    hops = int(app.config.get("TRUSTED_PROXY_COUNT", 0))
    if hops > 0:
        # Flask's documented way to add WSGI middleware; its typing declares wsgi_app a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_prefix=hops
        )
