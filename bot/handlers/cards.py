"""What officers are shown about a case (the case card), who gets it, and the buttons on it.

The same card answers `/kasus KODE` and is pushed when a case reaches a unit. An anonymous
case never shows its reporter; a NIK is shown in full only to the PPID utama (the request's
own controller) and masked everywhere else.
"""

from __future__ import annotations

import re
from datetime import tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.cases import COMPLAINT_KINDS, KIND_LABELS, STATUS_LABELS, Kind, due_of
from bot.domain.commands import COMMAND_OF
from bot.domain.contact import mask_phone
from bot.domain.lifecycle import (
    CITIZEN_ACTIONS,
    DECISION_LABELS,
    PASAL_35,
    Action,
    allowed_actions,
    roles_for,
)
from bot.domain.nik import mask_nik
from bot.domain.notice import GIVING
from bot.domain.roles import SEE_ALL, Role
from bot.domain.subject_rights import RIGHT_LABELS
from bot.flows.base import quoted
from bot.flows.information_form import DELIVERY_LABELS, OBTAIN_LABELS, REQUESTER_LABELS
from bot.flows.kuasa_form import CAPTION as LETTER_CAPTION
from bot.flows.kuasa_form import principal_label
from bot.understanding.emergency import is_emergency
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Button, Notice, Reply
from storage import repo

A = Action
# Each officer action's button, in the order buttons appear (the command words are in
# `bot.domain.commands`).
BUTTON_LABELS: dict[Action, Msg] = {
    A.VERIFY: _("✔️ Verifikasi"),
    A.TAKE: _("✋ Ambil"),
    A.REPLY: _("💬 Balas"),
    A.ASK: _("❓ Minta penjelasan"),
    A.RESOLVE: _("✅ Selesai"),
    A.EXTEND: _("⏳ Perpanjang"),
    A.DECIDE: _("⚖️ Putuskan"),
    A.FORWARD: _("↪️ Teruskan"),
    A.NOT_OURS: _("🏛 Bukan wewenang"),
    A.NOTE: _("📝 Catatan"),
    A.ARCHIVE: _("🗄 Arsip"),
    A.DISPUTE: _("🏛 Sengketa ke Komisi Informasi"),
    A.DELIVER: _("📦 Informasi diserahkan"),
}


def officer_actions(kind: str, status: str, roles: frozenset[str] | None = None) -> list[Action]:
    """The officer actions the state allows; with `roles`, only those these roles may take."""
    allowed = set(allowed_actions(kind, status))

    def permitted(action: Action) -> bool:
        needed = roles_for(kind, action)
        return roles is None or needed is None or bool(roles & {r.value for r in needed})

    return [a for a in BUTTON_LABELS if a in allowed and a not in CITIZEN_ACTIONS and permitted(a)]


def card_actions(row: Any, roles: frozenset[str] | None, viewer: int | None) -> list[A]:
    """What this officer may do with the case; "Ambil" not for the one who holds it."""
    actions = officer_actions(row.kind, row.status, roles)
    if getattr(row, "decision", None) not in GIVING or getattr(row, "delivered_on", None):
        # what was granted is given once; nothing is given under a refusal
        actions = [a for a in actions if a is not A.DELIVER]
    holder = getattr(row, "assignee_person_id", None)
    if viewer is not None and holder == viewer:
        return [a for a in actions if a is not A.TAKE]
    return actions


def card_buttons(
    row: Any, roles: frozenset[str] | None = None, viewer: int | None = None
) -> tuple[Button, ...]:
    return tuple(
        Button(f"c:{action.value}:{row.tracking_code}", BUTTON_LABELS[action])
        for action in card_actions(row, roles, viewer)
    )


def commands_text(row: Any, roles: frozenset[str] | None = None, viewer: int | None = None) -> str:
    actions = card_actions(row, roles, viewer)
    return ", ".join(f"/{COMMAND_OF[a]} {row.tracking_code}" for a in actions) or "-"


