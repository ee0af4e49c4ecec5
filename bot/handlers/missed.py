"""No silent deadlines: when the PPID or the atasan PPID lets a legal deadline pass, the
requester hears the same day what the law now lets them do, and until when.

- An information request not answered in 10 working days (17 when extended): the request is
  late, and the requester may object on ground (c) or (g) of Pasal 35 ayat (1), with the
  button and the last day (`bot.domain.objections`).
- An objection the atasan PPID leaves unanswered for 30 working days: the way to the Komisi
  Informasi is open (Pasal 37), with its 14 working days and how to file.

The sweep hands over the overdue cases it already reads for escalation; each notice carries a
key (case, deadline), so it is written once however many sweeps see the case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain.agency import Agency
from bot.domain.cases import Kind, Status
from bot.domain.objections import dispute_window, open_grounds
from bot.handlers import cards
from bot.values.messages import Raw, _
from bot.values.types import Notice, Reply

_WAITING = (Status.DIPROSES, Status.DIPERPANJANG)


def missed_notices(agency: Agency, row: Any, today: date) -> list[Notice]:
    """What the requester is told about `row`, an overdue case, if its deadline was a legal
    one and the right it opens can still be used today."""
    due = row.response_due
    if due is None or due >= today or row.status not in _WAITING:
        return []
    if row.kind == Kind.INFORMASI:
        reply = _late_request(agency, row, today)
    elif row.kind == Kind.KEBERATAN:
        reply = _late_objection(agency, row, today)
    else:
        return []
    if reply is None:
        return []
    key = f"missed:{row.id}:{due.isoformat()}"
    return [
        Notice(n.person_id, n.reply, prefer_channel=n.prefer_channel, key=key)
        for n in cards.citizen_notices(row, reply)
    ]


def _late_request(agency: Agency, row: Any, today: date) -> Reply | None:
    grounds = open_grounds(
        agency, row.status, row.decision, row.decided_on, row.response_due, today
    )
    if not grounds:
        return None  # the window has closed already (the sweep was down for weeks)
    return Reply(
        _(
            "⏰ Permohonan informasi *{code}* belum dijawab tertulis sampai batas waktunya, "
            "{due}. Kami sudah mengingatkan PPID.\n\n"
            "Anda berhak mengajukan *keberatan* kepada atasan PPID karena permohonan tidak "
            "ditanggapi atau dijawab melebihi waktu (UU 14/2008 Pasal 35 ayat 1 huruf c dan g), "
            "paling lambat *{last}*. Tekan tombol di bawah, atau ketik *keberatan {code}*.",
            code=Raw(row.tracking_code),
            due=row.response_due,
            last=max(w.closes for w in grounds.values()),
        ),
        (cards.object_button(row.tracking_code),),
    )


def _late_objection(agency: Agency, row: Any, today: date) -> Reply | None:
    window = dispute_window(agency, row.status, row.decided_on, row.response_due)
    if window is None or not window.open_on(today):
        return None
    return Reply(
        _(
            "⚖️ Atasan PPID belum menanggapi keberatan Anda *{code}* sampai batas waktunya, "
            "{due}. Kami sudah mengingatkan atasan PPID.\n\n"
            "Anda sekarang dapat mengajukan *sengketa informasi* kepada {commission}, paling "
            "lambat *{last}* (14 hari kerja, UU 14/2008 Pasal 37). Caranya: isi formulir "
            "permohonan penyelesaian sengketa informasi di {commission} (datang, pos, atau "
            "surel), dengan salinan permohonan informasi Anda, bukti keberatan ini (nomor "
            "{register}), dan fotokopi KTP.",
            code=Raw(row.tracking_code),
            due=row.response_due,
            commission=Raw(agency.information_commission),
            last=window.closes,
            register=Raw(row.register_number or row.tracking_code),
        )
    )
