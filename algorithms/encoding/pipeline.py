"""Drawing frames on a worker thread while the caller encodes the previous ones.

OpenCV, NumPy and libx264 release the GIL for their heavy work, so on two cores
drawing frame ``n + 1`` overlaps with encoding frame ``n``. Only a few frames are
drawn ahead: never more than a few frames are in memory.

The hand-over uses ``queue.SimpleQueue`` (implemented in C) in both directions,
drawn frames one way and free slots the other: ``queue.Queue`` runs dozens of
lines of Python per frame under the GIL, and every one of them can keep the
encoding thread waiting for the GIL while the encoder's threads sit idle.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

from ..errors import PaintError

QUEUE_FRAMES = 3  # frames the drawer may have drawn that the caller has not yet taken
# Frames the pipeline may hold at once: the drawn ones not yet taken (one of them may
# still be being drawn) and the one the caller took last. A frame handed out is not
# read again once this many later ones have been drawn.
FRAMES_IN_USE = QUEUE_FRAMES + 1


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error


Drawn = TypeVar("Drawn")
Converted = TypeVar("Converted")


class FramePipeline(Generic[Drawn, Converted]):
    """Iterate over exactly ``frame_count`` frames of ``frames``, each passed through ``convert``.

    Use as a context manager; leaving it early stops the drawing thread.
    ``draw_seconds`` is the time the thread spent drawing and converting.
    """

    def __init__(
        self, frames: Iterable[Drawn], frame_count: int, convert: Callable[[Drawn], Converted]
    ) -> None:
        self._frames, self._frame_count, self._convert = frames, frame_count, convert
        self._drawn: queue.SimpleQueue[Converted | _Failure] = queue.SimpleQueue()
        self._free_slots: queue.SimpleQueue[None] = queue.SimpleQueue()
        for _ in range(QUEUE_FRAMES):
            self._free_slots.put(None)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="frame-drawer", daemon=True)
        self.draw_seconds = 0.0

    def __enter__(self) -> FramePipeline[Drawn, Converted]:
        self._thread.start()
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._stop.set()
        self._thread.join()

    def __iter__(self) -> Iterator[Converted]:
        for _ in range(self._frame_count):
            item = self._drawn.get()
            if isinstance(item, _Failure):
                raise item.error
            self._free_slots.put(None)
            yield item

    def _produce(self) -> None:
        try:
            frame_iter = iter(self._frames)
            for index in range(self._frame_count):
                if not self._take_free_slot():
                    return
                started = time.perf_counter()
                frame = next(frame_iter, None)
                if frame is None:
                    raise PaintError(f"the style produced {index} of {self._frame_count} frames")
                converted = self._convert(frame)
                self.draw_seconds += time.perf_counter() - started
                self._drawn.put(converted)
        except BaseException as error:  # handed to the consumer, which re-raises it
            self._drawn.put(_Failure(error))

    def _take_free_slot(self) -> bool:
        """Wait until the caller has taken enough frames; False if the pipeline was closed."""
        while not self._stop.is_set():
            try:
                self._free_slots.get(timeout=0.05)
                return True
            except queue.Empty:
                continue
        return False
