"""``GET /api/openapi.json`` (the OpenAPI description) and ``GET /api/docs`` (Swagger UI over it).

Neither is rate limited: both are the same document for every client, built without the
database. Swagger UI is vendored in ``static/swagger-ui/`` (``make swagger-ui``) and started by
``static/api-docs.js``, so the page runs under the service's Content-Security-Policy unchanged.
"""

from __future__ import annotations

from flask import Response, current_app, jsonify, render_template, url_for

from ..extensions import limiter
from ..openapi import build_description
from . import bp


@bp.get("/openapi.json")
@limiter.exempt
def openapi() -> Response:
    """The OpenAPI 3.1 description of every ``/api`` route, with this server's defaults."""
    config = current_app.config
    return jsonify(build_description(config["RENDER_DEFAULTS"], int(config["MAX_CONTENT_LENGTH"])))


@bp.get("/docs")
@limiter.exempt
def docs() -> str:
    """The browsable reference: Swagger UI reading ``/api/openapi.json``."""
    return render_template("api_docs.html", spec_url=url_for("api.openapi"))
