"""The server after whatever ran before: the log and /api/stats agree, no crash, the same
workers within their memory."""

from __future__ import annotations

import json
import re

from tests.helpers.hostile import (
    WORKER_PEAK_MB,
    png,
    upload_counts,
    upload_file,
)

# ---- the suite as a whole ------------------------------------------------------------------


UPLOAD_LINE = re.compile(r"upload request_id=(\S+) client=\S+ bytes=\S+ outcome=(\w+)")


def test_the_log_has_exactly_the_uploads_counted_and_no_crash(server):
    """Whatever ran before (a refused and a rendered upload of its own at least): every upload
    the log names, once per request id, is one that /api/stats counted, and nothing crashed."""
    upload_file(server, b"", "empty.png")
    upload_file(server, png(seed=5), "p.png")
    log = server.log_text()
    outcomes = dict(UPLOAD_LINE.findall(log))
    total, successful = upload_counts(server)
    assert len(outcomes) == total >= 2
    assert list(outcomes.values()).count("OK") == successful >= 1
    for alarm in ("Traceback", " ERROR ", "[ERROR]", "[CRITICAL]", "WORKER TIMEOUT", "database is locked"):
        assert alarm not in log
    assert '" 500 ' not in log and '" 502 ' not in log and '" 503 ' not in log


def test_worker_peak_memory_over_the_whole_suite(server):
    """The workers that served this module's cases so far, and their peak memory since they started."""
    memory = server.worker_memory_mb()
    assert sorted(memory) == server.workers_at_start  # the same processes served every case
    assert all(fields["VmHWM"] < WORKER_PEAK_MB for fields in memory.values()), memory
    print("worker memory (MB):", json.dumps(memory))
