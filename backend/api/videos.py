"""``GET /api/video/<name>`` (inline, for ``<video>``) and ``GET /api/download/<name>``."""

from __future__ import annotations

from flask import Response, request

from ..errors import ApiError
from ..extensions import limiter
from ..storage import get_storage
from . import bp


@bp.get("/download/<filename>")
def download(filename: str) -> Response:
    """The video as an attachment."""
    return _send(filename, as_attachment=True)


@bp.get("/video/<filename>")
@limiter.exempt  # a <video> element asks for a new byte range at every seek
def video(filename: str) -> Response:
    """The video inline, for ``<video>``: byte ranges, ETag, Last-Modified."""
    return _send(filename, as_attachment=False)


def _send(filename: str, *, as_attachment: bool) -> Response:
    """The video store's answer (from any host: files here, or the shared object store)."""
    _ignore_unservable_range()
    response = get_storage().videos.send(filename, as_attachment=as_attachment)
    if response is None:
        raise ApiError("NOT_FOUND", "Video not found. It may have expired and been cleaned up.", 404)
    return response


def _ignore_unservable_range() -> None:
    """Drop a Range header that is not one well-formed byte range (garbage, another unit,
    several ranges): RFC 9110 section 14.2 lets the server ignore it and send the whole video,
    where Werkzeug would answer 416 to a range that may well be satisfiable."""
    ranges = request.range
    servable = ranges is not None and ranges.units == "bytes" and len(ranges.ranges) == 1
    if "HTTP_RANGE" in request.environ and not servable:
        del request.environ["HTTP_RANGE"]
