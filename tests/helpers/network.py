"""Loopback networking for the tests and the load test: a free port, one JSON request, and
processes released at once."""

from __future__ import annotations

import http.client
import json
import multiprocessing
import socket
import urllib.parse
from collections.abc import Callable


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_json(url: str, path: str, timeout: float = 30) -> tuple[int, dict]:
    """GET ``path`` from the server at ``url`` (``http://host:port``): the status and the JSON answer."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=timeout)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def run_processes_at_once(target: Callable[..., None], args_for: Callable[..., tuple], count: int) -> None:
    """Fork ``count`` processes running ``target(*args_for(index, start))``, release them together
    through the ``start`` event, and assert that every one exits cleanly within a minute."""
    context = multiprocessing.get_context("fork")
    start = context.Event()
    processes = [context.Process(target=target, args=args_for(index, start)) for index in range(count)]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(60)
        assert process.exitcode == 0
