"""gunicorn.conf.py, loaded in-process: its settings follow the environment and its start-up
hook sweeps partial renders (tests/system/test_gunicorn.py runs the real server)."""

from __future__ import annotations

import importlib.util

from tests.helpers.paths import PROJECT_ROOT


def _load_gunicorn_conf(monkeypatch, **env: str):
    """gunicorn.conf.py executed afresh as a module, with ``env`` set in the environment."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gunicorn_conf", PROJECT_ROOT / "gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_settings_follow_the_environment(monkeypatch):
    conf = _load_gunicorn_conf(
        monkeypatch, APP_ENV="development", WEB_CONCURRENCY="3", MAX_PROCESSING_TIME="100", PORT="5050"
    )
    assert conf.workers == 3 and conf.bind == ["127.0.0.1:5050"]
    assert conf.worker_class == "gthread" and conf.threads == 8  # slow clients hold a thread, not a worker
    assert conf.timeout > 100 and conf.graceful_timeout >= conf.timeout
    assert conf.max_requests > 0 and conf.max_requests_jitter > 0 and conf.accesslog == "-"
    monkeypatch.delenv("WEB_CONCURRENCY")
    monkeypatch.delenv("PORT")
    assert _load_gunicorn_conf(monkeypatch).workers == 2
    assert _load_gunicorn_conf(monkeypatch, WEB_THREADS="3").threads == 3


def test_gunicorn_start_up_sweeps_partial_renders(monkeypatch, tmp_path):
    partial = tmp_path / ".aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee_output.mp4.part-0123abcd"
    partial.write_bytes(b"half a video")
    conf = _load_gunicorn_conf(monkeypatch, APP_ENV="development", OUTPUT_FOLDER=str(tmp_path))

    class FakeServer:
        class log:
            @staticmethod
            def info(*args):
                pass

    conf.on_starting(FakeServer())
    assert not partial.exists()
