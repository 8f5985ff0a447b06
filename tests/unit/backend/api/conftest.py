"""Fixtures of the API's tests: the app, on SQLite or, for tests marked with
:data:`tests.helpers.engines.BOTH_DATABASES`, on SQLite and then on PostgreSQL."""

from __future__ import annotations

import pytest


@pytest.fixture
def app(app_factory, request: pytest.FixtureRequest):
    """The testing app; on PostgreSQL when a test is parametrized with ``"postgresql"``."""
    if getattr(request, "param", "sqlite") == "postgresql":
        return app_factory(DATABASE_URL=request.getfixturevalue("postgres_url"))
    return app_factory()
