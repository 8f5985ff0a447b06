"""The test suite: ``unit/`` (in-process, ``make test-fast``), ``system/`` (real servers, a
browser, subprocesses) and the helpers both tiers and ``bench/`` share, in ``helpers/``."""
