"""Citizen-facing answers that need the database: receipts, status, one's own cases.

Ownership rule: only the reporter or the volunteer who submitted sees a case; any other code is
answered exactly like a code that does not exist, so codes cannot be probed.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.case import NewCase
from bot.domain.cases import KIND_LABELS, STATUS_LABELS, Kind, Status, due_of
from bot.domain.codes import parse_code
from bot.domain.objections import open_grounds
from bot.flows.base import quoted
from bot.flows.status import code_problem
from bot.handlers import cards
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Button, Reply
from storage import repo


def receipt(case: NewCase) -> list[Reply]:
    """What the citizen reads right after submitting: code, unit, what happens next, when."""
    d = case.deadlines
    if case.kind == Kind.INFORMASI:
        assert d.response_due is not None and case.register_number is not None
        text = _(
            "✅ Permohonan informasi Anda sudah terdaftar.\n"
            "Nomor pendaftaran: *{register}*\n"
            "Kode pelacakan: *{code}*\n"
            "Diterima oleh: {unit}\n\n"
            "PPID wajib memberi jawaban tertulis paling lambat *{due}* (10 hari kerja). Waktu "
            "ini dapat diperpanjang satu kali paling lama 7 hari kerja, dengan alasan tertulis.\n"
            "Simpan kode pelacakan untuk cek status: ketik kode itu kapan saja.",
            register=Raw(case.register_number),
            code=Raw(case.code),
            unit=Raw(case.unit_name),
            due=d.response_due,
        )
        if case.requester_type == "kuasa":
            proxy = _(
                "Karena Anda mengajukan sebagai kuasa, PPID memeriksa surat kuasa khusus "
                "sebelum informasi diberikan; bila belum terlampir, PPID akan memintanya. "
                "Siapkan juga fotokopi KTP pemberi kuasa bila diminta."
            )
            return [Reply(join(text, proxy))]
        return [Reply(text)]
    if case.kind == Kind.KEBERATAN:
        assert d.response_due is not None
        return [
            Reply(
                _(
                    "✅ Keberatan Anda sudah terdaftar.\n"
                    "Nomor keberatan: *{register}*, atas permohonan {cites}\n"
                    "Kode pelacakan: *{code}*\n\n"
                    "Atasan PPID wajib memberi tanggapan tertulis paling lambat *{due}* "
                    "(30 hari kerja, UU 14/2008 Pasal 36).",
                    register=Raw(case.register_number or "-"),
                    cites=Raw(case.cites or "-"),
                    code=Raw(case.code),
                    due=d.response_due,
                )
            )
        ]
    assert d.verify_due is not None and d.followup_due is not None
    text = _(
        "✅ Laporan Anda sudah kami terima.\n"
        "Kode pelacakan: *{code}*\n"
        "Diteruskan ke: {unit}\n\n"
        "Langkah berikutnya: laporan diverifikasi paling lambat *{verify}*, lalu ditindaklanjuti "
        "unit terkait paling lambat *{followup}*. Kami akan mengabari Anda di sini.\n"
        "Simpan kode pelacakan untuk cek status: ketik kode itu kapan saja.",
        code=Raw(case.code),
        unit=Raw(case.unit_name),
        verify=d.verify_due,
        followup=d.followup_due,
    )
    return [Reply(text)]


def not_found(code_text: str) -> Reply:
    return Reply(
        _(
            "Kami tidak menemukan laporan dengan kode *{code}* di antara laporan Anda. Mohon "
            "periksa "
            "kodenya, atau pilih *Laporan saya*.",
            code=Raw(code_text[:20]),
        )
    )


async def lookup_case(
    conn: AsyncConnection, agency: Agency, person_id: int, text: str, today: date, zone: tzinfo
) -> list[Reply]:
    parsed = parse_code(text)
    if parsed.problem is not None:
        return [Reply(code_problem(parsed.problem, text))]
    assert parsed.code is not None
    row = await repo.find_case(conn, parsed.code)
    if row is None or person_id not in (row.reporter_person_id, row.submitter_person_id):
        return [not_found(parsed.code)]
    shown = status_text(row, agency)
    latest = await repo.last_event_of(conn, row.id, PUBLIC_ACTIONS)
    if latest is not None:
        said = latest.data.get("text") or latest.data.get("reason") or latest.data.get("body")
        if said:
            shown = join(
                shown,
                _(
                    "Kabar terakhir dari petugas ({day}):\n{text}",
                    day=latest.at.astimezone(zone).date(),
                    text=quoted(str(said), 500),
                ),
            )
    filed = (
        {r.objection_ground for r in await repo.objections_to(conn, row.id)}
        if row.kind == Kind.INFORMASI
        else set()
    )
    return [Reply(shown, next_steps(row, agency, today, filed))]


# What officers did that the citizen was told about (never internal notes).
PUBLIC_ACTIONS = ("reply", "ask", "resolve", "decide", "extend", "not_ours", "archive", "forward")


def next_steps(
    row: Any, agency: Agency, today: date, filed: Collection[str] = ()
) -> tuple[Button, ...]:
    """What the citizen can do about the case now, as buttons on its status: the objection
    only while some Pasal 35 ground is open and not yet used (`filed`: the grounds objected
    on already), the same rule the command checks."""
    code = row.tracking_code
    if row.status == Status.SELESAI:
        return cards.confirm_buttons(code)
    if row.status == Status.DITUNDA:
        return (cards.answer_button(code),)
    if row.kind == Kind.INFORMASI and open_grounds(
        agency, row.status, row.decision, row.decided_on, row.response_due, today, filed
    ):
        return (cards.object_button(code),)
    return ()


def status_text(row: Any, agency: Agency) -> Msg:
    unit = agency.units.get(row.unit_code)
    status: Msg | Raw = STATUS_LABELS.get(row.status, Raw(row.status))
    if row.kind == Kind.KEBERATAN and row.status == Status.DIPROSES:
        status = _("Sedang diperiksa atasan PPID")
    lines = _(
        "*{code}* · {kind}\nStatus: *{status}*\nDitangani: {unit}\nDiterima: {received}",
        code=Raw(row.tracking_code),
        kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
        status=status,
        unit=Raw(unit.name if unit else row.unit_code),
        received=row.received_on,
    )
    parts: list[Msg] = [lines]
    if row.register_number and row.kind == Kind.KEBERATAN:
        parts.append(_("Nomor keberatan: {register}", register=Raw(row.register_number)))
    elif row.register_number:
        parts.append(_("Nomor pendaftaran: {register}", register=Raw(row.register_number)))
    due = due_of(row)
    if due is not None and row.kind in (Kind.INFORMASI, Kind.KEBERATAN):
        parts.append(_("Batas waktu jawaban: {due}", due=due))
    elif due is not None and row.status == Status.DITERIMA:
        parts.append(_("Batas waktu verifikasi: {due}", due=due))
    elif due is not None and row.followed_up_on is None:
        parts.append(_("Tanggapan pertama paling lambat: {due}", due=due))
    elif due is not None:
        parts.append(_("Target selesai: {due}", due=due))
    return join(*parts)


async def list_my_cases(conn: AsyncConnection, person_id: int) -> list[Reply]:
    rows = await repo.cases_of_person(conn, person_id)
    if not rows:
        return [
            Reply(
                _(
                    "Anda belum punya laporan. Pilih *Pengaduan / aspirasi* atau *Permohonan "
                    "informasi publik* di menu untuk membuat laporan."
                )
            )
        ]
    buttons = tuple(
        Button(
            f"case:{row.tracking_code}",
            _(
                "{code} · {kind} · {status}",
                code=Raw(row.tracking_code),
                kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
                status=STATUS_LABELS.get(row.status, Raw(row.status)),
            ),
            (row.tracking_code,),
        )
        for row in rows
    )
    return [Reply(_("Laporan Anda (terbaru di atas). Pilih untuk melihat rinciannya:"), buttons)]


async def objectable(conn: AsyncConnection, person_id: int, today: date) -> list[Reply]:
    """`/keberatan` without a code: the person's information requests to pick one, and the
    objection that needs none (ground b, periodic information not published)."""
    rows = [
        r for r in await repo.cases_of_person(conn, person_id, limit=20) if r.kind == Kind.INFORMASI
    ]
    periodic = Button(
        "periodic",
        _("Informasi berkala tidak diumumkan (huruf b)"),
        ("berkala", "huruf b", "tidak diumumkan"),
    )
    if not rows:
        return [
            Reply(
                _(
                    "Anda belum punya permohonan informasi. Keberatan atas jawaban PPID diajukan "
                    "setelah ada permohonan; keberatan karena informasi berkala tidak diumumkan "
                    "bisa diajukan sekarang."
                ),
                (periodic,),
            )
        ]
    buttons = tuple(
        objection_choice(r.tracking_code, STATUS_LABELS.get(r.status, Raw(r.status))) for r in rows
    )
    return [
        Reply(
            _(
                "Keberatan atas permohonan yang mana? (Bisa setelah ada jawaban tertulis, atau "
                "bila batas waktu jawaban sudah lewat.)"
            ),
            (*buttons, periodic),
        )
    ]


def objection_choice(code: str, status: Msg | Raw) -> Button:
    return Button(f"c:object:{code}", _("{code} · {status}", code=Raw(code), status=status))
