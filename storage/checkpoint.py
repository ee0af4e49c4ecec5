"""WAL checkpoints off the writer's path.

A checkpoint copies the WAL back into the database file and syncs it. When SQLite runs one
automatically it does so inside the commit that crossed the threshold, and every chat waiting
on the single writer waits for the disk too (seen as 30–80 ms stalls in the engine benchmark).
A PASSIVE checkpoint from a separate plain connection in a worker thread runs beside the
writer instead; the writer keeps a high automatic threshold only as a backstop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)
EVERY_SECONDS = 1.0
BACKSTOP_PAGES = 10_000  # ~40 MB of WAL before the writer checkpoints by itself


def checkpoint_once(path: Path) -> None:
    with contextlib.closing(sqlite3.connect(path, timeout=1.0, isolation_level=None)) as conn:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


async def checkpoint_loop(path: Path, every: float = EVERY_SECONDS) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await asyncio.to_thread(checkpoint_once, path)
        except sqlite3.Error as exc:  # busy or locked: the next round will do it
            log.warning("checkpoint skipped: %s", type(exc).__name__)
