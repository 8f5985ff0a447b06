"""Fixtures of the shared engines (a pytest plugin, loaded by conftest): a real PostgreSQL for the
session with a fresh database per test, Redis and SeaweedFS, and ``database_url``, which runs a
database test once on SQLite and once on PostgreSQL.

Without a server's program the tests that need it skip, saying why; under ``CI=true`` they fail.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devstack.frontends import SeaweedFS
from devstack.servers import Postgres, Redis, ServerMissing


def unavailable(reason: str) -> None:
    """Skip the test for ``reason``, or fail it under CI=true (CI installs every server)."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: .ci/run installs it)")
    pytest.skip(reason)


def started(server: Any) -> Any:
    """``server`` (a devstack server) started; without its program the test skips, saying why
    (fails under CI=true)."""
    try:
        return server.start()
    except ServerMissing as exc:
        unavailable(str(exc))


@pytest.fixture(scope="session")
def scratch() -> Iterator[Path]:
    """A session folder that other users can enter (PostgreSQL runs as ``postgres``)."""
    root = Path(tempfile.mkdtemp(prefix="paint-stack-"))
    os.chmod(root, 0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server(scratch: Path) -> Iterator[Postgres]:
    """One PostgreSQL server for the session."""
    server = started(Postgres(scratch / "postgres"))
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: Postgres) -> Iterator[str]:
    """A fresh, empty database of its own for this test; dropped afterwards."""
    import psycopg

    name = f"test_{uuid.uuid4().hex[:12]}"
    url = postgres_server.create_database(name)
    yield url
    with psycopg.connect(postgres_server.admin_url(), autocommit=True, connect_timeout=10) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty database: SQLite in ``tmp_path``, then PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'database' / 'test.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def redis_server(scratch: Path) -> Iterator[Redis]:
    """A Redis server of this test's own."""
    server = started(Redis(scratch / f"redis-{uuid.uuid4().hex[:8]}"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def seaweed_server(scratch: Path) -> Iterator[SeaweedFS]:
    """One SeaweedFS (S3) server for the session; tests use prefixes of their own."""
    server = started(SeaweedFS(scratch / "seaweedfs"))
    yield server
    server.stop()


@pytest.fixture
def s3_settings(seaweed_server: SeaweedFS, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """boto3's variables for the session's store, set in the environment, and a store URL with
    a fresh prefix for this test."""
    for name, value in seaweed_server.environment().items():
        monkeypatch.setenv(name, value)
    return {"VIDEO_STORE_URL": f"s3://{seaweed_server.bucket}/test-{uuid.uuid4().hex[:8]}"}
