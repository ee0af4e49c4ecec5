"""Working a case from the chat: every officer action and every answer of the reporter.

Each action is checked three ways before anything changes: may this person see the case
(officers: their units; reporters: their own cases; anything else reads as "not found"), may
their role take this action (`roles_for`), and does the case's state allow it (the state
machine in `bot.domain.lifecycle`, whose refusal lists what is allowed). Then the case row,
one event with actor and time, and the notices for everyone who should know are written in
the batch's transaction: they commit together or not at all.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.cases import STATUS_LABELS, Kind, Status, objection_open
from bot.domain.codes import kind_of, looks_like_code, parse_code
from bot.domain.lifecycle import (
    CITIZEN_ACTIONS,
    DECISION_LABELS,
    DECISION_WORDS,
    DECISIONS_INFO,
    DECISIONS_OBJECTION,
    PASAL_17,
    PASAL_35,
    Action,
    NotAllowedError,
    next_status,
    roles_for,
)
from bot.domain.roles import ROLE_NAMES, SEE_ALL, Role
from bot.engine.types import Button, Notice, Reply
from bot.flows.base import quoted
from bot.flows.casework import MAX_TEXT, STAR_BUTTONS
from bot.flows.information import DELIVERY_LABELS, OBTAIN_LABELS
from bot.handlers import cards
from bot.handlers.staff import not_available
from bot.i18n import Msg, Raw, _, join
from storage import repo

log = logging.getLogger(__name__)
A = Action
OFFICER_ROLES = SEE_ALL | {Role.PPID_PEMBANTU}
DIGITS = re.compile(r"[0-9]{1,3}")  # ASCII only: "²".isdigit() is true, int("²") fails
COMMANDS: dict[str, Action] = {
    **{name: action for action, name in cards.COMMAND_OF.items()},
    "keberatan": A.OBJECT,
}


@dataclass(frozen=True)
class Actor:
    person_id: int
    roles: frozenset[str]
    units: list[str] | None  # the units whose cases they see; None: every unit
    own_units: tuple[str, ...] = ()  # the units they were granted (PPID pembantu)

    @property
    def officer(self) -> bool:
        return bool(self.roles & {r.value for r in OFFICER_ROLES})

    def role_label(self) -> str:
        """The role recorded on events: the most specific one they hold."""
        for role in (Role.ATASAN_PPID, Role.PPID_UTAMA, Role.KOORDINATOR, Role.PPID_PEMBANTU):
            if role.value in self.roles:
                return role.value
        return Role.ADMIN.value if Role.ADMIN.value in self.roles else "citizen"


async def load_actor(conn: AsyncConnection, person_id: int) -> Actor:
    grants = await repo.grants_of(conn, person_id)
    roles = frozenset(g.role for g in grants)
    own = tuple(sorted({g.unit_code for g in grants if g.unit_code}))
    if roles & {r.value for r in SEE_ALL}:
        return Actor(person_id, roles, None, own)
    return Actor(person_id, roles, list(own), own)


def may_act(actor: Actor, row: Any, agency: Agency) -> bool:
    """Seeing every case is not acting on every case: the coordinator works complaints, the
    PPID utama requests and objections, the atasan PPID objections, a PPID pembantu their
    unit's cases; admins anything."""
    roles, complaint = actor.roles, row.kind in (Kind.PENGADUAN, Kind.ASPIRASI)
    return (
        Role.ADMIN.value in roles
        or row.unit_code in actor.own_units
        or (Role.KOORDINATOR.value in roles and (complaint or row.unit_code == agency.triage_unit))
        or (Role.PPID_UTAMA.value in roles and (not complaint or row.unit_code == agency.ppid_unit))
        or (Role.ATASAN_PPID.value in roles and row.kind == Kind.KEBERATAN)
    )


@dataclass
class Outcome:
    replies: list[Reply] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    filed: list[dict[str, Any]] = field(default_factory=list)  # objections to create
    refused: bool = False  # nothing was done (the replies say why)


