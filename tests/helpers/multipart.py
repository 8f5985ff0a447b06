"""The one multipart/form-data encoder of the tests and the benchmarks, built by hand so that
a test controls every byte on the wire (odd names, missing parts, a cut-off end)."""

from __future__ import annotations

from typing import NamedTuple

BOUNDARY = "----paint-animation-test-boundary"
CLOSING = f"\r\n--{BOUNDARY}--\r\n".encode()  # what ends a form: cut it off for an unfinished one


class Part(NamedTuple):
    """One part of a form: a field, or a file when ``filename`` is not None."""

    name: str
    filename: str | None
    content: bytes
    content_type: str | None = None


def encode_form(parts: list[Part] | list[tuple[str, str | None, bytes]]) -> tuple[bytes, str]:
    """The body of a form of ``parts`` (``Part`` or ``(name, filename or None, content)``) and
    its Content-Type header. A part has a Content-Type only when one is given, as
    ``requests.post(url, files=...)`` sends it."""
    chunks = []
    for part in (Part(*item) for item in parts):
        disposition = f'form-data; name="{part.name}"'
        if part.filename is not None:
            disposition += f'; filename="{part.filename}"'
        head = f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n"
        if part.content_type:
            head += f"Content-Type: {part.content_type}\r\n"
        chunks.append(head.encode() + b"\r\n" + part.content + b"\r\n")
    chunks.append(CLOSING[2:])
    return b"".join(chunks), f"multipart/form-data; boundary={BOUNDARY}"


def upload_form(
    content: bytes, filename: str, fields: dict[str, str] | None = None, part_content_type: str | None = None
) -> tuple[bytes, str]:
    """The form of an upload: ``fields`` first, then ``content`` as the ``file`` part (without a
    Content-Type unless ``part_content_type``). Returns (body, Content-Type header)."""
    parts = [Part(name, None, str(value).encode()) for name, value in (fields or {}).items()]
    parts.append(Part("file", filename, content, part_content_type))
    return encode_form(parts)
