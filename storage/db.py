"""The async engine, with SQLite set up for a durable single-writer workload."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from storage.checkpoint import BACKSTOP_PAGES


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other backends and in-memory databases."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def sync_url(url: str) -> str:
    """The same database through a synchronous driver (Alembic runs synchronously)."""
    parsed = make_url(url)
    driver = {"sqlite+aiosqlite": "sqlite", "postgresql+asyncpg": "postgresql+psycopg"}
    return parsed.set(drivername=driver.get(parsed.drivername, parsed.drivername)).render_as_string(
        hide_password=False
    )


def make_engine(url: str, *, synchronous: str = "NORMAL") -> AsyncEngine:
    # (The folder and file were made private and checked by storage.place.prepare.)
    # hide_parameters: SQL errors would otherwise quote NIKs, numbers and message text.
    engine = create_async_engine(url, hide_parameters=True)
    if url.startswith("sqlite"):
        _configure_sqlite(engine, synchronous)
    return engine


def make_reader(url: str) -> AsyncEngine:
    """Read-only connections for long aggregate queries (reports) beside the single writer.

    A writer connection begins every transaction with BEGIN IMMEDIATE, so a report counted on
    one would hold the write lock, and every chat, for seconds. These begin deferred and are
    `query_only`: in WAL mode they read a snapshot while the writer goes on committing."""
    engine = create_async_engine(url, hide_parameters=True)
    if url.startswith("sqlite"):

        @event.listens_for(engine.sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA query_only=ON")
            cursor.execute("PRAGMA busy_timeout=5000")
            cursor.execute("PRAGMA cache_size=-32768")
            cursor.close()
            dbapi_conn.isolation_level = None

        @event.listens_for(engine.sync_engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql("BEGIN")  # deferred: a read snapshot, never the write lock

    return engine


def _configure_sqlite(engine: AsyncEngine, synchronous: str) -> None:
    # WAL lets readers run beside the one writer; NORMAL keeps every commit safe against a
    # process crash (FULL adds power-loss safety at the cost of an fsync per commit).
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        # The working set (conversations, identities, recent outbox and delivery ids) should
        # stay in SQLite's own cache; the 2 MB default was the limit with thousands of chats.
        # Bounded, so memory plateaus at this size instead of growing with the database.
        cursor.execute("PRAGMA cache_size=-32768")  # KiB: 32 MB per connection, at most
        cursor.execute("PRAGMA temp_store=MEMORY")
        # Checkpoints run beside the writer (storage.checkpoint); this is only the backstop.
        cursor.execute(f"PRAGMA wal_autocheckpoint={BACKSTOP_PAGES}")
        cursor.close()
        # Take the write lock when the transaction begins: a deferred transaction that reads and
        # then writes can fail with SQLITE_BUSY_SNAPSHOT, which busy_timeout does not retry.
        dbapi_conn.isolation_level = None

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
