"""Mirror the agency file into the routing tables, so cases and reports can join on them.

Entries removed from the file are marked inactive, never deleted: old cases still refer to them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from storage.schema import areas, categories, routing_rules, units


async def sync_agency(conn: AsyncConnection, agency: Agency) -> None:
    await _upsert(
        conn,
        units,
        [
            {"code": u.code, "name": u.name, "kind": u.kind, "active": True}
            for u in agency.units.values()
        ],
    )
    await _upsert(
        conn,
        areas,
        [
            {
                "code": a.code,
                "name": a.name,
                "level": a.level,
                "parent_code": a.parent,
                "aliases": list(a.aliases),
                "active": True,
            }
            for a in agency.areas.values()
        ],
    )
    await _upsert(
        conn,
        categories,
        [
            {
                "code": c.code,
                "name": c.name,
                "name_en": c.name_en,
                "unit_code": c.unit,
                "resolution_days": c.resolution_days,
                "field_work": c.field_work,
                "active": True,
            }
            for c in agency.categories.values()
        ],
    )
    await conn.execute(delete(routing_rules))
    rules = [
        {"category_code": r.category, "area_code": r.area, "unit_code": r.unit}
        for r in agency.rules
    ]
    if rules:
        await conn.execute(insert(routing_rules), rules)


async def _upsert(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    key = table.c.code
    existing = {r[0] for r in await conn.execute(select(key))}
    wanted = {row["code"] for row in rows}
    # Parents first (areas refer to areas), so inserts keep the given order.
    for row in rows:
        if row["code"] in existing:
            values = {k: v for k, v in row.items() if k != "code"}
            await conn.execute(update(table).where(key == row["code"]).values(**values))
        else:
            await conn.execute(insert(table).values(**row))
    gone = existing - wanted
    if gone:
        await conn.execute(update(table).where(key.in_(gone)).values(active=False))
