"""Queries, grouped by what the engine asks. Every function takes the caller's connection, so
the caller decides the transaction (one per batch of inbound messages)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Select,
    and_,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import (
    attachments,
    case_events,
    cases,
    conversations,
    identities,
    invites,
    outbox,
    persons,
    processed_deliveries,
    register_counters,
    request_details,
    staff_roles,
    write_probes,
)

ChatKey = tuple[str, str]  # (channel, address)
OUTBOX_PAGE = 500


@dataclass
class IdentityRow:
    id: int
    person_id: int
    channel: str
    address: str
    locale: str
    display_name: str | None
    profile_name: str | None
    last_inbound_at: datetime | None
    privacy_shown: bool
    kim_area: str | None = None  # a KIM volunteer's desa/kelurahan
    is_staff: bool = False  # holds any active role


@dataclass
class ConversationRow:
    flow: str
    step: str
    data: dict[str, Any]
    history: list[str]
    options: list[list[Any]]
    draft: dict[str, Any] | None
    updated_at: datetime
    expires_at: datetime | None


# --- deliveries -------------------------------------------------------------------------------


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


async def probe_write(conn: AsyncConnection) -> None:
    """Write a row the size of a long message and remove it again: committing this means the
    database takes new data now (it needs new pages, as a message does)."""
    await conn.execute(insert(write_probes).values(body="x" * 4096))
    await conn.execute(delete(write_probes))


# --- identities and conversations -------------------------------------------------------------


async def load_chats(
    conn: AsyncConnection, keys: Sequence[ChatKey]
) -> dict[ChatKey, tuple[IdentityRow, ConversationRow | None]]:
    i, p, c, sr = identities, persons, conversations, staff_roles
    active = and_(sr.c.person_id == i.c.person_id, sr.c.revoked_at.is_(None))
    kim_area = (
        select(sr.c.area_code)
        .where(and_(active, sr.c.role == "kim"))
        .limit(1)
        .scalar_subquery()
        .label("kim_area")
    )
    is_staff = select(sr.c.id).where(active).exists().label("is_staff")
    query = (
        select(
            kim_area,
            is_staff,
            i.c.id,
            i.c.person_id,
            i.c.channel,
            i.c.address,
            i.c.profile_name,
            i.c.last_inbound_at,
            p.c.locale,
            p.c.display_name,
            p.c.privacy_accepted_at,
            *_conversation_columns(),
        )
        .join(p, p.c.id == i.c.person_id)
        .outerjoin(c, c.c.identity_id == i.c.id)
        .where(tuple_(i.c.channel, i.c.address).in_(list(keys)))
    )
    found: dict[ChatKey, tuple[IdentityRow, ConversationRow | None]] = {}
    for r in await conn.execute(query):
        identity = IdentityRow(
            id=r.id,
            person_id=r.person_id,
            channel=r.channel,
            address=r.address,
            locale=r.locale,
            display_name=r.display_name,
            profile_name=r.profile_name,
            last_inbound_at=r.last_inbound_at,
            privacy_shown=r.privacy_accepted_at is not None,
            kim_area=r.kim_area,
            is_staff=bool(r.is_staff),
        )
        conversation = None
        if r.flow is not None:
            conversation = ConversationRow(
                r.flow, r.step, r.data, r.history, r.options, r.draft, r.updated_at, r.expires_at
            )
        found[(r.channel, r.address)] = (identity, conversation)
    return found


async def create_identity(
    conn: AsyncConnection,
    key: ChatKey,
    *,
    locale: str,
    profile_name: str | None,
    now: datetime,
) -> IdentityRow:
    person_id = (
        await conn.execute(
            insert(persons).values(locale=locale, created_at=now).returning(persons.c.id)
        )
    ).scalar_one()
    identity_id = (
        await conn.execute(
            insert(identities)
            .values(
                person_id=person_id,
                channel=key[0],
                address=key[1],
                profile_name=profile_name,
                created_at=now,
            )
            .returning(identities.c.id)
        )
    ).scalar_one()
    return IdentityRow(
        identity_id, person_id, key[0], key[1], locale, None, profile_name, None, False
    )


async def touch_identities(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """rows: {b_id, last_inbound_at, profile_name}."""
    if rows:
        await conn.execute(
            update(identities)
            .where(identities.c.id == bindparam("b_id"))
            .values(
                last_inbound_at=bindparam("last_inbound_at"),
                profile_name=bindparam("profile_name"),
                reachable=True,  # whoever writes to us can be written to again
            ),
            rows,
        )


async def update_persons(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """rows: {b_id, <columns to set>}, every row with the same columns."""
    # SET columns come from the parameters, so one compiled statement serves every batch.
    await conn.execute(update(persons).where(persons.c.id == bindparam("b_id")), rows)


async def save_conversations(
    conn: AsyncConnection, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]
) -> None:
    if inserts:
        await conn.execute(insert(conversations), inserts)
    if updates:
        columns = (
            "flow",
            "step",
            "data",
            "history",
            "options",
            "draft",
            "updated_at",
            "expires_at",
        )
        await conn.execute(
            update(conversations)
            .where(conversations.c.identity_id == bindparam("b_identity_id"))
            .values({name: bindparam(f"b_{name}") for name in columns}),
            [{f"b_{k}": v for k, v in row.items()} for row in updates],
        )


# --- outbox -----------------------------------------------------------------------------------


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


async def replan_as_template(conn: AsyncConnection, row: Any) -> None:
    """Send this row again, as the approved template for its kind."""
    payload = {**row.payload, "force_template": True}
    await conn.execute(
        update(outbox)
        .where(outbox.c.id == row.id)
        .values(status="pending", payload=payload, delivery_status=None)  # a new delivery
    )


async def outbox_rows(conn: AsyncConnection, ids: list[int]) -> list[Any]:
    o = outbox
    query = _sendable().where(and_(o.c.id.in_(ids), o.c.status == "pending")).order_by(o.c.id)
    return list(await conn.execute(query))


async def find_or_create_identity(
    conn: AsyncConnection, key: ChatKey, *, locale: str, now: datetime
) -> IdentityRow:
    found = await load_chats(conn, [key])
    if key in found:
        return found[key][0]
    return await create_identity(conn, key, locale=locale, profile_name=None, now=now)


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
        .order_by(sr.c.role, i.c.channel, i.c.address)
    )
    return list(await conn.execute(query))


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


async def unit_queue(
    conn: AsyncConnection,
    units: list[str] | None,
    limit: int = 20,
    due_before: date | None = None,
) -> list[Any]:
    """Open cases, most urgent first; units None means every unit (the coordinator).
    `due_before`: only cases due before that day (overdue, or nearly)."""
    due = status_due()
    query = (
        select(
            cases.c.tracking_code,
            cases.c.kind,
            cases.c.status,
            cases.c.unit_code,
            cases.c.assignee_person_id,
            cases.c.category_code.label("category"),
            # the first words are enough for a queue line (the card has the rest)
            func.substr(cases.c.description, 1, 80).label("opening"),
            due.label("due"),
        )
        .where(cases.c.status.not_in(CLOSED_STATUSES))
        .order_by(due.asc().nulls_last(), cases.c.id)
        .limit(limit)
    )
    if units is not None:
        query = query.where(cases.c.unit_code.in_(units))
    if due_before is not None:
        query = query.where(due < due_before)
    return list(await conn.execute(query))


# `bot.domain.cases.CLOSED` as stored (storage imports nothing from the bot; `tests/test_due.py`
# holds the two together).
CLOSED_STATUSES = ("arsip", "bukan_wewenang", "diputus", "ditutup", "selesai")


def status_due() -> Any:
    """The SQL form of `bot.domain.cases.due_on`, for open cases (`tests/test_due.py` holds
    the two together over every kind and status)."""
    c = cases.c
    return case(
        (c.kind.in_(("informasi", "keberatan")), c.response_due),
        (c.status == "diterima", c.verify_due),
        (
            or_(c.status.in_(("terverifikasi", "didisposisi")), c.followed_up_on.is_(None)),
            func.coalesce(c.followup_due, c.resolution_due),
        ),
        else_=func.coalesce(c.resolution_due, c.followup_due),
    )


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


async def mark_unreachable(conn: AsyncConnection, chats: list[tuple[str, str]]) -> None:
    """These identities blocked us or no longer exist: later sends skip them."""
    for channel, address in dict.fromkeys(chats):
        await conn.execute(
            update(identities)
            .where(and_(identities.c.channel == channel, identities.c.address == address))
            .values(reachable=False)
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


# --- cases ------------------------------------------------------------------------------------


async def next_register_seq(conn: AsyncConnection, series: str, year: int) -> int:
    """The next number in a yearly series. Runs inside the single writer's transaction."""
    rc = register_counters
    result = await conn.execute(
        update(rc)
        .where(and_(rc.c.series == series, rc.c.year == year))
        .values(last_seq=rc.c.last_seq + 1)
        .returning(rc.c.last_seq)
    )
    seq = result.scalar_one_or_none()
    if seq is None:
        await conn.execute(insert(rc).values(series=series, year=year, last_seq=1))
        seq = 1
    return int(seq)


