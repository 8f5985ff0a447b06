"""``flask copy-to-postgres``: the SQLite analytics into PostgreSQL in one command."""

from __future__ import annotations

import os
import subprocess
import sys

from backend.database import DatabaseManager
from backend.queries import UsageRecord, record_usage, usage_summary
from tests.helpers.paths import PROJECT_ROOT


def _fill(url: str, count: int) -> dict:
    manager = DatabaseManager(url)
    manager.init_schema()
    connection = manager.connect()
    for index in range(count):
        record = UsageRecord(
            "192.0.2.9", "pytest", 100 + index, 0.5 + index, success=index % 3 != 0, style="x"
        )
        record_usage(connection, record)
    summary = usage_summary(connection)
    connection.close()
    return summary


def _run(tmp_path, target_url: str, source_url: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "APP_ENV": "development",
        "UPLOAD_FOLDER": str(tmp_path / "up"),
        "OUTPUT_FOLDER": str(tmp_path / "out"),
        "LOG_FOLDER": str(tmp_path / "logs"),
        "DATABASE_URL": target_url,
    }
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "main", "copy-to-postgres", source_url],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_copy_to_postgres_moves_every_row_and_the_totals_once(tmp_path, postgres_url):
    source_url = f"sqlite:///{tmp_path / 'app.db'}"
    expected = _fill(source_url, 2500)  # more than one batch
    result = _run(tmp_path, postgres_url, source_url)
    assert result.returncode == 0, result.stderr
    assert "Copied 2500 usage rows into PostgreSQL; /api/stats now counts 2500 uploads" in result.stdout
    target = DatabaseManager(postgres_url).connect()
    try:
        assert usage_summary(target) == expected
        rows = target.execute("SELECT COUNT(*) AS n, SUM(file_size) AS bytes FROM usage_stats").fetchone()
        assert (rows["n"], int(rows["bytes"])) == (2500, sum(range(100, 2600)))
    finally:
        target.close()
    again = _run(tmp_path, postgres_url, source_url)  # a second run would count everything twice
    assert again.returncode != 0 and "already holds 2500 uploads" in again.stderr


def test_copy_to_postgres_refuses_a_sqlite_target_or_a_missing_source(tmp_path, postgres_url):
    to_sqlite = _run(tmp_path, f"sqlite:///{tmp_path / 'other.db'}", f"sqlite:///{tmp_path / 'app.db'}")
    assert to_sqlite.returncode != 0 and "must name the PostgreSQL database" in to_sqlite.stderr
    missing = _run(tmp_path, postgres_url, f"sqlite:///{tmp_path / 'nothing.db'}")
    assert missing.returncode != 0 and "no SQLite database" in missing.stderr
