"""Time the original project's renderer once, in this process, and print the result as JSON.

Run by :mod:`bench.seed_compare` with the original project's own Python (its dependencies are
not ours): ``PYTHON bench/original_runner.py CHECKOUT IMAGE OUTPUT``. The process first renders
a small crop of ``IMAGE`` (its imports and first-call costs, as a service worker would have
paid them), then times ``algorithms.core.paint_image(IMAGE, OUTPUT)`` from ``CHECKOUT`` (which
loads its hand pictures from paths relative to it). Only the standard library is imported
here; the original's own modules bring their dependencies.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import sys
import time


def main(checkout: str, image: str, output: str) -> None:
    """Warm up on a crop of ``image``, time the render of ``image`` into ``output``, print JSON."""
    os.chdir(checkout)
    sys.path[0] = checkout  # the original's packages, in place of bench/ (this script's folder)
    import cv2  # the original's own dependency, from its environment

    from algorithms.core import paint_image

    warm_up = os.path.join(os.path.dirname(output), "warm_up.png")
    if not cv2.imwrite(warm_up, cv2.imread(image)[:96, :96]):
        raise RuntimeError("could not write the warm-up crop")
    with contextlib.redirect_stdout(io.StringIO()):  # it prints a line per step
        paint_image(warm_up, output)
        started = time.perf_counter()
        paint_image(image, output)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"total": seconds, "peak_mb": peak_mb}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
