"""Cases: filing them (register numbers, details, attachments, events), reading and updating
one, and the queries over many that officers see (queue, counts, search)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.schema import attachments, case_events, cases, register_counters, request_details

# --- filing -----------------------------------------------------------------------------------


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
            ((cases.c.reporter_person_id == person_id) | (cases.c.submitter_person_id == person_id))
            # a data request the bot settled at once is a record, not something to follow
            & ~((cases.c.kind == "data_pribadi") & (cases.c.status == "ditutup"))
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


async def objections_to(conn: AsyncConnection, case_id: int) -> list[Any]:
    query = select(cases.c.tracking_code, cases.c.status, cases.c.objection_ground).where(
        and_(cases.c.related_case_id == case_id, cases.c.kind == "keberatan")
    )
    return list(await conn.execute(query))


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


# --- queues -----------------------------------------------------------------------------------


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
        (c.kind.in_(("informasi", "keberatan", "data_pribadi")), c.response_due),
        (c.status == "diterima", c.verify_due),
        (
            or_(c.status.in_(("terverifikasi", "didisposisi")), c.followed_up_on.is_(None)),
            func.coalesce(c.followup_due, c.resolution_due),
        ),
        else_=func.coalesce(c.resolution_due, c.followup_due),
    )


@dataclass(frozen=True)
class QueueCounts:
    open: int
    overdue: int
    soon: int


async def queue_counts(
    conn: AsyncConnection, units: list[str] | None, today: date, soon: date
) -> QueueCounts:
    """The morning summary's figures: open cases (every case not finished, as `unit_queue`
    lists them), and of those the late and the nearly due by the stored `due_on` (none while
    a paused case waits for its reporter)."""
    c = cases.c
    query = select(
        func.count(c.id),
        func.coalesce(func.sum(case((c.due_on < today, 1), else_=0)), 0),
        func.coalesce(func.sum(case((and_(c.due_on >= today, c.due_on <= soon), 1), else_=0)), 0),
    ).where(c.status.not_in(CLOSED_STATUSES))  # open as `unit_queue` reads it
    if units is not None:
        query = query.where(c.unit_code.in_(units))
    total, overdue, near = (await conn.execute(query)).one()
    return QueueCounts(int(total), int(overdue), int(near))