@dataclass(frozen=True)
class Work:
    """Everything one action needs."""

    conn: AsyncConnection
    agency: Agency
    actor: Actor
    row: Any
    args: dict[str, Any]
    now: datetime
    today: date


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
) -> tuple[Any | None, list[Reply]]:
    """(the case, []) when the actor may try the action on it; (None, answer) otherwise.

    Someone who may not see the case hears exactly what they would hear for a code that does
    not exist; a role or state refusal is said plainly, since the case is theirs to see."""
    citizen_side = action in CITIZEN_ACTIONS
    if action is A.AUTO_CLOSE or (not citizen_side and not actor.officer):
        log.info("refused: a case command without an officer role")  # (or the system's own)
        return None, [not_available()]
    parsed = parse_code(code_text)
    row = await repo.find_case(conn, parsed.code) if parsed.code else None
    if citizen_side:
        visible = row is not None and actor.person_id in (
            row.reporter_person_id,
            row.submitter_person_id,
        )
    else:
        visible = row is not None and (actor.units is None or row.unit_code in actor.units)
    if row is None or not visible:
        if row is not None:
            log.info("refused: %s on a case outside the actor's reach", action.value)
        shown = parsed.code or code_text.strip()[:20]
        return None, [citizen_not_found(shown) if citizen_side else not_found()]
    if not citizen_side and not may_act(actor, row, agency):
        log.info("refused: %s on a case the actor may see but not work", action.value)
        return None, [
            Reply(
                _(
                    "Kasus *{code}* ditangani {unit}; peran Anda dapat melihatnya, tetapi tidak "
                    "mengubahnya.",
                    code=Raw(row.tracking_code),
                    unit=unit_name(agency, row.unit_code),
                )
            )
        ]
    needed = roles_for(row.kind, action)
    if needed is not None and not actor.roles & {r.value for r in needed}:
        log.info("refused: %s needs another role", action.value)
        return None, [
            Reply(
                _(
                    "Tindakan ini hanya untuk peran: {roles}.",
                    roles=Raw(", ".join(sorted(ROLE_NAMES[r] for r in needed))),
                )
            )
        ]
    if action is A.EXTEND and row.extended:
        return None, [
            Reply(
                _("Permohonan ini sudah pernah diperpanjang; UU 14/2008 hanya membolehkan sekali.")
            )
        ]
    try:
        next_status(row.kind, row.status, action, row.paused_status)
    except NotAllowedError:
        return None, [refusal(row, action, actor.roles)]
    if action is A.OBJECT:
        problem = await objection_problem(conn, agency, row, today)
        if problem is not None:
            return None, [Reply(problem)]
    return row, []


async def objection_problem(
    conn: AsyncConnection, agency: Agency, row: Any, today: date
) -> Msg | None:
    earlier = await repo.objections_to(conn, row.id)
    if earlier:
        return _(
            "Keberatan atas permohonan ini sudah diajukan, kode *{code}*. Ketik kode itu untuk "
            "melihat statusnya.",
            code=Raw(earlier[0].tracking_code),
        )
    if not objection_open(agency, row.status, row.decided_on, row.response_due, today):
        return _(
            "Keberatan atas *{code}* belum atau tidak lagi dapat diajukan: keberatan diajukan "
            "setelah ada jawaban tertulis atau bila batas waktu jawaban sudah lewat, dan paling "
            "lambat 30 hari kerja sesudahnya.",
            code=Raw(row.tracking_code),
        )
    return None


def refusal(row: Any, action: Action, roles: frozenset[str] | None = None) -> Reply:
    status = STATUS_LABELS.get(row.status, Raw(row.status))
    if action in CITIZEN_ACTIONS:
        return Reply(
            _(
                "Laporan *{code}* berstatus *{status}*; permintaan itu tidak dapat diproses "
                "sekarang.",
                code=Raw(row.tracking_code),
                status=status,
            )
        )
    return Reply(
        _(
            "Tidak bisa: *{code}* berstatus *{status}*. Yang bisa dilakukan sekarang: {commands}",
            code=Raw(row.tracking_code),
            status=status,
            commands=Raw(cards.commands_text(row, roles)),
        )
    )


async def perform(
    conn: AsyncConnection,
    agency: Agency,
    actor: Actor,
    action: Action,
    code_text: str,
    args: dict[str, Any],
    *,
    now: datetime,
    today: date,
) -> Outcome:
    row, refused = await authorise(conn, agency, actor, action, code_text, today)
    if row is None:
        return Outcome(refused, refused=True)
    work = Work(conn, agency, actor, row, args, now, today)
    handler = HANDLERS[action]
    problem = check_args(work, action)
    if problem is not None:
        return Outcome([Reply(problem)], refused=True)
    target = next_status(row.kind, row.status, action, row.paused_status)
    outcome, changes, data = await handler(work, target)
    event_role = (
        ("citizen" if actor.person_id == row.reporter_person_id else "kim")
        if action in CITIZEN_ACTIONS
        else actor.role_label()
    )
    changes.update(derived(row, changes, target, bool(agency.clocks.clarification_pauses_clock)))
    await repo.update_case(conn, row.id, {"status": target, "updated_at": now, **changes})
    await repo.insert_events(
        conn,
        [
            {
                "case_id": row.id,
                "at": now,
                "actor_person_id": actor.person_id,
                "actor_role": event_role,
                "action": action.value,
                "from_status": row.status,
                "to_status": target,
                "data": data,
            }
        ],
    )
    return outcome


def derived(row: Any, changes: dict[str, Any], target: str, pauses: bool) -> dict[str, Any]:
    """Columns that follow from the others: the current step's due date (what reminders
    and escalation read, indexed), and no more progress updates once the case is finished.
    While a complaint waits for the reporter and its clock is paused, nothing is due."""
    after = SimpleNamespace(**{**row._mapping, **changes, "status": target})
    due = None if pauses and target == Status.DITUNDA else cards.due_of(after)
    return {"due_on": due} if due is not None else {"due_on": None, "next_update_on": None}


