"""Where things are: the checkout, the test data and the sample photos."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA = PROJECT_ROOT / "tests" / "data"
SHARED_PHOTOS = PROJECT_ROOT.parent / "shared" / "photos"
PHOTO_NAMES = ("coffee.png", "chelsea.png")


def sample_photos() -> Path:
    """The folder of the sample photos: ../shared/photos beside the checkout, else their copies
    in tests/data/photos (the same CC0 files), so a checkout without shared/ still has them."""
    if all((SHARED_PHOTOS / name).is_file() for name in PHOTO_NAMES):
        return SHARED_PHOTOS
    return DATA / "photos"


PHOTOS = sample_photos()
