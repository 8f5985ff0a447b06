"""Tests of the planning threads: each job's result, and the memory handed back after it."""

from __future__ import annotations

import platform

import pytest

from algorithms import planning
from algorithms.planning import PlanningExecutor, release_freed_memory


@pytest.fixture
def trims(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each call of the C library's trim, recorded (the real one is called too)."""
    calls: list[int] = []
    real = planning._TRIM

    def recording(pad: int) -> int:
        calls.append(pad)
        return real(pad) if real is not None else 0

    monkeypatch.setattr(planning, "_TRIM", recording)
    return calls


def test_glibc_gives_the_trim() -> None:
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("malloc_trim is glibc's; elsewhere nothing is released")
    assert planning._TRIM is not None
    release_freed_memory()


def test_each_job_returns_its_result_then_releases(trims: list[int]) -> None:
    with PlanningExecutor(max_workers=2) as executor:
        futures = [executor.submit(pow, base, 2) for base in range(5)]
        assert [future.result() for future in futures] == [0, 1, 4, 9, 16]
    assert trims == [0] * 5


def test_a_failed_job_raises_and_still_releases(trims: list[int]) -> None:
    def fails(name: str) -> None:
        raise ValueError(f"no plan for {name}")

    with PlanningExecutor(max_workers=1) as executor:
        future = executor.submit(fails, name="coffee")
        with pytest.raises(ValueError, match="no plan for coffee"):
            future.result()
    assert trims == [0]
