"""The ``/api`` blueprint: views parse the request, call a service and answer.

Views by concern: :mod:`.upload` (rendering an upload, and its usage record),
:mod:`.progress` (a render's live progress), :mod:`.videos` (serving a video) and :mod:`.info`
(statistics, health, options).
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import docs, info, progress, upload, videos  # noqa: E402, F401  (the views register themselves on bp)
