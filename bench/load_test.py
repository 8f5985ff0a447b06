"""Load test: N concurrent clients x M uploads of distinct real photos against ``make run``'s server.

Run from the checkout's root: ``.venv/bin/python -m bench.load_test --clients 4 --uploads 10``
(starts ``gunicorn -c gunicorn.conf.py main:app`` itself with ``tests.helpers.servers``, on a
free loopback port, with temporary folders and database and the rate limits off), or
``--url http://127.0.0.1:5000`` for a
server already running (its rate limits must allow the uploads; peak RSS needs
``--master-pid``, the log check ``--log``).

Every upload is a different picture (crops, flips and colour shifts of the sample photos),
so the render cache never answers. After one warm-up upload per worker, the floor is the
same server with one client alone (median of a few uploads): the latency of an upload
nobody competes with. The table gives p50 / floor (what concurrency costs a client) and
the throughput over one client's (what the workers add; at most the core count). The
machine is shared, so read the ratios, not the seconds.

Checks (exit status 1 if one fails): every upload answered 200 with a fresh video,
/api/stats counted exactly the uploads sent, no "database is locked" and no traceback in
the server's logs.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from pathlib import Path

from bench.loadclients import FLOOR_UPLOADS, Result, measure, percentile, photo_variants
from bench.loadstack import run_both
from bench.memory_sampler import MemorySampler
from tests.helpers.paths import PHOTOS
from tests.helpers.servers import LiveServer, start_server

FIELDS = ("style", "duration", "fps", "max_size")


# ---- the run -------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    """The command line; ``fields`` holds the form fields given (the server's defaults for the rest)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--uploads", type=int, default=10, help="uploads per client")
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="WEB_CONCURRENCY of the server started here (of the --url server: for the warm-up)",
    )
    parser.add_argument("--url", help="test this server instead of starting one")
    parser.add_argument(
        "--two-hosts",
        action="store_true",
        help="one SQLite host, then two hosts behind nginx on PostgreSQL, Redis and SeaweedFS (loadstack.py)",
    )
    parser.add_argument("--photos", type=Path, default=PHOTOS, help="folder of the PNG photos to vary")
    parser.add_argument("--master-pid", type=int, help="with --url: gunicorn master, for the workers' RSS")
    parser.add_argument(
        "--log", type=Path, action="append", default=[], help="with --url: log files to check"
    )
    for name in FIELDS:
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help="form field (default: server's)")
    args = parser.parse_args()
    args.fields = {name: str(getattr(args, name)) for name in FIELDS if getattr(args, name) is not None}
    return args


def main() -> int:
    """Parse the command line, run the load (against a server started here or ``--url``), report."""
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="paint-load-") as tmp:
        folder = Path(tmp)
        count = (2 if args.two_hosts else 1) * args.workers + FLOOR_UPLOADS + args.clients * args.uploads
        images = photo_variants(count, folder / "images", source=args.photos)
        if args.two_hosts:
            return run_both(args, images, folder)
        server = None
        if not args.url:
            server = start_server(
                folder / "server", WEB_CONCURRENCY=str(args.workers), RATELIMIT_ENABLED="false"
            )
        try:
            report, peak_mb = run_load(args, images, server)
        finally:
            logs = (
                server.all_logs()
                if server
                else "".join(path.read_text(errors="replace") for path in args.log)
            )
            if server:
                server.stop()
    return print_report(report, args, peak_mb, logs if (server or args.log) else None)


def run_load(
    args: argparse.Namespace, images: list[Path], server: LiveServer | None
) -> tuple[dict, float | None]:
    """:func:`measure` against ``server`` (else ``--url``) while the workers' peak memory is
    sampled (when the master's pid is known): the report and that peak in MB, or None."""
    url, master_pid = (server.url, server.pid) if server else (args.url.rstrip("/"), args.master_pid)
    sampler = MemorySampler(master_pid) if master_pid else None
    if sampler:
        sampler.start()
    try:
        report = measure(url, images, args.clients, args.workers, args.fields)
    finally:
        if sampler:
            sampler.done.set()
            sampler.join()
            sampler.sample()
    peak_mb = max(sampler.peaks_mb.values()) if sampler and sampler.peaks_mb else None
    return report, peak_mb


