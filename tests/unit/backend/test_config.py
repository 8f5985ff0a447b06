"""Configuration from the environment (backend/config.py) and the factory's use of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend import config as config_module
from backend.app import create_app
from backend.config import (
    PROJECT_ROOT,
    Config,
    ConfigError,
    DevelopmentConfig,
    ProductionConfig,
    config_from_env,
)


def test_defaults():
    config = Config({})
    assert config.MAX_CONTENT_LENGTH == 16 * 1024 * 1024
    assert config.UPLOAD_FOLDER == PROJECT_ROOT / "uploads"
    assert config.OUTPUT_FOLDER == PROJECT_ROOT / "outputs"
    assert config.LOG_FOLDER == PROJECT_ROOT / "logs"
    assert config.DATABASE_URL == f"sqlite:///{PROJECT_ROOT / 'app.db'}"
    assert (config.MAX_PROCESSING_TIME, config.CLEANUP_INTERVAL, config.FILE_RETENTION) == (300, 3600, 86400)
    assert config.RATELIMIT_ENABLED is True
    assert (config.RATELIMIT_DEFAULT, config.RATELIMIT_UPLOAD) == ("100 per hour", "10 per minute")
    assert config.RATELIMIT_STORAGE_URI == "memory://" and config.TRUSTED_PROXY_COUNT == 0
    assert config.RENDER_DEFAULTS["style"] == "sketch-color" and config.RENDER_DEFAULTS["duration"] == 12.0
    assert config.RENDERS_PER_WORKER == 1 and config.MIN_FREE_SPACE == 100 * 1024 * 1024


def test_environment_overrides():
    config = Config(
        {
            "MAX_CONTENT_LENGTH": "1048576",
            "UPLOAD_FOLDER": "/srv/up",
            "OUTPUT_FOLDER": "data/out",
            "DATABASE_URL": "sqlite:////var/lib/paint/app.db",
            "MAX_PROCESSING_TIME": "90",
            "RATELIMIT_ENABLED": "false",
            "RATELIMIT_UPLOAD": "3 per minute",
            "TRUSTED_PROXY_COUNT": "1",
            "RENDER_DURATION": "5",
            "RENDER_SHOW_TOOLS": "no",
            "MAX_IMAGE_PIXELS": "1000000",
            "RENDERS_PER_WORKER": "2",
        }
    )
    assert config.MAX_CONTENT_LENGTH == 1048576 and config.UPLOAD_FOLDER == Path("/srv/up")
    assert config.OUTPUT_FOLDER == PROJECT_ROOT / "data" / "out"
    assert config.DATABASE_URL == "sqlite:////var/lib/paint/app.db"
    assert config.MAX_PROCESSING_TIME == 90.0 and config.RATELIMIT_ENABLED is False
    assert config.RATELIMIT_UPLOAD == "3 per minute" and config.TRUSTED_PROXY_COUNT == 1
    assert config.RENDER_DEFAULTS["duration"] == 5.0 and config.RENDER_DEFAULTS["show_tools"] is False
    assert config.MAX_IMAGE_PIXELS == 1_000_000
    assert config.RENDERS_PER_WORKER == 2


def test_relative_paths_resolve_against_the_project_root_not_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = Config({"LOG_FOLDER": "var/logs", "DATABASE_URL": "sqlite:///var/app.db"})
    assert config.LOG_FOLDER == PROJECT_ROOT / "var" / "logs"
    assert config.DATABASE_URL == f"sqlite:///{PROJECT_ROOT / 'var' / 'app.db'}"


@pytest.mark.parametrize(
    "name,value",
    [
        ("MAX_CONTENT_LENGTH", "lots"),
        ("MAX_CONTENT_LENGTH", "0"),
        ("MAX_PROCESSING_TIME", "nan"),
        ("MAX_PROCESSING_TIME", "-1"),
        ("CLEANUP_INTERVAL", "inf"),
        ("TRUSTED_PROXY_COUNT", "1.5"),
        ("RATELIMIT_ENABLED", "perhaps"),
        ("DATABASE_URL", "postgres://db"),
        ("RENDER_DURATION", "600"),
        ("RENDER_STYLE", "cubist"),
        ("RENDERS_PER_WORKER", "0"),
        ("RENDERS_PER_WORKER", "one"),
        ("LOG_LEVEL", "verbose"),
        ("RATELIMIT_UPLOAD", "lots"),
        ("RATELIMIT_DEFAULT", "10 a minute"),
    ],
)
def test_bad_values_refuse_to_start_with_the_variable_named(name, value):
    with pytest.raises(
        ConfigError, match=name.split("_")[-1].lower() if name.startswith("RENDER_") else name
    ):
        Config({name: value})


def test_production_refuses_the_debugger():
    with pytest.raises(ConfigError, match="FLASK_DEBUG"):
        ProductionConfig({"FLASK_DEBUG": "1"})
    assert ProductionConfig({}).FLASK_DEBUG is False


def test_production_app_refuses_to_start_with_the_debugger(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="FLASK_DEBUG"):
        create_app()


def test_server_settings_are_read_and_checked_here():
    config = Config({"HOST": "0.0.0.0", "PORT": "8080", "WEB_CONCURRENCY": "3", "WEB_THREADS": "4"})
    assert (config.HOST, config.PORT, config.WEB_CONCURRENCY, config.WEB_THREADS) == ("0.0.0.0", 8080, 3, 4)
    assert (Config({}).HOST, Config({}).PORT, Config({}).FLASK_DEBUG) == ("127.0.0.1", 5000, False)
    for name, value in (
        ("PORT", "70000"),
        ("PORT", "http"),
        ("WEB_CONCURRENCY", "0"),
        ("FLASK_DEBUG", "maybe"),
    ):
        with pytest.raises(ConfigError, match=name):
            Config({name: value})


def test_app_env_selects_the_class():
    assert type(config_from_env({})) is DevelopmentConfig
    assert type(config_from_env({"APP_ENV": "production"})) is ProductionConfig
    assert type(config_from_env({"APP_ENV": "testing"})) is config_module.TestingConfig
    with pytest.raises(ConfigError, match="APP_ENV"):
        config_from_env({"APP_ENV": "staging"})


def test_create_app_testing_gets_temporary_folders_and_database():
    app = create_app(testing=True)
    assert app.testing
    for key in ("UPLOAD_FOLDER", "OUTPUT_FOLDER", "LOG_FOLDER"):
        folder = Path(app.config[key])
        assert folder.is_dir() and PROJECT_ROOT not in folder.parents
    assert PROJECT_ROOT.as_posix() not in app.config["DATABASE_URL"]
    assert app.test_client().get("/api/health").status_code == 200


def test_create_app_takes_a_mapping_of_overrides(tmp_path):
    app = create_app({"UPLOAD_FOLDER": tmp_path / "in", "MAX_CONTENT_LENGTH": 1234}, testing=True)
    assert app.config["UPLOAD_FOLDER"] == tmp_path / "in" and (tmp_path / "in").is_dir()
    assert app.config["MAX_CONTENT_LENGTH"] == 1234


def test_shared_engines_are_read_and_checked_here():
    config = Config(
        {
            "DATABASE_URL": "postgresql://paint:pw@db.internal:5432/paint",
            "RATELIMIT_STORAGE_URI": "redis://cache.internal:6379/0",
            "VIDEO_STORE_URL": "s3://paint-videos/prod/videos",
            "NETWORK_TIMEOUT": "2.5",
            "DATABASE_POOL_SIZE": "3",
            "USAGE_RETENTION": "86400",
        }
    )
    assert config.DATABASE_URL == "postgresql://paint:pw@db.internal:5432/paint"
    assert config.RATELIMIT_STORAGE_OPTIONS == {"socket_timeout": 2.5, "socket_connect_timeout": 2.5}
    assert config.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED is True
    assert (config.VIDEO_STORE_URL, config.DATABASE_POOL_SIZE, config.USAGE_RETENTION) == (
        "s3://paint-videos/prod/videos",
        3,
        86400.0,
    )
    defaults = Config({})
    assert (defaults.RATELIMIT_STORAGE_URI, defaults.VIDEO_STORE_URL) == ("memory://", "")
    assert defaults.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED is False and defaults.NETWORK_TIMEOUT == 3.0
    for name, value in (
        ("VIDEO_STORE_URL", "http://bucket"),
        ("VIDEO_STORE_URL", "s3://Bad_Bucket"),
        ("RATELIMIT_STORAGE_URI", "mongodb://x"),
        ("NETWORK_TIMEOUT", "600"),
        ("DATABASE_POOL_SIZE", "0"),
        ("USAGE_RETENTION", "-1"),
        ("DATABASE_URL", "postgresql://"),
    ):
        with pytest.raises(ConfigError, match=name):
            Config({name: value})
