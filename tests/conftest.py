"""Shared pytest fixtures and hooks (helpers live in ``tests/helpers/``)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from algorithms.media.loading import load_image
from backend.app import create_app
from backend.config import TestingConfig
from tests.helpers.paths import PHOTOS, PROJECT_ROOT
from tests.helpers.renders import SMALL_RENDER

pytest_plugins = ["tests.helpers.stack_fixtures"]  # PostgreSQL, Redis, SeaweedFS

SYSTEM_TESTS = PROJECT_ROOT / "tests" / "system"
# "scratch" is the folder every server fixture starts its server in.
SERVER_FIXTURES = {
    "scratch",
    "postgres_server",
    "postgres_url",
    "redis_server",
    "seaweed_server",
    "s3_settings",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark ``system`` every test under tests/system and every test that starts a shared engine
    (PostgreSQL, Redis, SeaweedFS): ``make test-fast`` leaves them out."""
    for item in items:
        starts_servers = SERVER_FIXTURES & set(getattr(item, "fixturenames", ()))
        on_postgres = "postgresql" in getattr(getattr(item, "callspec", None), "id", "")
        if item.path.is_relative_to(SYSTEM_TESTS) or starts_servers or on_postgres:
            item.add_marker(pytest.mark.system)


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """Name pytest-randomly's seed at the end, where ``-q`` still shows it: the same order again
    is ``-p randomly --randomly-seed=N`` (``-p no:randomly`` runs the files' own order)."""
    seed = config.getoption("randomly_seed", None) if config.pluginmanager.hasplugin("randomly") else None
    if isinstance(seed, int):
        terminalreporter.write_line(f"random order: --randomly-seed={seed}")


# ---- the in-process app (backend) ----------------------------------------------------------


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
def upload(client) -> Callable[..., object]:
    """Post ``content`` as the ``file`` part of /api/upload with extra form fields."""

    def post(content: bytes, filename: str = "picture.png", **fields: object):
        data = {name: str(value) for name, value in fields.items()}
        data["file"] = (io.BytesIO(content), filename)
        return client.post("/api/upload", data=data, content_type="multipart/form-data")

    return post


# ---- pictures -------------------------------------------------------------------------------


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
