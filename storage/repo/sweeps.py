"""What the scheduler's sweeps read and mark: cases coming due or overdue, progress updates,
resolved cases left unconfirmed, forms about to expire; and at start, the cases whose dates a
changed calendar may move, with the calendar they were computed with. Separate so the per-run
cap lives in one place."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.repo.cases import CLOSED_STATUSES
from storage.schema import calendar_state, cases, conversations, identities

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


async def set_next_updates(conn: AsyncConnection, ids: Sequence[int], day: date) -> None:
    await _update_cases(conn, ids, next_update_on=day)


async def silent_resolved(conn: AsyncConnection, today: date, limit: int = 500) -> list[Any]:
    """Resolved cases whose day for the reporter's confirmation has passed."""
    query = (
        select(cases)
        .where(and_(cases.c.status == "selesai", cases.c.confirm_due < today))
        .order_by(cases.c.confirm_due, cases.c.id)
        .limit(limit)
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


# --- the calendar the open cases' dates were computed with ------------------------------------

_DATED = (
    cases.c.verify_due,
    cases.c.followup_due,
    cases.c.resolution_due,
    cases.c.response_due,
    cases.c.confirm_due,
)


def _dated_from(today: date) -> Any:
    """Open, or resolved and waiting for the reporter's confirmation, with a date from today
    on: a superset of the dates a calendar change can move (the rule picks among them)."""
    waiting = or_(cases.c.status.not_in(CLOSED_STATUSES), cases.c.status == "selesai")
    return and_(waiting, or_(*(column >= today for column in _DATED)))


async def latest_open_date(conn: AsyncConnection, today: date) -> date | None:
    """The furthest date of those cases (so the kept calendar covers them all)."""
    query = select(*(func.max(column) for column in _DATED)).where(_dated_from(today))
    found = [day for day in (await conn.execute(query)).one() if day is not None]
    return max(found) if found else None


async def cases_dated_from(conn: AsyncConnection, today: date) -> list[Any]:
    """Every such case, in one read: at start, before anything is served, and once per
    calendar change, so no per-run cap (the stored calendar changes with all of them)."""
    query = select(cases).where(_dated_from(today)).order_by(cases.c.id)
    return list(await conn.execute(query))


async def calendar_state_row(conn: AsyncConnection) -> Any | None:
    return (await conn.execute(select(calendar_state).where(calendar_state.c.id == 1))).first()


async def save_calendar_state(
    conn: AsyncConnection, first: date, last: date, closed: list[str], now: datetime
) -> None:
    """The one row (id 1): its closed days (ISO dates) over [first, last]."""
    values = {"first_day": first, "last_day": last, "closed": closed, "updated_at": now}
    done = await conn.execute(
        update(calendar_state).where(calendar_state.c.id == 1).values(**values)
    )
    if not done.rowcount:
        await conn.execute(insert(calendar_state).values(id=1, **values))
