"""Small renders keep the suite fast: 24 frames of at most 128 px (2 s at 12 fps)."""

from __future__ import annotations

# The render defaults of the in-process test app (conftest's ``app_factory``).
SMALL_RENDER = {
    "style": "sketch-color",
    "duration": 2.0,
    "fps": 12,
    "max_size": 128,
    "show_tools": True,
    "finish": "painting",
}
# The same small render as the form fields of an upload to a live server.
SMALL_FIELDS = {"duration": "2", "fps": "12", "max_size": "128"}
