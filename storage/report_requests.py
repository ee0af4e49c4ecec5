"""Queries for `report_requests`: a `/rekap` asked in the chat, waiting to be built."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import report_requests

MAX_ATTEMPTS = 3  # a request that fails this often is answered with an apology


@dataclass(frozen=True)
class ReportRequest:
    id: int
    person_id: int
    channel: str
    start_on: date
    end_on: date
    kind: str = "rekap"  # rekap | data (a person's own data)


async def queue(
    conn: AsyncConnection,
    person_id: int,
    channel: str,
    start_on: date,
    end_on: date,
    now: datetime,
    kind: str = "rekap",
) -> bool:
    """Queue a request; False when this person already has one waiting (one at a time, so
    nobody can fill the queue and the disk with recaps)."""
    r = report_requests.c
    waiting = await conn.execute(
        select(r.id).where(and_(r.person_id == person_id, r.status == "queued")).limit(1)
    )
    if waiting.first() is not None:
        return False
    await conn.execute(
        insert(report_requests).values(
            person_id=person_id,
            channel=channel,
            start_on=start_on,
            end_on=end_on,
            kind=kind,
            status="queued",
            created_at=now,
        )
    )
    return True


async def queued(conn: AsyncConnection, after: int = 0, limit: int = 20) -> list[ReportRequest]:
    """Waiting requests with an id above `after`, oldest first."""
    r = report_requests.c
    rows = await conn.execute(
        select(report_requests)
        .where(and_(r.status == "queued", r.id > after))
        .order_by(r.id)
        .limit(limit)
    )
    return [
        ReportRequest(row.id, row.person_id, row.channel, row.start_on, row.end_on, row.kind)
        for row in rows
    ]


async def finish(conn: AsyncConnection, request_id: int, status: str, now: datetime) -> bool:
    """Mark a queued request done or failed; False if it was already (a second builder)."""
    r = report_requests.c
    result = await conn.execute(
        update(report_requests)
        .where(and_(r.id == request_id, r.status == "queued"))
        .values(status=status, done_at=now)
    )
    return result.rowcount == 1


async def count_attempt(conn: AsyncConnection, request_id: int) -> int:
    """One more attempt (counted as it starts); returns how many there have been."""
    r = report_requests.c
    await conn.execute(
        update(report_requests).where(r.id == request_id).values(attempts=r.attempts + 1)
    )
    found = await conn.execute(select(r.attempts).where(r.id == request_id))
    return int(found.scalar_one())
