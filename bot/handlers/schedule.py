"""What time alone sets off: reminders before a deadline, escalation after it, "still being
handled" messages, the daily queue summary, a nudge for forms left half-way, housekeeping.

Each function reads only the rows it needs through indexed dates (`cases.due_on`,
`cases.next_update_on`, `conversations.expires_at`), never every case. Each notice carries a
key (case, kind, due date, step), so a double tick, two overlapping runs or a restart write it
once; quiet hours hold the pushes (`outbox.QUIET_KINDS`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.cases import COMPLAINT_KINDS, KIND_LABELS, STATUS_LABELS, due_of
from bot.domain.quiet import quiet_until
from bot.domain.roles import SEE_ALL, Role
from bot.handlers import cards
from bot.handlers.casework.service import close_silent
from bot.handlers.missed import missed_notices
from bot.values.messages import Msg, Raw, _
from bot.values.types import Notice, Reply
from storage import repo

log = logging.getLogger(__name__)
ABANDON_NOTICE = timedelta(hours=2)  # a nudge this long before a half-filled form is set aside


@dataclass(frozen=True)
class Rules:
    """The notification settings (configuration, not code)."""

    remind_days_before: int = 2
    escalate_every_days: int = 2
    progress_every_days: int = 5
    draft_retention_days: int = 30
    delivery_ids_days: int = 7
    conversation_ttl_hours: int = 24
    quiet: tuple[time, time] | None = None
    zone: ZoneInfo | None = None


async def sweep(
    conn: AsyncConnection, agency: Agency, rules: Rules, now: datetime, today: date
) -> list[Notice]:
    notices = await close_silent(conn, agency, now, today)
    staff = await repo.active_staff(conn)
    notices += await reminders(conn, agency, rules, staff, today)
    notices += await escalations(conn, agency, rules, staff, today)
    notices += await progress_updates(conn, agency, rules, today)
    if rules.zone is None or quiet_until(now, rules.zone, rules.quiet) is None:
        ttl = timedelta(hours=rules.conversation_ttl_hours)
        notices += await abandoned_forms(conn, now, ttl)
    await housekeeping(conn, rules, now)
    return notices


async def reminders(
    conn: AsyncConnection, agency: Agency, rules: Rules, staff: list[Any], today: date
) -> list[Notice]:
    """N working days before the current step's deadline, and again 1 day before (or on the
    day, when the sweep first sees it then)."""
    horizon = agency.calendar.add_working_days(today, rules.remind_days_before)
    notices: list[Notice] = []
    rows = await repo.cases_due_between(conn, today, horizon)
    await repo.set_alerted(conn, [r.id for r in rows], today)
    for row in rows:
        left = agency.calendar.working_days_between(today, row.due_on)
        step = 1 if left <= 1 else rules.remind_days_before
        reply = Reply(
            _(
                "⏰ Pengingat: *{code}* ({kind}, {status}) jatuh tempo {due}, {left}.",
                code=Raw(row.tracking_code),
                kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
                status=STATUS_LABELS.get(row.status, Raw(row.status)),
                due=row.due_on,
                left=cards.due_text(agency, row.due_on, today),
            ),
            cards.card_buttons(row),
        )
        key = f"remind:{row.id}:{row.due_on.isoformat()}:{step}"
        notices += [
            Notice(p, reply, kind="officer_reminder", key=key)
            for p in cards.hearers(staff, agency, row)
        ]
    return notices


async def escalations(
    conn: AsyncConnection, agency: Agency, rules: Rules, staff: list[Any], today: date
) -> list[Notice]:
    """Past the deadline: the coordinator (complaints) or the atasan PPID (requests and
    objections) hears, with the unit, and again every `escalate_every_days` working days.
    The requester of a late request or objection hears what the law now allows (`missed`)."""
    notices: list[Notice] = []
    rows = await repo.cases_overdue(conn, today)
    await repo.set_alerted(conn, [r.id for r in rows], today)
    for row in rows:
        notices += missed_notices(agency, row, today)  # the requester hears on the day after
        late = agency.calendar.working_days_between(row.due_on, today)
        if late < 1:
            continue  # due on Friday, today is Saturday: not a working day late yet
        round_ = (late - 1) // rules.escalate_every_days
        complaint = row.kind in COMPLAINT_KINDS
        above = Role.KOORDINATOR if complaint else Role.ATASAN_PPID
        superiors = [s.person_id for s in staff if s.role == above] or [
            s.person_id for s in staff if s.role in (Role.PPID_UTAMA, Role.ADMIN)
        ]
        reply = Reply(
            _(
                "🚨 *{code}* lewat tenggat {late} hari kerja (tenggat {due}). Unit: {unit}. "
                "Status: {status}.",
                code=Raw(row.tracking_code),
                late=late,
                due=row.due_on,
                unit=Raw(
                    agency.units[row.unit_code].name
                    if row.unit_code in agency.units
                    else row.unit_code
                ),
                status=STATUS_LABELS.get(row.status, Raw(row.status)),
            ),
            cards.card_buttons(row),
        )
        key = f"escalate:{row.id}:{row.due_on.isoformat()}:{round_}"
        people = dict.fromkeys([*superiors, *cards.hearers(staff, agency, row)])
        notices += [Notice(p, reply, kind="officer_reminder", key=key) for p in people]
    return notices


async def progress_updates(
    conn: AsyncConnection, agency: Agency, rules: Rules, today: date
) -> list[Notice]:
    """A periodic "still being handled" message to the reporter, with the deadline."""
    if not rules.progress_every_days:
        return []
    notices: list[Notice] = []
    nxt = agency.calendar.add_working_days(today, rules.progress_every_days)
    # Reopened cases, and cases from before the column existed, start counting today.
    await repo.set_next_updates(conn, await repo.cases_without_next_update(conn), nxt)
    rows = await repo.cases_needing_update(conn, today)
    for row in rows:
        unit = agency.units.get(row.unit_code)
        due = due_of(row)
        text: Msg = _(
            "⏳ {kind} *{code}* masih ditangani {unit}. Status: {status}. Batas waktu langkah "
            "ini: {due}. Kami kabari lagi bila ada perkembangan.",
            kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
            code=Raw(row.tracking_code),
            unit=Raw(unit.name if unit else row.unit_code),
            status=STATUS_LABELS.get(row.status, Raw(row.status)),
            due=due if due is not None else Raw("-"),
        )
        if due is not None and due < today:  # not "masih" within a date already passed
            text = _(
                "⏳ {kind} *{code}* masih ditangani {unit}. Batas waktunya, {due}, sudah lewat; "
                "kami sudah mengingatkan petugas yang menanganinya. Kami kabari lagi bila ada "
                "perkembangan.",
                kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
                code=Raw(row.tracking_code),
                unit=Raw(unit.name if unit else row.unit_code),
                due=due,
            )
        key = f"progress:{row.id}:{today.isoformat()}"
        notices += [
            Notice(n.person_id, n.reply, prefer_channel=n.prefer_channel, key=key)
            for n in cards.citizen_notices(row, Reply(text))
        ]
    await repo.set_next_updates(conn, [r.id for r in rows], nxt)  # one statement for all
    return notices


async def abandoned_forms(
    conn: AsyncConnection, now: datetime, ttl: timedelta = timedelta(hours=24)
) -> list[Notice]:
    """One gentle nudge before a half-filled form is set aside (it is kept as a draft).
    Never in quiet hours (the caller skips it then): a nudge held until morning would come
    after the form was set aside anyway."""
    notices: list[Notice] = []
    lead = min(ABANDON_NOTICE, ttl / 4)  # a short TTL must not nudge mid-conversation
    for row in await repo.forms_expiring(conn, now, now + lead):
        reply = Reply(
            _(
                "Isian Anda belum selesai. Balas pesan ini untuk melanjutkan; isian tetap kami "
                "simpan dan bisa dilanjutkan kapan saja dari menu."
            )
        )
        key = f"abandon:{row.identity_id}:{row.expires_at:%Y%m%d%H%M}"
        notices.append(
            Notice(row.person_id, reply, kind="nudge", prefer_channel=row.channel, key=key)
        )
    return notices


async def housekeeping(conn: AsyncConnection, rules: Rules, now: datetime) -> None:
    """Data minimisation: drafts (which may hold a NIK) and old redelivery ids go."""
    drafts = await repo.drop_old_drafts(conn, now - timedelta(days=rules.draft_retention_days))
    ids = await repo.prune_deliveries(conn, now - timedelta(days=rules.delivery_ids_days))
    if drafts or ids:
        log.info("housekeeping: %d old drafts dropped, %d delivery ids pruned", drafts, ids)


async def daily_summary(conn: AsyncConnection, agency: Agency, today: date) -> list[Notice]:
    """Each officer's morning message: open cases in their units, overdue, due within 2
    working days. Nothing is sent to an officer with nothing open."""
    staff = await repo.active_staff(conn)
    soon = agency.calendar.add_working_days(today, 2)
    notices: list[Notice] = []
    officers: dict[int, set[str]] = {}
    for s in staff:
        if s.role in {r.value for r in (*SEE_ALL, Role.PPID_PEMBANTU)}:
            officers.setdefault(s.person_id, set())
            if s.role in {r.value for r in SEE_ALL}:
                officers[s.person_id].add("*")
            elif s.unit_code:
                officers[s.person_id].add(s.unit_code)
    for person, units in officers.items():
        scope = None if "*" in units else sorted(units)
        counts = await repo.queue_counts(conn, scope, today, soon)
        if not counts.open:
            continue
        reply = Reply(
            _(
                "☀️ Ringkasan pagi: {open} kasus terbuka, {overdue} lewat tenggat, {soon} "
                "jatuh tempo dalam 2 hari kerja. Lihat /antrian.",
                open=counts.open,
                overdue=counts.overdue,
                soon=counts.soon,
            )
        )
        notices.append(
            Notice(person, reply, kind="officer_reminder", key=f"summary:{today.isoformat()}")
        )
    return notices
