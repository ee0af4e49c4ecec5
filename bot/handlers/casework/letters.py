"""The legal letters a decision sends: pure text builders, from the case and its facts.

The written notice follows UU 14/2008 Pasal 22 ayat 7 and Perki 1/2021: whether the
information is held (and if not, who holds it), the decision, for an exemption its Pasal 17
ground with the consequence test and the public-interest consideration, for what is given its
form, day and cost (with how and where to pay), and the right to object. The objection's
answer follows Pasal 36–37. Nothing here reads storage: the service loads the request's detail
and the objection's request before the action runs.

`Terms` are what the PPID decided, read once from the arguments: the notice is built from
them, they are the decision's event (so the notice can be rebuilt from the case's history),
and the preview shows the very notice they make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.lifecycle import DECISION_LABELS, EXEMPTING, PASAL_17, Decision
from bot.domain.notice import GIVING, SEEING, free_by_rule, read_cost, read_day, split_form
from bot.flows.information_form import DELIVERY_LABELS, OBTAIN_LABELS
from bot.handlers import cards
from bot.handlers.casework.base import CaseArgs
from bot.values.messages import Msg, Raw, _, join, lines
from bot.values.types import Reply

D = Decision


@dataclass(frozen=True)
class Terms:
    """A request's decision as the notice states it (checked before: `check_args`)."""

    outcome: Decision
    text: str = ""  # what is given; for "not held", the body that holds it
    restated: str = ""  # the information requested in formal words ("": as the requester wrote)
    ground: str | None = None  # the Pasal 17 letter
    consequence: str = ""
    public_interest: str = ""
    form: str | None = None  # `bot.domain.notice`: "hardcopy:pos", "melihat" …
    given_on: date | None = None
    cost: int | None = None  # rupiah; None: free by rule (never asked)
    payment: str = ""  # how and where to pay, when there is a cost (the agency's words then)

    @classmethod
    def of(cls, args: CaseArgs, agency: Agency, today: date) -> Terms:
        outcome = Decision(args["outcome"])
        giving = outcome in GIVING
        form = args.get("form") if giving else None
        cost = None
        if giving and form is not None and not free_by_rule(form):
            cost = read_cost(str(args.get("cost", "")), agency.costs.copy_per_page)
        return cls(
            outcome,
            str(args.get("text", "")).strip() if outcome != D.REJECTED else "",
            str(args.get("restate") or "").strip(),
            args.get("ground") if outcome in EXEMPTING else None,
            str(args.get("consequence", "")).strip() if outcome in EXEMPTING else "",
            str(args.get("public_interest", "")).strip() if outcome in EXEMPTING else "",
            form,
            read_day(str(args.get("when", "")), today, agency.calendar) if giving else None,
            cost,
            agency.costs.payment if cost else "",
        )

    @classmethod
    def from_event(cls, data: dict[str, Any]) -> Terms:
        """The terms a decision's event recorded: the notice as it was sent can be rebuilt."""
        given = data.get("given_on")
        return cls(
            Decision(data["outcome"]),
            str(data.get("text") or ""),
            str(data.get("restated") or ""),
            data.get("ground"),
            str(data.get("consequence") or ""),
            str(data.get("public_interest") or ""),
            data.get("form"),
            date.fromisoformat(given) if given else None,
            data.get("cost"),
            str(data.get("payment") or ""),
        )

    @property
    def held(self) -> bool:
        """Pasal 22 ayat 7 (a): granting or refusing information presumes the body holds it."""
        return self.outcome != D.NOT_HELD

    def event(self) -> dict[str, Any]:
        """What the decision's event keeps: every term the notice states, and nothing else."""
        data: dict[str, Any] = {
            "outcome": self.outcome.value,
            "ground": self.ground,
            "text": self.text,
            "held": self.held,
        }
        if self.restated:
            data["restated"] = self.restated
        if self.outcome in EXEMPTING:
            data |= {"consequence": self.consequence, "public_interest": self.public_interest}
        if self.outcome in GIVING:
            given = self.given_on.isoformat() if self.given_on else None
            data |= {"form": self.form, "given_on": given, "cost": self.cost}
            if self.payment:
                data["payment"] = self.payment
        return data


