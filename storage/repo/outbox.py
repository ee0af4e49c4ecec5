"""The outbox: messages waiting, sent, held for a closed window or quiet hours, or dead, with
the platforms' delivery reports and the chats they found unreachable."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.repo.common import chats_named
from storage.schema import identities, outbox

OUTBOX_PAGE = 500


# --- queueing ---------------------------------------------------------------------------------


async def insert_outbox(conn: AsyncConnection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows; returns their ids in the order of `rows`.

    Neither SQLite nor PostgreSQL promises that RETURNING follows VALUES order, so each
    returned row is matched back by its content (recipient and payload). Two identical rows
    may swap ids, which changes nothing: they say the same thing to the same person.
    """
    if not rows:
        return []
    o = outbox
    result = await conn.execute(insert(o).returning(o.c.id, o.c.identity_id, o.c.payload), rows)
    slots: dict[tuple[int, str], list[int]] = defaultdict(list)
    for r in result:
        slots[(r.identity_id, _fingerprint(r.payload))].append(r.id)
    for ids in slots.values():
        ids.sort(reverse=True)  # pop() then hands them out in ascending order
    return [slots[(row["identity_id"], _fingerprint(row["payload"]))].pop() for row in rows]


def _fingerprint(payload: Any) -> str:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False)


