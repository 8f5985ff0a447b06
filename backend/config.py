"""Configuration classes: read the environment once, with safe defaults.

Pick one with ``APP_ENV`` (``development``, ``production`` or ``testing``); relative
paths resolve against the project root, not the working directory.
"""

from __future__ import annotations

import atexit
import logging
import math
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from limits import parse_many

from algorithms import DEFAULT_MAX_PIXELS, OPTIONS, InvalidOptionError, RenderOptions, parse_flag

PROJECT_ROOT = Path(__file__).resolve().parents[1]


class ConfigError(RuntimeError):
    """The environment holds a value the service cannot start with."""


def resolve_path(value: str | os.PathLike[str]) -> Path:
    """Return ``value`` as an absolute path; a relative one is taken from the project root."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def resolve_database_url(url: str) -> str:
    """Return ``url``: a ``sqlite:///`` URL with its file path made absolute (project-root
    relative), or a ``postgresql://`` URL as it is."""
    prefix, shared = "sqlite:///", "postgresql://"
    if url.startswith(shared) and len(url) > len(shared):
        return url
    if not url.startswith(prefix) or len(url) == len(prefix):
        raise ConfigError("DATABASE_URL must look like sqlite:///app.db or postgresql://user:pw@host/db")
    return prefix + str(resolve_path(url[len(prefix) :]))


def _shared_engines(config: Any, env: Mapping[str, str]) -> None:
    """The shared engines' settings (docs/deployment.md); a timeout bounds every network call."""
    timeout = config.NETWORK_TIMEOUT = _number(env, "NETWORK_TIMEOUT", 3.0, float, minimum=0.5, maximum=60)
    config.DATABASE_POOL_SIZE = _number(env, "DATABASE_POOL_SIZE", 4, int, minimum=1, maximum=100)
    uri = config.RATELIMIT_STORAGE_URI = (env.get("RATELIMIT_STORAGE_URI") or "").strip() or "memory://"
    if not uri.startswith(("memory://", "redis://", "rediss://", "redis+unix://")):
        raise ConfigError("RATELIMIT_STORAGE_URI must be memory:// or redis://host:6379/0")
    config.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = shared = uri != "memory://"  # Redis down: per process
    config.RATELIMIT_STORAGE_OPTIONS = (
        {"socket_timeout": timeout, "socket_connect_timeout": timeout} if shared else {}
    )
    store = config.VIDEO_STORE_URL = (env.get("VIDEO_STORE_URL") or "").strip()
    if store and not re.fullmatch(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](/[A-Za-z0-9._/-]*)?", store):
        raise ConfigError("VIDEO_STORE_URL must be empty (files in OUTPUT_FOLDER) or s3://bucket/prefix")


class Config:
    """Settings shared by every environment; each value can be overridden by the variable of its name."""

    DEBUG = False
    TESTING = False

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        env = os.environ if environ is None else environ
        self.MAX_CONTENT_LENGTH = _number(env, "MAX_CONTENT_LENGTH", 16 * 1024 * 1024, int, minimum=1)
        self.UPLOAD_FOLDER = resolve_path(env.get("UPLOAD_FOLDER", "uploads"))
        self.OUTPUT_FOLDER = resolve_path(env.get("OUTPUT_FOLDER", "outputs"))
        self.LOG_FOLDER = resolve_path(env.get("LOG_FOLDER", "logs"))
        self.DATABASE_URL = resolve_database_url(env.get("DATABASE_URL", "sqlite:///app.db"))
        self.MAX_PROCESSING_TIME = _number(env, "MAX_PROCESSING_TIME", 300.0, float, minimum=1)
        self.CLEANUP_INTERVAL = _number(env, "CLEANUP_INTERVAL", 3600.0, float, minimum=1)
        self.FILE_RETENTION = _number(env, "FILE_RETENTION", 24 * 3600.0, float, minimum=1)
        self.USAGE_RETENTION = _number(env, "USAGE_RETENTION", 30 * 24 * 3600.0, float, minimum=1)
        self.MIN_FREE_SPACE = _number(env, "MIN_FREE_SPACE", 100 * 1024 * 1024, int)
        self.RENDERS_PER_WORKER = _number(env, "RENDERS_PER_WORKER", 1, int, minimum=1)
        self.MAX_IMAGE_PIXELS = _number(env, "MAX_IMAGE_PIXELS", DEFAULT_MAX_PIXELS, int, minimum=1)
        self.RATELIMIT_ENABLED = _flag(env, "RATELIMIT_ENABLED", True)
        self.RATELIMIT_DEFAULT = _rate_limit(env, "RATELIMIT_DEFAULT", "100 per hour")
        self.RATELIMIT_UPLOAD = _rate_limit(env, "RATELIMIT_UPLOAD", "10 per minute")
        self.RATELIMIT_PROGRESS = _rate_limit(env, "RATELIMIT_PROGRESS", "1200 per minute")
        self.TRUSTED_PROXY_COUNT = _number(env, "TRUSTED_PROXY_COUNT", 0, int, minimum=0)
        self.LOG_LEVEL = _log_level(env, "LOG_LEVEL", "INFO")
        self.RENDER_DEFAULTS = _render_defaults(env)
        _shared_engines(self, env)
        # The server process: read by gunicorn.conf.py and main.py, not by the app.
        self.HOST = (env.get("HOST") or "").strip() or "127.0.0.1"
        self.PORT = _number(env, "PORT", 5000, int, minimum=1, maximum=65535)
        self.WEB_CONCURRENCY = _number(env, "WEB_CONCURRENCY", 2, int, minimum=1)
        self.WEB_THREADS = _number(env, "WEB_THREADS", 8, int, minimum=1)
        self.FLASK_DEBUG = _flag(env, "FLASK_DEBUG", False)


