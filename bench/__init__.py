"""The benchmarks, run from the checkout's root as modules: ``python -m bench.render_bench``,
``python -m bench.painterly_bench``, ``python -m bench.load_test``."""