async def existing_dedupe_keys(conn: AsyncConnection, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # SQLite's variable limit
        chunk = list(keys[start : start + 500])
        query = select(outbox.c.dedupe_key).where(outbox.c.dedupe_key.in_(chunk))
        found.update(r.dedupe_key for r in await conn.execute(query))
    return found


# --- sending ----------------------------------------------------------------------------------


def _sendable() -> Select[Any]:
    """Outbox rows with what a sender needs of their recipient."""
    o, i = outbox, identities
    return select(
        o.c.id, o.c.channel, o.c.kind, o.c.payload, o.c.attempts, i.c.address, i.c.last_inbound_at
    ).join(i, i.c.id == o.c.identity_id)


async def pending_outbox(
    conn: AsyncConnection,
    channels: Sequence[str],
    after_id: int = 0,
    limit: int = OUTBOX_PAGE,
) -> list[Any]:
    """Pending rows, oldest first, in pages (after_id: the last id of the previous). Pending
    means "send now" (a row that must wait is `scheduled`), so the clock is not asked: one
    that stepped back (an NTP correction, a restart from CLOCK_START) must not strand them."""
    o = outbox
    query = (
        _sendable()
        .where(and_(o.c.status == "pending", o.c.channel.in_(channels), o.c.id > after_id))
        .order_by(o.c.id)
        .limit(limit)
    )
    return list(await conn.execute(query))


async def outbox_rows(conn: AsyncConnection, ids: list[int]) -> list[Any]:
    o = outbox
    query = _sendable().where(and_(o.c.id.in_(ids), o.c.status == "pending")).order_by(o.c.id)
    return list(await conn.execute(query))


async def due_scheduled(conn: AsyncConnection, channels: Sequence[str], now: datetime) -> list[Any]:
    """Scheduled rows whose time has come (quiet hours over, reminders due), oldest first."""
    o = outbox
    query = (
        _sendable()
        .add_columns(o.c.identity_id)
        .where(
            and_(
                o.c.status == "scheduled",
                o.c.channel.in_(list(channels)),
                o.c.not_before <= now,
                identities.c.reachable,  # a chat that blocked us meanwhile: skipped
            )
        )
        .order_by(o.c.identity_id, o.c.id)
        .limit(OUTBOX_PAGE)
    )
    return list(await conn.execute(query))


async def mark_sent(conn: AsyncConnection, rows: list[dict[str, Any]], now: datetime) -> None:
    """rows: {b_id, provider_message_id}: delivered."""
    if rows:
        await conn.execute(
            update(outbox)
            .where(outbox.c.id == bindparam("b_id"))
            .values(
                status="sent",
                sent_at=now,
                attempts=outbox.c.attempts + 1,
                last_error=None,
                provider_message_id=bindparam("provider_message_id"),
            ),
            rows,
        )


async def mark_failed(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """rows: {b_id, status (pending again, or dead), attempts, last_error}."""
    if rows:
        await conn.execute(
            update(outbox)
            .where(outbox.c.id == bindparam("b_id"))
            .values(
                status=bindparam("status"),
                attempts=bindparam("attempts"),
                last_error=bindparam("last_error"),
            ),
            rows,
        )


async def mark_bundled(
    conn: AsyncConnection, ids: list[int], into: int, payload: dict[str, Any]
) -> None:
    """These rows now go out inside another row, which carries the whole bundle (so a
    restart before it is sent still sends every part)."""
    await conn.execute(update(outbox).where(outbox.c.id == into).values(payload=payload))
    await conn.execute(
        update(outbox)
        .where(outbox.c.id.in_(ids))
        .values(status="sent", last_error=f"bundled:{into}")
    )


async def mark_pending(conn: AsyncConnection, ids: Sequence[int]) -> None:
    if ids:
        await conn.execute(
            update(outbox).where(outbox.c.id.in_(list(ids))).values(status="pending")
        )


# --- delivery reports -------------------------------------------------------------------------


# Twilio's statuses in the order they happen; a callback never moves a message backwards
# (callbacks arrive out of order). Failures end the story whatever came before.
DELIVERY_RANK = {
    "accepted": 0,
    "queued": 0,
    "sending": 0,
    "sent": 1,
    "delivered": 2,
    "read": 3,
    "undelivered": 4,
    "failed": 4,
}


async def record_delivery_status(
    conn: AsyncConnection, provider_id: str, status: str, error: str | None
) -> Any | None:
    """Apply a platform's status report; returns the row's recipient when it failed."""
    o, i = outbox, identities
    row = (
        await conn.execute(
            select(o.c.id, o.c.kind, o.c.payload, o.c.delivery_status, i.c.channel, i.c.address)
            .join(i, i.c.id == o.c.identity_id)
            .where(o.c.provider_message_id == provider_id)
        )
    ).first()
    if row is None or status not in DELIVERY_RANK:
        return None
    if DELIVERY_RANK.get(row.delivery_status or "", -1) >= DELIVERY_RANK[status]:
        return None  # late or repeated news
    values: dict[str, Any] = {"delivery_status": status}
    if DELIVERY_RANK[status] == 4:
        # 63016: sent outside WhatsApp's 24-hour window. Not lost: held for the next message.
        held = error == "Twilio63016"
        values.update(status="held" if held else "dead", last_error=error)
    await conn.execute(update(o).where(o.c.id == row.id).values(**values))
    return row if DELIVERY_RANK[status] == 4 else None


async def replan_as_template(conn: AsyncConnection, row: Any) -> None:
    """Send this row again, as the approved template for its kind."""
    payload = {**row.payload, "force_template": True}
    await conn.execute(
        update(outbox)
        .where(outbox.c.id == row.id)
        .values(status="pending", payload=payload, delivery_status=None)  # a new delivery
    )


async def mark_unreachable(conn: AsyncConnection, chats: list[tuple[str, str]]) -> None:
    """These identities blocked us or no longer exist: later sends skip them."""
    if chats:
        await conn.execute(update(identities).where(chats_named(chats)).values(reachable=False))


async def sent_message(
    conn: AsyncConnection, provider_id: str, identity_id: int
) -> tuple[str, str] | None:
    """(kind, text) of a message we sent to this identity, by the platform's id for it."""
    query = select(outbox.c.kind, outbox.c.payload).where(
        and_(outbox.c.provider_message_id == provider_id, outbox.c.identity_id == identity_id)
    )
    row = (await conn.execute(query.limit(1))).first()
    if row is None or not isinstance(row.payload, dict):
        return None
    return str(row.kind), str(row.payload.get("text", ""))


# --- held and quiet-held messages -------------------------------------------------------------


async def release_held(conn: AsyncConnection, identity_ids: list[int]) -> list[Any]:
    """Messages held for a closed WhatsApp window, due again now that the person wrote."""
    return await _release(conn, identity_ids, "held", {"status": "pending"})


async def quiet_held_identities(conn: AsyncConnection) -> set[int]:
    """Whoever has messages waiting out quiet hours."""
    o = outbox
    query = select(o.c.identity_id).where(o.c.status == "scheduled").distinct()
    return {row.identity_id for row in await conn.execute(query)}


async def release_quiet(conn: AsyncConnection, identity_ids: list[int], now: datetime) -> list[Any]:
    """Messages quiet hours held for people who are writing now: due at once."""
    return await _release(conn, identity_ids, "scheduled", {"status": "pending", "not_before": now})


async def _release(
    conn: AsyncConnection, identity_ids: list[int], status: str, values: dict[str, Any]
) -> list[Any]:
    if not identity_ids:
        return []
    o = outbox
    result = await conn.execute(
        update(o)
        .where(and_(o.c.status == status, o.c.identity_id.in_(identity_ids)))
        .values(**values)
        .returning(o.c.id, o.c.identity_id, o.c.channel, o.c.kind, o.c.payload)
    )
    return sorted(result, key=lambda r: r.id)


# --- dead messages ----------------------------------------------------------------------------


async def dead_outbox(conn: AsyncConnection, limit: int = 15) -> list[Any]:
    """Messages that failed for good, newest first, with their recipient's chat."""
    o, i = outbox, identities
    query = (
        select(
            o.c.id, o.c.kind, o.c.attempts, o.c.last_error, o.c.created_at, i.c.channel, i.c.address
        )
        .join(i, i.c.id == o.c.identity_id)
        .where(o.c.status == "dead")
        .order_by(o.c.id.desc())
        .limit(limit)
    )
    return list(await conn.execute(query))


async def retry_dead(conn: AsyncConnection, ids: Sequence[int] | None, now: datetime) -> int:
    """Send dead messages again: they go back on the schedule, due now, attempts reset."""
    o = outbox
    reachable = select(identities.c.id).where(identities.c.reachable)
    query = update(o).where(and_(o.c.status == "dead", o.c.identity_id.in_(reachable)))
    if ids is not None:
        query = query.where(o.c.id.in_(list(ids)))
    result = await conn.execute(
        query.values(status="scheduled", not_before=now, attempts=0, last_error=None)
    )
    return int(result.rowcount or 0)