def due_text(agency: Agency, due: Any, today: Any) -> Msg:
    if due is None:
        return _("tanpa tenggat")
    if due < today:
        return _("lewat {days} hari kerja", days=agency.calendar.working_days_between(due, today))
    return _("{days} hari kerja lagi", days=agency.calendar.working_days_between(today, due))


async def render_card(
    conn: AsyncConnection,
    agency: Agency,
    row: Any,
    today: Any,
    *,
    full_nik: bool = False,
    headline: Msg | None = None,
    roles: frozenset[str] | None = None,
    history: tzinfo | None = None,
    viewer: int | None = None,
) -> Reply:
    """The card; with `roles`, its commands and buttons are those these roles may use; with
    `history` (the agency's time zone), the latest replies, questions and answers too (for
    `/kasus`)."""
    unit = agency.units.get(row.unit_code)
    reporter: Msg | Raw = _("(anonim)") if row.anonymous else Raw(row.reporter_name or "-")
    volunteer = await volunteer_of(conn, agency, row)
    if volunteer is not None:
        reporter = _(
            "{reporter} (dilaporkan oleh {volunteer})", reporter=reporter, volunteer=volunteer
        )
    due = due_of(row)
    parts: list[Msg] = []
    if row.kind in COMPLAINT_KINDS and is_emergency(row.description or ""):
        # The reporter was sent to 112 at once; the unit sees why this one cannot wait.
        parts.append(_("🚨 *DARURAT*: laporan ini menyebut bahaya bagi nyawa atau keselamatan."))
    if headline is not None:
        parts.append(headline)
    parts.append(
        _(
            "*{code}* · {kind} · *{status}*\nUnit: {unit}\nDiterima: {received}",
            code=Raw(row.tracking_code),
            kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
            status=STATUS_LABELS.get(row.status, Raw(row.status)),
            unit=Raw(unit.name if unit else row.unit_code),
            received=row.received_on,
        )
    )
    if due is not None:
        parts.append(_("Tenggat: {due} ({left})", due=due, left=due_text(agency, due, today)))
    if row.assignee_person_id is not None and due is not None:
        parts.append(_("✋ Sudah diambil petugas."))
    if row.kind in COMPLAINT_KINDS:
        parts.append(complaint_part(agency, row, reporter))
    elif row.kind == Kind.INFORMASI:
        parts.extend(await request_part(conn, row, full_nik))
        if volunteer is not None:  # the answer reaches the requester through them too
            parts.append(_("Diajukan lewat {volunteer}.", volunteer=volunteer))
    elif row.kind == Kind.KEBERATAN:
        parts.extend(await objection_part(conn, row))
    else:  # a data subject's request (UU 27/2022): who asks, and which right
        parts.append(
            _(
                "Pemohon: {name}\nHak: {right} (UU 27/2022; jawab dalam 3×24 jam)",
                name=Raw(row.reporter_name or "-"),
                right=RIGHT_LABELS.get(row.subject_right or "", Raw(row.subject_right or "-")),
            )
        )
    attached = await repo.attachments_of(conn, row.id)
    photos = sum(a.kind in ("photo", "document", "video") for a in attached)
    if photos:
        parts.append(_("📷 {count} lampiran", count=photos))
    voices = sum(a.kind in ("voice", "audio") for a in attached)
    if voices:
        parts.append(_("🎤 {count} pesan suara dari pelapor", count=voices))
    # A NIK or phone number typed into the story is masked here too (UU 27/2022).
    parts.append(_("Isi:\n{text}", text=quoted(row.description or "-", 1500)))
    if history is not None:
        parts.extend(await history_part(conn, row, history))
    parts.append(
        _(
            "Perintah: {commands}",
            commands=Raw(commands_text(row, roles, viewer)),
        )
    )
    return Reply(join(*parts), card_buttons(row, roles, viewer))


_PLACE_WORDS = re.compile(r"^(?:di\s+)?(?:desa|kelurahan|kel\.?|kecamatan|kec\.?)\s+", re.I)


