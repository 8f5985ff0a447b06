"""``POST /api/upload``: render the uploaded image, and record the attempt whatever its outcome."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

from flask import Response, current_app, g, jsonify, request, url_for

from ..database import DatabaseError
from ..errors import api_error_for
from ..extensions import limiter, upload_limit
from ..progress import ProgressTracker, parse_render_id
from ..queries import UsageRecord, record_usage
from ..render_service import RenderOutcome, render_saved_upload
from ..request_hooks import request_id
from ..storage import get_storage
from ..upload_form import parse_render_options, uploaded_file
from . import bp

log = logging.getLogger(__name__)


@dataclass
class UploadAttempt:
    """What is known about one upload so far; filled in as it goes, recorded at the end."""

    file_size: int | None = None
    style: str | None = None
    started: float = field(default_factory=time.perf_counter)
    progress: ProgressTracker = field(default_factory=lambda: ProgressTracker(None, None))

    def saved(self, size: int) -> None:
        """The upload is on disk: note its size; processing time counts from here."""
        self.file_size = size
        self.started = time.perf_counter()


@bp.post("/upload")
@limiter.limit(upload_limit)
def upload() -> Response:
    """Render the uploaded image as a painting video (inline, within MAX_PROCESSING_TIME)."""
    attempt = UploadAttempt()
    try:
        attempt.progress = _track_progress()
        outcome = _process_upload(attempt)
    except Exception as exc:
        error = api_error_for(exc)
        if error.code == "FILE_TOO_LARGE":
            attempt.file_size = request.content_length  # None when the body was chunked
        if error.status >= 500:
            log.error("upload %s failed", request_id(), exc_info=exc)
        attempt.progress.failed(error.code)
        _finish(attempt, error_code=error.code)
        raise error from exc
    attempt.progress.done(outcome.video_filename)
    seconds = _finish(attempt, outcome=outcome)
    name = outcome.video_filename
    body = {
        "success": True,
        "message": "Video generated successfully",
        "video_filename": name,
        "processing_time": round(seconds, 3),
        "file_size": attempt.file_size,
        **outcome.result,
        "cached": outcome.cached,
        "video_url": url_for("api.video", filename=name),
        "download_url": url_for("api.download", filename=name),
    }
    if attempt.progress.render_id is not None:
        body["render_id"] = attempt.progress.render_id
    return jsonify(body)


def _track_progress() -> ProgressTracker:
    """The progress of this upload, recorded as ``waiting`` when the form names a ``render_id``."""
    render_id = parse_render_id(request.form.get("render_id"))
    tracker = ProgressTracker(current_app.extensions["database"], render_id)
    tracker.begin()
    return tracker


def _process_upload(attempt: UploadAttempt) -> RenderOutcome:
    config = current_app.config
    part, filename = uploaded_file(request.files)
    options = parse_render_options(
        request.form, config["RENDER_DEFAULTS"], max_pixels=config["MAX_IMAGE_PIXELS"]
    )
    attempt.style = options.style
    storage = get_storage()
    storage.require_free_space()
    storage.videos.check()  # a store that is down answers 503 now, not after the render
    saved = storage.save_upload(part.stream, filename, on_saved=attempt.saved)
    try:
        deadline = g.get("request_started", time.monotonic()) + config["MAX_PROCESSING_TIME"]
        return render_saved_upload(
            saved,
            options,
            storage=storage,
            deadline=deadline,
            database=current_app.extensions["database"],
            slots=current_app.extensions["render_slots"],
            progress=attempt.progress,
        )
    finally:
        saved.path.unlink(missing_ok=True)


def _finish(
    attempt: UploadAttempt, *, outcome: RenderOutcome | None = None, error_code: str | None = None
) -> float:
    """Record the upload's usage row (a database failure is logged, never fatal), log one line
    and return the processing time recorded, in seconds."""
    seconds = time.perf_counter() - attempt.started
    record = UsageRecord(
        ip_address=request.remote_addr,
        user_agent=request.user_agent.string,
        file_size=attempt.file_size,
        processing_time=seconds,
        success=outcome is not None,
        error_code=error_code,
        style=attempt.style,
        video_filename=outcome.video_filename if outcome else None,
        cached=bool(outcome and outcome.cached),
    )
    try:
        with current_app.extensions["database"].connection() as connection:
            record_usage(connection, record)
    except DatabaseError:
        log.exception("could not record the usage row of upload %s", request_id())
    outcome_text = f" video={outcome.video_filename} cached={outcome.cached}" if outcome else ""
    log.info(
        "upload request_id=%s client=%s bytes=%s outcome=%s seconds=%.3f%s",
        request_id(),
        request.remote_addr,
        attempt.file_size,
        error_code or "OK",
        seconds,
        outcome_text,
    )
    return seconds
