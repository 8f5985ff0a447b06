"""The load test's clients and their inputs: distinct photo variants, the uploads over plain
``http.client`` (as ``requests`` would send them) and the threads that share them out.

Used by ``bench/load_test.py``; the server it loads is in ``loadserver.py``.
"""

from __future__ import annotations

import http.client
import json
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


def get_json(url: str, path: str, timeout: float = 30) -> tuple[int, dict]:
    """GET ``path`` from the server at ``url``: the status and the JSON answer."""
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
    chunks = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    chunks.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{image.name}"\r\n\r\n'.encode()
        + image.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    try:
        connection.request(
            "POST",
            "/api/upload",
            b"".join(chunks),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
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
