"""Logging that cannot leak personal data.

Our own code never logs NIK, phone numbers or message text. Libraries might (aiosqlite logs
SQL parameters at DEBUG), so they are held at WARNING, and as a second line of defence every
log record is redacted when it is created, whichever handler later receives it.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

# Digits may come grouped: "7312 0157 0885 0002", "+62 812-3456-7890".
_NIK = re.compile(r"(?<![\d])(?:\d[ .-]?){15}\d(?!\d)")
_PHONE = re.compile(r"(?<![\d+])(?:\+?62|0)[ -]?8(?:[ .-]?\d){7,11}(?!\d)")
_QUIET = (
    "sqlalchemy",
    "aiosqlite",
    "alembic",
    "httpx",
    "httpcore",
    "telegram",
    "twilio",
    "apscheduler",
)
_installed = False


def redact(text: str) -> str:
    return _PHONE.sub("[phone]", _NIK.sub("[nik]", text))


def install_redaction() -> None:
    global _installed
    if _installed:
        return
    base_factory = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base_factory(*args, **kwargs)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        if record.exc_info and record.exc_info[1] is not None:
            # Exception texts (SQL errors...) can quote data: keep the type, drop the text.
            frames = "".join(traceback.format_tb(record.exc_info[2]))
            record.exc_text = redact(f"{frames}{type(record.exc_info[1]).__name__} (text withheld)")
            record.exc_info = None
        return record

    logging.setLogRecordFactory(factory)
    _installed = True


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    install_redaction()