def check_args(work: Work, action: Action) -> Msg | None:
    """What is missing or wrong in a typed command; the guided flow asks for the same."""
    args, agency, row = work.args, work.agency, work.row
    if action is A.FORWARD:
        if args.get("unit") not in agency.units:
            return _("Kode unit tidak dikenal. Tekan tombol *Teruskan* untuk memilih dari daftar.")
        if args["unit"] == row.unit_code:
            return _("Kasus ini sudah ada di unit itu.")
    if action is A.EXTEND:
        if row.extended:
            return _(
                "Permohonan ini sudah pernah diperpanjang; UU 14/2008 hanya membolehkan sekali."
            )
        if row.response_due is not None and row.response_due < work.today:
            # Pasal 22 (8): the extension is notified within the first 10 working days.
            return _("Batas waktu jawaban sudah lewat; perpanjangan tidak dapat diberikan lagi.")
        days = DIGITS.fullmatch(str(args.get("days", "")))
        if days is None or not 1 <= int(days.group(0)) <= agency.clocks.info_extension:
            return _(
                "Jumlah hari perpanjangan 1 sampai {most} hari kerja.",
                most=agency.clocks.info_extension,
            )
    if action is A.DECIDE:
        valid = DECISIONS_OBJECTION if row.kind == Kind.KEBERATAN else DECISIONS_INFO
        if args.get("outcome") not in valid:
            return _("Keputusan tidak dikenal. Tekan tombol *Putuskan* untuk memilih.")
        if args["outcome"] in ("partial", "rejected") and args.get("ground") not in PASAL_17:
            return _(
                "Sebutkan huruf Pasal 17 (a sampai j), misalnya: /putus KODE ditolak 17h alasan."
            )
    if action is A.RATE and str(args.get("stars", "")) not in {"1", "2", "3", "4", "5"}:
        return _("Nilai 1 sampai 5.")
    if action is A.OBJECT:
        problem = objection_ground_problem(row, args.get("ground35"))
        if problem is not None:
            return problem
    text = str(args.get("text", "")).strip()
    needs_text = action not in (A.TAKE, A.VERIFY, A.CONFIRM, A.RATE, A.DISPUTE)
    if needs_text and len(text) < 2:
        return _("Mohon sertakan keterangannya.")
    if len(text) > MAX_TEXT or len(str(args.get("comment", ""))) > MAX_TEXT:
        return _(
            "Teks terlalu panjang ({length} karakter). Mohon ringkas menjadi paling banyak "
            "{limit} karakter.",
            length=len(text),
            limit=MAX_TEXT,
        )
    return None


def objection_ground_problem(row: Any, ground: Any) -> Msg | None:
    """The Pasal 35 ground must fit the facts: (a) needs a rejection, (c) an unanswered
    request."""
    if ground not in PASAL_35:
        return _("Pilih alasan keberatan huruf a sampai g.")
    if ground == "a" and row.decision not in ("rejected", "partial"):
        return _("Alasan (a) hanya untuk permohonan yang ditolak. Pilih alasan lain.")
    if ground == "c" and row.status == Status.DIPUTUS:
        return _(
            "Permohonan ini sudah dijawab tertulis; alasan (c) tidak berlaku. Pilih alasan lain."
        )
    return None


# --- the actions --------------------------------------------------------------------------------

Result = tuple[Outcome, dict[str, Any], dict[str, Any]]  # what to say, case changes, event data


def unit_name(agency: Agency, code: str) -> Raw:
    unit = agency.units.get(code)
    return Raw(unit.name if unit else code)


def code_of(row: Any) -> Raw:
    return Raw(row.tracking_code)


async def _verify(w: Work, target: str) -> Result:
    row = w.row
    unit = unit_name(w.agency, row.unit_code)
    out = Outcome(
        [
            Reply(
                _("✔️ *{code}* diverifikasi dan diteruskan ke {unit}.", code=code_of(row), unit=unit)
            )
        ]
    )
    update = Reply(
        _(
            "Laporan *{code}* sudah diverifikasi dan diteruskan ke *{unit}* untuk ditindaklanjuti.",
            code=code_of(row),
            unit=unit,
        )
    )
    out.notices += cards.citizen_notices(row, update)
    # The unit's officers had the card since intake; verification only changes its status.
    return out, {}, {"unit": row.unit_code}


async def _take(w: Work, target: str) -> Result:
    row = w.row
    out = Outcome(
        [
            Reply(
                _(
                    "✋ Anda menangani *{code}*. Balas pelapor dengan /balas {code} teks.",
                    code=code_of(row),
                )
            )
        ]
    )
    if target != row.status:
        out.notices += cards.citizen_notices(
            row,
            Reply(
                _(
                    "Laporan *{code}* sedang ditindaklanjuti oleh {unit}.",
                    code=code_of(row),
                    unit=unit_name(w.agency, row.unit_code),
                )
            ),
        )
    previous = row.assignee_person_id
    if previous is not None and previous != w.actor.person_id:
        # Taking over is allowed (someone may be away), never silent.
        out.notices.append(
            Notice(
                previous,
                Reply(
                    _(
                        "Kasus *{code}* sekarang ditangani {role}.",
                        code=code_of(row),
                        role=Raw(
                            next(
                                (n for r, n in ROLE_NAMES.items() if r == w.actor.role_label()),
                                "petugas",
                            )
                        ),
                    )
                ),
                kind="officer_alert",
            )
        )
    return out, {"assignee_person_id": w.actor.person_id}, {"previous": previous}


