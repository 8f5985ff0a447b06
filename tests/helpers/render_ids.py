"""Render ids for the progress tests, fixed so that the tests' names are the same in every run."""

from __future__ import annotations

UNUSED = "3f2b8c1e-9a47-4d6b-8e5f-0c1d2e3f4a5b"  # a UUID4 no test sends
# Not a render id (a UUID4 in its 36-character form), by what is wrong with it.
NOT_RENDER_IDS = {
    "word": "abc",
    "no-dashes": "3f2b8c1e9a474d6b8e5f0c1d2e3f4a5b",
    "braces": "{3f2b8c1e-9a47-4d6b-8e5f-0c1d2e3f4a5b}",
    "urn": "urn:uuid:3f2b8c1e-9a47-4d6b-8e5f-0c1d2e3f4a5b",
    "one-digit-more": "3f2b8c1e-9a47-4d6b-8e5f-0c1d2e3f4a5b0",
    "version-1": "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
    "version-5": "aad03681-8b63-5304-89e0-8ca8f49461b5",
    "other-variant": "3f2b8c1e-9a47-4d6b-cf5f-0c1d2e3f4a5b",
    "not-hex": "gggggggg-0000-4000-8000-000000000000",
    "path": "../../etc/passwd",
}
