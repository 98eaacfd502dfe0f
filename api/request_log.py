"""The request log: one JSON object per line in ``DATA_DIR/logs/requests.jsonl``, rotated by size.

Written through the standard library's logging with python-json-logger's formatter: each
line is the record's fields (``extra``), never a string built by hand. Kept out of the
process's own log (it does not propagate), which stays for humans.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler

from pythonjsonlogger.json import JsonFormatter

from ragline.settings import Settings

LOGGER = "ragline.requests"
FILENAME = "requests.jsonl"


def request_logger(settings: Settings) -> logging.Logger:
    """The request logger, writing to this data directory's file (set up once per app)."""
    logger = logging.getLogger(LOGGER)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for old in list(logger.handlers):  # a new app in the same process (tests) takes over
        logger.removeHandler(old)
        old.close()
    settings.paths.logs.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(
        settings.paths.logs / FILENAME,
        maxBytes=settings.request_log_max_mb * 1024 * 1024,
        backupCount=settings.request_log_backups,
        encoding="utf-8",
        delay=True,
    )
    handler.setFormatter(
        JsonFormatter(
            "%(message)s",
            timestamp="time",
            rename_fields={"message": "event"},
            json_ensure_ascii=False,
        )
    )
    logger.addHandler(handler)
    return logger
