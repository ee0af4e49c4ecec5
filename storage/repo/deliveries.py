"""Platform delivery ids already handled (each inbound message is taken once), and the write
probe the health check sends through the same writer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.repo.common import ChatKey
from storage.schema import processed_deliveries, write_probes


async def claim_deliveries(
    conn: AsyncConnection, keys: Sequence[ChatKey], now: datetime
) -> set[ChatKey]:
    """Record delivery ids; returns those not seen before (one statement for the batch)."""
    if not keys:
        return set()
    pd = processed_deliveries
    upsert = sqlite_insert if conn.dialect.name == "sqlite" else postgresql_insert
    statement = upsert(pd).on_conflict_do_nothing().returning(pd.c.channel, pd.c.delivery_id)
    rows = [{"channel": c, "delivery_id": d, "processed_at": now} for c, d in dict.fromkeys(keys)]
    result = await conn.execute(statement, rows)
    return {(r.channel, r.delivery_id) for r in result}


async def prune_deliveries(conn: AsyncConnection, before: datetime) -> int:
    pd = processed_deliveries
    result = await conn.execute(delete(pd).where(pd.c.processed_at < before))
    return int(result.rowcount or 0)


async def probe_write(conn: AsyncConnection) -> None:
    """Write a row the size of a long message and remove it again: committing this means the
    database takes new data now (it needs new pages, as a message does)."""
    await conn.execute(insert(write_probes).values(body="x" * 4096))
    await conn.execute(delete(write_probes))
