"""The officers' actions on a case, each a pure function (see `base`)."""

from __future__ import annotations

from typing import Any

from bot.domain import disputes
from bot.domain.case import Case
from bot.domain.cases import Kind, Status, followup_due_from
from bot.domain.lifecycle import DECISION_LABELS, Action, Decision
from bot.domain.notice import GIVING
from bot.domain.roles import ROLE_NAMES, Role
from bot.handlers import cards
from bot.handlers.casework import data_actions, letters
from bot.handlers.casework.actor import Actor
from bot.handlers.casework.base import CaseArgs, Decided, Facts, code_of, unit_name
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Notice, Reply

A = Action


def verify(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    unit = unit_name(f.agency, case.unit_code)
    update = _(
        "Laporan *{code}* sudah diverifikasi dan diteruskan ke *{unit}* untuk ditindaklanjuti.",
        code=code_of(case),
        unit=unit,
    )
    done = _("✔️ *{code}* diverifikasi dan diteruskan ke {unit}.", code=code_of(case), unit=unit)
    # The unit's officers had the card since intake; verification only changes its status,
    # and starts the unit's clock for the first follow-up.
    return Decided(
        [Reply(done)],
        _dispatched(case, f),
        {"unit": case.unit_code},
        cards.citizen_notices(case, Reply(update)),
    )


def _dispatched(case: Case, f: Facts) -> dict[str, Any]:
    """A complaint reaching its unit for the first time (verified, or forwarded while still
    unverified) is due for its first follow-up counted from today."""
    if case.complaint and case.status == Status.DITERIMA and case.followed_up_on is None:
        return {"followup_due": followup_due_from(f.agency, f.today)}
    return {}


def take(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    done = Decided(
        [
            Reply(
                _(
                    "✋ Anda menangani *{code}*. Balas pelapor dengan /balas {code} teks.",
                    code=code_of(case),
                )
            )
        ],
        {"assignee_person_id": actor.person_id},
        {"previous": case.assignee_person_id},
    )
    if f.target != case.status:
        news = _(
            "Laporan *{code}* sedang ditindaklanjuti oleh {unit}.",
            code=code_of(case),
            unit=unit_name(f.agency, case.unit_code),
        )
        done.notices += cards.citizen_notices(case, Reply(news))
    previous = case.assignee_person_id
    if previous is not None and previous != actor.person_id:
        # Taking over is allowed (someone may be away), never silent.
        label = actor.role_label()
        role = Raw(next((n for r, n in ROLE_NAMES.items() if r == label), "petugas"))
        taken = _("Kasus *{code}* sekarang ditangani {role}.", code=code_of(case), role=role)
        done.notices.append(Notice(previous, Reply(taken), kind="officer_alert"))
    return done


def reply(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    text = args["text"]
    answer = _(
        "💬 Balasan dari {unit} untuk laporan *{code}*:\n\n{text}",
        unit=unit_name(f.agency, case.unit_code),
        code=code_of(case),
        text=Raw(text),
    )
    changes: dict[str, Any] = {}
    if not case.assignee_person_id:
        changes["assignee_person_id"] = actor.person_id
    if case.followed_up_on is None:
        changes["followed_up_on"] = f.today  # the unit's first follow-up (the 5-day clock)
    return Decided(
        [Reply(_("💬 Balasan terkirim ke pelapor *{code}*.", code=code_of(case)))],
        changes,
        {"text": text},
        cards.citizen_notices(case, Reply(answer)),
    )


def ask(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    text = args["text"]
    question = Reply(
        _(
            "❓ Petugas {unit} meminta penjelasan tentang laporan *{code}*:\n\n{text}\n\n"
            "Tulis jawaban Anda di sini (boleh dengan foto).",
            unit=unit_name(f.agency, case.unit_code),
            code=code_of(case),
            text=Raw(text),
        ),
        (cards.answer_button(case.tracking_code),),
    )
    then = (
        "case_action",
        "text",
        {"action": A.ANSWER.value, "code": case.tracking_code, "args": {}},
    )
    changes: dict[str, Any] = {}
    if f.target == Status.DITUNDA and case.status != Status.DITUNDA:
        changes["paused_status"] = case.status
    return Decided(
        [
            Reply(
                _("❓ Pertanyaan terkirim. *{code}* menunggu jawaban pelapor.", code=code_of(case))
            )
        ],
        changes,
        {"text": text, "on": f.today.isoformat()},
        cards.citizen_notices(case, question, then=then),
    )


def forward(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    unit, reason = args["unit"], args["text"]
    name = unit_name(f.agency, unit)
    news = (
        _(
            "Permohonan *{code}* diteruskan ke *{unit}*, yang menguasai informasinya.",
            code=code_of(case),
            unit=name,
        )
        if case.kind == Kind.INFORMASI
        else _(
            "Laporan *{code}* diteruskan ke *{unit}* yang berwenang menanganinya.",
            code=code_of(case),
            unit=name,
        )
    )
    return Decided(
        [Reply(_("↪️ *{code}* diteruskan ke {unit}.", code=code_of(case), unit=name))],
        {"unit_code": unit, "assignee_person_id": None, **_dispatched(case, f)},
        {"from_unit": case.unit_code, "to_unit": unit, "reason": reason},
        cards.citizen_notices(case, Reply(news)),
        card=_("↪️ Kasus diteruskan ke unit Anda: {reason}", reason=Raw(reason)),
        card_except=actor.person_id,
    )


def not_ours(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    body = Raw(args["text"])
    news = _(
        "Laporan *{code}* bukan kewenangan {agency}. Agar tetap sampai ke pihak yang "
        "tepat, laporan Anda kami teruskan ke *{body}*. Kode pelacakan tetap berlaku.",
        code=code_of(case),
        agency=Raw(f.agency.short_name),
        body=body,
    )
    done = _(
        "🏛 *{code}* dicatat bukan wewenang dan diteruskan ke {body}.", code=code_of(case), body=body
    )
    return Decided(
        [Reply(done)],
        {"closed_at": f.now},
        {"body": args["text"]},
        cards.citizen_notices(case, Reply(news)),
    )


def note(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    kept = _("📝 Catatan disimpan untuk *{code}* (tidak terlihat pelapor).", code=code_of(case))
    return Decided([Reply(kept)], event={"text": args["text"]})


def resolve(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    if case.kind == Kind.DATA:  # a data request's answer closes it; nothing to confirm
        return data_actions.answer_request(case, actor, args, f)
    text, media = args["text"], args.get("media", [])
    confirm_due = f.agency.calendar.add_working_days(f.today, f.agency.clocks.complaint_autoclose)
    ask = Reply(
        _(
            "✅ Laporan *{code}* sudah selesai ditangani {unit}:\n\n{text}\n\n"
            "Apakah masalahnya sudah beres? Bila tidak ada jawaban sampai {due}, laporan "
            "dianggap selesai dan ditutup.",
            code=code_of(case),
            unit=unit_name(f.agency, case.unit_code),
            text=Raw(text),
            due=confirm_due,
        ),
        cards.confirm_buttons(case.tracking_code),
    )
    channel = args.get("channel")
    photos = tuple((channel, ref) for ref in media) if channel else ()
    notices = [
        Notice(n.person_id, n.reply, n.kind, n.prefer_channel, n.then, photos)
        for n in cards.citizen_notices(case, ask)
    ]
    changes: dict[str, Any] = {"confirm_due": confirm_due}
    if case.followed_up_on is None:
        changes["followed_up_on"] = f.today
    done = _("✅ *{code}* ditandai selesai. Pelapor diminta mengonfirmasi.", code=code_of(case))
    return Decided(
        [Reply(done)],
        changes,
        {"text": text, "photos": len(media)},
        notices,
        attach="bukti penyelesaian",
    )


def archive(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    reason = args["text"]
    news = _(
        "Laporan *{code}* diarsipkan dengan alasan: {reason}\nBila menurut Anda ini "
        "keliru, silakan kirim laporan baru dengan keterangan lebih lengkap.",
        code=code_of(case),
        reason=Raw(reason),
    )
    return Decided(
        [Reply(_("🗄 *{code}* diarsipkan.", code=code_of(case)))],
        {"closed_at": f.now},
        {"reason": reason},
        cards.citizen_notices(case, Reply(news)),
    )


def extend(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    reason, days = args["text"], int(args["days"])
    assert case.response_due is not None  # set at intake for every request
    due = f.agency.calendar.add_working_days(case.response_due, days)
    news = _(
        "⏳ Jawaban atas permohonan informasi Anda nomor {register} (*{code}*) "
        "diperpanjang {days} hari kerja, menjadi paling lambat *{due}* "
        "(UU 14/2008 Pasal 22 ayat 8).\nAlasan: {reason}",
        register=Raw(case.register_number or "-"),
        code=code_of(case),
        days=days,
        due=due,
        reason=Raw(reason),
    )
    return Decided(
        [Reply(_("⏳ *{code}* diperpanjang sampai {due}.", code=code_of(case), due=due))],
        {"extended": True, "response_due": due},
        {"days": days, "reason": reason},
        cards.citizen_notices(case, Reply(news)),
    )


def decide(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    if case.kind == Kind.KEBERATAN:
        return _answer_objection(case, actor, args, f)
    terms = letters.Terms.of(args, f.agency, f.today)
    notice = letters.written_notice(case, f.agency, f.detail, terms, today=f.today)
    sent = _("⚖️ Keputusan atas *{code}* dikirim kepada pemohon.", code=code_of(case))
    if terms.outcome in GIVING:
        # The day it is actually given is the annual report's, recorded when it happens.
        sent = _(
            "⚖️ Keputusan atas *{code}* dikirim kepada pemohon. Setelah informasinya "
            "diserahkan, catat dengan /serahkan {code}.",
            code=code_of(case),
        )
    return Decided(
        [Reply(sent)],
        {
            "decision": terms.outcome,
            "decision_ground": terms.ground,
            "decided_on": f.today,
            "closed_at": f.now,
        },
        terms.event(),
        cards.citizen_notices(case, notice),
    )


def _answer_objection(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    outcome, text = Decision(args["outcome"]), args["text"]
    notice = letters.objection_decision(
        case, f.agency, outcome, text, request_register=f.request_register, today=f.today
    )
    done = Decided(
        [Reply(_("⚖️ Keputusan atas *{code}* dikirim kepada pemohon.", code=code_of(case)))],
        {"decision": outcome, "decision_ground": None, "decided_on": f.today, "closed_at": f.now},
        {"outcome": outcome.value, "ground": None, "text": text},
        cards.citizen_notices(case, notice),
    )
    # The PPID carries out what the atasan decided: the PPID utama hears it.
    heard = _(
        "⚖️ Atasan PPID memutus keberatan *{code}*: {decision}. Pertimbangan: {reason}",
        code=code_of(case),
        decision=DECISION_LABELS[outcome],
        reason=Raw(text),
    )
    done.notices += [
        Notice(s.person_id, Reply(heard), kind="officer_alert")
        for s in f.staff
        if s.role == Role.PPID_UTAMA and s.person_id != actor.person_id
    ]
    return done


def deliver(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    """The information granted was actually given: the day is the annual report's (time to
    fulfil a request, Perki 1/2021), and the requester hears it was recorded. Only a granted
    request, once (`check_args`)."""
    note = str(args.get("text", "")).strip()
    news = _(
        "📦 Informasi atas permohonan Anda nomor {register} (*{code}*) tercatat sudah "
        "diserahkan pada {day}.",
        register=Raw(case.register_number or "-"),
        code=code_of(case),
        day=f.today,
    )
    if note:
        news = join(news, _("Keterangan petugas: {note}", note=Raw(note)))
    done = _("📦 Penyerahan informasi *{code}* dicatat.", code=code_of(case))
    event: dict[str, Any] = {"on": f.today.isoformat()}
    if note:
        event["text"] = note
    return Decided(
        [Reply(done)],
        {"delivered_on": f.today},
        event,
        cards.citizen_notices(case, Reply(news)),
    )


def dispute(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    """UU 14/2008 Pasal 37–50: the dispute's filing and its outcome, at the Komisi Informasi
    and in court, each one event for the annual report (`bot.domain.disputes`; the words
    are checked by `check_args` before this runs). Filing at the Komisi Informasi is
    recorded once; a decision without a filing on record stands for both."""
    step = disputes.parse(str(args.get("text", "")))
    assert not isinstance(step, Msg)  # check_args refused anything else
    venue = disputes.VENUE_LABELS[step.venue]
    if step.stage is disputes.Stage.FILED and step.venue is disputes.Venue.KI and f.disputed:
        again = _("Sengketa untuk *{code}* sudah tercatat.", code=code_of(case))
        return Decided([Reply(again)], event={"again": True})
    if step.outcome is None:
        kept = _(
            "🏛 Sengketa informasi untuk *{code}* di {venue} dicatat untuk laporan tahunan. "
            "Bila sudah diputus, catat hasilnya: /sengketa {code} putus HASIL.",
            code=code_of(case),
            venue=venue,
        )
    else:
        kept = _(
            "🏛 Hasil sengketa *{code}* di {venue} dicatat untuk laporan tahunan: {outcome}.",
            code=code_of(case),
            venue=venue,
            outcome=disputes.OUTCOME_LABELS[step.outcome],
        )
    return Decided([Reply(kept)], event=disputes.event_data(step, f.today))
