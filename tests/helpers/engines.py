"""Running a test on both database engines."""

from __future__ import annotations

import pytest

# The ``app`` fixture of tests/unit/backend/api/conftest.py, built on SQLite, then on PostgreSQL.
BOTH_DATABASES = pytest.mark.parametrize("app", ["sqlite", "postgresql"], indirect=True)
