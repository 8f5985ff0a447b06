"""What following a render costs it: the same upload rendered by real gunicorn (two workers, as
``make run``), alone and with a client polling ``/api/progress/<render_id>`` every 200 ms, in
turns; the render's own ``processing_time`` compared (target: at most 2 % more), and the CPU
seconds all of gunicorn's processes spent on the upload (steadier than wall time on a shared
machine: what the polls cost whichever worker answers them).

    .venv/bin/python -m bench.progress_bench [--rounds 6] [--photo chelsea.png]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from bench.loadclients import upload
from tests.helpers.paths import PHOTOS
from tests.helpers.servers import LiveServer, start_server

POLL_SECONDS = 0.2


def parse_args() -> argparse.Namespace:
    """The command line: rounds (each one upload alone and one followed), the photo and its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--photo", default="chelsea.png")
    parser.add_argument("--max-size", default="720")
    parser.add_argument("--duration", default="12")
    return parser.parse_args()


def poll(url: str, stop: threading.Event, answers: list[int]) -> None:
    """GET ``url`` every :data:`POLL_SECONDS` until ``stop``; each answer's status appended."""
    while not stop.wait(POLL_SECONDS):
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                answers.append(response.status)
        except OSError as exc:  # 404 before the render is registered
            answers.append(getattr(exc, "code", 0))


def cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds the processes ``pids`` have used so far (from /proc)."""
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def render_once(
    server: LiveServer, photo: Path, fields: dict[str, str], followed: bool
) -> tuple[float, float, int]:
    """One upload (a fresh seed, so never a cache hit): its processing time, the server's CPU
    seconds during it and the polls answered."""
    render_id = str(uuid.uuid4())
    fields = {**fields, "seed": str(uuid.UUID(render_id).int % 2**32), "render_id": render_id}
    stop, answers = threading.Event(), []
    poller = threading.Thread(target=poll, args=(f"{server.url}/api/progress/{render_id}", stop, answers))
    pids = [server.pid, *server.worker_pids()]
    cpu_before = cpu_seconds(pids)
    if followed:
        poller.start()
    result = upload(server.url, photo, fields)
    stop.set()
    if followed:
        poller.join()
    cpu = cpu_seconds(pids) - cpu_before
    if result.status != 200:
        raise RuntimeError(f"upload failed: {result.status} {result.body}")
    return float(result.body["processing_time"]), cpu, sum(status == 200 for status in answers)


def main() -> int:
    """Alternate plain and followed uploads; print the table."""
    args = parse_args()
    photo = PHOTOS / args.photo
    fields = {"max_size": args.max_size, "duration": args.duration}
    times: dict[bool, list[float]] = {False: [], True: []}
    cpu: dict[bool, list[float]] = {False: [], True: []}
    polls = 0
    with tempfile.TemporaryDirectory(prefix="progress-bench-") as folder:
        server = start_server(Path(folder), WEB_CONCURRENCY="2", RATELIMIT_ENABLED="false")
        try:
            for _ in range(2):  # warm-up: both workers' first render
                render_once(server, photo, fields, False)
            for round_index in range(args.rounds):
                for followed in (round_index % 2 == 0, round_index % 2 == 1):
                    seconds, cpu_used, answered = render_once(server, photo, fields, followed)
                    times[followed].append(seconds)
                    cpu[followed].append(cpu_used)
                    polls += answered
                time.sleep(0.5)
        finally:
            server.stop()
    print_table(args, times, cpu, polls)
    return 0


def print_table(
    args: argparse.Namespace, times: dict[bool, list[float]], cpu: dict[bool, list[float]], polls: int
) -> None:
    """One row per mode: best and median processing time and server CPU, and their ratios to
    the plain upload's."""
    print(f"# {args.photo}, {args.duration} s at max_size {args.max_size}, {args.rounds} rounds\n")
    print("| upload | best s | median s | ratio (best) | ratio (median) | CPU s (median) | CPU ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    base = min(times[False]), statistics.median(times[False]), statistics.median(cpu[False])
    for followed, label in ((False, "alone"), (True, f"polled every {POLL_SECONDS * 1000:.0f} ms")):
        best, median, cpu_median = (
            min(times[followed]),
            statistics.median(times[followed]),
            statistics.median(cpu[followed]),
        )
        ratios = (
            f"{best / base[0]:.3f} | {median / base[1]:.3f} | {cpu_median:.2f} | {cpu_median / base[2]:.3f}"
        )
        print(f"| {label} | {best:.2f} | {median:.2f} | {ratios} |")
    print(f"\n{polls} progress answers (200) in the polled uploads.")


if __name__ == "__main__":
    raise SystemExit(main())
