"""The application factory."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path

from flask import Flask
from flask.json.provider import DefaultJSONProvider

from .config import Config, ConfigError, TestingConfig, config_from_env, resolve_database_url, resolve_path

_PATH_SETTINGS = ("UPLOAD_FOLDER", "OUTPUT_FOLDER", "LOG_FOLDER")


def create_app(config: Config | type[Config] | Mapping | None = None, *, testing: bool = False) -> Flask:
    """Create the Paint Animation app.

    ``config`` is a :class:`Config` instance or class, or a mapping of overrides applied over
    the environment's config (``TestingConfig`` with temporary folders when ``testing``).
    """
    app = Flask(__name__)
    if isinstance(app.json, DefaultJSONProvider):
        app.json.sort_keys = False  # answers keep the documented field order
    app.config.from_object(_load_config(config, testing))
    _finalize_paths(app)
    app.extensions["started"] = time.monotonic()

    from . import cleanup, database, logs, render_service, request_hooks, storage
    from .errors import register_error_handlers
    from .extensions import limiter

    logs.configure_logging(app)
    request_hooks.init_app(app)
    storage.init_app(app)
    database.init_app(app)
    limiter.init_app(app)
    cleanup.init_app(app)
    render_service.init_app(app)
    register_error_handlers(app)
    register_blueprints(app)
    return app


def register_blueprints(app: Flask) -> None:
    """Attach the blueprints: the JSON API and the web page."""
    from .api import bp as api_bp
    from .web import bp as web_bp

    app.register_blueprint(api_bp)
    app.register_blueprint(web_bp)


def _load_config(config: Config | type[Config] | Mapping | None, testing: bool) -> Config | Mapping:
    if isinstance(config, type):
        return config()
    if isinstance(config, Config):
        return config
    base = TestingConfig() if testing else config_from_env()
    for key, value in (config or {}).items():
        setattr(base, key, value)
    return base


def _finalize_paths(app: Flask) -> None:
    """Make every configured path absolute and create the folders."""
    for key in _PATH_SETTINGS:
        app.config[key] = resolve_path(app.config[key])
        Path(app.config[key]).mkdir(parents=True, exist_ok=True)
    app.config["DATABASE_URL"] = resolve_database_url(app.config["DATABASE_URL"])
    if app.config["MAX_PROCESSING_TIME"] <= 0 or app.config["CLEANUP_INTERVAL"] <= 0:
        raise ConfigError("MAX_PROCESSING_TIME and CLEANUP_INTERVAL must be positive")
