"""One JSON error shape for everything (backend/errors.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.exceptions import NotFound, RequestEntityTooLarge

import algorithms
from backend.errors import ApiError, api_error_for


def test_api_error_response_shape(app):
    with app.app_context():
        response = ApiError("NO_FILE", "No file was uploaded.", 400).to_response()
    assert response.status_code == 400
    assert response.get_json() == {"success": False, "error": "No file was uploaded.", "code": "NO_FILE"}


@pytest.mark.parametrize(
    "exc,status,code",
    [
        (
            algorithms.InvalidOptionError("fps", "fps must be a whole number from 12 to 60"),
            400,
            "INVALID_PARAMETER",
        ),
        (algorithms.ImageDecodeError("the PNG header is damaged"), 422, "CORRUPT_IMAGE"),
        (algorithms.ImageTooLargeError("the image is 9x9000"), 422, "IMAGE_TOO_LARGE"),
        (algorithms.RenderTimeoutError("late"), 503, "PROCESSING_TIMEOUT"),
        (algorithms.StorageFullError("full"), 507, "STORAGE_FULL"),
        (algorithms.PaintError("/tmp/secret/x.mp4 broke"), 500, "PROCESSING_FAILED"),
        (MemoryError("/tmp/secret"), 500, "PROCESSING_FAILED"),
        (RequestEntityTooLarge(), 413, "FILE_TOO_LARGE"),
        (NotFound(), 404, "NOT_FOUND"),
    ],
)
def test_exceptions_map_to_codes(app, exc, status, code):
    with app.app_context():
        error = api_error_for(exc)
    assert (error.status, error.code) == (status, code)
    assert "/tmp/secret" not in error.message and error.message[0].isupper() and error.message.endswith(".")


def test_the_invalid_parameter_message_names_option_and_range(app):
    with app.app_context():
        error = api_error_for(
            algorithms.InvalidOptionError("fps", "fps must be a whole number from 12 to 60")
        )
    assert error.message == "Invalid fps: fps must be a whole number from 12 to 60."


def test_an_unexpected_exception_is_a_json_500_without_its_text(app_factory):
    app = app_factory()

    @app.get("/api/explode")
    def explode():
        raise KeyError("/home/secret/path")

    response = app.test_client().get("/api/explode")
    assert response.status_code == 500
    assert response.get_json() == {
        "success": False,
        "error": "An internal error occurred.",
        "code": "INTERNAL_ERROR",
    }
    assert "secret" not in response.get_data(as_text=True)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    log_text = (Path(app.config["LOG_FOLDER"]) / "app.log").read_text()
    assert "Traceback" in log_text and "KeyError: '/home/secret/path'" in log_text


def test_routing_redirects_stay_redirects(app_factory):
    app = app_factory()
    app.add_url_rule("/api/folder/", "folder", lambda: "ok")
    response = app.test_client().get("/api/folder")
    assert response.status_code == 308 and response.headers["Location"].endswith("/api/folder/")


def test_errors_outside_the_api_are_json_too(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and response.get_json()["code"] == "NOT_FOUND"


def test_a_malformed_request_is_a_json_400(app_factory):
    from werkzeug.exceptions import BadRequest

    app = app_factory()

    @app.get("/api/bad")
    def bad():
        raise BadRequest("internal detail")

    body = app.test_client().get("/api/bad").get_json()
    assert body == {"success": False, "error": "The request could not be understood.", "code": "BAD_REQUEST"}
