"""The threads a style plans on while its first frames are drawn, and the memory they free.

A plan makes many whole-picture temporaries between the arrays it keeps. glibc's malloc
keeps the pages of freed temporaries in the process, each planning thread in a heap of
its own, so a render's peak would carry every finished plan's garbage on top of the next
plan's. Handing the free pages inside the heaps back when a job ends takes most of it off
the peak; what a thread freed at the top of its heap stays, as ``malloc_trim`` trims only
the main heap's top (figures: bench/README.md, "Peak memory after the cuts").
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import ParamSpec, TypeVar

_P = ParamSpec("_P")
_T = TypeVar("_T")


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        return getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc only
    except OSError:
        return None


_TRIM = _malloc_trim()


def release_freed_memory() -> None:
    """Give the free pages inside every malloc heap, and the main heap's free top, back to the
    system (glibc's ``malloc_trim``; nothing where the C library has no such call)."""
    if _TRIM is not None:
        _TRIM(0)


class PlanningExecutor(ThreadPoolExecutor):
    """A thread pool whose jobs each end by :func:`release_freed_memory`."""

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        """Run ``fn(*args, **kwargs)`` on a planning thread, then release what it freed."""
        return super().submit(_then_release, fn, *args, **kwargs)


def _then_release(fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
    try:
        return fn(*args, **kwargs)
    finally:
        release_freed_memory()
