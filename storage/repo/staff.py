"""Staff: role grants (never updated or deleted: the table is also the log of every change)
and the invites that hand a role out."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import identities, invites, staff_roles

# --- roles ------------------------------------------------------------------------------------


async def grant_role(conn: AsyncConnection, values: dict[str, Any]) -> bool:
    """Grant unless the same active grant exists; returns whether anything changed. Grants are
    never updated or deleted: the table is also the log of every role change."""
    sr = staff_roles
    same = and_(
        sr.c.person_id == values["person_id"],
        sr.c.role == values["role"],
        sr.c.revoked_at.is_(None),
        (sr.c.unit_code == values.get("unit_code"))
        if values.get("unit_code")
        else sr.c.unit_code.is_(None),
    )
    if (await conn.execute(select(sr.c.id).where(same))).first() is not None:
        return False
    await conn.execute(insert(sr).values(**values))
    return True


async def revoke_role(conn: AsyncConnection, person_id: int, role: str, now: datetime) -> int:
    sr = staff_roles
    result = await conn.execute(
        update(sr)
        .where(and_(sr.c.person_id == person_id, sr.c.role == role, sr.c.revoked_at.is_(None)))
        .values(revoked_at=now)
    )
    return int(result.rowcount or 0)


async def active_roles(conn: AsyncConnection) -> list[Any]:
    sr, i = staff_roles, identities
    query = (
        select(
            sr.c.role,
            sr.c.unit_code,
            sr.c.area_code,
            sr.c.kim_name,
            sr.c.granted_at,
            i.c.channel,
            i.c.address,
        )
        .join(i, i.c.person_id == sr.c.person_id)
        .where(sr.c.revoked_at.is_(None))
    )
    # Sorted here: addresses are sealed, so SQL would order them by their ciphertext.
    return sorted(await conn.execute(query), key=lambda r: (r.role, r.channel, r.address))


async def kim_of(conn: AsyncConnection, person_id: int) -> Any | None:
    """The KIM a volunteer files for (name and desa), their latest grant even if revoked
    since: a case filed then still names the KIM it came through."""
    sr = staff_roles
    query = (
        select(sr.c.kim_name, sr.c.area_code)
        .where(and_(sr.c.person_id == person_id, sr.c.role == "kim"))
        .order_by(sr.c.granted_at.desc(), sr.c.id.desc())
        .limit(1)
    )
    return (await conn.execute(query)).first()


async def roles_of(conn: AsyncConnection, person_id: int) -> list[str]:
    sr = staff_roles
    query = select(sr.c.role).where(and_(sr.c.person_id == person_id, sr.c.revoked_at.is_(None)))
    return [r.role for r in await conn.execute(query)]


async def grants_of(conn: AsyncConnection, person_id: int) -> list[Any]:
    """Active grants with their unit, for deciding what an officer may see."""
    sr = staff_roles
    query = select(sr.c.role, sr.c.unit_code).where(
        and_(sr.c.person_id == person_id, sr.c.revoked_at.is_(None))
    )
    return list(await conn.execute(query))


async def active_staff(conn: AsyncConnection) -> list[Any]:
    """Every active grant (a small table): who hears about which unit's cases."""
    sr = staff_roles
    query = select(sr.c.person_id, sr.c.role, sr.c.unit_code).where(sr.c.revoked_at.is_(None))
    return list(await conn.execute(query.order_by(sr.c.id)))


# --- invites ----------------------------------------------------------------------------------


async def create_invite(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(invites).values(**values))


async def take_invite(
    conn: AsyncConnection, code: str, person_id: int, now: datetime
) -> Any | None:
    """Use an invite once: valid, unexpired, unrevoked, unused. Returns it, or None."""
    row = (await conn.execute(select(invites).where(invites.c.code == code))).first()
    if row is None or row.used_at or row.revoked_at or row.expires_at <= now:
        return None
    await conn.execute(
        update(invites).where(invites.c.code == code).values(used_by=person_id, used_at=now)
    )
    return row


async def revoke_invite(conn: AsyncConnection, code: str, now: datetime) -> bool:
    result = await conn.execute(
        update(invites)
        .where(
            and_(
                invites.c.code == code, invites.c.used_at.is_(None), invites.c.revoked_at.is_(None)
            )
        )
        .values(revoked_at=now)
    )
    return bool(result.rowcount)