async def _reply(w: Work, target: str) -> Result:
    row, text = w.row, w.args["text"]
    out = Outcome([Reply(_("💬 Balasan terkirim ke pelapor *{code}*.", code=code_of(row)))])
    out.notices += cards.citizen_notices(
        row,
        Reply(
            _(
                "💬 Balasan dari {unit} untuk laporan *{code}*:\n\n{text}",
                unit=unit_name(w.agency, row.unit_code),
                code=code_of(row),
                text=Raw(text),
            )
        ),
    )
    changes: dict[str, Any] = {}
    if not row.assignee_person_id:
        changes["assignee_person_id"] = w.actor.person_id
    if row.followed_up_on is None:
        changes["followed_up_on"] = w.today  # the unit's first follow-up (the 5-day clock)
    return out, changes, {"text": text}


async def _ask(w: Work, target: str) -> Result:
    row, text = w.row, w.args["text"]
    out = Outcome(
        [Reply(_("❓ Pertanyaan terkirim. *{code}* menunggu jawaban pelapor.", code=code_of(row)))]
    )
    question = Reply(
        _(
            "❓ Petugas {unit} meminta penjelasan tentang laporan *{code}*:\n\n{text}\n\n"
            "Tulis jawaban Anda di sini (boleh dengan foto).",
            unit=unit_name(w.agency, row.unit_code),
            code=code_of(row),
            text=Raw(text),
        ),
        (cards.answer_button(row.tracking_code),),
    )
    then = (
        "case_action",
        "text",
        {"action": A.ANSWER.value, "code": row.tracking_code, "args": {}},
    )
    out.notices += cards.citizen_notices(row, question, then=then)
    changes: dict[str, Any] = {}
    if target == Status.DITUNDA and row.status != Status.DITUNDA:
        changes["paused_status"] = row.status
    return out, changes, {"text": text, "on": w.today.isoformat()}


async def _answer(w: Work, target: str) -> Result:
    row, text = w.row, w.args["text"]
    out = Outcome([Reply(_("Terima kasih. Penjelasan Anda sudah kami teruskan ke petugas."))])
    changes: dict[str, Any] = {"paused_status": None}
    if row.status == Status.DITUNDA and w.agency.clocks.clarification_pauses_clock:
        asked = await repo.pause_started(w.conn, row.id)  # the question that began the wait
        asked_on = date.fromisoformat(asked.data["on"]) if asked and "on" in asked.data else w.today
        waited = w.agency.calendar.working_days_between(asked_on, w.today)
        for column in ("followup_due", "resolution_due"):
            due = getattr(row, column)
            if due is not None and waited:
                changes[column] = w.agency.calendar.add_working_days(due, waited)
    media = await _attach(w, "penjelasan")
    headline = _(
        "✍️ Pelapor menjawab pertanyaan tentang *{code}*:\n\n{text}",
        code=code_of(row),
        text=quoted(text, MAX_TEXT),
    )
    out.notices += await _to_officers(w, headline, await _write_now(w, {"status": target}))
    return out, changes, {"text": text, "photos": len(media)}


async def _forward(w: Work, target: str) -> Result:
    row, unit, reason = w.row, w.args["unit"], w.args["text"]
    out = Outcome(
        [
            Reply(
                _(
                    "↪️ *{code}* diteruskan ke {unit}.",
                    code=code_of(row),
                    unit=unit_name(w.agency, unit),
                )
            )
        ]
    )
    out.notices += cards.citizen_notices(
        row,
        Reply(
            _(
                "Permohonan *{code}* diteruskan ke *{unit}*, yang menguasai informasinya.",
                code=code_of(row),
                unit=unit_name(w.agency, unit),
            )
            if row.kind == Kind.INFORMASI
            else _(
                "Laporan *{code}* diteruskan ke *{unit}* yang berwenang menanganinya.",
                code=code_of(row),
                unit=unit_name(w.agency, unit),
            )
        ),
    )
    moved = await _write_now(w, {"unit_code": unit, "status": target, "assignee_person_id": None})
    out.notices += await cards.card_notices(
        w.conn,
        w.agency,
        moved,
        w.today,
        _("↪️ Kasus diteruskan ke unit Anda: {reason}", reason=Raw(reason)),
        exclude=w.actor.person_id,
    )
    changes = {"unit_code": unit, "assignee_person_id": None}
    return out, changes, {"from_unit": row.unit_code, "to_unit": unit, "reason": reason}


