"""Working a case from the chat: load, authorise, run the action, write once.

Each action is checked three ways before anything changes: may this person see the case
(officers: their units; reporters: their own cases; anything else reads as "not found"), may
their role take this action (`roles_for`), and does the case's state allow it (the state
machine in `bot.domain.lifecycle`, whose refusal lists what is allowed). Then the action,
a pure function from `table.ACTIONS`, decides; the case row and one event with actor and
time are written once, and the notices for everyone who should know go into the batch's
transaction: they commit together or not at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.cases import STATUS_LABELS, Status, due_of
from bot.domain.codes import parse_code
from bot.domain.lifecycle import (
    CITIZEN_ACTIONS,
    Action,
    NotAllowedError,
    next_status,
    roles_for,
)
from bot.domain.roles import ROLE_NAMES
from bot.handlers import cards
from bot.handlers.casework.actor import SYSTEM, Actor, may_act, may_see
from bot.handlers.casework.arguments import check_args, extension_problem
from bot.handlers.casework.base import CaseArgs, Facts, Filing, Need, unit_name
from bot.handlers.casework.objections import dispute_problem, objection_problem
from bot.handlers.casework.table import ACTIONS
from bot.handlers.staff import not_available
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Notice, Reply
from storage import repo

log = logging.getLogger(__name__)
A = Action


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    filed: list[Filing] = field(default_factory=list)  # objections to create
    refused: bool = False  # nothing was done (the replies say why)


def not_found() -> Reply:
    return Reply(_("Kasus dengan kode itu tidak ditemukan di unit Anda."))


def citizen_not_found(code: str) -> Reply:
    return Reply(
        _(
            "Kami tidak menemukan laporan dengan kode *{code}* di antara laporan Anda. Mohon "
            "periksa kodenya, atau pilih *Laporan saya*.",
            code=Raw(code[:20]),
        )
    )


async def authorise(
    conn: AsyncConnection,
    agency: Agency,
    actor: Actor,
    action: Action,
    code_text: str,
    today: date,
) -> tuple[Case | None, list[Reply]]:
    """(the case, []) when the actor may try the action on it; (None, answer) otherwise.

    Someone who may not see the case hears exactly what they would hear for a code that does
    not exist; a role or state refusal is said plainly, since the case is theirs to see."""
    citizen_side = action in CITIZEN_ACTIONS
    if action is A.AUTO_CLOSE or (not citizen_side and not actor.officer):
        log.info("refused: a case command without an officer role")  # (or the system's own)
        return None, [not_available()]
    parsed = parse_code(code_text)
    row = await repo.find_case(conn, parsed.code) if parsed.code else None
    case = Case.from_row(row) if row is not None else None
    if case is None or not may_see(actor, case, citizen_side=citizen_side):
        if case is not None:
            log.info("refused: %s on a case outside the actor's reach", action.value)
        shown = parsed.code or code_text.strip()[:20]
        return None, [citizen_not_found(shown) if citizen_side else not_found()]
    problem = _role_problem(agency, actor, action, case, citizen_side)
    if problem is None and action is A.EXTEND:
        problem = extension_problem(case, today)
    if problem is None and action is A.DISPUTE:
        problem = dispute_problem(agency, case, today)
    if problem is not None:
        return None, [Reply(problem)]
    try:
        next_status(case.kind, case.status, action, case.paused_status)
    except NotAllowedError:
        return None, [refusal(case, action, actor.roles)]
    if action is A.OBJECT:
        problem = await objection_problem(conn, agency, case, today)
        if problem is not None:
            return None, [Reply(problem)]
    return case, []


def _role_problem(
    agency: Agency, actor: Actor, action: Action, case: Case, citizen_side: bool
) -> Msg | None:
    if citizen_side:
        return None
    if not may_act(actor, case, agency):
        log.info("refused: %s on a case the actor may see but not work", action.value)
        return _(
            "Kasus *{code}* ditangani {unit}; peran Anda dapat melihatnya, tetapi tidak "
            "mengubahnya.",
            code=Raw(case.tracking_code),
            unit=unit_name(agency, case.unit_code),
        )
    needed = roles_for(case.kind, action)
    if needed is not None and not actor.roles & {r.value for r in needed}:
        log.info("refused: %s needs another role", action.value)
        return _(
            "Tindakan ini hanya untuk peran: {roles}.",
            roles=Raw(", ".join(sorted(ROLE_NAMES[r] for r in needed))),
        )
    return None


def refusal(case: Case, action: Action, roles: frozenset[str] | None = None) -> Reply:
    status = STATUS_LABELS.get(case.status, Raw(case.status))
    if action in CITIZEN_ACTIONS:
        return Reply(
            _(
                "Laporan *{code}* berstatus *{status}*; permintaan itu tidak dapat diproses "
                "sekarang.",
                code=Raw(case.tracking_code),
                status=status,
            )
        )
    return Reply(
        _(
            "Tidak bisa: *{code}* berstatus *{status}*. Yang bisa dilakukan sekarang: {commands}",
            code=Raw(case.tracking_code),
            status=status,
            commands=Raw(cards.commands_text(case, roles)),
        )
    )


async def perform(
    conn: AsyncConnection,
    agency: Agency,
    actor: Actor,
    action: Action,
    code_text: str,
    args: CaseArgs,
    *,
    now: datetime,
    today: date,
) -> Outcome:
    """A command or a button on a case, from the chat."""
    case, refused = await authorise(conn, agency, actor, action, code_text, today)
    if case is None:
        return Outcome(refused, refused=True)
    problem = check_args(case, action, args, agency, today)
    if problem is None and action is A.OBJECT:
        problem = await objection_problem(conn, agency, case, today, str(args.get("ground35")))
    if problem is not None:
        return Outcome([Reply(problem)], refused=True)
    return await carry_out(conn, agency, actor, action, case, args, now=now, today=today)


async def carry_out(
    conn: AsyncConnection,
    agency: Agency,
    actor: Actor,
    action: Action,
    case: Case,
    args: CaseArgs,
    *,
    now: datetime,
    today: date,
) -> Outcome:
    """Run an authorised action: load the facts it reads, let it decide, write the case and
    its event once, then add what needs the case as it now is (cards, officers' headlines)."""
    spec = ACTIONS[action]
    target = Status(next_status(case.kind, case.status, action, case.paused_status))
    facts = await _facts(conn, agency, case, spec.needs, target, now, today)
    decided = spec.run(case, actor, args, facts)
    changes = {"status": target, "updated_at": now, **decided.changes}
    after = case.changed(changes)
    derived = derived_columns(after, bool(agency.clocks.clarification_pauses_clock))
    after = after.changed(derived)
    changes.update(derived)
    await repo.update_case(conn, case.id, after.columns(changes))
    await repo.insert_events(conn, [_event(case, after, actor, action, decided.event, now)])
    if decided.attach and args.get("media"):
        await _attach(conn, after, args, decided.attach, now)
    notices = list(decided.notices)
    if decided.to_hearers is not None:
        notices += _to_hearers(list(facts.staff), agency, after, decided.to_hearers)
    if decided.card is not None:
        notices += await cards.card_notices(
            conn,
            agency,
            after,
            today,
            decided.card,
            exclude=decided.card_except,
            staff=list(facts.staff),
        )
    filed = [decided.filing] if decided.filing is not None else []
    return Outcome(decided.replies, notices, filed)


async def _facts(
    conn: AsyncConnection,
    agency: Agency,
    case: Case,
    needs: frozenset[Need],
    target: Status,
    now: datetime,
    today: date,
) -> Facts:
    """Only the facts the action declared: most actions read nothing beyond the case."""
    staff = tuple(await repo.active_staff(conn)) if Need.STAFF in needs else ()
    detail = await repo.request_detail(conn, case.id) if Need.DETAIL in needs else None
    register = None
    if Need.REQUEST in needs and case.related_case_id is not None:
        request = await repo.case_by_id(conn, case.related_case_id)
        register = request.register_number if request is not None else None
    paused_on = None
    if Need.PAUSE in needs:
        asked = await repo.pause_started(conn, case.id)  # the question that began the wait
        if asked is not None and "on" in asked.data:
            paused_on = date.fromisoformat(asked.data["on"])
    disputed = Need.DISPUTED in needs and (
        await repo.last_event(conn, case.id, A.DISPUTE.value) is not None
    )
    return Facts(agency, now, today, target, staff, detail, register, paused_on, disputed)


def derived_columns(after: Case, pauses: bool) -> dict[str, Any]:
    """Columns that follow from the others: the current step's due date (what reminders
    and escalation read, indexed), and no more progress updates once the case is finished.
    While a complaint waits for the reporter and its clock is paused, nothing is due."""
    due = None if pauses and after.status == Status.DITUNDA else due_of(after)
    return {"due_on": due} if due is not None else {"due_on": None, "next_update_on": None}


def _event(
    case: Case, after: Case, actor: Actor, action: Action, data: dict[str, Any], now: datetime
) -> dict[str, Any]:
    if actor.system:
        role = "system"
    elif action in CITIZEN_ACTIONS:
        role = "citizen" if actor.person_id == case.reporter_person_id else "kim"
    else:
        role = actor.role_label()
    return {
        "case_id": case.id,
        "at": now,
        "actor_person_id": None if actor.system else actor.person_id,
        "actor_role": role,
        "action": action.value,
        "from_status": case.status.value,
        "to_status": after.status.value,
        "data": data,
    }


async def _attach(
    conn: AsyncConnection, case: Case, args: CaseArgs, caption: str, now: datetime
) -> None:
    """Photos sent with an answer or a resolution join the case, on the sender's channel."""
    channel = args.get("channel", case.channel)
    await repo.insert_attachments(
        conn,
        [
            {
                "case_id": case.id,
                "channel": channel,
                "kind": "photo",
                "file_ref": ref,
                "caption": caption,
                "created_at": now,
            }
            for ref in args.get("media", [])
        ],
    )


def _to_hearers(staff: list[Any], agency: Agency, case: Case, headline: Msg) -> list[Notice]:
    """Whoever hears about the case (`cards.hearers`), each with the commands their roles
    allow on it now."""
    notices = []
    for person in cards.hearers(staff, agency, case):
        roles = frozenset(s.role for s in staff if s.person_id == person)
        commands = cards.commands_text(case, roles, person)
        reply = Reply(
            join(headline, _("Perintah: {commands}", commands=Raw(commands))),
            cards.card_buttons(case, roles, person),
        )
        notices.append(Notice(person, reply, kind="officer_alert"))
    return notices


async def awaits_answer(conn: AsyncConnection, person_id: int, code_text: str) -> bool:
    """Whether this person's case is waiting for their answer to an officer's question."""
    parsed = parse_code(code_text)
    row = await repo.find_case(conn, parsed.code) if parsed.code else None
    if row is None or person_id not in (row.reporter_person_id, row.submitter_person_id):
        return False
    if row.status == Status.DITUNDA:
        return True
    if row.status in (Status.DIPROSES, Status.DIPERPANJANG):
        asked = await repo.last_event(conn, row.id, A.ASK.value)
        answered = await repo.last_event(conn, row.id, A.ANSWER.value)
        return asked is not None and (answered is None or answered.id < asked.id)
    return False


async def close_silent(
    conn: AsyncConnection, agency: Agency, now: datetime, today: date
) -> list[Notice]:
    """Resolved cases whose reporter stayed silent until the confirmation day passed are
    closed (SP4N-LAPOR!: 10 working days): `carry_out(SYSTEM, AUTO_CLOSE)` for each."""
    notices: list[Notice] = []
    for row in await repo.silent_resolved(conn, today):
        outcome = await carry_out(
            conn, agency, SYSTEM, A.AUTO_CLOSE, Case.from_row(row), {}, now=now, today=today
        )
        notices += outcome.notices
    return notices
