"""Drawing frames on a worker thread while the caller encodes the previous ones.

OpenCV, NumPy and libx264 release the GIL for their heavy work, so on two cores
drawing frame ``n + 1`` overlaps with encoding frame ``n``. The queue is short:
never more than a few frames are in memory.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType

from .errors import PaintError

QUEUE_FRAMES = 3
# Frames the pipeline may hold at once: the queued ones, one being consumed and one
# being converted. A converted frame is not read again once this many later ones exist.
FRAMES_IN_USE = QUEUE_FRAMES + 2


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class FramePipeline:
    """Iterate over exactly ``frame_count`` frames of ``frames``, each passed through ``convert``.

    Use as a context manager; leaving it early stops the drawing thread.
    ``draw_seconds`` is the time the thread spent drawing and converting.
    """

    def __init__(self, frames: Iterable, frame_count: int, convert: Callable[[object], object]) -> None:
        self._frames, self._frame_count, self._convert = frames, frame_count, convert
        self._queue: queue.Queue = queue.Queue(maxsize=QUEUE_FRAMES)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="frame-drawer", daemon=True)
        self.draw_seconds = 0.0

    def __enter__(self) -> "FramePipeline":
        self._thread.start()
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def __iter__(self) -> Iterator:
        for _ in range(self._frame_count):
            item = self._queue.get()
            if isinstance(item, _Failure):
                raise item.error
            yield item

    def _produce(self) -> None:
        try:
            frame_iter = iter(self._frames)
            for index in range(self._frame_count):
                started = time.perf_counter()
                frame = next(frame_iter, None)
                if frame is None:
                    raise PaintError(f"the style produced {index} of {self._frame_count} frames")
                converted = self._convert(frame)
                self.draw_seconds += time.perf_counter() - started
                if not self._put(converted):
                    return
        except BaseException as error:  # handed to the consumer, which re-raises it
            self._put(_Failure(error))

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False