async def _not_ours(w: Work, target: str) -> Result:
    row, body = w.row, w.args["text"]
    out = Outcome(
        [
            Reply(
                _(
                    "🏛 *{code}* dicatat bukan wewenang dan diteruskan ke {body}.",
                    code=code_of(row),
                    body=Raw(body),
                )
            )
        ]
    )
    out.notices += cards.citizen_notices(
        row,
        Reply(
            _(
                "Laporan *{code}* bukan kewenangan {agency}. Agar tetap sampai ke pihak yang "
                "tepat, laporan Anda kami teruskan ke *{body}*. Kode pelacakan tetap berlaku.",
                code=code_of(row),
                agency=Raw(w.agency.short_name),
                body=Raw(body),
            )
        ),
    )
    return out, {"closed_at": w.now}, {"body": body}


async def _note(w: Work, target: str) -> Result:
    return (
        Outcome(
            [
                Reply(
                    _(
                        "📝 Catatan disimpan untuk *{code}* (tidak terlihat pelapor).",
                        code=code_of(w.row),
                    )
                )
            ]
        ),
        {},
        {"text": w.args["text"]},
    )


async def _attach(w: Work, caption: str) -> list[str]:
    """Photos sent with an answer or a resolution join the case, on the sender's channel."""
    media = list(w.args.get("media", []))
    if media:
        row = {"case_id": w.row.id, "channel": w.args.get("channel", w.row.channel)}
        await repo.insert_attachments(
            w.conn,
            [
                {**row, "kind": "photo", "file_ref": ref, "caption": caption, "created_at": w.now}
                for ref in media
            ],
        )
    return media


async def _resolve(w: Work, target: str) -> Result:
    row, text = w.row, w.args["text"]
    media = await _attach(w, "bukti penyelesaian")
    confirm_due = w.agency.calendar.add_working_days(w.today, w.agency.clocks.complaint_autoclose)
    out = Outcome(
        [
            Reply(
                _("✅ *{code}* ditandai selesai. Pelapor diminta mengonfirmasi.", code=code_of(row))
            )
        ]
    )
    ask = Reply(
        _(
            "✅ Laporan *{code}* sudah selesai ditangani {unit}:\n\n{text}\n\n"
            "Apakah masalahnya sudah beres? Bila tidak ada jawaban sampai {due}, laporan "
            "dianggap selesai dan ditutup.",
            code=code_of(row),
            unit=unit_name(w.agency, row.unit_code),
            text=Raw(text),
            due=confirm_due,
        ),
        cards.confirm_buttons(row.tracking_code),
    )
    channel = w.args.get("channel")
    photos = tuple((channel, ref) for ref in media) if channel else ()
    out.notices += [
        Notice(n.person_id, n.reply, n.kind, n.prefer_channel, n.then, photos)
        for n in cards.citizen_notices(row, ask)
    ]
    changes: dict[str, Any] = {"confirm_due": confirm_due}
    if row.followed_up_on is None:
        changes["followed_up_on"] = w.today
    return out, changes, {"text": text, "photos": len(media)}


async def _archive(w: Work, target: str) -> Result:
    row, reason = w.row, w.args["text"]
    out = Outcome([Reply(_("🗄 *{code}* diarsipkan.", code=code_of(row)))])
    out.notices += cards.citizen_notices(
        row,
        Reply(
            _(
                "Laporan *{code}* diarsipkan dengan alasan: {reason}\nBila menurut Anda ini "
                "keliru, silakan kirim laporan baru dengan keterangan lebih lengkap.",
                code=code_of(row),
                reason=Raw(reason),
            )
        ),
    )
    return out, {"closed_at": w.now}, {"reason": reason}


async def _extend(w: Work, target: str) -> Result:
    row, reason, days = w.row, w.args["text"], int(w.args["days"])
    due = w.agency.calendar.add_working_days(row.response_due, days)
    out = Outcome([Reply(_("⏳ *{code}* diperpanjang sampai {due}.", code=code_of(row), due=due))])
    out.notices += cards.citizen_notices(
        row,
        Reply(
            _(
                "⏳ Jawaban atas permohonan informasi Anda nomor {register} (*{code}*) "
                "diperpanjang {days} hari kerja, menjadi paling lambat *{due}* "
                "(UU 14/2008 Pasal 22 ayat 8).\nAlasan: {reason}",
                register=Raw(row.register_number or "-"),
                code=code_of(row),
                days=days,
                due=due,
                reason=Raw(reason),
            )
        ),
    )
    return out, {"extended": True, "response_due": due}, {"days": days, "reason": reason}


