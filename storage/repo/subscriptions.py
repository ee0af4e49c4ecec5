"""Who hears serta-merta news of an area: a person's subscriptions to a desa/kelurahan or a
kecamatan (area codes of the agency file, mirrored in `areas`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import area_subscriptions

subs = area_subscriptions


async def subscribe(conn: AsyncConnection, person_id: int, area_code: str, now: datetime) -> bool:
    """Subscribe; False when the person was already subscribed to that area."""
    held = and_(subs.c.person_id == person_id, subs.c.area_code == area_code)
    if (await conn.execute(select(subs.c.person_id).where(held))).first() is not None:
        return False
    await conn.execute(
        insert(subs).values(person_id=person_id, area_code=area_code, created_at=now)
    )
    return True


async def unsubscribe(conn: AsyncConnection, person_id: int, area_code: str | None = None) -> int:
    """End one subscription (or all of the person's, with no area); how many ended."""
    which = subs.c.person_id == person_id
    if area_code is not None:
        which = and_(which, subs.c.area_code == area_code)
    result = await conn.execute(delete(subs).where(which))
    return int(result.rowcount or 0)


async def subscriptions_of(conn: AsyncConnection, person_id: int) -> list[str]:
    query = (
        select(subs.c.area_code)
        .where(subs.c.person_id == person_id)
        .order_by(subs.c.created_at, subs.c.area_code)
    )
    return list((await conn.execute(query)).scalars())


async def subscribers(conn: AsyncConnection, area_codes: Collection[str] | None) -> list[int]:
    """The people subscribed to any of these areas (everyone subscribed, with None), once
    each, in a stable order."""
    query = select(subs.c.person_id).distinct().order_by(subs.c.person_id)
    if area_codes is not None:
        query = query.where(subs.c.area_code.in_(list(area_codes)))
    return list((await conn.execute(query)).scalars())
