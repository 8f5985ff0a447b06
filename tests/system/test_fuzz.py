"""Schemathesis against real gunicorn, with the service's own description (``/api/openapi.json``).

Every check, every phase (examples, coverage, fuzzing, stateful), in its deterministic mode so
that CI runs the same cases each time; uploads are real multipart bodies whose ``file`` part
comes from ``tests/fuzz/hooks.py`` and whose fields cover every option value. Per-operation
settings, each with its reason, are in ``tests/fuzz/schemathesis.toml``. A failure prints
Schemathesis's own report: every failing case with a curl command that reproduces it.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys

import pytest

from tests.helpers.paths import PROJECT_ROOT
from tests.helpers.servers import start_server

FUZZ = PROJECT_ROOT / "tests" / "fuzz"
EXAMPLES_PER_OPERATION = 100  # fuzzing phase; the coverage and stateful phases add their own
RUN_SECONDS = 900  # a bound, not an expectation: the run takes about a minute
# Rate limits on, high enough not to starve the run, so their headers are checked on every answer.
SERVER_SETTINGS = {
    "RATELIMIT_ENABLED": "true",
    "RATELIMIT_DEFAULT": "100000 per hour",
    "RATELIMIT_UPLOAD": "100000 per hour",
    "RATELIMIT_PROGRESS": "100000 per hour",
    "MAX_CONTENT_LENGTH": str(64 * 1024),  # the hooks' oversized pictures are over it
    "MAX_PROCESSING_TIME": "120",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """``make run``'s gunicorn with the fuzz settings."""
    live = start_server(tmp_path_factory.mktemp("fuzz-server"), **SERVER_SETTINGS)
    yield live
    live.stop()


def readable(output: str) -> str:
    """Schemathesis's report with each line cut short: a reproducing curl command carries the
    whole body, 80 KB for an oversized picture."""
    return "\n".join(line if len(line) < 400 else line[:400] + " [...]" for line in output.splitlines())


def cases_per_operation(report_dir) -> dict[str, int]:
    """How many cases Schemathesis sent to each operation (all phases), from its NDJSON report."""
    counts: collections.Counter[str] = collections.Counter()
    for path in report_dir.glob("*.ndjson"):
        for line in path.read_text().splitlines():
            event = json.loads(line)
            finished = event.get("ScenarioFinished")
            for case in (finished or {}).get("recorder", {}).get("cases", {}).values():
                counts[f"{case['value']['method']} {case['value']['path']}"] += 1
    return dict(counts)


def test_schemathesis_finds_nothing(server, tmp_path):
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "--config-file", str(FUZZ / "schemathesis.toml")),
        *("run", f"{server.url}/api/openapi.json", "--checks", "all", "--generation-deterministic"),
        *("--max-examples", str(EXAMPLES_PER_OPERATION), "--request-timeout", "150", "--no-color"),
        *("--report", "ndjson", "--report-dir", str(tmp_path / "report")),
    ]
    environment = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.fuzz.hooks", "PYTHONPATH": str(PROJECT_ROOT)}
    run = subprocess.run(
        command,
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
    )
    assert run.returncode == 0, readable(run.stdout + run.stderr)
    counts = cases_per_operation(tmp_path / "report")
    print("Schemathesis cases per operation:", json.dumps(counts, indent=1))
    described = json.loads(server.request("GET", "/api/openapi.json").body)["paths"]
    for path, item in described.items():
        for method in item:
            label = f"{method.upper()} {path}"
            if path != "/api/openapi.json":  # Schemathesis never tests the description it loaded
                assert counts.get(label, 0) >= EXAMPLES_PER_OPERATION, (label, counts)
