"""Each style's ``REVISION`` is the digest of a small fixed render: any change to a style's frames
(drawing, pacing, encoding) fails here until the revision is moved, which renews the
service's render cache (backend/render_service.py keys on it)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import av
import pytest

from algorithms import paint_image, renderer_revision
from algorithms.styles import STYLES

PHOTO = Path(__file__).resolve().parents[1] / "data" / "photos" / "chelsea.png"
GOLDEN_RENDER = {"duration": 2.0, "fps": 12, "max_size": 128, "seed": 7, "finish": "photo"}


def render_digest(style: str, folder: Path) -> str:
    """The first 16 hex digits of the SHA-256 of every decoded frame of the golden render."""
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / f"{style}.mp4"
    paint_image(PHOTO, output, style=style, **GOLDEN_RENDER)
    digest = hashlib.sha256()
    with av.open(str(output)) as container:
        for frame in container.decode(video=0):
            digest.update(frame.to_ndarray(format="bgr24").tobytes())
    return digest.hexdigest()[:16]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_the_revision_is_the_digest_of_the_golden_render(style: str, tmp_path: Path) -> None:
    digest = render_digest(style, tmp_path)
    package = style.replace("-", "_")
    assert renderer_revision(style) == digest, (
        f"the frames of style {style!r} changed: set REVISION = {digest!r} in "
        f"algorithms/styles/{package}/__init__.py, so that cached videos of the old renderer are not reused"
    )


def test_the_golden_render_is_repeatable(tmp_path: Path) -> None:
    first = render_digest("sketch-color", tmp_path / "a")
    assert render_digest("sketch-color", tmp_path / "b") == first
