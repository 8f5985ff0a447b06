"""Schemathesis hooks (``SCHEMATHESIS_HOOKS=tests.fuzz.hooks``): what goes in the upload's ``file``.

The description says the part is an image (``encoding.file.contentType``); Schemathesis sends
whatever this strategy draws for it, as a real multipart part named after its bytes' format
(``file.png``, or ``file`` for bytes of no known format): valid tiny pictures of every accepted
format, the same truncated at a random byte, random bytes, and a picture too large to send. Tiny,
so that a render of the longest video the options allow stays well within the fuzz server's
time limit.
"""

from __future__ import annotations

import cv2
import numpy as np
import schemathesis
from hypothesis import strategies as st

OVERSIZE_BYTES = 80 * 1024  # over MAX_CONTENT_LENGTH in tests/system/test_fuzz.py
ACCEPTED_MEDIA_TYPES = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/tiff")
_CV2_EXTENSIONS = (".png", ".jpg", ".bmp", ".tiff")
# A 1x1 GIF (OpenCV writes none): header, screen, a two-colour table, one image, the end.
_TINY_GIF = bytes.fromhex(
    "47494638396101000100800000ff000000000021f90401000000002c00000000010001000002024401003b"
)


def tiny_pictures() -> list[bytes]:
    """Seeded pictures of 2x2 to 24x16 pixels, in every format the upload accepts."""
    rng = np.random.default_rng(7)
    pictures = [_TINY_GIF]
    for width, height in ((24, 16), (2, 2), (9, 31)):
        pixels = rng.integers(0, 256, size=(height, width, 3), dtype=np.uint8)
        for extension in _CV2_EXTENSIONS:
            ok, encoded = cv2.imencode(extension, pixels)
            if not ok:
                raise RuntimeError(f"OpenCV could not encode {extension}")
            pictures.append(encoded.tobytes())
    return pictures


PICTURES = tiny_pictures()


def truncated(picture: bytes) -> st.SearchStrategy[bytes]:
    """``picture`` cut at any byte before its end."""
    return st.integers(min_value=0, max_value=len(picture) - 1).map(lambda end: picture[:end])


def oversized(picture: bytes) -> bytes:
    """``picture`` padded past the fuzz server's MAX_CONTENT_LENGTH (413 FILE_TOO_LARGE)."""
    return picture + bytes(OVERSIZE_BYTES)


def image_parts() -> st.SearchStrategy[bytes]:
    """A file part: a valid tiny picture, one truncated, random bytes (up to 4 KiB), or a picture
    over the request limit."""
    return st.one_of(
        st.sampled_from(PICTURES),
        st.sampled_from(PICTURES).flatmap(truncated),
        st.binary(max_size=4096),
        st.sampled_from(PICTURES).map(oversized),
    )


for _media_type in ACCEPTED_MEDIA_TYPES:
    schemathesis.openapi.media_type(_media_type, image_parts())


@schemathesis.hook
def filter_body(context: schemathesis.HookContext, body: object) -> bool:
    """Leave out bodies with a field turned into an empty list or object: such a field sends no
    part at all, so the request as sent is not the negative case it was drawn as. Schemathesis
    does try to tell (it re-validates the form as sent), but cannot read the ``file`` part's bytes
    (its validator refuses the type) and so reports these as ``negative_data_rejection`` failures."""
    return not (isinstance(body, dict) and any(value in ([], {}) for value in body.values()))
