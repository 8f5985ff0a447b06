"""Receiving an upload: the ``file`` part saved under a UUID name, and the form's render options.

The part's Content-Type is never trusted (curl guesses it, ``requests`` sends none): the
extension must be on the allow-list and the bytes must carry one of those formats' signature.
"""

from __future__ import annotations

import hashlib
import math
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from werkzeug.datastructures import FileStorage, MultiDict

from algorithms import InvalidOptionError, RenderOptions
from algorithms.imageinfo import sniff_format

from .config import parse_flag
from .errors import INVALID_FORMAT_MESSAGE, ApiError

ALLOWED_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff"})
FORM_FIELDS = ("style", "duration", "fps", "max_size", "seed", "show_tools", "finish")
CHUNK_SIZE = 64 * 1024
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?$")


@dataclass(frozen=True)
class SavedUpload:
    """An upload written to disk: where, how many bytes, their SHA-256 and the sniffed format."""

    path: Path
    size: int
    sha256: str
    image_format: str


def file_extension(filename: str) -> str:
    """Return the lower-case extension of the last path component of ``filename`` ('' if none)."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def uploaded_file(files: MultiDict[str, FileStorage]) -> FileStorage:
    """Return the single ``file`` part, or raise NO_FILE / INVALID_PARAMETER / INVALID_FORMAT."""
    parts = [part for part in files.getlist("file") if part.filename]
    if not parts:
        raise ApiError("NO_FILE", 'No file was uploaded. Send the image in the multipart field "file".', 400)
    if len(parts) > 1:
        raise ApiError("INVALID_PARAMETER", 'Send exactly one image in the field "file".', 400)
    if file_extension(parts[0].filename) not in ALLOWED_EXTENSIONS:
        raise ApiError("INVALID_FORMAT", INVALID_FORMAT_MESSAGE, 400)
    return parts[0]


def save_upload(part: FileStorage, upload_folder: Path, on_saved: Callable[[int], None]) -> SavedUpload:
    """Write ``part`` to ``upload_folder`` under a UUID name, hashing it on the way.

    ``on_saved`` gets the byte count as soon as the file is on disk (the caller records it
    even if the signature check then fails). Raises INVALID_FORMAT, removing the file,
    when the bytes are not a PNG, JPEG, GIF, BMP or TIFF; a failed write (a full disk)
    removes the partial file too.
    """
    path = upload_folder / f"{uuid.uuid4().hex}.{file_extension(part.filename)}"
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(path, "xb") as target:
            while chunk := part.stream.read(CHUNK_SIZE):
                if len(head) < 32:
                    head += chunk[:32 - len(head)]
                digest.update(chunk)
                target.write(chunk)
                size += len(chunk)
    except BaseException:  # e.g. ENOSPC: no half-written upload is left behind
        path.unlink(missing_ok=True)
        raise
    on_saved(size)
    image_format = sniff_format(head)
    if image_format is None:
        path.unlink(missing_ok=True)
        raise ApiError("INVALID_FORMAT", INVALID_FORMAT_MESSAGE, 400)
    return SavedUpload(path, size, digest.hexdigest(), image_format)


def parse_render_options(form: Mapping[str, str], defaults: Mapping[str, Any], *,
                         max_pixels: int) -> RenderOptions:
    """Build validated :class:`RenderOptions` from the form strings over ``defaults``.

    Blank fields take the default. Raises InvalidOptionError naming the field and its range.
    """
    values = dict(defaults)
    for name in FORM_FIELDS:
        raw = (form.get(name) or "").strip()
        if raw:
            values[name] = _PARSERS.get(name, _text)(name, raw)
    return RenderOptions(**values, max_pixels=max_pixels)


def _text(name: str, raw: str) -> str:
    return raw


def _number(name: str, raw: str) -> int | float:
    if len(raw) > 40 or not _NUMBER.match(raw):
        raise InvalidOptionError(name, _range_message(name))
    value = int(raw) if raw.lstrip("+-").isdigit() else float(raw)
    if not math.isfinite(value):
        raise InvalidOptionError(name, _range_message(name))
    return value


def _flag(name: str, raw: str) -> bool:
    value = parse_flag(raw)
    if value is None:
        raise InvalidOptionError(name, f"{name} must be true or false")
    return value


def _range_message(name: str) -> str:
    """The core's own message for ``name`` (so the ranges live only in algorithms.options)."""
    try:
        RenderOptions(**{name: math.nan})
    except InvalidOptionError as exc:
        return str(exc)
    return f"{name} is not valid"  # pragma: no cover - every numeric option rejects NaN


_PARSERS = {"duration": _number, "fps": _number, "max_size": _number, "seed": _number, "show_tools": _flag}
