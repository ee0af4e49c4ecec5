from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.checkpoint import checkpoint_once
from storage.migrate import upgrade


def test_a_passive_checkpoint_copies_the_wal_back(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # as the bot's writer: no checkpoints of its own
    for n in range(200):
        writer.execute(
            "INSERT INTO persons (locale, created_at) VALUES ('id', ?)",
            (f"2026-11-27 0{n % 10}:00:00",),
        )
    wal = path.with_name("c.db-wal")
    assert wal.stat().st_size > 0
    checkpoint_once(path)
    busy, frames, copied = writer.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    writer.close()
    assert busy == 0 and frames == copied  # nothing left to copy
