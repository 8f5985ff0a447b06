"""Entry point: ``app`` for ``gunicorn main:app`` and ``flask --app main``; ``python main.py``
runs the development server on HOST:PORT (default 127.0.0.1:5000, see backend/config.py)."""

from __future__ import annotations

import sys

from backend.app import create_app

app = create_app()

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def run_development_server() -> None:
    """Serve with Werkzeug; the debugger only with FLASK_DEBUG=1 and only on loopback."""
    host, port, debug = app.config["HOST"], app.config["PORT"], app.config["FLASK_DEBUG"]
    if debug and host not in LOOPBACK_HOSTS:
        # The Werkzeug debugger runs arbitrary code for whoever reaches it.
        sys.exit("FLASK_DEBUG=1 is only allowed with HOST on loopback (127.0.0.1, localhost, ::1).")
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":
    run_development_server()
