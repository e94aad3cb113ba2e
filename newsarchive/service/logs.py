"""Service logging: one line per event to stderr and to a size-rotated log file."""

from __future__ import annotations

import logging
import sys
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core.timewindow import KST
from newsarchive.config import ConfigError

FORMAT = "%(asctime)s %(levelname)s %(message)s"
MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 5
_MARK = "_newsarchive_service"


class KSTFormatter(logging.Formatter):
    """Log times in Korean time with their offset (2026-12-03T02:30:00+09:00), whatever the host's zone."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, KST).isoformat(timespec="seconds")


def setup_logging(log_file: str | None, level: int = logging.INFO) -> logging.Logger:
    """Attach stderr and (unless `log_file` is empty) rotating-file handlers; safe to call twice."""
    logger = logging.getLogger("newsarchive.service")
    apscheduler = logging.getLogger("apscheduler")
    for target in (logger, apscheduler):
        for handler in [h for h in target.handlers if getattr(h, _MARK, False)]:
            target.removeHandler(handler)
            handler.close()
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file:
        path = Path(log_file).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handlers.append(RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"cannot write log file {path}: {exc.strerror or exc}") from None
    formatter = KSTFormatter(FORMAT)
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _MARK, True)
        logger.addHandler(handler)
        apscheduler.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    # APScheduler's own INFO lines ("Running job ...") only repeat ours; keep its warnings and errors.
    apscheduler.setLevel(logging.WARNING)
    apscheduler.propagate = False
    return logger
