"""``GET /api/progress/<render_id>``: the live state of an upload sent with that ``render_id``,
answered by any worker of any host (the state is in the shared database)."""

from __future__ import annotations

from flask import Response, current_app, jsonify

from ..database import get_db
from ..errors import ApiError
from ..extensions import limiter, progress_limit
from ..progress import RENDER_ID, read_progress
from . import bp


@bp.get("/progress/<render_id>")
@limiter.limit(progress_limit)
def progress(render_id: str) -> Response:
    """``{render_id, state, progress, elapsed, eta, video_filename}`` (and ``code`` when failed)."""
    config = current_app.config
    body = None
    if RENDER_ID.match(render_id):
        body = read_progress(
            get_db(),
            render_id.lower(),  # the upload takes a UUID4 in either case and keeps it in lower case
            retention=config["FILE_RETENTION"],
            time_limit=config["MAX_PROCESSING_TIME"],
        )
    if body is None:
        raise ApiError("NOT_FOUND", "No render has this render_id (unknown, or expired).", 404)
    return jsonify(body)  # JSON answers are never cached (request_hooks)
