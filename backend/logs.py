"""Logging: ``logs/app.log`` rotated at 10 MB x 10, safely shared by several worker processes, plus stderr."""

from __future__ import annotations

import fcntl
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from flask import Flask

LOG_FORMAT = "%(asctime)s %(levelname)s [pid %(process)d] %(name)s: %(message)s"
MAX_BYTES = 10 * 1024 * 1024
BACKUP_COUNT = 10
_OWN_HANDLER = "_paint_animation_handler"


class SharedRotatingFileHandler(RotatingFileHandler):
    """A :class:`RotatingFileHandler` that several processes can write and rotate together.

    Each record is written under an exclusive ``flock`` on ``<file>.lock``; a process
    whose open file was rotated away by another one reopens the new file first.
    """

    def __init__(self, filename: str | os.PathLike[str], **kwargs: Any) -> None:
        super().__init__(filename, **kwargs)
        self._lock_path = f"{self.baseFilename}.lock"

    def emit(self, record: logging.LogRecord) -> None:
        try:
            with open(self._lock_path, "a") as lock_file:
                fcntl.flock(lock_file, fcntl.LOCK_EX)
                self._reopen_if_rotated()
                super().emit(record)
        except OSError:
            self.handleError(record)

    def _reopen_if_rotated(self) -> None:
        if self.stream is None:
            return
        try:
            current = os.stat(self.baseFilename)
        except FileNotFoundError:
            current = None
        opened = os.fstat(self.stream.fileno())
        if current is None or (current.st_ino, current.st_dev) != (opened.st_ino, opened.st_dev):
            self.stream.close()
            self.stream = self._open()


def configure_logging(app: Flask) -> None:
    """Send the ``backend`` loggers (``app.logger`` included) to the log file and stderr."""
    log_folder = Path(app.config["LOG_FOLDER"])
    log_folder.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter(LOG_FORMAT)
    file_handler = SharedRotatingFileHandler(
        log_folder / "app.log", maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    stream_handler = logging.StreamHandler(sys.stderr)
    logger = logging.getLogger("backend")
    for handler in [h for h in logger.handlers if getattr(h, _OWN_HANDLER, False)]:
        logger.removeHandler(handler)  # a new app (tests make many) replaces the old app's handlers
        handler.close()
    for handler in (file_handler, stream_handler):
        handler.setFormatter(formatter)
        setattr(handler, _OWN_HANDLER, True)
        logger.addHandler(handler)
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logger.propagate = False
