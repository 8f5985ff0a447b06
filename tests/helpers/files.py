"""Files of a given age, for the tests of what is removed when it is old."""

from __future__ import annotations

import os
import time
from pathlib import Path


def age(path: Path, seconds: float) -> Path:
    """Set the times of ``path`` to ``seconds`` ago; return it."""
    old = time.time() - seconds
    os.utime(path, (old, old))
    return path


def aged_file(folder: Path, name: str, seconds: float = 0.0) -> Path:
    """Write a one-byte file ``name`` in ``folder`` (made if missing), ``seconds`` old."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"x")
    return age(path, seconds)
