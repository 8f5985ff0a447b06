"""Load test: N concurrent clients x M uploads of distinct real photos against ``make run``'s server.

Run: ``.venv/bin/python bench/load_test.py --clients 4 --uploads 10`` (starts
``gunicorn -c gunicorn.conf.py main:app`` itself on a free loopback port, with temporary
folders and database and the rate limits off), or ``--url http://127.0.0.1:5000`` for a
server already running (its rate limits must allow the uploads; peak RSS needs
``--master-pid``, the log check ``--log``).

Every upload is a different picture (crops, flips and colour shifts of ../shared/photos),
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

from loadclients import PHOTOS, get_json, photo_variants, run_clients, upload
from loadserver import MemorySampler, Server

FLOOR_UPLOADS = 3


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))]


# ---- the run -------------------------------------------------------------------------------


def main() -> int:
    """Parse the command line, run the load (against a server started here or ``--url``), report."""
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
    for name in ("style", "duration", "fps", "max_size"):
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help="form field (default: server's)")
    args = parser.parse_args()
    fields = {
        name: str(getattr(args, name))
        for name in ("style", "duration", "fps", "max_size")
        if getattr(args, name) is not None
    }

    with tempfile.TemporaryDirectory(prefix="paint-load-") as tmp:
        folder = Path(tmp)
        images = photo_variants(
            (2 if args.two_hosts else 1) * args.workers + FLOOR_UPLOADS + args.clients * args.uploads,
            folder / "images",
            source=args.photos,
        )
        if args.two_hosts:
            from loadstack import run_both

            return run_both(args, images, fields, folder)
        server = None
        if args.url:
            url, master_pid = args.url.rstrip("/"), args.master_pid
        else:
            server = Server(folder / "server", args.workers)
            server.wait_until_healthy()
            url, master_pid = server.url, server.process.pid
        sampler = MemorySampler(master_pid) if master_pid else None
        if sampler:
            sampler.start()
        try:
            report = measure(url, images, args.clients, args.workers, fields)
        finally:
            if sampler:
                sampler.done.set()
                sampler.join()
                sampler.sample()
            logs = server.logs() if server else "".join(path.read_text(errors="replace") for path in args.log)
            if server:
                server.stop()
    peak_mb = max(sampler.peaks_mb.values()) if sampler and sampler.peaks_mb else None
    return print_report(report, args, peak_mb, logs if (server or args.log) else None)


def measure(url: str, images: list[Path], clients: int, workers: int, fields: dict[str, str]) -> dict:
    """Warm-up (one upload per worker, at once), the floor (one client), then the load."""
    before = get_json(url, "/api/stats")[1]
    warm_up, _ = run_clients(url, images[:workers], workers, fields)
    floor = [upload(url, image, fields) for image in images[workers : workers + FLOOR_UPLOADS]]
    results, wall = run_clients(url, images[workers + FLOOR_UPLOADS :], clients, fields)
    after = get_json(url, "/api/stats")[1]
    return {
        "warm_up": warm_up,
        "floor": floor,
        "results": results,
        "wall": wall,
        "before": before,
        "after": after,
    }


def print_report(report: dict, args: argparse.Namespace, peak_mb: float | None, logs: str | None) -> int:
    """Print the table and the checks; 0 if every check passed, else 1."""
    results, floor, wall = report["results"], report["floor"], report["wall"]
    every = report["warm_up"] + floor + results
    ok = [result for result in every if result.status == 200 and result.body.get("cached") is False]
    latencies = [result.seconds for result in results]
    floor_seconds = statistics.median(result.seconds for result in floor)
    per_minute = 60 * len(results) / wall
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    counted = {
        key: report["after"][key] - report["before"][key] for key in ("total_uploads", "successful_uploads")
    }
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
    for name, passed in checks.items():
        print(f"- [{'x' if passed else ' '}] {name}")
    if logs is not None:  # app.log and stderr may carry the same line: count request ids
        answered = set(re.findall(r"\[pid (\d+)\] backend\.api: upload request_id=(\w+)", logs))
        pids = [pid for pid, _request_id in answered]
        print(
            f"- uploads answered per worker process: { {pid: pids.count(pid) for pid in sorted(set(pids))} }"
        )
    failures = [result for result in every if result not in ok]
    for result in failures[:5]:
        print(f"  failed: {result.status} {result.body}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
