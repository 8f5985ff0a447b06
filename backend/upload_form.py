"""Reading the upload form: the single ``file`` part and the render options of its fields.

The part's Content-Type is never trusted (curl guesses it, ``requests`` sends none): the
extension must be on the allow-list here, and :meth:`Storage.save_upload` checks that
the bytes carry one of those formats' signature.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from algorithms import OPTIONS, RenderOptions

from .errors import INVALID_FORMAT_MESSAGE, ApiError
from .storage import ALLOWED_EXTENSIONS, file_extension

FORM_FIELDS = tuple(spec.name for spec in OPTIONS)
BLANKS = " \t"  # a field of these alone is blank, as if absent (the OpenAPI description says the same)


def uploaded_file(files: MultiDict[str, FileStorage]) -> tuple[FileStorage, str]:
    """The single ``file`` part and its file name, or raise NO_FILE / INVALID_PARAMETER / INVALID_FORMAT."""
    parts = [part for part in files.getlist("file") if part.filename]
    if not parts:
        raise ApiError("NO_FILE", 'No file was uploaded. Send the image in the multipart field "file".', 400)
    if len(parts) > 1:
        raise ApiError("INVALID_PARAMETER", 'Send exactly one image in the field "file".', 400)
    filename = parts[0].filename or ""
    if file_extension(filename) not in ALLOWED_EXTENSIONS:
        raise ApiError("INVALID_FORMAT", INVALID_FORMAT_MESSAGE, 400)
    return parts[0], filename


def parse_render_options(
    form: Mapping[str, str], defaults: Mapping[str, Any], *, max_pixels: int
) -> RenderOptions:
    """Validated :class:`RenderOptions` from the form's text fields over ``defaults``.

    Blank fields (spaces and tabs alone) take the default. Raises InvalidOptionError naming the
    field and its range.
    """
    values = dict(defaults)
    for spec in OPTIONS:
        raw = form.get(spec.name) or ""
        if raw.strip(BLANKS):
            values[spec.name] = spec.parse(raw)
    return RenderOptions(**values, max_pixels=max_pixels)
