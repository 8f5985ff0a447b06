"""An upload holds no database connection while it renders (renders last up to 300 s; the pool of
a worker is small): with a pool of one, /api/stats answers during a render."""

from __future__ import annotations

import threading
import time
from io import BytesIO

import algorithms


def test_a_render_holds_no_database_connection(app_factory, postgres_url, png_bytes, monkeypatch):
    app = app_factory(DATABASE_URL=postgres_url, DATABASE_POOL_SIZE=1, NETWORK_TIMEOUT=1.0)
    rendering, release = threading.Event(), threading.Event()
    real_paint = algorithms.paint_image

    def slow_paint(*args, **kwargs):
        rendering.set()
        assert release.wait(30)
        return real_paint(*args, **kwargs)

    monkeypatch.setattr(algorithms, "paint_image", slow_paint)
    result = {}

    def post() -> None:
        data = {"file": (BytesIO(png_bytes), "p.png")}
        result["response"] = app.test_client().post("/api/upload", data=data)

    thread = threading.Thread(target=post)
    thread.start()
    try:
        assert rendering.wait(30)
        started = time.monotonic()
        stats = app.test_client().get("/api/stats")
        assert stats.status_code == 200 and time.monotonic() - started < 1.0  # the one connection was free
        assert app.test_client().get("/api/health").status_code == 200
    finally:
        release.set()
        thread.join(60)
    assert result["response"].status_code == 200
    assert app.test_client().get("/api/stats").get_json()["total_uploads"] == 1