def adds_detail(agency: Agency, area_code: str | None, typed: str) -> bool:
    """Whether what was typed says more than the desa's name ("depan SD 4 Lapajung" does,
    "ompo" or "Kelurahan Ompo" does not)."""
    area = agency.areas.get(area_code or "")
    if area is None:
        return True
    said = _PLACE_WORDS.sub("", typed.strip()).strip().lower()
    return said not in (area.name.lower(), agency.area_label(area.code).lower())


def complaint_part(agency: Agency, row: Any, reporter: Msg | Raw) -> Msg:
    category = agency.categories.get(row.category_code or "")
    place: Msg | Raw = Raw(agency.area_label(row.area_code)) if row.area_code else Raw("-")
    if row.location_text and adds_detail(agency, row.area_code, row.location_text):
        place = _("{area} ({detail})", area=place, detail=Raw(row.location_text[:200]))
    if row.latitude is not None and row.longitude is not None:
        pin = Raw(f"📍 https://maps.google.com/?q={row.latitude:.5f},{row.longitude:.5f}")
        has_place = bool(row.area_code or row.location_text)
        place = _("{area}, {pin}", area=place, pin=pin) if has_place else pin
    text = _(
        "Kategori: {category}\nLokasi: {place}\nPelapor: {reporter}",
        category=Raw(category.name if category else "-"),
        place=place,
        reporter=reporter,
    )
    if row.confidential:
        text = join(text, _("🔒 *Rahasia*: isi laporan tidak boleh dipublikasikan."))
    return text


async def volunteer_of(conn: AsyncConnection, agency: Agency, row: Any) -> Msg | None:
    """ "relawan KIM Sipakatau, Kelurahan Lapajung…": who filed for the reporter, if anyone."""
    if row.submitter_person_id == row.reporter_person_id:
        return None
    kim = await repo.kim_of(conn, row.submitter_person_id)
    if kim is None or not kim.kim_name:
        return _("relawan KIM")
    area = agency.area_label(kim.area_code) if kim.area_code in agency.areas else "-"
    return _("relawan {kim}, {area}", kim=Raw(kim.kim_name), area=Raw(area))


async def request_part(conn: AsyncConnection, row: Any, full_nik: bool) -> list[Msg]:
    parts: list[Msg] = [
        _("Nomor pendaftaran: {register}", register=Raw(row.register_number or "-"))
    ]
    detail = await repo.request_detail(conn, row.id)
    if detail is None:
        return parts
    if detail.legal_entity_number:
        identity = _(
            "Nomor pengesahan badan hukum: {number}", number=Raw(detail.legal_entity_number)
        )
    else:
        nik = detail.nik if full_nik else (mask_nik(detail.nik) if detail.nik else "-")
        identity = _("NIK: {nik}", nik=Raw(nik))
    phone = detail.phone if full_nik or not detail.phone else mask_phone(detail.phone)
    parts.append(
        _(
            "Pemohon: {name} ({type})\n{identity}\nAlamat: {address}\nTelepon: {phone}\n"
            "Email: {email}\nPekerjaan: {job}\nTujuan: {purpose}\n"
            "Cara memperoleh: {obtain}\nCara menerima salinan: {delivery}",
            name=Raw(detail.requester_name),
            type=REQUESTER_LABELS.get(detail.requester_type, Raw(detail.requester_type)),
            identity=identity,
            address=Raw(detail.address),
            phone=Raw(phone or "-"),
            email=Raw(detail.email or "-"),
            job=Raw(detail.occupation),
            purpose=quoted(detail.purpose, 500),
            obtain=OBTAIN_LABELS.get(detail.obtain_method, Raw(detail.obtain_method)),
            delivery=DELIVERY_LABELS.get(detail.delivery_method, Raw(detail.delivery_method)),
        )
    )
    if detail.requester_type == "kuasa":
        parts.append(await kuasa_part(conn, row, detail, full_nik))
    return parts


