"""Shared pytest fixtures."""

from __future__ import annotations

import io
import multiprocessing
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from algorithms.media.loading import load_image

# ---- HTTP service fixtures (backend) -------------------------------------------------------
from backend.app import create_app
from backend.config import TestingConfig

pytest_plugins = ["stack_fixtures"]  # PostgreSQL, Redis, SeaweedFS (tests/helpers/stack_fixtures.py)

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_PHOTOS = PROJECT_ROOT.parent / "shared" / "photos"
# The sample photos: ../shared/photos beside the checkout, else their copies in tests/data/photos
# (the same CC0 files), so the suite also runs in a checkout that has no shared/ beside it.
PHOTOS = (
    SHARED_PHOTOS
    if all((SHARED_PHOTOS / name).is_file() for name in ("coffee.png", "chelsea.png"))
    else PROJECT_ROOT / "tests" / "data" / "photos"
)
# Small renders keep the suite fast: 24 frames of at most 256 px (the core's floor for small images).
SMALL_RENDER = {
    "style": "sketch-color",
    "duration": 2.0,
    "fps": 12,
    "max_size": 128,
    "show_tools": True,
    "finish": "painting",
}


def run_processes_at_once(target: Callable[..., None], args_for: Callable[..., tuple], count: int) -> None:
    """Fork ``count`` processes running ``target(*args_for(index, start))``, release them together
    through the ``start`` event, and assert that every one exits cleanly within a minute."""
    context = multiprocessing.get_context("fork")
    start = context.Event()
    processes = [context.Process(target=target, args=args_for(index, start)) for index in range(count)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def app_factory(tmp_path: Path) -> Iterator[Callable[..., object]]:
    """Build an app whose folders and database live under ``tmp_path``; keyword overrides apply
    (``DATABASE_URL`` may name PostgreSQL: the apps' pools are closed after the test)."""
    built = []

    def build(**overrides: object):
        config = TestingConfig(tmp_path / "service")
        config.RENDER_DEFAULTS = dict(SMALL_RENDER)
        for key, value in overrides.items():
            setattr(config, key, value)
        built.append(create_app(config))
        return built[-1]

    yield build
    for app in built:
        app.extensions["database"].close()


@pytest.fixture
def app(app_factory):
    """A testing app with temporary folders and database, rate limits off, small render defaults."""
    return app_factory()


@pytest.fixture
def client(app):
    """A test client of ``app``."""
    return app.test_client()


@pytest.fixture
def make_image(tmp_path: Path) -> Callable[..., Path]:
    """Write a small seeded picture (coloured blocks and noise) with cv2 and return its path."""

    def make(name: str = "picture.png", width: int = 96, height: int = 64, seed: int = 0) -> Path:
        rng = np.random.default_rng(seed)
        picture = rng.integers(0, 60, size=(height, width, 3), dtype=np.uint8)
        for _ in range(6):
            x, y = int(rng.integers(0, width - 8)), int(rng.integers(0, height - 8))
            colour = tuple(int(c) for c in rng.integers(0, 256, size=3))
            cv2.rectangle(picture, (x, y), (x + width // 3, y + height // 3), colour, thickness=-1)
        path = tmp_path / "images" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not cv2.imwrite(str(path), picture):
            raise RuntimeError(f"cv2.imwrite failed for {path}")
        return path

    return make


@pytest.fixture
def png_bytes(make_image) -> bytes:
    """The bytes of a small generated PNG."""
    return make_image().read_bytes()


@pytest.fixture
def upload(client) -> Callable[..., object]:
    """Post ``content`` as the ``file`` part of /api/upload with extra form fields."""

    def post(content: bytes, filename: str = "picture.png", **fields: object):
        data = {name: str(value) for name, value in fields.items()}
        data["file"] = (io.BytesIO(content), filename)
        return client.post("/api/upload", data=data, content_type="multipart/form-data")

    return post


def build_multipart(
    content: bytes, filename: str, fields: dict[str, str] | None = None, part_content_type: str | None = None
) -> tuple[bytes, str]:
    """A multipart/form-data body built by hand, as ``requests.post(url, files={"file": f})``
    sends it: by default the file part has no Content-Type. Returns (body, content type)."""
    boundary = "----paint-animation-test-boundary"
    chunks = []
    for name, value in (fields or {}).items():
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
    if part_content_type:
        head += f"Content-Type: {part_content_type}\r\n"
    chunks.append(head.encode() + b"\r\n" + content + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def multipart() -> Callable[..., tuple[bytes, str]]:
    """:func:`build_multipart`, for tests that need the exact bytes on the wire."""
    return build_multipart


# ---- pictures shared by the renderer tests --------------------------------------------------


@pytest.fixture(scope="module")
def photos() -> dict[str, np.ndarray]:
    """The sample photos at 256 px, as the core loads them."""
    paths = [PHOTOS / "coffee.png", PHOTOS / "chelsea.png"]
    return {path.stem: load_image(path, max_size=256, max_pixels=10**8) for path in paths}


@pytest.fixture(scope="module")
def shapes() -> np.ndarray:
    """A 240x160 picture: saturated shapes on a gradient, nothing the colour of paper."""
    gradient = np.linspace(40, 160, 240, dtype=np.float32)[None, :, None] * np.float32([1.0, 0.6, 0.3])
    picture = np.ascontiguousarray(np.broadcast_to(gradient, (160, 240, 3)))
    cv2.circle(picture, (80, 80), 45, (30, 40, 200), -1)
    cv2.rectangle(picture, (140, 30), (220, 130), (200, 120, 20), -1)
    cv2.line(picture, (10, 150), (230, 100), (20, 20, 20), 3)
    return picture.astype(np.uint8)