async def _decide(w: Work, target: str) -> Result:
    row, outcome, text = w.row, w.args["outcome"], w.args["text"]
    ground = w.args.get("ground") if outcome in ("partial", "rejected") else None
    notice = (
        await objection_decision(w, outcome, text)
        if row.kind == Kind.KEBERATAN
        else await written_notice(w, outcome, ground, text)
    )
    out = Outcome(
        [Reply(_("⚖️ Keputusan atas *{code}* dikirim kepada pemohon.", code=code_of(row)))]
    )
    out.notices += cards.citizen_notices(row, notice)
    if row.kind == Kind.KEBERATAN:
        # The PPID carries out what the atasan decided: the PPID utama hears it.
        staff = await repo.active_staff(w.conn)
        heard = _(
            "⚖️ Atasan PPID memutus keberatan *{code}*: {decision}. Pertimbangan: {reason}",
            code=code_of(row),
            decision=DECISION_LABELS[outcome],
            reason=Raw(text),
        )
        out.notices += [
            Notice(s.person_id, Reply(heard), kind="officer_alert")
            for s in staff
            if s.role == Role.PPID_UTAMA and s.person_id != w.actor.person_id
        ]
    changes = {
        "decision": outcome,
        "decision_ground": ground,
        "decided_on": w.today,
        "closed_at": w.now,
    }
    event = {"outcome": outcome, "ground": ground, "text": text}
    if w.args.get("restate"):
        event["restated"] = w.args["restate"]
    return out, changes, event


COST = re.compile(r"biaya[:\s]+(?:rp\.?\s*)?([0-9][0-9.,]*)", re.IGNORECASE)


async def written_notice(w: Work, outcome: str, ground: str | None, text: str) -> Reply:
    """The Pemberitahuan Tertulis (UU 14/2008 Pasal 22 ayat 7, Perki 1/2021): whether the
    information is held and who holds it, the decision, the Pasal 17 ground and consequence
    test, what is given and in which form, the cost, and the right to object."""
    row = w.row
    detail = await repo.request_detail(w.conn, row.id)
    object_until = w.agency.calendar.add_working_days(w.today, w.agency.clocks.objection_filing)
    parts: list[Msg] = [
        _(
            "📄 *Pemberitahuan Tertulis* atas permohonan informasi\n"
            "Dari: PPID {agency}\n"
            "Nomor pendaftaran: {register}\n"
            "Kode: {code}\n"
            "Tanggal: {today}\n"
            "Pemohon: {name}\n"
            "Informasi yang diminta: {info}",
            agency=Raw(w.agency.name),
            register=Raw(row.register_number or "-"),
            code=code_of(row),
            today=w.today,
            name=Raw(detail.requester_name if detail else "-"),
            info=Raw(
                (
                    w.args.get("restate")
                    or (detail.information_requested if detail else row.description)
                    or "-"
                )[:500]
            ),
        ),
        _("Keputusan: *{decision}*", decision=DECISION_LABELS[outcome]),
    ]
    if outcome == "not_held":
        parts.append(
            _(
                "Informasi yang Anda minta tidak dikuasai PPID {agency}. Menurut catatan kami, "
                "informasi itu dikuasai oleh *{holder}*. Silakan ajukan permohonan kepada "
                "badan publik tersebut.",
                agency=Raw(w.agency.short_name),
                holder=Raw(text.strip().rstrip(".")),
            )
        )
    else:
        if ground is not None:
            parts.append(
                _(
                    "Dasar pengecualian: UU 14/2008 Pasal 17 huruf {letter}, {ground}.\n"
                    "Uji konsekuensi: {reason}",
                    letter=Raw(ground),
                    ground=PASAL_17[ground],
                    reason=Raw(text),
                )
            )
        if outcome in ("granted", "partial"):
            cost = COST.search(text)
            parts.append(
                _(
                    "Informasi yang diberikan: {given}\nBentuk: {obtain}\n"
                    "Cara memperoleh: {delivery}\n"
                    "Biaya: {cost}",
                    given=Raw(text)
                    if outcome == "granted"
                    else _("bagian yang tidak dikecualikan; bagian yang dikecualikan dihitamkan"),
                    obtain=OBTAIN_LABELS.get(detail.obtain_method, Raw("-"))
                    if detail
                    else Raw("-"),
                    delivery=DELIVERY_LABELS.get(detail.delivery_method, Raw("-"))
                    if detail
                    else Raw("-"),
                    cost=_(
                        "Rp{amount}, dibayar sesuai petunjuk PPID",
                        amount=int(re.sub(r"\D", "", cost.group(1)) or 0),
                    )
                    if cost
                    else no_cost(detail),
                )
            )
            if detail is not None and detail.delivery_method == "langsung":
                parts.append(
                    _(
                        "Salinan dapat diambil di kantor PPID {agency} pada jam kerja, dengan "
                        "menyebutkan nomor pendaftaran di atas.",
                        agency=Raw(w.agency.short_name),
                    )
                )
    parts.append(
        _(
            "Bila Anda tidak puas, Anda berhak mengajukan *keberatan* kepada atasan PPID paling "
            "lambat {until} (30 hari kerja): tekan tombol di bawah atau ketik /keberatan {code}.",
            until=object_until,
            code=code_of(row),
        )
    )
    return Reply(join(*parts), (cards.object_button(row.tracking_code),))


