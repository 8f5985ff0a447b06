"""gunicorn settings for ``gunicorn main:app`` (read from ./gunicorn.conf.py by default)."""

from __future__ import annotations

import ctypes
import os
from typing import Any

from backend.config import config_from_env
from backend.storage import Storage

_config = config_from_env()

_host = f"[{_config.HOST}]" if ":" in _config.HOST else _config.HOST  # an IPv6 address
bind = [f"{_host}:{_config.PORT}"]
workers = _config.WEB_CONCURRENCY
# Threads, so that a client trickling its upload holds one thread, not the whole worker:
# health checks, video ranges and other uploads go on. Renders stay at RENDERS_PER_WORKER
# (1) per worker at a time (backend/render_service.py), so CPU and memory stay per worker too.
worker_class = "gthread"
threads = _config.WEB_THREADS
# A render stops itself at MAX_PROCESSING_TIME (503 PROCESSING_TIMEOUT); the worker timeout
# sits above it so gunicorn never kills a worker that is about to answer.
timeout = int(_config.MAX_PROCESSING_TIME) + 30
graceful_timeout = timeout  # on SIGTERM let a render in progress finish
max_requests = 500
max_requests_jitter = 50
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms rid=%({x-request-id}o)s'
# gunicorn's control socket lives at one fixed path per user; several instances (tests,
# a second checkout) would fight over it, and nothing here uses it.
control_socket_disable = True
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off a possibly slow container disk


def on_starting(server: Any) -> None:
    """Before any worker exists, no render is alive: remove every partial render left by a crash."""
    removed = Storage.from_config(vars(_config)).sweep_partials()
    if removed:
        server.log.info("removed %d partial renders left by a previous run", len(removed))


# glibc's mallopt parameter number, and the size from which a worker's allocations use mmap.
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD_BYTES = 4 * 1024 * 1024


def post_fork(server: Any, worker: Any) -> None:
    """In each worker, allocate 4 MB and more (the frames of large videos) with mmap, always.

    By default glibc raises that threshold as big blocks are freed, then keeps later frames
    in its heap, where fragmentation holds on to them and a worker's memory creeps up render
    after render (figures in bench/README.md). ``MALLOC_MMAP_THRESHOLD_`` in the environment
    wins; without glibc's ``mallopt`` nothing changes.
    """
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        mallopt = getattr(ctypes.CDLL(None), "mallopt", None)
        if mallopt is not None:
            mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES)


def post_request(worker: Any, req: Any, environ: dict, resp: Any) -> None:
    """After an upload, hand the heap's free pages back to the system (glibc's ``malloc_trim``).

    A render frees hundreds of MB of small and mid-sized blocks scattered through the heap;
    without this a worker keeps much of it, and the next upload's peak starts from there
    (figures in bench/README.md, "Worker memory"). It costs a few milliseconds per upload.
    """
    if environ.get("PATH_INFO") == "/api/upload":
        # Imported here, in the worker, where the app has already loaded it: the master loads
        # no renderer.
        from algorithms.planning import release_freed_memory

        release_freed_memory()
