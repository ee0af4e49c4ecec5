"""At start, when the working calendar changed under open cases (the agency file's days, a
new `holidays` release, a late SKB on cuti bersama), their dates move: each move is written
to the case with an event, and the people whose date moved hear of it.

Start is enough: it is the only moment the calendar can change (the agency file is read and
the `holidays` package imported once per process; a new year's tables come from the same
release). One transaction holds the moves, their events and notices, and the new calendar
state, so a crash half-way repeats cleanly and a restart finds nothing left to move. Which
dates move, and to what, is `bot.domain.recalendar` (pure; the reading is there).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.recalendar import CalendarState, case_moves, window
from bot.handlers import cards
from bot.handlers.casework.service import derived_columns
from bot.values.messages import Msg, Raw, _, lines
from bot.values.types import Notice, Reply
from storage import repo

log = logging.getLogger(__name__)

# What each moved date is called in the message, when more than one moved.
STEP_NAMES: dict[str, Msg] = {
    "verify_due": _("verifikasi"),
    "followup_due": _("tanggapan pertama"),
    "resolution_due": _("target selesai"),
    "response_due": _("jawaban tertulis"),
    "confirm_due": _("konfirmasi penyelesaian"),
}


async def recalendar(
    conn: AsyncConnection, agency: Agency, now: datetime, today: date
) -> list[Notice]:
    """Compare the agency's calendar with the one the open cases' dates were computed with;
    move what the difference moves; keep the agency's as the new one. The very first time
    there is nothing to compare with: it is only kept."""
    first, last = window(today, await repo.latest_open_date(conn, today))
    current = CalendarState.of(agency.calendar, first, last)
    row = await repo.calendar_state_row(conn)
    stored = _state_of(row) if row is not None else None
    notices: list[Notice] = []
    if stored is not None and stored.differs(current, today):
        notices = await _move(conn, agency, stored, _version(row), now, today)
    if stored != current:
        closed = sorted(day.isoformat() for day in current.closed)
        await repo.save_calendar_state(conn, first, last, closed, now)
    return notices


async def _move(
    conn: AsyncConnection,
    agency: Agency,
    stored: CalendarState,
    version: str,
    now: datetime,
    today: date,
) -> list[Notice]:
    old, new = stored.calendar(outside=agency.calendar), agency.calendar
    pauses = bool(agency.clocks.clarification_pauses_clock)
    staff = await repo.active_staff(conn)
    events: list[dict[str, Any]] = []
    notices: list[Notice] = []
    for row in await repo.cases_dated_from(conn, today):
        case = Case.from_row(row)
        moves = case_moves(case, today, old, new)
        if not moves:
            continue
        changes: dict[str, Any] = {column: to for column, (_was, to) in moves.items()}
        changes["updated_at"] = now
        after = case.changed(changes)
        # The derived columns by the actions' own rule (the current step's due date).
        derived = derived_columns(after, pauses)
        if derived["due_on"] != case.due_on:
            derived["alerted_on"] = None  # its reminders are looked at again, for the new date
        after = after.changed(derived)
        changes.update(derived)
        await repo.update_case(conn, case.id, after.columns(changes))
        events.append(_event(case, moves, now))
        notices += _notices(staff, agency, after, moves, f"recalendar:{case.id}:{version}")
    await repo.insert_events(conn, events)
    log.info("calendar changed: the dates of %d open cases moved", len(events))
    return notices


def _state_of(row: Any) -> CalendarState:
    closed = frozenset(date.fromisoformat(day) for day in row.closed)
    return CalendarState(row.first_day, row.last_day, closed)


def _version(row: Any) -> str:
    """Which stored calendar the moves start from: with the moves themselves, the notices'
    key. The same change after a crash has the same key; a later change (even back to an
    earlier calendar) has another."""
    return f"{row.updated_at:%Y%m%d%H%M%S}"


def _event(case: Case, moves: dict[str, tuple[date, date]], now: datetime) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "at": now,
        "actor_person_id": None,
        "actor_role": "system",
        "action": "recalendar",
        "from_status": case.status.value,
        "to_status": case.status.value,
        "data": {
            "moved": {c: [was.isoformat(), to.isoformat()] for c, (was, to) in moves.items()},
            "reason": "calendar",
        },
    }


def moved_text(code: str, moves: dict[str, tuple[date, date]]) -> Msg:
    """ "Tanggal batas *P-…* berubah …: old → new.", a line for each date when several moved."""
    if len(moves) == 1:
        [(was, to)] = moves.values()
        return _(
            "Tanggal batas *{code}* berubah karena perubahan hari libur/cuti bersama: "
            "{old} → {new}.",
            code=Raw(code),
            old=was,
            new=to,
        )
    return lines(
        _(
            "Tanggal batas *{code}* berubah karena perubahan hari libur/cuti bersama:",
            code=Raw(code),
        ),
        *(
            _("• {step}: {old} → {new}", step=STEP_NAMES[column], old=was, new=to)
            for column, (was, to) in moves.items()
        ),
    )


def _notices(
    staff: list[Any], agency: Agency, case: Case, moves: dict[str, tuple[date, date]], key: str
) -> list[Notice]:
    """The reporter (and the KIM volunteer who filed it), and whoever hears about the case
    (`cards.hearers`). Each of these dates was told to the reporter (the receipt gives the
    verification and first follow-up dates, or the answer's; the status gives the current
    step's; the resolution gives the day to confirm), so they hear of every one that moved.
    Pushes of quiet kinds: at night they wait for the morning (`outbox.QUIET_KINDS`)."""
    key = key + ":" + ",".join(f"{c[:3]}{w:%Y%m%d}-{t:%Y%m%d}" for c, (w, t) in moves.items())
    text = moved_text(case.tracking_code, moves)
    told = [
        Notice(n.person_id, n.reply, prefer_channel=n.prefer_channel, key=key)
        for n in cards.citizen_notices(case, Reply(text))
    ]
    for person in cards.hearers(staff, agency, case):
        roles = frozenset(s.role for s in staff if s.person_id == person)
        reply = Reply(text, cards.card_buttons(case, roles, person))
        told.append(Notice(person, reply, kind="officer_reminder", key=key))
    return told