async def kuasa_part(conn: AsyncConnection, row: Any, detail: Any, full_nik: bool) -> Msg:
    """Whom a kuasa represents, and whether the surat kuasa came with the request (its photos
    go with the card like a complaint's). Without it, Perki 1/2021 has the PPID ask for it
    before any information is given; the card says so, with the command to ask."""
    principal = principal_label(
        detail.principal_type, detail.principal_name, detail.principal_number, full_nik=full_nik
    )
    files = sum(a.caption == LETTER_CAPTION for a in await repo.attachments_of(conn, row.id))
    if files:
        letter = _("📎 Surat kuasa: terlampir ({count} berkas)", count=files)
    else:
        letter = _(
            "⚠️ Surat kuasa: *belum dilampirkan*. Mintalah kepada pemohon (/tanya {code}) "
            "sebelum informasi diberikan.",
            code=Raw(row.tracking_code),
        )
    return _("Mewakili: {principal}\n{letter}", principal=principal, letter=letter)


async def objection_part(conn: AsyncConnection, row: Any) -> list[Msg]:
    parts: list[Msg] = [
        _(
            "Nomor keberatan: {register}\nPemohon: {name}",
            register=Raw(row.register_number or "-"),
            name=Raw(row.reporter_name or "-"),
        )
    ]
    request = await repo.case_by_id(conn, row.related_case_id) if row.related_case_id else None
    if request is not None:
        parts.append(
            _(
                "Atas permohonan: {code} ({register}), {decision}",
                code=Raw(request.tracking_code),
                register=Raw(request.register_number or "-"),
                decision=DECISION_LABELS.get(request.decision or "", _("belum dijawab")),
            )
        )
    if row.objection_ground:
        parts.append(
            _(
                "Alasan keberatan: Pasal 35 ayat (1) huruf {letter}, {ground}",
                letter=Raw(row.objection_ground),
                ground=PASAL_35.get(row.objection_ground, Raw("-")),
            )
        )
    return parts


HISTORY_ACTIONS: dict[str, Msg] = {
    "reply": _("balasan petugas"),
    "ask": _("pertanyaan petugas"),
    "answer": _("jawaban pelapor"),
    "note": _("catatan internal"),
    "resolve": _("penyelesaian"),
    "reopen": _("dibuka kembali oleh pelapor"),
    "forward": _("diteruskan"),
    "extend": _("diperpanjang"),
    "decide": _("keputusan"),
    "deliver": _("informasi diserahkan"),
    "rate": _("penilaian"),
    "recalendar": _("tanggal batas bergeser (hari libur berubah)"),
}


async def history_part(conn: AsyncConnection, row: Any, zone: tzinfo) -> list[Msg]:
    """The latest replies, questions and answers, at the agency's local time."""
    events = [e for e in await repo.events_of(conn, row.id, 30) if e.action in HISTORY_ACTIONS]
    if not events:
        return []
    lines = [
        _(
            "• {day} · {what}: {text}",
            day=Raw(e.at.astimezone(zone).strftime("%d/%m %H:%M")),
            what=HISTORY_ACTIONS[e.action],
            text=event_text(e.data),
        )
        for e in events[-6:]
    ]
    return [join(_("Riwayat terakhir:"), *lines)]


def event_text(data: dict[str, Any]) -> Msg | Raw:
    """What an event said; a decision leads with its outcome ("Ditolak sebagian: …")."""
    if "moved" in data:  # a calendar change: each date, old → new
        return Raw(", ".join(f"{old} → {new}" for old, new in data["moved"].values()))
    words = data.get("text") or data.get("consequence") or data.get("reason") or data.get("stars")
    said = quoted(str(words or ""), 200)
    outcome = DECISION_LABELS.get(str(data.get("outcome") or ""))
    return _("{decision} — {text}", decision=outcome, text=said) if outcome else said


def hearers(staff: list[Any], agency: Agency, row: Any) -> list[int]:
    """Who hears about a case (a change, a reminder, an escalation): the officer who took it,
    while they still work for its unit or see every unit; otherwise its unit's officers
    (`officers_for`). The one rule for the actions and the scheduler alike."""
    unit_people = officers_for(staff, agency, row)
    holder = row.assignee_person_id
    see_all = {r.value for r in SEE_ALL}
    still_here = holder in unit_people or any(
        s.person_id == holder and s.role in see_all for s in staff
    )
    return [holder] if holder is not None and still_here else unit_people


