"""Officers' read-only commands: their queue, a case card, a search, within their reach.

Who sees what: the coordinator, PPID utama, atasan PPID and admins see every unit; a unit
officer sees their unit's cases. An anonymous case never shows the reporter; a NIK is shown
in full only to the PPID utama. Anything else is answered exactly like a case that does not
exist.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.cases import KIND_LABELS, STATUS_LABELS
from bot.domain.codes import parse_code
from bot.domain.lifecycle import Action
from bot.domain.roles import Role
from bot.flows.base import quoted
from bot.handlers import cards
from bot.handlers.casework.actor import load_actor, may_act
from bot.handlers.casework.service import not_found
from bot.handlers.staff import not_available
from bot.values.messages import Raw, _, join
from bot.values.types import Button, Reply
from storage import repo

log = logging.getLogger(__name__)
NEAR_DAYS = 2  # "/antrian dekat": due within this many working days


async def queue(
    conn: AsyncConnection, agency: Agency, person_id: int, today: date, filter_text: str = ""
) -> list[Reply]:
    """/antrian [lewat|dekat]: open cases of my unit(s), most urgent first."""
    actor = await load_actor(conn, person_id)
    if not actor.officer:
        log.info("refused: /antrian without an officer role")
        return [not_available()]
    word = filter_text.strip().lower()
    due_before = None
    if word in ("lewat", "terlambat", "overdue"):
        due_before = today
    elif word in ("dekat", "segera", "near"):
        due_before = agency.calendar.add_working_days(today, NEAR_DAYS) + timedelta(days=1)
    rows = await repo.unit_queue(conn, actor.units, due_before=due_before)
    if not rows:
        return [Reply(_("Antrian kosong: tidak ada kasus terbuka untuk unit Anda."))]
    lines = [
        _(
            "• {code} · {kind}{category} · {status} · {left}\n  “{opening}”",
            code=Raw(row.tracking_code),
            kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
            category=Raw(f" · {agency.categories[row.category].name}")
            if row.category in agency.categories
            else Raw(""),
            status=STATUS_LABELS.get(row.status, Raw(row.status)),
            left=cards.due_text(agency, row.due, today),
            opening=quoted(first_words(row.opening or "-"), 60),
        )
        for row in rows
    ]
    buttons = tuple(
        Button(f"c:view:{row.tracking_code}", Raw(row.tracking_code)) for row in rows[:8]
    )
    heading = _(
        "*Antrian unit Anda* (paling mendesak di atas). Saring: /antrian lewat, /antrian dekat."
    )
    return [Reply(join(heading, *lines), buttons)]


async def case_card(
    conn: AsyncConnection, agency: Agency, person_id: int, text: str, today: date, zone: tzinfo
) -> list[Reply]:
    """/kasus KODE: the case as this officer may see it, with its next actions."""
    actor = await load_actor(conn, person_id)
    if not actor.officer:
        log.info("refused: /kasus without an officer role")
        return [not_available()]
    if not text.strip():
        return [Reply(_("Cara pakai: /kasus KODE, atau pilih dari /antrian."))]
    parsed = parse_code(text)
    row = await repo.find_case(conn, parsed.code) if parsed.code else None
    if row is None or (actor.units is not None and row.unit_code not in actor.units):
        if row is not None:
            log.info("refused: /kasus for a case outside the officer's units")
        return [not_found()]
    full_nik = Role.PPID_UTAMA.value in actor.roles
    card = await cards.render_card(
        conn,
        agency,
        row,
        today,
        full_nik=full_nik,
        roles=actor.roles,
        history=zone,
        viewer=person_id,
    )
    return [card]


async def search(conn: AsyncConnection, person_id: int, text: str) -> list[Reply]:
    """/cari KATA…: cases in my reach whose code, text, place or reporter holds the words."""
    actor = await load_actor(conn, person_id)
    if not actor.officer:
        log.info("refused: /cari without an officer role")
        return [not_available()]
    words = [w for w in text.split() if len(w) >= 3][:5]
    if any(sum(ch.isdigit() for ch in w) >= 10 for w in words):
        # Looking people up by NIK or phone number is not what the search is for (UU 27/2022).
        return [Reply(_("Pencarian dengan NIK atau nomor telepon tidak diizinkan."))]
    if not words:
        return [Reply(_("Cara pakai: /cari KATA, paling sedikit 3 huruf. Contoh: /cari jalan"))]
    rows = await repo.search_cases(conn, actor.units, words)
    if not rows:
        return [Reply(_("Tidak ada kasus yang cocok."))]
    lines = [
        _(
            "• {code} · {kind} · {status} · {received}",
            code=Raw(row.tracking_code),
            kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
            status=STATUS_LABELS.get(row.status, Raw(row.status)),
            received=row.received_on,
        )
        for row in rows
    ]
    buttons = tuple(Button(f"c:view:{row.tracking_code}", Raw(row.tracking_code)) for row in rows)
    return [Reply(join(_("Hasil pencarian (terbaru di atas):"), *lines), buttons)]


PICK_LIMIT = 8  # cases offered as buttons when a command is typed without its code


async def cases_to_pick(
    conn: AsyncConnection, agency: Agency, person_id: int, action: Action | None
) -> list[list[str]] | None:
    """The cases in the officer's queue that `action` fits now (any open case for None), as
    [code, opening] pairs, most urgent first; None when the person is not an officer."""
    actor = await load_actor(conn, person_id)
    if not actor.officer:
        return None
    rows = await repo.unit_queue(conn, actor.units, limit=100)
    fits = [
        row
        for row in rows
        if action is None
        or (
            action in cards.card_actions(row, actor.roles, person_id)
            and may_act(actor, row, agency)
        )
    ]
    return [
        [row.tracking_code, quoted(first_words(row.opening or "-", 5), 30).text] for row in fits
    ][:PICK_LIMIT]


def first_words(text: str, count: int = 8) -> str:
    """The opening of a story, cut at a word."""
    words = " ".join(text.split()).split(" ")
    return " ".join(words[:count]) + ("…" if len(words) > count else "")
