"""Logging that cannot leak personal data, and cannot fill the disk.

Our own code never logs NIK, phone numbers or message text. Libraries might (aiosqlite logs
SQL parameters at DEBUG), so they are held at WARNING, and as a second line of defence every
log record is redacted when it is created, whichever handler later receives it.

A line that repeats (a flood of refused connections, a database refusing every write) is
written a few times a minute, then counted: hostile traffic must not turn into gigabytes of
log, which would itself fill the disk.
"""

from __future__ import annotations

import logging
import re
import time
import traceback
from collections.abc import Callable
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


class RepeatFilter(logging.Filter):
    """At most `burst` records a `window` for one logger, level and first line; the rest are
    counted, and the count is told with the first record of the next window."""

    def __init__(
        self, burst: int = 5, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        super().__init__()
        self.burst, self.window, self.clock = burst, window, clock
        self._seen: dict[tuple[str, int, str], list[float]] = {}  # key → [start, count, held]

    def filter(self, record: logging.LogRecord) -> bool:
        first_line = str(record.msg).split("\n", 1)[0][:200]
        key = (record.name, record.levelno, first_line)
        now = self.clock()
        seen = self._seen.get(key)
        if seen is None or now - seen[0] >= self.window:
            held = int(seen[2]) if seen is not None else 0
            self._seen[key] = [now, 1, 0]
            if held:
                record.msg = f"{record.msg} (and {held} more like it, not written)"
            if len(self._seen) > 1000:  # forget keys whose window has passed
                self._seen = {k: v for k, v in self._seen.items() if now - v[0] < self.window}
            return True
        seen[1] += 1
        if seen[1] <= self.burst:
            return True
        seen[2] += 1
        return False


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    install_redaction()
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RepeatFilter) for f in handler.filters):
            handler.addFilter(RepeatFilter())
