"""What the benchmarks of how a video reads share: its frames, how the tool moves, how the
painting is paced.

Used by ``bench.sketch_color_bench`` and ``bench.painterly_bench --look``; the definitions of
the measures are in bench/README.md.
"""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np


def decode(path: Path) -> list[np.ndarray]:
    """Every frame of the video at ``path``, BGR."""
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="bgr24") for frame in container.decode(video=0)]


def tool_motion(
    with_tools: list[np.ndarray], without: list[np.ndarray], fps: int
) -> tuple[float, float, float]:
    """Median and 95th percentile of the tool's per-frame move over the diagonal, and jumps over
    0.15 of the diagonal per 10 s."""
    diagonal = float(np.hypot(*with_tools[0].shape[:2]))
    centres: list[np.ndarray | None] = []
    for tooled, plain in zip(with_tools, without):
        ys, xs = np.nonzero(np.abs(tooled.astype(np.int16) - plain).max(axis=2) > 24)
        centres.append(np.array([xs.mean(), ys.mean()]) if len(xs) > 50 else None)
    moves = [
        float(np.hypot(*(second - first))) / diagonal
        for first, second in zip(centres, centres[1:])
        if first is not None and second is not None
    ]
    if not moves:
        return 0.0, 0.0, 0.0
    seconds = len(with_tools) / fps
    jumps = sum(move > 0.15 for move in moves) * 10.0 / seconds
    return float(np.median(moves)), float(np.percentile(moves, 95)), jumps


def pacing(frames: list[np.ndarray], first: int, stop: int) -> tuple[list[float], float]:
    """How the change from ``frames[first]`` (the bare canvas) to ``frames[stop]`` (the first
    frame of the hold) is spread over the painting time.

    The change between two consecutive frames is the mean over pixels and channels of their
    absolute difference; there are ``n = stop - first`` of them. Tenth ``k`` holds the changes
    of the transitions ``i`` (counted from ``first``) with ``k * n / 10 <= i < (k + 1) * n / 10``.

    Returns
    -------
    shares : list of 10 floats
        Each tenth's share of the total change (they add up to 1; all 0 if nothing changed).
    t90 : float
        The fraction of the painting time by which 90 % of the change is made: the first
        transition ``i`` whose cumulative change reaches 0.9 of the total, ``(i + 1) / n``.
    """
    count = stop - first
    if count < 1:
        raise ValueError(f"no painting time between frames {first} and {stop}")
    changes = np.array(
        [np.abs(frames[i + 1].astype(np.int16) - frames[i]).mean() for i in range(first, stop)],
        dtype=np.float64,
    )
    total = float(changes.sum())
    if total == 0.0:
        return [0.0] * 10, 0.0
    tenths = np.arange(count) * 10 // count  # k * n / 10 <= i < (k + 1) * n / 10, in integers
    shares = np.bincount(tenths, weights=changes, minlength=10) / total
    reached = int(np.argmax(np.cumsum(changes) >= 0.9 * total))
    return [float(share) for share in shares], (reached + 1) / count
