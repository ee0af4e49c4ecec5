"""Settling a data subject's request from the chat (UU 27/2022): what the bot does at once,
and what it says. The rules are `bot.domain.subject_rights`; the request itself becomes a case
of kind `Kind.DATA` (the engine files it), closed when settled here, open for the PPID when
not, answered within 3×24 hours either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.case import NewCase
from bot.domain.retention import in_words
from bot.domain.subject_rights import FIELD_LABELS, Field, Held, Right, erasure
from bot.reports.personal_export import summary
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Reply
from storage import repo


@dataclass
class Settled:
    """What a request came to: the replies, what its case records (never the NIK or the
    phone number itself), and whether the bot settled it."""

    replies: list[Reply]
    description: str
    closed: bool
    event: dict[str, Any] = field(default_factory=dict)
    export: bool = False  # the full file follows (built beside the writer)
    erased: bool = False  # the person's own details were erased now


async def settle(
    conn: AsyncConnection,
    agency: Agency,
    person_id: int,
    right: str,
    field_name: str | None,
    value: str | None,
    *,
    now: datetime,
    today: date,
) -> Settled:
    if right == Right.AKSES:
        record = await repo.person_record(conn, person_id)
        note = _("Berkas lengkapnya (JSON) menyusul dalam pesan berikut.")
        return Settled(
            [Reply(join(summary(record), note))],
            "Akses data pribadi",
            True,
            {"cases": len(record["cases"])},
            export=True,
        )
    if right == Right.KOREKSI:
        return await _correct(conn, person_id, Field(field_name or Field.OTHER), value or "")
    return await _erase(conn, agency, person_id, now=now, today=today)


async def _correct(conn: AsyncConnection, person_id: int, field_: Field, value: str) -> Settled:
    label = FIELD_LABELS[field_]
    if field_ is Field.OTHER:
        told = _("Permintaan perbaikan Anda kami teruskan ke PPID.")
        return Settled([Reply(told)], f"Koreksi data: {value}", False)
    changed = await repo.correct(conn, person_id, field_, value)
    if not changed:
        # Nothing of theirs holds the field (no request yet): nothing to correct here.
        told = _(
            "Kami tidak menyimpan {field} Anda di laporan mana pun, jadi tidak ada yang perlu "
            "diperbaiki.",
            field=label,
        )
        return Settled([Reply(told)], f"Koreksi data: {field_.value}", True, {"records": 0})
    told = _("✅ {field} Anda sudah kami perbaiki di semua catatan Anda.", field=label)
    return Settled(
        [Reply(told)], f"Koreksi data: {field_.value}", True, {"field": field_, "records": changed}
    )


async def _erase(
    conn: AsyncConnection, agency: Agency, person_id: int, *, now: datetime, today: date
) -> Settled:
    rows = await repo.held_cases(conn, person_id)
    held = [
        Held(r.tracking_code, r.kind, r.status, r.closed_at.date() if r.closed_at else None)
        for r in rows
    ]
    plan = erasure(held, agency.retention, today)
    # Always at once: the person's own details that no record needs (name, drafts).
    await repo.erase_person(conn, person_id, now)
    chat_note = _(
        "Nomor/akun chat Anda sendiri kami perlukan untuk membalas; nomor itu terhapus "
        "otomatis {period} setelah pesan terakhir Anda bila tidak ada laporan.",
        period=in_words(agency.retention.chat_days),
    )
    if plan.open_codes:
        told: Msg = _(
            "Data Anda masih diperlukan untuk menangani {codes}, jadi belum dapat dihapus "
            "(UU 27/2022 Pasal 43). Setelah selesai, catatannya disimpan sesuai jadwal retensi "
            "arsip lalu dihapus otomatis. Nama panggilan dan isian yang belum dikirim sudah "
            "kami hapus.",
            codes=Raw(", ".join(f"*{c}*" for c in plan.open_codes)),
        )
        event = {"outcome": "ditunda", "open": len(plan.open_codes)}
    elif plan.kept_until is not None:
        told = _(
            "Catatan laporan Anda wajib disimpan sebagai arsip sampai *{until}* (UU 43/2009 "
            "tentang Kearsipan), lalu dihapus otomatis. Nama panggilan dan isian yang belum "
            "dikirim sudah kami hapus sekarang.",
            until=plan.kept_until,
        )
        event = {"outcome": "sebagian", "kept_until": plan.kept_until.isoformat()}
    else:
        await repo.erase_cases(conn, [r.id for r in rows], now)
        told = (
            _("✅ Data Anda sudah kami hapus: nama, isian, dan isi laporan lama Anda.")
            if rows
            else _("✅ Data Anda sudah kami hapus: nama dan isian yang belum dikirim.")
        )
        event = {"outcome": "dihapus", "cases": len(rows)}
    return Settled([Reply(join(told, chat_note))], "Penghapusan data", True, event, erased=True)


def receipt(case: NewCase, settled: Settled) -> Reply:
    """The request's own number, after what was done: an open one says until when."""
    if settled.closed:
        return Reply(_("Permintaan Anda tercatat dengan kode *{code}*.", code=Raw(case.code)))
    return Reply(
        _(
            "Permintaan Anda tercatat dengan kode *{code}*. PPID wajib menjawab dalam 3×24 jam, "
            "paling lambat {due}.",
            code=Raw(case.code),
            due=case.deadlines.response_due or Raw("-"),
        )
    )
