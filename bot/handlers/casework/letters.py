"""The legal letters a decision sends: pure text builders, from the case and its facts.

The written notice follows UU 14/2008 Pasal 22 ayat 7 and Perki 1/2021; the objection's answer
follows Pasal 36–37. Nothing here reads storage: the service loads the request's detail and
the objection's request before the action runs.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.lifecycle import DECISION_LABELS, EXEMPTING, PASAL_17, Decision
from bot.flows.information_form import DELIVERY_LABELS, OBTAIN_LABELS
from bot.handlers import cards
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Reply

COST = re.compile(r"biaya[:\s]+(?:rp\.?\s*)?([0-9][0-9.,]*)", re.IGNORECASE)
D = Decision


def written_notice(
    case: Case,
    agency: Agency,
    detail: Any,
    outcome: Decision,
    text: str,
    *,
    ground: str | None,
    restate: str | None,
    today: date,
) -> Reply:
    """The Pemberitahuan Tertulis: whether the information is held and who holds it, the
    decision, the Pasal 17 ground and consequence test, what is given and in which form, the
    cost, and the right to object."""
    object_until = agency.calendar.add_working_days(today, agency.clocks.objection_filing)
    asked = restate or (detail.information_requested if detail else case.description) or "-"
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
            info=Raw(asked[:500]),
        ),
        _("Keputusan: *{decision}*", decision=DECISION_LABELS[outcome]),
    ]
    if outcome == D.NOT_HELD:
        parts.append(
            _(
                "Informasi yang Anda minta tidak dikuasai PPID {agency}. Menurut catatan kami, "
                "informasi itu dikuasai oleh *{holder}*. Silakan ajukan permohonan kepada "
                "badan publik tersebut.",
                agency=Raw(agency.short_name),
                holder=Raw(text.strip().rstrip(".")),
            )
        )
    else:
        if ground is not None and outcome in EXEMPTING:
            parts.append(
                _(
                    "Dasar pengecualian: UU 14/2008 Pasal 17 huruf {letter}, {ground}.\n"
                    "Uji konsekuensi: {reason}",
                    letter=Raw(ground),
                    ground=PASAL_17[ground],
                    reason=Raw(text),
                )
            )
        if outcome in (D.GRANTED, D.PARTIAL):
            parts += _what_is_given(agency, detail, outcome, text)
    parts.append(
        _(
            "Bila Anda tidak puas, Anda berhak mengajukan *keberatan* kepada atasan PPID paling "
            "lambat {until} (30 hari kerja): tekan tombol di bawah atau ketik /keberatan {code}.",
            until=object_until,
            code=Raw(case.tracking_code),
        )
    )
    return Reply(join(*parts), (cards.object_button(case.tracking_code),))


def _what_is_given(agency: Agency, detail: Any, outcome: Decision, text: str) -> list[Msg]:
    cost = COST.search(text)
    given = _(
        "Informasi yang diberikan: {given}\nBentuk: {obtain}\nCara memperoleh: {delivery}\n"
        "Biaya: {cost}",
        given=Raw(text)
        if outcome == D.GRANTED
        else _("bagian yang tidak dikecualikan; bagian yang dikecualikan dihitamkan"),
        obtain=OBTAIN_LABELS.get(detail.obtain_method, Raw("-")) if detail else Raw("-"),
        delivery=DELIVERY_LABELS.get(detail.delivery_method, Raw("-")) if detail else Raw("-"),
        cost=_(
            "Rp{amount}, dibayar sesuai petunjuk PPID",
            amount=int(re.sub(r"\D", "", cost.group(1)) or 0),
        )
        if cost
        else no_cost(detail),
    )
    if detail is None or detail.delivery_method != "langsung":
        return [given]
    fetch = _(
        "Salinan dapat diambil di kantor PPID {agency} pada jam kerja, dengan menyebutkan "
        "nomor pendaftaran di atas.",
        agency=Raw(agency.short_name),
    )
    return [given, fetch]


def no_cost(detail: Any) -> Msg:
    """UU 14/2008 Pasal 21, Perki 1/2021: electronic copies are free; only the real cost of
    copying or sending may be charged, and then the officer writes it (`biaya 5000`)."""
    if detail is not None and (
        detail.obtain_method == "softcopy" or detail.delivery_method == "email"
    ):
        return _("tanpa biaya (salinan elektronik gratis)")
    return _("tanpa biaya")


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
