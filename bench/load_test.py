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
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT.parent / "shared" / "photos"
FLOOR_UPLOADS = 3
REQUEST_TIMEOUT = 600  # seconds; above MAX_PROCESSING_TIME's default


@dataclass
class Result:
    """One upload: HTTP status, seconds from sending to the last byte of the answer, the answer."""

    status: int
    seconds: float
    body: dict


# ---- inputs --------------------------------------------------------------------------------

def photo_variants(count: int, folder: Path, *, seed: int = 0) -> list[Path]:
    """Write ``count`` distinct PNGs made from the real photos: a random crop of 70-100 % of
    each side, maybe mirrored, with a colour shift; every file's bytes differ."""
    photos = [cv2.imread(str(path)) for path in sorted(PHOTOS.glob("*.png"))]
    if not photos or any(photo is None for photo in photos):
        raise SystemExit(f"no readable photos in {PHOTOS}")
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        photo = photos[index % len(photos)]
        height, width = photo.shape[:2]
        crop_w, crop_h = (int(side * rng.uniform(0.7, 1.0)) for side in (width, height))
        x, y = int(rng.integers(0, width - crop_w + 1)), int(rng.integers(0, height - crop_h + 1))
        variant = photo[y:y + crop_h, x:x + crop_w].astype(np.int16)
        variant += rng.integers(-25, 26, size=3).astype(np.int16)  # colour shift per channel
        variant = np.clip(variant, 0, 255).astype(np.uint8)
        if rng.random() < 0.5:
            variant = cv2.flip(variant, 1)
        path = folder / f"variant_{index:03d}.png"
        if not cv2.imwrite(str(path), variant):
            raise RuntimeError(f"cv2.imwrite failed for {path}")
        paths.append(path)
    if len({path.read_bytes() for path in paths}) != count:
        raise RuntimeError("two variants came out identical")
    return paths


# ---- the server ----------------------------------------------------------------------------

class Server:
    """``make run``'s gunicorn on a free loopback port, everything under ``root``."""

    def __init__(self, root: Path, workers: int) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.root, self.log_path = root, root / "gunicorn.log"
        root.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "APP_ENV": "development", "HOST": "127.0.0.1", "PORT": str(self.port),
               "WEB_CONCURRENCY": str(workers), "RATELIMIT_ENABLED": "false",
               "UPLOAD_FOLDER": str(root / "uploads"), "OUTPUT_FOLDER": str(root / "outputs"),
               "LOG_FOLDER": str(root / "logs"), "DATABASE_URL": f"sqlite:///{root / 'app.db'}"}
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "main:app"], cwd=ROOT, env=env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_until_healthy(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited:\n{self.log_path.read_text()[-3000:]}")
            try:
                if get_json(self.url, "/api/health", timeout=5)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("gunicorn did not become healthy")

    def logs(self) -> str:
        return "".join(path.read_text(errors="replace") for path in [self.log_path, *self.root.glob("logs/*.log*")])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


class MemorySampler(threading.Thread):
    """Polls /proc for the peak resident memory of the master's children (the workers).

    VmHWM is the kernel's own peak per process, so short spikes between polls count too;
    workers recycled by ``max_requests`` are remembered by pid."""

    def __init__(self, master_pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.master_pid, self.interval = master_pid, interval
        self.peaks_mb: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        try:
            children = Path(f"/proc/{self.master_pid}/task/{self.master_pid}/children").read_text().split()
        except OSError:
            return
        for pid in map(int, children):
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith(("VmHWM:", "VmRSS:")):
                    self.peaks_mb[pid] = max(self.peaks_mb.get(pid, 0.0), int(line.split()[1]) / 1024)


# ---- the clients ---------------------------------------------------------------------------

def get_json(url: str, path: str, timeout: float = 30) -> tuple[int, dict]:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def upload(url: str, image: Path, fields: dict[str, str]) -> Result:
    """POST ``image`` to /api/upload as ``requests`` would (no part Content-Type)."""
    boundary = uuid.uuid4().hex
    chunks = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
              for name, value in fields.items()]
    chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{image.name}"\r\n\r\n'
                  .encode() + image.read_bytes() + f"\r\n--{boundary}--\r\n".encode())
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    try:
        connection.request("POST", "/api/upload", b"".join(chunks),
                           {"Content-Type": f"multipart/form-data; boundary={boundary}"})
        response = connection.getresponse()
        payload = response.read()
        seconds = time.perf_counter() - started
        try:
            body = json.loads(payload)
        except ValueError:
            body = {"raw": payload[:200].decode(errors="replace")}
        return Result(response.status, seconds, body)
    except OSError as exc:
        return Result(0, time.perf_counter() - started, {"error": str(exc)})
    finally:
        connection.close()


