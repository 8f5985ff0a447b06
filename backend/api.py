"""The ``/api`` blueprint: views parse the request, call a service and answer."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from flask import Blueprint, Response, current_app, g, jsonify, request, send_file, url_for
from werkzeug.security import safe_join

from algorithms import options as render_options

from . import __version__
from .cleanup import VIDEO_NAME
from .database import get_db
from .errors import ApiError, api_error_for
from .extensions import limiter, upload_limit
from .health import health_checks
from .records import UsageRecord, record_usage, usage_summary, utc_now_iso
from .rendering import RenderOutcome, UploadAttempt, render_saved_upload, require_free_space
from .security import request_id
from .uploads import ALLOWED_EXTENSIONS, parse_render_options, save_upload, uploaded_file

bp = Blueprint("api", __name__, url_prefix="/api")
log = logging.getLogger(__name__)


@bp.post("/upload")
@limiter.limit(upload_limit)
def upload() -> Response:
    """Render the uploaded image as a painting video (inline, within MAX_PROCESSING_TIME)."""
    attempt = UploadAttempt()
    try:
        outcome = _process_upload(attempt)
    except Exception as exc:
        error = api_error_for(exc)
        if error.code == "FILE_TOO_LARGE":
            attempt.file_size = request.content_length  # None when the body was chunked
        if error.status >= 500:
            log.error("upload %s failed", request_id(), exc_info=exc)
        _finish(attempt, error_code=error.code)
        raise error from exc
    seconds = _finish(attempt, outcome=outcome)
    body = {"success": True, "message": "Video generated successfully",
            "video_filename": outcome.video_filename, "processing_time": round(seconds, 3),
            "file_size": attempt.file_size, **outcome.result, "cached": outcome.cached,
            "video_url": url_for("api.video", filename=outcome.video_filename),
            "download_url": url_for("api.download", filename=outcome.video_filename)}
    return jsonify(body)


def _process_upload(attempt: UploadAttempt) -> RenderOutcome:
    config = current_app.config
    part = uploaded_file(request.files)
    options = parse_render_options(request.form, config["RENDER_DEFAULTS"],
                                   max_pixels=config["MAX_IMAGE_PIXELS"])
    attempt.style = options.style
    require_free_space(Path(config["OUTPUT_FOLDER"]), config["MIN_FREE_SPACE"])
    saved = save_upload(part, Path(config["UPLOAD_FOLDER"]), on_saved=attempt.saved)
    try:
        deadline = g.get("request_started", time.monotonic()) + config["MAX_PROCESSING_TIME"]
        return render_saved_upload(saved, options, output_folder=Path(config["OUTPUT_FOLDER"]),
                                   deadline=deadline, connection=_database_or_none(),
                                   slots=current_app.extensions["render_slots"])
    finally:
        saved.path.unlink(missing_ok=True)


def _database_or_none() -> sqlite3.Connection | None:
    """This request's connection, or None (logged) when the database cannot be opened:
    the upload still gets its video, only the cache and the statistics miss it."""
    try:
        return get_db()
    except sqlite3.Error:
        log.exception("database unavailable during upload %s; rendering without the cache", request_id())
        return None


def _finish(attempt: UploadAttempt, *, outcome: RenderOutcome | None = None,
            error_code: str | None = None) -> float:
    """Record the upload's usage row (a database failure is logged, never fatal), log one line
    and return the processing time recorded, in seconds."""
    seconds = time.perf_counter() - attempt.started
    record = UsageRecord(
        ip_address=request.remote_addr, user_agent=request.user_agent.string, file_size=attempt.file_size,
        processing_time=seconds, success=outcome is not None, error_code=error_code, style=attempt.style,
        video_filename=outcome.video_filename if outcome else None, cached=bool(outcome and outcome.cached))
    try:
        record_usage(get_db(), record)
    except sqlite3.Error:
        log.exception("could not record the usage row of upload %s", request_id())
    log.info("upload request_id=%s client=%s bytes=%s outcome=%s seconds=%.3f%s", request_id(),
             request.remote_addr, attempt.file_size, error_code or "OK", seconds,
             f" video={outcome.video_filename} cached={outcome.cached}" if outcome else "")
    return seconds


@bp.get("/download/<filename>")
def download(filename: str) -> Response:
    """The video as an attachment."""
    path = _video_path(filename)
    _ignore_unservable_range()
    return send_file(path, mimetype="video/mp4", as_attachment=True,
                     download_name=filename, conditional=True, etag=True)


@bp.get("/video/<filename>")
@limiter.exempt  # a <video> element asks for a new byte range at every seek
def video(filename: str) -> Response:
    """The video inline, for ``<video>``: byte ranges, ETag, Last-Modified."""
    path = _video_path(filename)
    _ignore_unservable_range()
    return send_file(path, mimetype="video/mp4", conditional=True, etag=True)


def _ignore_unservable_range() -> None:
    """Drop a Range header that is not one well-formed byte range (garbage, another unit,
    several ranges): RFC 9110 section 14.2 lets the server ignore it and send the whole video,
    where Werkzeug would answer 416 to a range that may well be satisfiable."""
    ranges = request.range
    servable = ranges is not None and ranges.units == "bytes" and len(ranges.ranges) == 1
    if "HTTP_RANGE" in request.environ and not servable:
        del request.environ["HTTP_RANGE"]


def _video_path(filename: str) -> Path:
    """The path of a finished video, or a 404: a strict name, a regular file, never a symlink."""
    folder = current_app.config["OUTPUT_FOLDER"]
    joined = safe_join(str(folder), filename) if VIDEO_NAME.match(filename) else None
    path = Path(joined) if joined else None
    if path is None or path.is_symlink() or not path.is_file():
        raise ApiError("NOT_FOUND", "Video not found. It may have expired and been cleaned up.", 404)
    return path


@bp.get("/stats")
def stats() -> Response:
    """Usage statistics over every upload."""
    return jsonify(usage_summary(get_db()))


@bp.get("/health")
@limiter.exempt
def health() -> tuple[Response, int]:
    """Liveness and readiness: database, storage and encoder; 503 when one fails."""
    checks = health_checks(current_app.config, current_app.extensions["database"])
    healthy = all(check["ok"] for check in checks.values())
    body = {"status": "healthy" if healthy else "unhealthy", "timestamp": utc_now_iso(),
            "version": __version__, "uptime": round(time.monotonic() - current_app.extensions["started"], 1),
            "checks": checks}
    return jsonify(body), 200 if healthy else 503


@bp.get("/options")
def options() -> Response:
    """The render options the upload accepts: choices, ranges and this server's defaults."""
    config = current_app.config
    return jsonify({
        "styles": list(render_options.STYLES), "finishes": list(render_options.FINISHES),
        "duration": list(render_options.DURATION_RANGE), "fps": list(render_options.FPS_RANGE),
        "max_size": list(render_options.MAX_SIZE_RANGE), "seed": list(render_options.SEED_RANGE),
        "defaults": config["RENDER_DEFAULTS"], "max_upload_bytes": config["MAX_CONTENT_LENGTH"],
        "extensions": sorted(ALLOWED_EXTENSIONS)})