async def insert_cases(conn: AsyncConnection, rows: list[dict[str, Any]]) -> list[int]:
    """Insert cases; returns their ids in the order of `rows`, matched by tracking code."""
    result = await conn.execute(insert(cases).returning(cases.c.id, cases.c.tracking_code), rows)
    by_code = {r.tracking_code: r.id for r in result}
    return [by_code[row["tracking_code"]] for row in rows]


async def insert_request_details(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(insert(request_details), rows)


async def insert_attachments(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(insert(attachments), rows)


async def insert_events(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(insert(case_events), rows)


async def find_case(conn: AsyncConnection, code: str) -> Any | None:
    result = await conn.execute(select(cases).where(cases.c.tracking_code == code))
    return result.first()


async def cases_of_person(conn: AsyncConnection, person_id: int, limit: int = 10) -> list[Any]:
    """Cases the person reported or submitted for someone else, newest first."""
    query = (
        select(cases.c.tracking_code, cases.c.kind, cases.c.status, cases.c.received_on)
        .where(
            (cases.c.reporter_person_id == person_id) | (cases.c.submitter_person_id == person_id)
        )
        .order_by(cases.c.id.desc())
        .limit(limit)
    )
    return list(await conn.execute(query))


# --- casework ---------------------------------------------------------------------------------


async def update_case(conn: AsyncConnection, case_id: int, values: dict[str, Any]) -> None:
    await conn.execute(update(cases).where(cases.c.id == case_id).values(**values))


async def case_by_id(conn: AsyncConnection, case_id: int) -> Any | None:
    return (await conn.execute(select(cases).where(cases.c.id == case_id))).first()


async def request_detail(conn: AsyncConnection, case_id: int) -> Any | None:
    query = select(request_details).where(request_details.c.case_id == case_id)
    return (await conn.execute(query)).first()


async def attachments_of(conn: AsyncConnection, case_id: int) -> list[Any]:
    query = select(attachments).where(attachments.c.case_id == case_id).order_by(attachments.c.id)
    return list(await conn.execute(query))


async def last_event(conn: AsyncConnection, case_id: int, action: str) -> Any | None:
    ce = case_events
    query = (
        select(ce)
        .where(and_(ce.c.case_id == case_id, ce.c.action == action))
        .order_by(ce.c.id.desc())
        .limit(1)
    )
    return (await conn.execute(query)).first()


async def identities_of(conn: AsyncConnection, person_ids: Sequence[int]) -> list[Any]:
    """Every chat identity of these people, with their language, most recently active first."""
    i, p = identities, persons
    query = (
        select(
            i.c.id,
            i.c.person_id,
            i.c.channel,
            i.c.address,
            i.c.reachable,
            i.c.last_inbound_at,
            p.c.locale,
        )
        .join(p, p.c.id == i.c.person_id)
        .where(i.c.person_id.in_(list(person_ids)))
        .order_by(i.c.person_id, i.c.last_inbound_at.desc().nulls_last(), i.c.id)
    )
    return list(await conn.execute(query))


async def create_person(
    conn: AsyncConnection, *, name: str | None, locale: str, now: datetime
) -> int:
    """A person with no chat of their own (a resident a KIM volunteer reports for)."""
    result = await conn.execute(
        insert(persons).values(display_name=name, locale=locale, created_at=now)
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


async def search_cases(
    conn: AsyncConnection, units: list[str] | None, words: list[str], limit: int = 10
) -> list[Any]:
    """Cases whose code, text or (non-anonymous) reporter name holds every word."""
    query = select(
        cases.c.tracking_code, cases.c.kind, cases.c.status, cases.c.received_on
    ).order_by(cases.c.id.desc())
    for word in words:
        like = f"%{word.replace('%', '').replace('_', '')}%"
        query = query.where(
            cases.c.tracking_code.ilike(like)
            | cases.c.description.ilike(like)
            | cases.c.location_text.ilike(like)
            | (cases.c.reporter_name.ilike(like) & ~cases.c.anonymous)
        )
    if units is not None:
        query = query.where(cases.c.unit_code.in_(units))
    return list(await conn.execute(query.limit(limit)))


async def objections_to(conn: AsyncConnection, case_id: int) -> list[Any]:
    query = select(cases.c.tracking_code, cases.c.status).where(
        and_(cases.c.related_case_id == case_id, cases.c.kind == "keberatan")
    )
    return list(await conn.execute(query))


async def active_staff(conn: AsyncConnection) -> list[Any]:
    """Every active grant (a small table): who hears about which unit's cases."""
    sr = staff_roles
    query = select(sr.c.person_id, sr.c.role, sr.c.unit_code).where(sr.c.revoked_at.is_(None))
    return list(await conn.execute(query.order_by(sr.c.id)))


async def silent_resolved(conn: AsyncConnection, today: date, limit: int = 500) -> list[Any]:
    """Resolved cases whose day for the reporter's confirmation has passed."""
    query = (
        select(cases)
        .where(and_(cases.c.status == "selesai", cases.c.confirm_due < today))
        .order_by(cases.c.confirm_due, cases.c.id)
        .limit(limit)
    )
    return list(await conn.execute(query))


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


async def pause_started(conn: AsyncConnection, case_id: int) -> Any | None:
    """The question that put the case on hold (later questions while waiting do not restart
    the count of days waited)."""
    ce = case_events
    query = (
        select(ce)
        .where(
            and_(
                ce.c.case_id == case_id,
                ce.c.action == "ask",
                ce.c.to_status == "ditunda",
                ce.c.from_status != "ditunda",
            )
        )
        .order_by(ce.c.id.desc())
        .limit(1)
    )
    return (await conn.execute(query)).first()


async def events_of(conn: AsyncConnection, case_id: int, limit: int = 8) -> list[Any]:
    """The case's latest events, oldest first."""
    ce = case_events
    query = select(ce).where(ce.c.case_id == case_id).order_by(ce.c.id.desc()).limit(limit)
    return list(reversed(list(await conn.execute(query))))


async def last_event_of(conn: AsyncConnection, case_id: int, actions: Sequence[str]) -> Any | None:
    """The latest event of one of these kinds."""
    ce = case_events
    query = (
        select(ce)
        .where(and_(ce.c.case_id == case_id, ce.c.action.in_(list(actions))))
        .order_by(ce.c.id.desc())
        .limit(1)
    )
    return (await conn.execute(query)).first()


async def existing_dedupe_keys(conn: AsyncConnection, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):  # SQLite's variable limit
        chunk = list(keys[start : start + 500])
        query = select(outbox.c.dedupe_key).where(outbox.c.dedupe_key.in_(chunk))
        found.update(r.dedupe_key for r in await conn.execute(query))
    return found


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


async def mark_pending(conn: AsyncConnection, ids: Sequence[int]) -> None:
    if ids:
        await conn.execute(
            update(outbox).where(outbox.c.id.in_(list(ids))).values(status="pending")
        )


# --- schedules (indexed by date: never a scan of every case) ----------------------------------

# Per kind and run: a sweep holds the single writer, so it stays short (about a second at
# most on the benchmark machine); the next run, minutes later, takes the rest.
SWEEP_LIMIT = 1000


def _not_alerted(today: date) -> Any:
    """Not yet looked at today: each case is handled at most once a day, and a window larger
    than the cap is worked through by the following sweeps instead of re-read."""
    return (cases.c.alerted_on.is_(None)) | (cases.c.alerted_on < today)


async def cases_due_between(conn: AsyncConnection, first: date, last: date) -> list[Any]:
    query = (
        select(cases)
        .where(and_(cases.c.due_on >= first, cases.c.due_on <= last, _not_alerted(first)))
        .order_by(cases.c.due_on, cases.c.id)
        .limit(SWEEP_LIMIT)
    )
    return list(await conn.execute(query))


async def cases_overdue(conn: AsyncConnection, today: date) -> list[Any]:
    query = (
        select(cases)
        .where(and_(cases.c.due_on < today, _not_alerted(today)))
        .order_by(cases.c.due_on, cases.c.id)
        .limit(SWEEP_LIMIT)
    )
    return list(await conn.execute(query))


async def _update_cases(conn: AsyncConnection, ids: Sequence[int], **values: Any) -> None:
    for start in range(0, len(ids), 500):  # SQLite's variable limit
        chunk = list(ids[start : start + 500])
        await conn.execute(update(cases).where(cases.c.id.in_(chunk)).values(**values))


async def set_alerted(conn: AsyncConnection, ids: Sequence[int], today: date) -> None:
    await _update_cases(conn, ids, alerted_on=today)


async def cases_without_next_update(conn: AsyncConnection) -> list[int]:
    """Open cases with no progress date (reopened, or opened before migration 0005)."""
    query = (
        select(cases.c.id)
        .where(and_(cases.c.next_update_on.is_(None), cases.c.due_on.is_not(None)))
        .limit(SWEEP_LIMIT)
    )
    return [r.id for r in await conn.execute(query)]


async def cases_needing_update(conn: AsyncConnection, today: date) -> list[Any]:
    query = (
        select(cases)
        .where(and_(cases.c.next_update_on <= today, cases.c.due_on.is_not(None)))
        .order_by(cases.c.next_update_on, cases.c.id)
        .limit(SWEEP_LIMIT)
    )
    return list(await conn.execute(query))


async def forms_expiring(conn: AsyncConnection, start: datetime, end: datetime) -> list[Any]:
    c, i = conversations, identities
    query = (
        select(c.c.identity_id, c.c.expires_at, i.c.person_id, i.c.channel)
        .join(i, i.c.id == c.c.identity_id)
        .where(
            and_(
                c.c.expires_at > start,
                c.c.expires_at <= end,
                c.c.flow.in_(("complaint", "information", "resident")),
            )
        )
        .limit(SWEEP_LIMIT)
    )
    return list(await conn.execute(query))


async def drop_old_drafts(conn: AsyncConnection, before: datetime) -> int:
    c = conversations
    result = await conn.execute(
        update(c).where(and_(c.c.draft.is_not(None), c.c.updated_at < before)).values(draft=None)
    )
    return int(result.rowcount or 0)


async def prune_deliveries(conn: AsyncConnection, before: datetime) -> int:
    pd = processed_deliveries
    result = await conn.execute(delete(pd).where(pd.c.processed_at < before))
    return int(result.rowcount or 0)


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int
    soon: int


async def queue_counts(
    conn: AsyncConnection, units: list[str] | None, today: date, soon: date
) -> QueueCounts:
    c = cases.c
    query = select(
        func.count(c.id),
        func.coalesce(func.sum(case((c.due_on < today, 1), else_=0)), 0),
        func.coalesce(func.sum(case((and_(c.due_on >= today, c.due_on <= soon), 1), else_=0)), 0),
    ).where(c.due_on.is_not(None))
    if units is not None:
        query = query.where(c.unit_code.in_(units))
    total, overdue, near = (await conn.execute(query)).one()
    return QueueCounts(int(total), int(overdue), int(near))


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


async def set_next_updates(conn: AsyncConnection, ids: Sequence[int], day: date) -> None:
    await _update_cases(conn, ids, next_update_on=day)


def _conversation_columns() -> list[Any]:
    """A conversation row's columns, in `ConversationRow`'s order."""
    return [getattr(conversations.c, name) for name in ConversationRow.__dataclass_fields__]


async def conversation_of(conn: AsyncConnection, identity_id: int) -> ConversationRow | None:
    query = select(*_conversation_columns()).where(conversations.c.identity_id == identity_id)
    row = (await conn.execute(query)).first()
    return ConversationRow(*row) if row is not None else None