def run_clients(url: str, images: list[Path], clients: int, fields: dict[str, str]) -> tuple[list[Result], float]:
    """``clients`` threads share ``images`` evenly, each uploading its share one after another."""
    results: list[Result] = []
    lock = threading.Lock()

    def client(share: list[Path]) -> None:
        for image in share:
            result = upload(url, image, fields)
            with lock:
                results.append(result)

    threads = [threading.Thread(target=client, args=(images[index::clients],)) for index in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of ``values``."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))]


# ---- the run -------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--uploads", type=int, default=10, help="uploads per client")
    parser.add_argument("--workers", type=int, default=2,
                        help="WEB_CONCURRENCY of the server started here (of the --url server: for the warm-up)")
    parser.add_argument("--url", help="test this server instead of starting one")
    parser.add_argument("--master-pid", type=int, help="with --url: gunicorn master, for the workers' RSS")
    parser.add_argument("--log", type=Path, action="append", default=[], help="with --url: log files to check")
    for name in ("style", "duration", "fps", "max_size"):
        parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help="form field (default: server's)")
    args = parser.parse_args()
    fields = {name: str(getattr(args, name)) for name in ("style", "duration", "fps", "max_size")
              if getattr(args, name) is not None}

    with tempfile.TemporaryDirectory(prefix="paint-load-") as tmp:
        folder = Path(tmp)
        images = photo_variants(args.workers + FLOOR_UPLOADS + args.clients * args.uploads, folder / "images")
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
    floor = [upload(url, image, fields) for image in images[workers:workers + FLOOR_UPLOADS]]
    results, wall = run_clients(url, images[workers + FLOOR_UPLOADS:], clients, fields)
    after = get_json(url, "/api/stats")[1]
    return {"warm_up": warm_up, "floor": floor, "results": results, "wall": wall, "before": before,
            "after": after}


def print_report(report: dict, args: argparse.Namespace, peak_mb: float | None, logs: str | None) -> int:
    results, floor, wall = report["results"], report["floor"], report["wall"]
    every = report["warm_up"] + floor + results
    ok = [result for result in every if result.status == 200 and result.body.get("cached") is False]
    latencies = [result.seconds for result in results]
    floor_seconds = statistics.median(result.seconds for result in floor)
    per_minute = 60 * len(results) / wall
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    counted = {key: report["after"][key] - report["before"][key] for key in ("total_uploads", "successful_uploads")}
    sample = next((result.body for result in ok), {})
    widths = sorted(result.body["width"] for result in ok) or [0]

    print(f"# Load test: {args.clients} clients x {args.uploads} uploads; videos {widths[0]}-{widths[-1]} px "
          f"wide, {sample.get('frames')} frames ({sample.get('duration')} s at {sample.get('fps')} fps), "
          f"{sample.get('style')}\n")
    print("| clients x uploads | wall s | videos/min | p50 s | p95 s | max s | floor s (1 client) "
          "| p50 / floor | throughput / 1 client's | peak worker RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    peak = f"{peak_mb:.0f}" if peak_mb is not None else "n/a"
    print(f"| {args.clients} x {args.uploads} | {wall:.1f} | {per_minute:.1f} | {p50:.2f} | {p95:.2f} | "
          f"{max(latencies):.2f} | {floor_seconds:.2f} | {p50 / floor_seconds:.2f} | "
          f"{per_minute / (60 / floor_seconds):.2f} | {peak} |\n")

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
        print(f"- uploads answered per worker process: { {pid: pids.count(pid) for pid in sorted(set(pids))} }")
    failures = [result for result in every if result not in ok]
    for result in failures[:5]:
        print(f"  failed: {result.status} {result.body}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
