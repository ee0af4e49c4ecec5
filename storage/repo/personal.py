"""Personal data as a whole: everything held about one person (for their right of access),
their corrections, and erasure, whether they ask for it or their retention period ends.

Erasure blanks the personal fields and keeps the rows: kinds, dates, units, categories and
outcomes stay, so every report still counts the case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.keys import ERASED_INDEX
from storage.repo.common import erased_chat
from storage.schema import (
    area_subscriptions,
    attachments,
    case_events,
    cases,
    conversations,
    identities,
    outbox,
    persons,
    request_details,
    staff_roles,
)

# The words a person typed, inside an event's data: erased with the case.
TYPED_KEYS = ("text", "reason", "comment", "body", "restate", "resident_name")
_OWN = "reporter_person_id"


async def person_record(conn: AsyncConnection, person_id: int) -> dict[str, Any]:
    """Everything held about the person, by table: what the right of access hands over."""
    person = (await conn.execute(select(persons).where(persons.c.id == person_id))).first()
    chats = await conn.execute(
        select(
            identities.c.channel,
            identities.c.address,
            identities.c.profile_name,
            identities.c.created_at,
            identities.c.last_inbound_at,
        ).where(identities.c.person_id == person_id)
    )
    roles = await conn.execute(
        select(staff_roles.c.role, staff_roles.c.unit_code, staff_roles.c.area_code).where(
            and_(staff_roles.c.person_id == person_id, staff_roles.c.revoked_at.is_(None))
        )
    )
    own = or_(cases.c.reporter_person_id == person_id, cases.c.submitter_person_id == person_id)
    case_rows = list(await conn.execute(select(cases).where(own).order_by(cases.c.id)))
    ids = [r.id for r in case_rows]
    details = {
        r.case_id: dict(r._mapping)
        for r in await conn.execute(
            select(request_details).where(request_details.c.case_id.in_(ids))
        )
    }
    files = await conn.execute(
        select(attachments.c.case_id, attachments.c.kind, attachments.c.created_at).where(
            attachments.c.case_id.in_(ids)
        )
    )
    return {
        "person": dict(person._mapping) if person is not None else {},
        "chats": [dict(r._mapping) for r in chats],
        "roles": [dict(r._mapping) for r in roles],
        "cases": [dict(r._mapping) for r in case_rows],
        "details": details,
        "attachments": [dict(r._mapping) for r in files],
    }


async def held_cases(conn: AsyncConnection, person_id: int) -> list[Any]:
    """The person's own cases (as reporter, or filed by them as a volunteer)."""
    own = or_(cases.c.reporter_person_id == person_id, cases.c.submitter_person_id == person_id)
    query = select(
        cases.c.id, cases.c.tracking_code, cases.c.kind, cases.c.status, cases.c.closed_at
    ).where(and_(own, cases.c.erased_at.is_(None)))
    return list(await conn.execute(query))


# Which column a correction changes: (table, column). A name is also the case's own copy.
_CORRECTS: dict[str, list[tuple[Any, str]]] = {
    "name": [(request_details, "requester_name"), (cases, "reporter_name")],
    "phone": [(request_details, "phone")],
    "email": [(request_details, "email")],
    "address": [(request_details, "address")],
    "occupation": [(request_details, "occupation")],
    "nik": [(request_details, "nik")],
}


async def correct(conn: AsyncConnection, person_id: int, field: str, value: str) -> int:
    """Put `value` in `field` wherever the person's own records hold it; how many changed."""
    own = select(cases.c.id).where(
        and_(cases.c.reporter_person_id == person_id, cases.c.erased_at.is_(None))
    )
    changed = 0
    for table, column in _CORRECTS[field]:
        key = table.c.case_id if table is request_details else table.c.id
        where = key.in_(own)
        if table is cases:  # an anonymous report keeps no name, and is not given one
            where = and_(where, cases.c.anonymous.is_(False))
        result = await conn.execute(update(table).where(where).values({column: value}))
        changed += int(result.rowcount or 0)
    if field == "name":
        await conn.execute(
            update(persons).where(persons.c.id == person_id).values(display_name=value)
        )
        changed += 1
    return changed


