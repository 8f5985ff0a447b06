"""A sampler of the peak resident memory of a gunicorn master's workers, for ``bench.load_test``
(the server itself is started by ``tests.helpers.servers``, the clients are in ``loadclients``)."""

from __future__ import annotations

import threading
from pathlib import Path


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
        """Sample every ``interval`` seconds until ``done`` is set."""
        while not self.done.wait(self.interval):
            self.sample()

    def sample(self) -> None:
        """Read each worker's VmHWM and VmRSS once; keep the largest seen per pid."""
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
