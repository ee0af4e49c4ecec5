"""The breach register (UU 27/2022 Pasal 46): each breach, the people it touches, and when they
and the authority were told."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import breach_subjects, breaches, cases


async def record_breach(conn: AsyncConnection, values: dict[str, Any]) -> int:
    result = await conn.execute(insert(breaches).values(**values).returning(breaches.c.id))
    return int(result.scalar_one())


async def touched_by(conn: AsyncConnection, first: date, last: date) -> tuple[list[int], int]:
    """The people whose cases were received in [first, last] (reporters, and the volunteers
    who filed), and how many cases."""
    in_period = and_(cases.c.received_on >= first, cases.c.received_on <= last)
    rows = list(
        await conn.execute(
            select(cases.c.reporter_person_id, cases.c.submitter_person_id).where(in_period)
        )
    )
    people = sorted({p for row in rows for p in row})
    return people, len(rows)


async def add_subjects(conn: AsyncConnection, breach_id: int, people: Sequence[int]) -> None:
    if people:
        await conn.execute(
            insert(breach_subjects), [{"breach_id": breach_id, "person_id": p} for p in people]
        )


async def breach(conn: AsyncConnection, breach_id: int) -> Any | None:
    subjects = (
        select(func.count())
        .where(breach_subjects.c.breach_id == breaches.c.id)
        .scalar_subquery()
        .label("subjects")
    )
    query = select(breaches, subjects).where(breaches.c.id == breach_id)
    return (await conn.execute(query)).first()


async def recent_breaches(conn: AsyncConnection, limit: int = 10) -> list[Any]:
    subjects = (
        select(func.count())
        .where(breach_subjects.c.breach_id == breaches.c.id)
        .scalar_subquery()
        .label("subjects")
    )
    query = select(breaches, subjects).order_by(breaches.c.id.desc()).limit(limit)
    return list(await conn.execute(query))


async def subjects_of(conn: AsyncConnection, breach_id: int) -> list[int]:
    query = select(breach_subjects.c.person_id).where(breach_subjects.c.breach_id == breach_id)
    return [r.person_id for r in await conn.execute(query)]


async def mark_breach(conn: AsyncConnection, breach_id: int, column: str, now: datetime) -> bool:
    """Set `subjects_notified_at` or `authority_notified_at` once; False if it was set."""
    target = breaches.c[column]
    result = await conn.execute(
        update(breaches)
        .where(and_(breaches.c.id == breach_id, target.is_(None)))
        .values({column: now})
    )
    return result.rowcount == 1
