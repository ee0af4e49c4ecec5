"""Officers' read-only commands: their queue and a case card, within what their role allows.

Who sees what: the coordinator, PPID utama and admins see every unit; a unit officer sees
their unit's cases. An anonymous case never shows the reporter; a NIK is never shown here.
Anything else is answered exactly like a case that does not exist.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.cases import KIND_LABELS, STATUS_LABELS
from bot.domain.codes import parse_code
from bot.domain.roles import Role
from bot.engine.types import Reply
from bot.handlers.staff import not_available
from bot.i18n import Msg, Raw, _, join
from storage import repo

log = logging.getLogger(__name__)
SEE_ALL = frozenset({Role.ADMIN, Role.KOORDINATOR, Role.PPID_UTAMA, Role.ATASAN_PPID})
OFFICER_ROLES = SEE_ALL | {Role.PPID_PEMBANTU}


async def scope(conn: AsyncConnection, person_id: int) -> tuple[bool, list[str] | None]:
    """(is an officer, the units they may see: None for all)."""
    grants = await repo.grants_of(conn, person_id)
    roles = {g.role for g in grants}
    if not roles & {r.value for r in OFFICER_ROLES}:
        return False, []
    if roles & {r.value for r in SEE_ALL}:
        return True, None
    return True, sorted({g.unit_code for g in grants if g.unit_code})


async def queue(conn: AsyncConnection, agency: Agency, person_id: int, today: Any) -> list[Reply]:
    """/antrian: open cases of my unit(s), most urgent first, with working days left."""
    officer, units = await scope(conn, person_id)
    if not officer:
        log.info("refused: /antrian without an officer role")
        return [not_available()]
    rows = await repo.unit_queue(conn, units)
    if not rows:
        return [Reply(_("Antrian kosong: tidak ada kasus terbuka untuk unit Anda."))]
    lines = []
    for row in rows:
        left: Msg
        if row.due is None:
            left = _("tanpa tenggat")
        elif row.due < today:
            left = _(
                "lewat {days} hari kerja", days=agency.calendar.working_days_between(row.due, today)
            )
        else:
            left = _(
                "{days} hari kerja lagi", days=agency.calendar.working_days_between(today, row.due)
            )
        lines.append(
            _(
                "• {code} · {kind} · {status} · {left}",
                code=Raw(row.tracking_code),
                kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
                status=STATUS_LABELS.get(row.status, Raw(row.status)),
                left=left,
            )
        )
    return [Reply(join(_("*Antrian unit Anda* (paling mendesak di atas):"), *lines))]


async def case_card(
    conn: AsyncConnection, agency: Agency, person_id: int, text: str
) -> list[Reply]:
    """/kasus KODE: the case as an officer may see it."""
    officer, units = await scope(conn, person_id)
    if not officer:
        log.info("refused: /kasus without an officer role")
        return [not_available()]
    parsed = parse_code(text)
    row = await repo.find_case(conn, parsed.code) if parsed.code else None
    if row is None or (units is not None and row.unit_code not in units):
        if row is not None:
            log.info("refused: /kasus for a case outside the officer's units")
        return [Reply(_("Kasus dengan kode itu tidak ditemukan di unit Anda."))]
    unit = agency.units.get(row.unit_code)
    category = agency.categories.get(row.category_code or "")
    reporter: Msg | Raw = _("(anonim)") if row.anonymous else Raw(row.reporter_name or "-")
    card = _(
        "*{code}* · {kind} · *{status}*\n"
        "Unit: {unit}\n"
        "Kategori: {category}\n"
        "Wilayah: {area}\n"
        "Pelapor: {reporter}\n"
        "Diterima: {received}\n\n"
        "{text}",
        code=Raw(row.tracking_code),
        kind=KIND_LABELS.get(row.kind, Raw(row.kind)),
        status=STATUS_LABELS.get(row.status, Raw(row.status)),
        unit=Raw(unit.name if unit else row.unit_code),
        category=Raw(category.name if category else "-"),
        area=Raw(agency.area_label(row.area_code) if row.area_code else (row.location_text or "-")),
        reporter=reporter,
        received=row.received_on,
        text=Raw((row.description or "")[:1500]),
    )
    return [Reply(card)]
