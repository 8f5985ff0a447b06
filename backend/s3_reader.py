"""A seekable, read-only file over one S3 object, for Werkzeug's FileWrapper (backend/s3_store.py)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any


class ObjectReader(io.RawIOBase):
    """A seekable, read-only view of one object for Werkzeug's file wrapper: reading after a
    seek costs one ranged GET, which :meth:`prefetch` makes before the answer starts."""

    def __init__(self, call: Callable[..., Any], key: str, size: int) -> None:
        super().__init__()
        self.call, self.key, self.size = call, key, size
        self.position, self.body = 0, None

    def readable(self) -> bool:
        """Always: it is a reader."""
        return True

    def seekable(self) -> bool:
        """Always: a seek only moves where the next GET starts."""
        return True

    def tell(self) -> int:
        """The position of the next byte read."""
        return self.position

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Move to ``offset`` (from ``whence``); an open GET elsewhere is dropped."""
        target = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[whence] + offset
        if target != self.position:
            self._drop()
            self.position = target
        return target

    def prefetch(self, start: int, stop: int) -> None:
        """Open the GET of bytes ``start`` to ``stop - 1`` (the store is given that Range)."""
        self._drop()
        self.position = start
        if stop > start:
            reply = self.call("get_object", Key=self.key, Range=f"bytes={start}-{stop - 1}")
            self.body = reply["Body"]

    def readinto(self, buffer: Any) -> int:
        """Fill ``buffer`` from the open GET (opening one to the end if none is); 0 at the end."""
        if self.position >= self.size:
            return 0
        if self.body is None:
            self.prefetch(self.position, self.size)
        assert self.body is not None
        data = self.body.read(len(buffer))
        buffer[: len(data)] = data
        self.position += len(data)
        return len(data)

    def close(self) -> None:
        """Drop the open GET, if any, and close."""
        self._drop()
        super().close()

    def _drop(self) -> None:
        if self.body is not None:
            self.body.close()
            self.body = None
