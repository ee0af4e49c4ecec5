from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.checkpoint import checkpoint_once
from storage.migrate import upgrade


def test_a_passive_checkpoint_copies_the_wal_back(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # so only checkpoint_once can copy pages
    for n in range(2000):
        writer.execute(
            "INSERT INTO persons (locale, created_at) VALUES ('id', ?)",
            (f"2026-11-27 0{n % 10}:00:00",),
        )
    wal = path.with_name("c.db-wal")
    assert wal.stat().st_size > 0
    before = path.stat().st_size  # new pages live only in the WAL so far
    checkpoint_once(path)
    after = path.stat().st_size
    writer.close()
    assert after > before  # the pages were copied into the database file
