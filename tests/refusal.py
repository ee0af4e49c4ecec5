"""A database that refuses to write, for real: SQLite itself says no.

`fill()` caps the file at the pages it has (`PRAGMA max_page_count`), so it is full as soon
as its free pages are used: SQLITE_FULL, as on a full disk. `read_only()` makes every
connection `query_only`: SQLITE_READONLY, as on a file system remounted read-only. Both hold
for every connection the bot takes meanwhile (the writer renews its own after a failure,
and a failed message's apology takes one from the pool). `clear()` gives the disk back.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.app import App
from bot.engine.engine import EngineUnavailableError

UNCAPPED = 1_073_741_823  # SQLite's default max_page_count
RESET = [f"PRAGMA max_page_count={UNCAPPED}", "PRAGMA query_only=0"]


class Refusal:
    def __init__(self, app: App) -> None:
        self.app = app
        self.pragmas: list[str] = []
        event.listen(app.db.sync_engine, "checkout", self._on_checkout)

    def _on_checkout(self, dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_conn.cursor()
        for pragma in self.pragmas or RESET:
            cursor.execute(pragma)
        cursor.close()

    async def _apply(self, pragmas: list[str]) -> None:
        self.pragmas = pragmas

        async def on_writer(conn: AsyncConnection) -> None:  # (checked out long ago)
            for pragma in pragmas or RESET:
                await conn.exec_driver_sql(pragma)

        try:
            await self.app.engine.write(on_writer)
        except EngineUnavailableError:  # its batch was refused (a write beside it)
            if not pragmas:  # the writer's connection has been renewed: clean at checkout
                await self.app.engine.write(on_writer)

    async def fill(self, spare_pages: int = 0) -> None:
        """Full once `spare_pages` more (4 KB each) and the free ones are used."""

        async def pages(conn: AsyncConnection) -> int:
            return int((await conn.exec_driver_sql("PRAGMA page_count")).scalar_one())

        count = await self.app.engine.write(pages)
        await self._apply([f"PRAGMA max_page_count={count + spare_pages}"])

    async def read_only(self) -> None:
        await self._apply(["PRAGMA query_only=1"])

    async def clear(self) -> None:
        await self._apply([])