def no_cost(detail: Any) -> Msg:
    """UU 14/2008 Pasal 21, Perki 1/2021: electronic copies are free; only the real cost of
    copying or sending may be charged, and then the officer writes it (`biaya 5000`)."""
    if detail is not None and (
        detail.obtain_method == "softcopy" or detail.delivery_method == "email"
    ):
        return _("tanpa biaya (salinan elektronik gratis)")
    return _("tanpa biaya")


async def objection_decision(w: Work, outcome: str, text: str) -> Reply:
    row = w.row
    until = w.agency.calendar.add_working_days(w.today, w.agency.clocks.dispute_filing)
    request = await repo.case_by_id(w.conn, row.related_case_id) if row.related_case_id else None
    return Reply(
        join(
            _(
                "⚖️ *Tanggapan atasan PPID atas keberatan Anda*\n"
                "Dari: Atasan PPID {agency}\n"
                "Nomor keberatan: {register}\n"
                "Atas permohonan: {request}\n"
                "Keputusan: *{decision}*\n"
                "Pertimbangan: {reason}",
                agency=Raw(w.agency.name),
                register=Raw(row.register_number or row.tracking_code),
                request=Raw(request.register_number if request else "-"),
                decision=DECISION_LABELS[outcome],
                reason=Raw(text),
            ),
            _(
                "Bila Anda belum puas, Anda dapat mengajukan *sengketa informasi* kepada "
                "{commission} paling lambat {until} (14 hari kerja sejak tanggapan ini), "
                "dengan membawa salinan permohonan, tanggapan ini, dan identitas Anda "
                "(UU 14/2008 Pasal 37).",
                commission=Raw(w.agency.information_commission),
                until=until,
            ),
        )
    )


async def _confirm(w: Work, target: str) -> Result:
    row = w.row
    out = Outcome(
        [
            Reply(
                _(
                    "Terima kasih atas konfirmasinya. Laporan *{code}* ditutup. Seberapa puas Anda "
                    "dengan penanganannya?",
                    code=code_of(row),
                ),
                tuple(
                    Button(f"c:rate:{row.tracking_code}:{b.id}", b.label, b.aliases)
                    for b in STAR_BUTTONS
                ),
            )
        ]
    )
    headline = _("👍 Pelapor mengonfirmasi *{code}* sudah beres.", code=code_of(row))
    out.notices += await _to_officers(w, headline, await _write_now(w, {"status": target}))
    return out, {"closed_at": w.now, "confirm_due": None}, {}


async def _reopen(w: Work, target: str) -> Result:
    row, reason = w.row, w.args["text"]
    out = Outcome(
        [
            Reply(
                _(
                    "Laporan *{code}* dibuka kembali dan dikembalikan ke {unit}. Kami akan "
                    "mengabari Anda.",
                    code=code_of(row),
                    unit=unit_name(w.agency, row.unit_code),
                )
            )
        ]
    )
    moved = await _write_now(w, {"status": target})
    out.notices += await cards.card_notices(
        w.conn,
        w.agency,
        moved,
        w.today,
        _("🔁 Pelapor menyatakan belum beres: {reason}", reason=quoted(reason, 1000)),
    )
    changes = {"confirm_due": None, "closed_at": None, "reopened": row.reopened + 1}
    return out, changes, {"reason": reason}


async def _rate(w: Work, target: str) -> Result:
    stars, comment = int(w.args["stars"]), str(w.args.get("comment", "")).strip()
    return (
        Outcome([Reply(_("Terima kasih atas penilaian Anda 🙏"))]),
        {"rating": stars},
        {"stars": stars, "comment": comment},
    )


async def _object(w: Work, target: str) -> Result:
    """The window and one-objection rule were checked in `authorise`."""
    row, ground, reason = w.row, w.args["ground35"], w.args["text"]
    out = Outcome()
    out.filed.append(
        {
            "request": row,
            "ground": ground,
            "reason": reason,
            "reporter": row.reporter_person_id,
            "submitter": w.actor.person_id,
        }
    )
    return out, {}, {"ground": ground}


async def _dispute(w: Work, target: str) -> Result:
    """UU 14/2008 Pasal 37: the requester took the atasan's answer to the Komisi Informasi.
    Recorded once, for the annual report."""
    row = w.row
    if await repo.last_event(w.conn, row.id, A.DISPUTE.value) is not None:
        return (
            Outcome([Reply(_("Sengketa untuk *{code}* sudah tercatat.", code=code_of(row)))]),
            {},
            {"again": True},
        )
    note = str(w.args.get("text", "")).strip()
    reply = Reply(
        _("🏛 Sengketa informasi untuk *{code}* dicatat untuk laporan tahunan.", code=code_of(row))
    )
    return Outcome([reply]), {}, {"text": note} if note else {}


async def _auto_close(w: Work, target: str) -> Result:
    row = w.row
    out = Outcome()
    out.notices += cards.citizen_notices(
        row,
        Reply(
            _(
                "Laporan *{code}* kami tutup karena tidak ada tanggapan sejak dinyatakan "
                "selesai. Terima kasih telah melapor.",
                code=code_of(row),
            )
        ),
    )
    return out, {"closed_at": w.now, "confirm_due": None}, {}


