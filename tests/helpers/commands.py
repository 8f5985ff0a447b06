"""The project's own commands, run in a fresh interpreter from the repository root."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.paths import PROJECT_ROOT


def flask_command(
    *arguments: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``python -m flask --app main ARGUMENTS`` with ``env``; its output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "main", *arguments],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
