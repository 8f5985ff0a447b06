"""The load test's clients and their inputs: distinct photo variants, the uploads over plain
``http.client`` (as ``requests`` would send them) and the threads that share them out.

Used by ``bench.load_test``; the server it starts is ``tests.helpers.servers``' gunicorn, the
multipart encoder ``tests.helpers.multipart``'s.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from tests.helpers.multipart import upload_form
from tests.helpers.network import get_json
from tests.helpers.paths import PHOTOS

FLOOR_UPLOADS = 3  # uploads of one client alone: the latency nobody competes with

REQUEST_TIMEOUT = 600  # seconds; above MAX_PROCESSING_TIME's default


@dataclass
class Result:
    """One upload: HTTP status, seconds from sending to the last byte of the answer, the answer."""

    status: int
    seconds: float
    body: dict


# ---- inputs --------------------------------------------------------------------------------


def photo_variants(count: int, folder: Path, *, source: Path = PHOTOS, seed: int = 0) -> list[Path]:
    """Write ``count`` distinct PNGs made from the real photos in ``source``: a random crop of
    70-100 % of each side, maybe mirrored, with a colour shift; every file's bytes differ."""
    photos = [cv2.imread(str(path)) for path in sorted(source.glob("*.png"))]
    if not photos or any(photo is None for photo in photos):
        raise SystemExit(f"no readable photos in {source}")
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        photo = photos[index % len(photos)]
        height, width = photo.shape[:2]
        crop_w, crop_h = (int(side * rng.uniform(0.7, 1.0)) for side in (width, height))
        x, y = int(rng.integers(0, width - crop_w + 1)), int(rng.integers(0, height - crop_h + 1))
        variant = photo[y : y + crop_h, x : x + crop_w].astype(np.int16)
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


# ---- the clients ---------------------------------------------------------------------------


def upload(url: str, image: Path, fields: dict[str, str]) -> Result:
    """POST ``image`` to /api/upload as ``requests`` would (no part Content-Type)."""
    form, content_type = upload_form(image.read_bytes(), image.name, fields)
    parts = urllib.parse.urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    connection = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    try:
        connection.request("POST", "/api/upload", form, {"Content-Type": content_type})
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


def run_clients(
    url: str, images: list[Path], clients: int, fields: dict[str, str]
) -> tuple[list[Result], float]:
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