def print_report(report: dict, args: argparse.Namespace, peak_mb: float | None, logs: str | None) -> int:
    """Print the table and the checks; 0 if every check passed, else 1."""
    every = report["warm_up"] + report["floor"] + report["results"]
    ok = [result for result in every if result.status == 200 and result.body.get("cached") is False]
    print_table(report, args, ok, peak_mb)
    checks = check(report, every, ok, peak_mb, logs)
    for name, passed in checks.items():
        print(f"- [{'x' if passed else ' '}] {name}")
    if logs is not None:  # app.log and stderr may carry the same line: count request ids
        answered = set(re.findall(r"\[pid (\d+)\] backend\.api(?:\.upload)?: upload request_id=(\w+)", logs))
        pids = [pid for pid, _request_id in answered]
        print(
            f"- uploads answered per worker process: { {pid: pids.count(pid) for pid in sorted(set(pids))} }"
        )
    for result in [result for result in every if result not in ok][:5]:
        print(f"  failed: {result.status} {result.body}")
    return 0 if all(checks.values()) else 1


def print_table(report: dict, args: argparse.Namespace, ok: list[Result], peak_mb: float | None) -> None:
    """The heading (what the videos were) and the one-row Markdown table of the load."""
    results, wall = report["results"], report["wall"]
    latencies = [result.seconds for result in results]
    floor_seconds = statistics.median(result.seconds for result in report["floor"])
    per_minute = 60 * len(results) / wall
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    sample = next((result.body for result in ok), {})
    widths = sorted(result.body["width"] for result in ok) or [0]
    print(
        f"# Load test: {args.clients} clients x {args.uploads} uploads; videos {widths[0]}-{widths[-1]} px "
        f"wide, {sample.get('frames')} frames ({sample.get('duration')} s at {sample.get('fps')} fps), "
        f"{sample.get('style')}\n"
    )
    print(
        "| clients x uploads | wall s | videos/min | p50 s | p95 s | max s | floor s (1 client) "
        "| p50 / floor | throughput / 1 client's | peak worker RSS MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    peak = f"{peak_mb:.0f}" if peak_mb is not None else "n/a"
    print(
        f"| {args.clients} x {args.uploads} | {wall:.1f} | {per_minute:.1f} | {p50:.2f} | {p95:.2f} | "
        f"{max(latencies):.2f} | {floor_seconds:.2f} | {p50 / floor_seconds:.2f} | "
        f"{per_minute / (60 / floor_seconds):.2f} | {peak} |\n"
    )


def check(
    report: dict, every: list[Result], ok: list[Result], peak_mb: float | None, logs: str | None
) -> dict[str, bool]:
    """Each check by name: every upload fresh and 200, counted exactly, clean logs, memory."""
    counted = {
        key: report["after"][key] - report["before"][key] for key in ("total_uploads", "successful_uploads")
    }
    checks = {
        f"all {len(every)} uploads answered 200 with a fresh video": len(ok) == len(every),
        f"/api/stats counted {counted['total_uploads']} uploads, {counted['successful_uploads']} successful "
        f"(sent {len(every)})": counted["total_uploads"] == counted["successful_uploads"] == len(every),
    }
    if logs is not None:
        checks['no "database is locked" in the logs'] = "database is locked" not in logs
        checks["no traceback in the logs"] = "Traceback" not in logs
    if peak_mb is not None:
        checks["peak worker RSS under 500 MB"] = peak_mb < 500
    return checks


if __name__ == "__main__":
    sys.exit(main())
