"""``GET /api/stats``, ``/api/health`` and ``/api/options``: what the service has done, whether it
can work, and what it accepts."""

from __future__ import annotations

import time

from flask import Response, current_app, jsonify

from algorithms import OPTIONS

from .. import __version__
from ..database import get_db
from ..extensions import limiter
from ..health import NON_CRITICAL, health_checks
from ..queries import usage_summary, utc_now_iso
from ..storage import ALLOWED_EXTENSIONS, get_storage
from . import bp


@bp.get("/stats")
def stats() -> Response:
    """Usage statistics over every upload."""
    return jsonify(usage_summary(get_db()))


@bp.get("/health")
@limiter.exempt
def health() -> tuple[Response, int]:
    """Liveness and readiness: database, storage, encoder (and the shared engines); 503 when one
    fails, 200 ``degraded`` when only a check the service can work without fails."""
    config, database = current_app.config, current_app.extensions["database"]
    checks = health_checks(config, database, get_storage(), limiter)
    failed = {name for name, check in checks.items() if not check["ok"]}
    healthy = not failed - NON_CRITICAL
    body = {
        "status": "unhealthy" if not healthy else "degraded" if failed else "healthy",
        "timestamp": utc_now_iso(),
        "version": __version__,
        "uptime": round(time.monotonic() - current_app.extensions["started"], 1),
        "checks": checks,
    }
    return jsonify(body), 200 if healthy else 503


@bp.get("/options")
def options() -> Response:
    """The render options the upload accepts: choices, ranges and this server's defaults."""
    config = current_app.config
    body: dict[str, object] = {}
    for spec in OPTIONS:
        if spec.choices:
            body[spec.plural] = list(spec.choices)
    for spec in OPTIONS:
        if spec.bounds is not None:
            body[spec.name] = list(spec.bounds)
    body.update(
        defaults=config["RENDER_DEFAULTS"],
        max_upload_bytes=config["MAX_CONTENT_LENGTH"],
        extensions=sorted(ALLOWED_EXTENSIONS),
    )
    return jsonify(body)