def officers_for(staff: list[Any], agency: Agency, row: Any, *, fallback: bool = True) -> list[int]:
    """Who hears about a case at its unit: the unit's officers; the coordinator for the
    triage unit; the PPID utama for the PPID's unit; the atasan PPID for objections. Someone
    always hears: the coordinator, or failing that the admins. `staff`: `repo.active_staff`."""

    def holders(role: Role, unit: str | None = None) -> list[int]:
        return [
            s.person_id for s in staff if s.role == role and (unit is None or s.unit_code == unit)
        ]

    people = holders(Role.PPID_PEMBANTU, row.unit_code)
    if row.unit_code == agency.triage_unit:
        people += holders(Role.KOORDINATOR)
    if row.unit_code == agency.ppid_unit and row.kind != Kind.KEBERATAN:
        people += holders(Role.PPID_UTAMA)
    if row.kind == Kind.KEBERATAN:  # decided by the atasan; the PPID utama follows it
        people += holders(Role.ATASAN_PPID) + holders(Role.PPID_UTAMA)
    if not people and fallback:
        people = holders(Role.KOORDINATOR) or holders(Role.ADMIN)
    return list(dict.fromkeys(people))


async def card_notices(
    conn: AsyncConnection,
    agency: Agency,
    row: Any,
    today: Any,
    headline: Msg,
    *,
    exclude: int | None = None,
    staff: list[Any] | None = None,
) -> list[Notice]:
    """The case card for everyone who should now work on it, each with their own buttons."""
    staff = staff or await repo.active_staff(conn)
    if not officers_for(staff, agency, row, fallback=False):
        # Nobody works for that unit in the bot yet: the coordinator hears, and is told so.
        unit = agency.units.get(row.unit_code)
        headline = join(
            headline,
            _(
                "Belum ada petugas terdaftar untuk {unit}; mohon tangani atau teruskan.",
                unit=Raw(unit.name if unit else row.unit_code),
            ),
        )
    people = [p for p in officers_for(staff, agency, row) if p != exclude]
    if not people:
        return []
    roles: dict[int, frozenset[str]] = {
        p: frozenset(s.role for s in staff if s.person_id == p) for p in people
    }
    holder = row.assignee_person_id
    cards = {
        (held, holds): await render_card(
            conn,
            agency,
            row,
            today,
            headline=headline,
            roles=held,
            viewer=holder if holds else None,
        )
        for held, holds in {(roles[p], p == holder) for p in people}
    }
    photos = tuple(
        (a.channel, a.file_ref)
        for a in await repo.attachments_of(conn, row.id)
        if a.kind == "photo"
    )[:5]
    return [
        Notice(person, cards[(roles[person], person == holder)], kind="officer_alert", media=photos)
        for person in people
    ]


def citizen_notices(row: Any, reply: Reply, *, then: Any = None) -> list[Notice]:
    """An update for the reporter (on the channel the case came in on) and, when a KIM
    volunteer filed it, for the volunteer too."""
    notices = [Notice(row.reporter_person_id, reply, prefer_channel=row.channel, then=then)]
    if row.submitter_person_id != row.reporter_person_id:
        # The volunteer filed it, so the volunteer can answer a question about it too.
        notices.append(Notice(row.submitter_person_id, reply, then=then))
    return notices


# --- the reporter's buttons (stateless: the code rides in the id) -------------------------------


def confirm_buttons(code: str) -> tuple[Button, ...]:
    return (
        Button(
            f"c:confirm:{code}",
            _("👍 Sudah beres"),
            ("sudah", "sdh", "udah", "beres", "sudah beres", "ya", "iya", "yes"),
        ),
        Button(
            f"c:reopen:{code}",
            _("👎 Belum beres"),
            ("belum", "blm", "blom", "belum beres", "tidak", "tdk", "gak", "no"),
        ),
    )


def answer_button(code: str) -> Button:
    return Button(f"c:answer:{code}", _("✍️ Jawab"), ("jawab", "answer"))


def object_button(code: str) -> Button:
    return Button(f"c:object:{code}", _("⚖️ Ajukan keberatan"), ("keberatan", "object"))
