"""Helpers shared by the tests and ``bench/``: paths, generated images, video inspection, the
one multipart encoder, the one gunicorn launcher, the browser and network helpers.

Import them by their module, e.g. ``from tests.helpers.servers import start_server``."""
