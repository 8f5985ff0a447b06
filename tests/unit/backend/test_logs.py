"""The shared rotating log file (backend/logs.py)."""

from __future__ import annotations

import logging
from pathlib import Path

from backend.logs import SharedRotatingFileHandler
from tests.helpers.network import run_processes_at_once


def _write_lines(path: str, writer: int, count: int, start) -> None:
    """Log ``count`` numbered lines through a shared rotating handler once ``start`` is set."""
    start.wait()
    handler = SharedRotatingFileHandler(path, maxBytes=2000, backupCount=1000, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger = logging.getLogger(f"test-writer-{writer}")
    logger.propagate = False
    logger.addHandler(handler)
    for index in range(count):
        logger.warning("writer=%d line=%03d %s", writer, index, "x" * 40)
    handler.close()


def test_several_processes_rotate_one_log_without_losing_lines(tmp_path: Path):
    path = tmp_path / "app.log"
    run_processes_at_once(_write_lines, lambda writer, start: (str(path), writer, 300, start), count=3)
    files = sorted(tmp_path.glob("app.log*"))
    assert len(files) > 5  # it rotated many times
    lines = [
        line for file in files if not file.name.endswith(".lock") for line in file.read_text().splitlines()
    ]
    assert len(lines) == 900 and len(set(lines)) == 900
    assert all(line.startswith("writer=") and line.endswith("x" * 40) for line in lines)
    assert all(file.stat().st_size <= 2100 for file in files)


def test_the_app_logs_to_its_log_folder(app, client):
    client.get("/api/upload")  # a 405, nothing logged; an upload attempt logs one line
    client.post("/api/upload")
    text = (Path(app.config["LOG_FOLDER"]) / "app.log").read_text()
    assert "outcome=NO_FILE" in text and "backend.api" in text
