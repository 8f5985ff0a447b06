"""Framing: the shape of the video's frame, and where the picture sits inside it."""

from __future__ import annotations

ASPECTS: dict[str, tuple[int, int] | None] = {
    "original": None,
    "1:1": (1, 1),
    "4:5": (4, 5),
    "9:16": (9, 16),
    "16:9": (16, 9),
}