async def _to_officers(w: Work, headline: Msg, row: Any) -> list[Notice]:
    """The officer who took the case, while they still work for its unit; otherwise the
    unit's officers. Each gets the commands their roles allow."""
    staff = await repo.active_staff(w.conn)
    people = cards.hearers(staff, w.agency, row)
    notices = []
    for person in people:
        roles = frozenset(s.role for s in staff if s.person_id == person)
        commands = cards.commands_text(row, roles, person)
        reply = Reply(
            join(headline, _("Perintah: {commands}", commands=Raw(commands))),
            cards.card_buttons(row, roles, person),
        )
        notices.append(Notice(person, reply, kind="officer_alert"))
    return notices


async def _write_now(w: Work, changes: dict[str, Any]) -> Any:
    """Write part of this action's changes now and read the case back, for a card that must
    show the case as it will be (the rest is written with the event in `perform`)."""
    await repo.update_case(w.conn, w.row.id, changes)
    moved = await repo.case_by_id(w.conn, w.row.id)
    assert moved is not None
    return moved


HANDLERS = {
    A.VERIFY: _verify,
    A.TAKE: _take,
    A.REPLY: _reply,
    A.ASK: _ask,
    A.ANSWER: _answer,
    A.FORWARD: _forward,
    A.NOT_OURS: _not_ours,
    A.NOTE: _note,
    A.RESOLVE: _resolve,
    A.ARCHIVE: _archive,
    A.EXTEND: _extend,
    A.DECIDE: _decide,
    A.CONFIRM: _confirm,
    A.REOPEN: _reopen,
    A.RATE: _rate,
    A.OBJECT: _object,
    A.AUTO_CLOSE: _auto_close,
    A.DISPUTE: _dispute,
}


# --- typed commands ----------------------------------------------------------------------------

_GROUND = re.compile(r"^(?:17|35)?[.(]?([a-j])\)?$", re.IGNORECASE)


def parse_args(action: Action, code_text: str, words: list[str]) -> dict[str, Any]:
    """Arguments a typed command carries after the code; what is missing is asked for."""
    args: dict[str, Any] = {}
    rest = list(words)
    if action is A.FORWARD and rest:
        args["unit"] = rest.pop(0).lower()
    elif action is A.EXTEND and rest and DIGITS.fullmatch(rest[0]):
        args["days"] = rest.pop(0)
        while rest and rest[0].lower() in ("hari", "hk", "kerja"):  # "7 hari kerja"
            rest.pop(0)
    elif action is A.DECIDE and rest:
        word = rest.pop(0).lower()
        outcome = DECISION_WORDS.get(word)
        if (
            looks_like_code(code_text)
            and kind_of(code_text) == Kind.KEBERATAN
            and word
            in (
                "ditolak",
                "tolak",
            )
        ):
            outcome = "dismissed"
        if outcome is not None:
            args["outcome"] = outcome
        if outcome in ("partial", "rejected") and rest and _GROUND.match(rest[0]):
            args["ground"] = _GROUND.match(rest.pop(0)).group(1).lower()  # type: ignore[union-attr]
    elif action is A.OBJECT and rest and _GROUND.match(rest[0]):
        letter = _GROUND.match(rest.pop(0)).group(1).lower()  # type: ignore[union-attr]
        if letter in PASAL_35:
            args["ground35"] = letter
    if action is A.RATE and rest and rest[0] in {"1", "2", "3", "4", "5"}:
        args["stars"] = rest.pop(0)
    if rest:
        args["comment" if action is A.RATE else "text"] = " ".join(rest)
        if action is A.DECIDE:  # given whole in one line: the notice quotes the request
            args.setdefault("restate", "")
    return args


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


SYSTEM = Actor(0, frozenset(), None)


async def close_silent(
    conn: AsyncConnection, agency: Agency, now: datetime, today: date
) -> list[Notice]:
    """Resolved cases whose reporter stayed silent until the confirmation day passed are
    closed (SP4N-LAPOR!: 10 working days), each with an event and a closing notice."""
    notices: list[Notice] = []
    for row in await repo.silent_resolved(conn, today):
        target = next_status(row.kind, row.status, A.AUTO_CLOSE)
        work = Work(conn, agency, SYSTEM, row, {}, now, today)
        outcome, changes, data = await _auto_close(work, target)
        changes.update(
            derived(row, changes, target, bool(agency.clocks.clarification_pauses_clock))
        )
        await repo.update_case(conn, row.id, {"status": target, "updated_at": now, **changes})
        await repo.insert_events(
            conn,
            [
                {
                    "case_id": row.id,
                    "at": now,
                    "actor_person_id": None,
                    "actor_role": "system",
                    "action": A.AUTO_CLOSE.value,
                    "from_status": row.status,
                    "to_status": target,
                    "data": data,
                }
            ],
        )
        notices += outcome.notices
    return notices
