"""The reporter's actions on their case (and the scheduler's closing of a silent one), each a
pure function (see `base`). The KIM volunteer who filed may act for the resident."""

from __future__ import annotations

from typing import Any

from bot.domain.case import Case
from bot.domain.cases import Status
from bot.domain.lifecycle import Action
from bot.flows.base import quoted
from bot.flows.case_action import MAX_TEXT, STAR_BUTTONS
from bot.handlers import cards
from bot.handlers.casework.actor import Actor
from bot.handlers.casework.base import CaseArgs, Decided, Facts, Filing, code_of, unit_name
from bot.values.messages import _
from bot.values.types import Button, Reply

A = Action


def answer(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    text = args["text"]
    changes: dict[str, Any] = {"paused_status": None}
    if case.status == Status.DITUNDA and f.agency.clocks.clarification_pauses_clock:
        # The days spent waiting for the reporter are added to the unit's dates.
        waited = f.agency.calendar.working_days_between(f.paused_on or f.today, f.today)
        for column in ("followup_due", "resolution_due"):
            due = getattr(case, column)
            if due is not None and waited:
                changes[column] = f.agency.calendar.add_working_days(due, waited)
    headline = _(
        "✍️ Pelapor menjawab pertanyaan tentang *{code}*:\n\n{text}",
        code=code_of(case),
        text=quoted(text, MAX_TEXT),
    )
    return Decided(
        [Reply(_("Terima kasih. Penjelasan Anda sudah kami teruskan ke petugas."))],
        changes,
        {"text": text, "photos": len(args.get("media", []))},
        to_hearers=headline,
        attach="penjelasan",
    )


def confirm(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    stars = tuple(
        Button(f"c:rate:{case.tracking_code}:{b.id}", b.label, b.aliases) for b in STAR_BUTTONS
    )
    thanks = _(
        "Terima kasih atas konfirmasinya. Laporan *{code}* ditutup. Seberapa puas Anda "
        "dengan penanganannya?",
        code=code_of(case),
    )
    return Decided(
        [Reply(thanks, stars)],
        {"closed_at": f.now, "confirm_due": None},
        to_hearers=_("👍 Pelapor mengonfirmasi *{code}* sudah beres.", code=code_of(case)),
    )


def reopen(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    reason = args["text"]
    back = _(
        "Laporan *{code}* dibuka kembali dan dikembalikan ke {unit}. Kami akan mengabari Anda.",
        code=code_of(case),
        unit=unit_name(f.agency, case.unit_code),
    )
    return Decided(
        [Reply(back)],
        {"confirm_due": None, "closed_at": None, "reopened": case.reopened + 1},
        {"reason": reason},
        card=_("🔁 Pelapor menyatakan belum beres: {reason}", reason=quoted(reason, 1000)),
    )


def rate(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    stars, comment = int(args["stars"]), str(args.get("comment", "")).strip()
    return Decided(
        [Reply(_("Terima kasih atas penilaian Anda 🙏"))],
        {"rating": stars},
        {"stars": stars, "comment": comment},
    )


def object_to(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    """The window and one-objection rule were checked in `casework.authorise`."""
    ground, reason = args["ground35"], args["text"]
    filing = Filing(case, ground, reason, case.reporter_person_id, actor.person_id)
    return Decided([], event={"ground": ground}, filing=filing)


def auto_close(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    news = _(
        "Laporan *{code}* kami tutup karena tidak ada tanggapan sejak dinyatakan "
        "selesai. Terima kasih telah melapor.",
        code=code_of(case),
    )
    return Decided(
        [],
        {"closed_at": f.now, "confirm_due": None},
        notices=cards.citizen_notices(case, Reply(news)),
    )