async def erase_person(conn: AsyncConnection, person_id: int, now: datetime) -> None:
    """The person's own details (not their cases): name, chat profile names, drafts, the
    places they asked to hear news of."""
    await conn.execute(
        update(persons).where(persons.c.id == person_id).values(display_name=None, erased_at=now)
    )
    chats = select(identities.c.id).where(identities.c.person_id == person_id)
    await conn.execute(
        update(identities).where(identities.c.person_id == person_id).values(profile_name=None)
    )
    await conn.execute(
        update(conversations).where(conversations.c.identity_id.in_(chats)).values(draft=None)
    )
    await conn.execute(
        delete(area_subscriptions).where(area_subscriptions.c.person_id == person_id)
    )


async def erase_cases(conn: AsyncConnection, ids: Sequence[int], now: datetime) -> int:
    """Blank the personal data of these cases; their counts stay."""
    if not ids:
        return 0
    await conn.execute(
        update(cases)
        .where(cases.c.id.in_(ids))
        .values(
            reporter_name=None,
            description="",
            location_text=None,
            latitude=None,
            longitude=None,
            erased_at=now,
        )
    )
    await conn.execute(
        update(request_details)
        .where(request_details.c.case_id.in_(ids))
        .values(
            requester_name="",
            nik=None,
            legal_entity_number=None,
            address="",
            phone=None,
            email=None,
            occupation="",
            information_requested="",
            purpose="",
            principal_name=None,
            principal_number=None,
        )
    )
    await conn.execute(delete(attachments).where(attachments.c.case_id.in_(ids)))
    # Events are append-only, except that the law's erasure reaches the words in them.
    events = await conn.execute(
        select(case_events.c.id, case_events.c.data).where(case_events.c.case_id.in_(ids))
    )
    for event_id, data in list(events):
        if any(k in (data or {}) for k in TYPED_KEYS):
            kept = {k: v for k, v in data.items() if k not in TYPED_KEYS}
            await conn.execute(
                update(case_events)
                .where(case_events.c.id == event_id)
                .values(data={**kept, "erased": True})
            )
    return len(ids)


async def cases_past_retention(
    conn: AsyncConnection, kinds: Sequence[str], closed_before: datetime, limit: int = 500
) -> list[int]:
    """Finished cases of `kinds` closed before the cut-off whose data is still held."""
    query = (
        select(cases.c.id)
        .where(
            and_(
                cases.c.kind.in_(list(kinds)),
                cases.c.closed_at.is_not(None),
                cases.c.closed_at < closed_before,
                cases.c.erased_at.is_(None),
            )
        )
        .order_by(cases.c.id)
        .limit(limit)
    )
    return [r.id for r in await conn.execute(query)]


async def idle_chats(conn: AsyncConnection, before: datetime, limit: int = 500) -> list[Any]:
    """Chats silent since `before` whose person has no case and no role: nothing needs
    their number any more."""
    has_case = select(cases.c.id).where(
        or_(cases.c.reporter_person_id == persons.c.id, cases.c.submitter_person_id == persons.c.id)
    )
    has_role = select(staff_roles.c.id).where(staff_roles.c.person_id == persons.c.id)
    query = (
        select(identities.c.id, identities.c.person_id)
        .join(persons, persons.c.id == identities.c.person_id)
        .where(
            and_(
                identities.c.last_inbound_at < before,
                ~identities.c.address_key.like(f"{ERASED_INDEX}%"),  # addresses are sealed
                ~has_case.exists(),
                ~has_role.exists(),
            )
        )
        .limit(limit)
    )
    return list(await conn.execute(query))


async def erase_chats(conn: AsyncConnection, rows: Sequence[Any], now: datetime) -> int:
    """The chat's address itself goes: the row stays (its messages' counts), unreachable."""
    for row in rows:
        await conn.execute(
            update(identities)
            .where(identities.c.id == row.id)
            .values(**erased_chat(row.id), profile_name=None, reachable=False)
        )
        await conn.execute(delete(conversations).where(conversations.c.identity_id == row.id))
        await erase_person(conn, row.person_id, now)
    return len(rows)


async def blank_sent_messages(conn: AsyncConnection, before: datetime) -> int:
    """The text of messages sent (or given up) before the cut-off. The rows stay: their
    keys keep a notice from being written twice."""
    result = await conn.execute(
        update(outbox)
        .where(
            and_(
                outbox.c.status.in_(("sent", "dead")),
                outbox.c.created_at < before,
                outbox.c.payload["erased"].as_boolean().is_(None),
            )
        )
        .values(payload={"text": "", "erased": True})
    )
    return int(result.rowcount or 0)
