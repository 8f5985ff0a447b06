"""JSON errors in one place: :class:`ApiError`, the error codes and the app-wide handlers.

Every error answer is ``{"success": false, "error": "<plain sentence>", "code": "<CODE>"}``.
Bodies never carry exception text, tracebacks or paths: those go to the log.
"""

from __future__ import annotations

import errno

from flask import Flask, Response, current_app, jsonify
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as WerkzeugResponse

import algorithms

from .database import DatabaseError
from .storage import NotAnImageError, StoreUnavailableError

INVALID_FORMAT_MESSAGE = "Invalid file format. Please upload PNG, JPG, JPEG, GIF, BMP, or TIFF files."

# HTTP status -> (code, message) for errors raised by Flask, Werkzeug and flask-limiter.
_HTTP_ERRORS = {
    400: ("BAD_REQUEST", "The request could not be understood."),
    404: ("NOT_FOUND", "The requested resource was not found."),
    405: ("METHOD_NOT_ALLOWED", "The method is not allowed for this URL."),
    413: ("FILE_TOO_LARGE", "The file is too large. The maximum upload size is {max_mb} MB."),
    416: ("RANGE_NOT_SATISFIABLE", "The requested byte range is not satisfiable."),
    429: ("RATE_LIMITED", "Too many requests: the limit is {limit}. Please try again later."),
}


class ApiError(Exception):
    """An error answered as JSON: ``code`` (e.g. ``"NO_FILE"``), a plain ``message``, an HTTP ``status``."""

    def __init__(self, code: str, message: str, status: int) -> None:
        super().__init__(message)
        self.code, self.message, self.status = code, message, status

    def to_response(self) -> Response:
        """Return the JSON response for this error."""
        response = jsonify(success=False, error=self.message, code=self.code)
        response.status_code = self.status
        return response


def api_error_for(exc: BaseException) -> ApiError:
    """Map an exception raised while receiving, checking or rendering an upload to its :class:`ApiError`."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, HTTPException):
        return http_error(exc)
    if isinstance(exc, NotAnImageError):
        return ApiError("INVALID_FORMAT", INVALID_FORMAT_MESSAGE, 400)
    if isinstance(exc, algorithms.InvalidOptionError):
        return ApiError("INVALID_PARAMETER", _sentence(f"Invalid {exc.option}: {exc}"), 400)
    if isinstance(exc, algorithms.ImageTooLargeError):
        return ApiError("IMAGE_TOO_LARGE", _sentence(f"The image is too large: {exc}"), 422)
    if isinstance(exc, algorithms.ImageDecodeError):
        return ApiError("CORRUPT_IMAGE", _sentence(f"The image could not be decoded: {exc}"), 422)
    if isinstance(exc, algorithms.RenderTimeoutError):
        return ApiError(
            "PROCESSING_TIMEOUT",
            "The video took longer than the time limit to render. Try a shorter duration or a smaller size.",
            503,
        )
    if isinstance(exc, StoreUnavailableError):
        return ApiError("STORAGE_UNAVAILABLE", "The video store is unavailable. Please try again later.", 503)
    if isinstance(exc, DatabaseError):
        return ApiError("DATABASE_UNAVAILABLE", "The database is unavailable. Please try again later.", 503)
    if isinstance(exc, algorithms.StorageFullError) or (
        isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)
    ):
        return ApiError("STORAGE_FULL", "The server is out of storage space. Please try again later.", 507)
    return ApiError("PROCESSING_FAILED", "The video could not be generated.", 500)


def http_error(exc: HTTPException) -> ApiError:
    """Return the :class:`ApiError` answering a Werkzeug/Flask HTTP exception."""
    code, template = _HTTP_ERRORS.get(exc.code or 500, ("HTTP_ERROR", ""))
    if code == "HTTP_ERROR":
        return ApiError(code, _sentence(exc.name), exc.code or 500)
    max_mb = (current_app.config.get("MAX_CONTENT_LENGTH") or 0) / (1024 * 1024)
    breached = getattr(exc, "limit", None)  # flask-limiter's RateLimitExceeded carries the limit
    limit = str(breached.limit) if breached is not None else "exceeded"
    return ApiError(code, template.format(max_mb=f"{max_mb:g}", limit=limit), exc.code or 500)


def register_error_handlers(app: Flask) -> None:
    """Answer every error of ``app`` — routing 404/405, 413, 429, crashes — as JSON."""

    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError) -> Response:
        return error.to_response()

    def handle_unavailable(exc: Exception) -> Response:
        app.logger.error("answered 503: %s: %s", type(exc).__name__, exc)
        return api_error_for(exc).to_response()

    for unavailable in (StoreUnavailableError, *DatabaseError):  # a server that went away: 503
        app.register_error_handler(unavailable, handle_unavailable)

    @app.errorhandler(HTTPException)
    def handle_http_exception(exc: HTTPException) -> WerkzeugResponse:
        if exc.code is not None and exc.code < 400:  # routing redirects are answers, not errors
            return exc.get_response()
        response = http_error(exc).to_response()
        for name, value in exc.get_headers():  # keep e.g. Allow, Content-Range, Retry-After
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def handle_exception(exc: Exception) -> Response:
        app.logger.exception("unhandled error: %s", type(exc).__name__)
        return ApiError("INTERNAL_ERROR", "An internal error occurred.", 500).to_response()


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
