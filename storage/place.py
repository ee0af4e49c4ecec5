"""Where the data lives: a folder and files only their owner can read, checked before start.

The database holds every NIK, phone number and complaint (UU 27/2022), so its folder is made
0700 and the file 0600 whatever the umask; SQLite gives its -wal and -shm files the mode of
the database file. A place that cannot be written stops the program with one line naming it,
instead of a traceback later (or, worse, a bot that takes messages it cannot keep).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

from storage.db import sqlite_path

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


class StorageError(Exception):
    """The data's place cannot be used; the message names it and says why, in one line."""


def private_dir(path: Path) -> None:
    """Make the folder (and its missing parents) readable by its owner only."""
    if path.is_dir():
        return
    try:
        path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
        path.chmod(PRIVATE_DIR)  # mkdir's mode passes through the umask; be exact
    except OSError as exc:
        raise StorageError(f"cannot create the folder {path}: {_why(exc)}") from None


def private_file(path: Path) -> None:
    """Create the file empty and 0600 if it does not exist yet."""
    if path.exists():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        return
    except OSError as exc:
        raise StorageError(f"cannot create {path}: {_why(exc)}") from None


def readable_by_others(path: Path) -> bool:
    try:
        return bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))
    except OSError:
        return False


def prepare(url: str) -> list[str]:
    """Make a SQLite database's folder and file private and check that it takes a write.
    Returns warnings to show (an existing file others can read); raises StorageError."""
    path = sqlite_path(url)
    if path is None:
        return []
    private_dir(path.parent)
    warnings = []
    if path.exists() and readable_by_others(path):
        mode = stat.S_IMODE(path.stat().st_mode)
        warnings.append(
            f"Warning: {path} can be read by other users of this machine (mode {mode:o}); "
            f"it holds personal data. Run: chmod 600 {path}*"
        )
    private_file(path)
    check_writable(path)
    return warnings


def check_writable(path: Path) -> None:
    """A real write: the folder (for -wal and -shm), the file, and the disk all take it."""
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StorageError(
            f"the folder {path.parent} is not writable; SQLite keeps its -wal and -shm files there"
        )
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=5.0, isolation_level=None)) as db:
            db.execute("BEGIN IMMEDIATE")
            # Writing the header's user_version back unchanged is a real write to the file
            # (read-only and "not a database" show here) that changes nothing.
            (version,) = db.execute("PRAGMA user_version").fetchone()
            db.execute(f"PRAGMA user_version = {int(version)}")
            db.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot write {path}: {_sqlite_why(exc)}") from None
    except OSError as exc:
        raise StorageError(f"cannot write {path}: {_why(exc)}") from None


def _why(exc: OSError) -> str:
    return (exc.strerror or type(exc).__name__).lower()


def _sqlite_why(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    known = {
        "readonly": "the file is read-only",
        "locked": "another program holds its write lock",
        "full": "the disk is full",
        "not a database": "the file is not a SQLite database",
        "unable to open": "it cannot be opened",
        "disk i/o": "the disk reported an error",
    }
    return next((why for key, why in known.items() if key in text.lower()), text)
