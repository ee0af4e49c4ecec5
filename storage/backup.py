"""Backups of the SQLite database: consistent copies taken while the bot runs, kept in a
rotation, and a restore that refuses to run under a live bot.

The copy uses SQLite's online backup API in one step: it reads one snapshot (WAL mode lets
the bot go on committing meanwhile), so the copy is a database as it was at one instant,
never a file copied halfway through a write. Each copy is written beside its final name and
renamed into place once checked, with mode 0600: it holds the same personal data.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from storage.place import PRIVATE_FILE, StorageError, private_dir

PREFIX, SUFFIX = "suara-warga-", ".db"


def dated_name(stamp: str) -> str:
    return f"{PREFIX}{stamp}{SUFFIX}"


def backup_into(source: Path, folder: Path) -> Path:
    """A backup in `folder`, named by the date and time."""
    return backup(source, folder / dated_name(f"{datetime.now():%Y-%m-%d-%H%M%S}"))


def backup(source: Path, target: Path) -> Path:
    """Copy the database at `source` to the file `target`; returns it."""
    if not source.is_file():
        raise StorageError(f"there is no database at {source}")
    private_dir(target.parent)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
        with (
            contextlib.closing(sqlite3.connect(source, timeout=10.0)) as src,
            contextlib.closing(sqlite3.connect(partial)) as dst,
        ):
            src.backup(dst)  # all pages in one step: one consistent snapshot
            # One self-contained file (no -wal beside it); the bot turns WAL on again.
            dst.execute("PRAGMA journal_mode=DELETE")
        check(partial)
        partial.replace(target)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StorageError(f"cannot back up to {target}: {exc}") from None
    return target


def check(path: Path) -> None:
    """A readable Suara Warga database, intact (SQLite's quick_check)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
            (result,) = db.execute("PRAGMA quick_check").fetchone()
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"{path} is not a readable database: {exc}") from None
    if result != "ok":
        raise StorageError(f"{path} is damaged: {result}")
    if not {"alembic_version", "cases", "outbox"} <= tables:
        raise StorageError(f"{path} is not a Suara Warga database")


def rotate(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` dated backups in `folder`; returns those deleted."""
    dated = sorted(folder.glob(f"{PREFIX}*{SUFFIX}"))  # the names sort by date
    old = dated[:-keep] if keep > 0 else dated
    for path in old:
        path.unlink(missing_ok=True)
    return old


def newest(folder: Path) -> Path | None:
    dated = sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.is_dir() else []
    return dated[-1] if dated else None


@contextlib.contextmanager
def run_lock(database: Path) -> Iterator[None]:
    """Held by a running bot for as long as it runs: a second bot on the same file, or a
    restore under a live bot, is refused. The kernel releases it when the process dies, even
    by kill -9."""
    path = database.with_name(database.name + ".lock")
    handle = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE), "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise StorageError(
            f"another Suara Warga process is using {database}; stop it first"
        ) from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def restore(backup_file: Path, database: Path) -> Path | None:
    """Put a backup in place of the database (the bot must be stopped). The database it
    replaces is kept beside it; returns where, or None if there was none."""
    check(backup_file)
    with run_lock(database):
        kept = None
        if database.exists():
            stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
            kept = database.with_name(f"{database.name}.before-restore-{stamp}")
            for suffix in ("", "-wal", "-shm"):  # a database and its WAL belong together
                part = database.with_name(database.name + suffix)
                if part.exists():
                    part.replace(kept.with_name(kept.name + suffix))
        backup(backup_file, database)
    return kept