class DevelopmentConfig(Config):
    """Local runs (``make run``, ``python main.py``); the debugger only with FLASK_DEBUG=1."""


class ProductionConfig(Config):
    """Deployed service: refuses FLASK_DEBUG, which would expose the Werkzeug debugger."""

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        super().__init__(environ)
        if self.FLASK_DEBUG:
            raise ConfigError("FLASK_DEBUG must be off in production (APP_ENV=production)")


class TestingConfig(Config):
    """Tests: every folder and the database in a temporary directory, no rate limits."""

    TESTING = True

    def __init__(
        self, root: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
    ) -> None:
        super().__init__({} if environ is None else environ)
        if root is None:
            root = tempfile.mkdtemp(prefix="paint-animation-test-")
            atexit.register(shutil.rmtree, root, True)
        root = Path(root)
        self.UPLOAD_FOLDER, self.OUTPUT_FOLDER = root / "uploads", root / "outputs"
        self.LOG_FOLDER = root / "logs"
        self.DATABASE_URL = f"sqlite:///{root / 'test.db'}"
        self.RATELIMIT_ENABLED = False


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestingConfig,
}


def config_from_env(environ: Mapping[str, str] | None = None) -> Config:
    """Return the config named by ``APP_ENV`` (default ``development``)."""
    env = os.environ if environ is None else environ
    name = env.get("APP_ENV", "development").lower()
    if name not in CONFIGS:
        raise ConfigError(f"APP_ENV must be one of: {', '.join(CONFIGS)}")
    return CONFIGS[name](environ=env)


def _number(
    env: Mapping[str, str], name: str, default: Any, kind: type, minimum: float = 0, maximum: float = math.inf
) -> Any:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = kind(raw.strip())
    except ValueError:
        raise ConfigError(f"{name} must be a {'whole ' if kind is int else ''}number, not {raw!r}") from None
    if not math.isfinite(value) or not minimum <= value <= maximum:
        limit = f" and at most {maximum:g}" if math.isfinite(maximum) else ""
        raise ConfigError(f"{name} must be a finite number of at least {minimum:g}{limit}")
    return value


def _render_defaults(env: Mapping[str, str]) -> dict[str, Any]:
    """The render defaults: the core's, each overridable by ``RENDER_<OPTION>`` (see algorithms.OPTIONS)."""
    defaults = {}
    for spec in OPTIONS:
        if not spec.setting:
            continue
        name = f"RENDER_{spec.name.upper()}"
        raw = (env.get(name) or "").strip()
        try:
            defaults[spec.name] = spec.parse(raw) if raw else spec.default
        except InvalidOptionError as exc:
            raise ConfigError(f"{name}: {exc}") from None
    try:
        RenderOptions(**defaults)  # the options that depend on one another
    except InvalidOptionError as exc:
        raise ConfigError(f"RENDER_{exc.option.upper()}: {exc}") from None
    return defaults


def _flag(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = parse_flag(raw)
    if value is None:
        raise ConfigError(f"{name} must be true or false, not {raw!r}")
    return value


def _rate_limit(env: Mapping[str, str], name: str, default: str) -> str:
    """A limit flask-limiter can parse: a bad one would otherwise turn off the upload limit
    silently, or answer every /api request with a 500."""
    raw = (env.get(name) or "").strip() or default
    try:
        parse_many(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a rate limit such as '10 per minute', not {raw!r}") from None
    return raw


def _log_level(env: Mapping[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or "").strip().upper() or default
    if raw not in logging.getLevelNamesMapping():
        raise ConfigError(f"{name} must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not {raw!r}")
    return raw
