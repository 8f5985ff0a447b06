"""``python -m algorithms``: see :mod:`algorithms.cli`."""

import sys

from .cli import main

sys.exit(main())
