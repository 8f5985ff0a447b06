"""``load_test.py --two-hosts``: the same load against one host on SQLite (``make run``'s server)
and against two hosts behind nginx on the shared stack (PostgreSQL, Redis, SeaweedFS;
devstack/cluster.py), in one run, side by side: videos per minute, p50/p95 and errors.

Both setups get the same photos and the same number of workers per host; on one machine the
two hosts share its cores, so the second row shows what the shared engines cost, not what a
second machine would add.
"""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path

from bench.loadclients import measure, percentile
from devstack.cluster import Cluster
from tests.helpers.servers import start_server


def run_both(args: argparse.Namespace, images: list[Path], folder: Path) -> int:
    """Measure one SQLite host, then two hosts on the shared stack; print the table; 0 if no errors."""
    fields = args.fields
    rows = []
    single = start_server(folder / "single", WEB_CONCURRENCY=str(args.workers), RATELIMIT_ENABLED="false")
    try:
        rows.append(
            (
                "1 host, SQLite, memory://, files",
                measure(single.url, images[args.workers :], args.clients, args.workers, fields),
            )
        )
    finally:
        single.stop()
    root = folder / "cluster"
    root.mkdir()
    os.chmod(folder, 0o755)
    os.chmod(root, 0o755)  # PostgreSQL runs as the postgres user
    cluster = Cluster(root, hosts=2, workers=args.workers)
    try:
        cluster.start(RATELIMIT_ENABLED="false")
        warm = 2 * args.workers
        rows.append(
            (
                "2 hosts + nginx, PostgreSQL, Redis, SeaweedFS",
                measure(cluster.url, images, args.clients, warm, fields),
            )
        )
    finally:
        cluster.stop()
    return print_table(rows, args)


def print_table(rows: list[tuple[str, dict]], args: argparse.Namespace) -> int:
    """The two rows side by side; 0 if every upload of both answered 200 with a fresh video."""
    print(
        f"# Two-host mode: {args.clients} clients x {args.uploads} uploads, {args.workers} workers per host\n"
    )
    print("| setup | wall s | videos/min | p50 s | p95 s | errors | /api/stats counted |")
    print("|---|---|---|---|---|---|---|")
    failures = 0
    for name, report in rows:
        every = report["warm_up"] + report["floor"] + report["results"]
        errors = [
            result for result in every if result.status != 200 or result.body.get("cached") is not False
        ]
        failures += len(errors)
        latencies = [result.seconds for result in report["results"]]
        counted = report["after"]["total_uploads"] - report["before"]["total_uploads"]
        per_minute = 60 * len(report["results"]) / report["wall"]
        print(
            f"| {name} | {report['wall']:.1f} | {per_minute:.1f} | {statistics.median(latencies):.2f} | "
            f"{percentile(latencies, 0.95):.2f} | {len(errors)} | {counted} of {len(every)} |"
        )
        for result in errors[:3]:
            print(f"  failed: {result.status} {result.body}")
    return 0 if failures == 0 else 1