def written_notice(case: Case, agency: Agency, detail: Any, terms: Terms, *, today: date) -> Reply:
    """The Pemberitahuan Tertulis, every element of Pasal 22 ayat 7 for every outcome."""
    object_until = agency.calendar.add_working_days(today, agency.clocks.objection_filing)
    asked = terms.restated or (detail.information_requested if detail else case.description)
    office = Raw(agency.short_name)
    parts: list[Msg] = [
        _(
            "📄 *Pemberitahuan Tertulis* atas permohonan informasi\n"
            "Dari: PPID {agency}\n"
            "Nomor pendaftaran: {register}\n"
            "Kode: {code}\n"
            "Tanggal: {today}\n"
            "Pemohon: {name}\n"
            "Informasi yang diminta: {info}",
            agency=Raw(agency.name),
            register=Raw(case.register_number or "-"),
            code=Raw(case.tracking_code),
            today=today,
            name=Raw(detail.requester_name if detail else "-"),
            info=Raw((asked or "-")[:500]),
        ),
        _(
            "Penguasaan informasi: informasi yang diminta *dikuasai* PPID {agency}.",
            agency=office,
        )
        if terms.held
        else _(
            "Penguasaan informasi: informasi yang diminta *tidak dikuasai* PPID {agency}. "
            "Menurut catatan kami, informasi itu dikuasai oleh *{holder}*. Silakan ajukan "
            "permohonan kepada badan publik tersebut.",
            agency=office,
            holder=Raw(terms.text.rstrip(".")),
        ),
        _("Keputusan: *{decision}*", decision=DECISION_LABELS[terms.outcome]),
    ]
    if terms.outcome in EXEMPTING and terms.ground in PASAL_17:
        parts.append(
            _(
                "Dasar pengecualian: UU 14/2008 Pasal 17 huruf {letter}, {ground}.\n"
                "Uji konsekuensi: {consequence}\n"
                "Pertimbangan kepentingan publik: {interest}",
                letter=Raw(terms.ground),
                ground=PASAL_17[terms.ground],
                consequence=Raw(terms.consequence),
                interest=Raw(terms.public_interest),
            )
        )
    if terms.outcome in GIVING and terms.form is not None:
        parts += _what_is_given(agency, terms, today)
    parts.append(
        _(
            "Bila Anda tidak puas, Anda berhak mengajukan *keberatan* kepada atasan PPID paling "
            "lambat {until} (30 hari kerja): tekan tombol di bawah atau ketik /keberatan {code}.",
            until=object_until,
            code=Raw(case.tracking_code),
        )
    )
    return Reply(join(*parts), (cards.object_button(case.tracking_code),))


def _what_is_given(agency: Agency, terms: Terms, today: date) -> list[Msg]:
    assert terms.form is not None and terms.given_on is not None  # checked before
    obtain, delivery = split_form(terms.form)
    given: Msg | Raw = Raw(terms.text)
    if terms.outcome == D.PARTIAL:
        given = _(
            "{given} (bagian yang dikecualikan dihitamkan atau dikaburkan)", given=Raw(terms.text)
        )
    when: Msg | date = (
        _("{day} (hari ini)", day=terms.given_on) if terms.given_on == today else terms.given_on
    )
    rows = [
        _("Informasi yang diberikan: {given}", given=given),
        _("Bentuk: {obtain}", obtain=OBTAIN_LABELS.get(obtain, Raw(obtain))),
    ]
    if delivery is not None:
        rows.append(
            _("Cara penyerahan: {delivery}", delivery=DELIVERY_LABELS.get(delivery, Raw(delivery)))
        )
    rows += [_("Waktu: {when}", when=when), _("Biaya: {cost}", cost=_cost(terms))]
    if terms.cost:
        rows.append(_("Cara dan tempat pembayaran: {payment}", payment=Raw(terms.payment)))
    parts = [lines(*rows)]
    office = Raw(agency.short_name)
    if obtain == SEEING:
        parts.append(
            _(
                "Informasi dapat dilihat di kantor PPID {agency} mulai tanggal tersebut pada jam "
                "kerja, dengan menyebutkan nomor pendaftaran di atas.",
                agency=office,
            )
        )
    elif delivery == "langsung":
        parts.append(
            _(
                "Salinan dapat diambil di kantor PPID {agency} mulai tanggal tersebut pada jam "
                "kerja, dengan menyebutkan nomor pendaftaran di atas.",
                agency=office,
            )
        )
    return parts


def _cost(terms: Terms) -> Msg:
    """UU 14/2008 Pasal 21, Perki 1/2021: free by rule, free as the PPID said, or the real
    cost of copying and sending the PPID stated. Never "free" by default."""
    if terms.cost is None:
        if terms.form == SEEING:
            return _("tanpa biaya (melihat dan membaca informasi tidak dipungut biaya)")
        return _("tanpa biaya (salinan elektronik gratis)")
    if terms.cost == 0:
        return _("tanpa biaya")
    return _("Rp{amount} (biaya nyata penggandaan dan pengiriman)", amount=terms.cost)


def objection_decision(
    case: Case,
    agency: Agency,
    outcome: Decision,
    text: str,
    *,
    request_register: str | None,
    today: date,
) -> Reply:
    """The atasan PPID's answer, with the way to the Komisi Informasi (Pasal 37)."""
    until = agency.calendar.add_working_days(today, agency.clocks.dispute_filing)
    return Reply(
        join(
            _(
                "⚖️ *Tanggapan atasan PPID atas keberatan Anda*\n"
                "Dari: Atasan PPID {agency}\n"
                "Nomor keberatan: {register}\n"
                "Atas permohonan: {request}\n"
                "Keputusan: *{decision}*\n"
                "Pertimbangan: {reason}",
                agency=Raw(agency.name),
                register=Raw(case.register_number or case.tracking_code),
                request=Raw(request_register or "-"),
                decision=DECISION_LABELS[outcome],
                reason=Raw(text),
            ),
            _(
                "Bila Anda belum puas, Anda dapat mengajukan *sengketa informasi* kepada "
                "{commission} paling lambat {until} (14 hari kerja sejak tanggapan ini), "
                "dengan membawa salinan permohonan, tanggapan ini, dan identitas Anda "
                "(UU 14/2008 Pasal 37).",
                commission=Raw(agency.information_commission),
                until=until,
            ),
        )
    )
