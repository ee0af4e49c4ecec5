"""Telling a database that refuses to write apart from a bug in our own SQL.

A refusal (disk full, read-only file, a lock held past the busy timeout, an I/O error) is
about the place, not the message: every message would fail the same way, so the engine
refuses the whole batch at once and the channels answer 503, and the platform delivers again
later. Anything else is a fault in one message's handling, isolated by retrying alone.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError

# SQLite's primary result codes (the low byte of the extended code) that mean "cannot write
# here now", with the word the logs and /healthz use.
_SQLITE_REFUSALS = {
    3: "permission",  # SQLITE_PERM
    5: "locked",  # SQLITE_BUSY: another process holds the lock past busy_timeout
    6: "locked",  # SQLITE_LOCKED
    8: "read-only",  # SQLITE_READONLY
    10: "i/o error",  # SQLITE_IOERR
    13: "full",  # SQLITE_FULL: the disk, or max_page_count
    14: "cannot open",  # SQLITE_CANTOPEN
}


def refusal(exc: BaseException) -> str | None:
    """The reason the database refused, or None when the error is not a refusal."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if isinstance(original, sqlite3.Error):
        code = getattr(original, "sqlite_errorcode", None)
        if isinstance(code, int):
            return _SQLITE_REFUSALS.get(code & 0xFF)
    if isinstance(original, OSError):  # a file the driver could not create or grow
        return "i/o error"
    return None
