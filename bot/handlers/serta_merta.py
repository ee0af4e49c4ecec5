"""Serta-merta news (UU 14/2008 Pasal 10: information on threats to life and public order is
announced at once): citizens subscribe to their desa/kelurahan or kecamatan, and the PPID
utama or an admin pushes one serta-merta entry of the DIP, or an announcement of their own,
to the subscribers of an area.

A push reaches the subscribers of the area named and of the areas around and inside it: a
kecamatan's reaches its desa's subscribers too, and a desa's reaches those of its kecamatan
(who asked for news of all of it). Each notice goes through the outbox with a key, once per
person per entry (or text) and day, so a repeated command sends nothing twice. Its kind,
`serta_merta`, is not one that quiet hours hold (`bot.engine.outbox.QUIET_KINDS`): a flood
warning at 23:00 is worth nothing at 06:00. On WhatsApp outside the 24-hour window it needs
its own approved template (`WHATSAPP_TEMPLATES["serta_merta"]`), as every push does; without
one it waits for the citizen's next message, like other pushes.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency, Area
from bot.domain.commands import PUSHERS
from bot.domain.dip import Dip, DipClass, DipEntry
from bot.handlers.staff import not_available
from bot.values.messages import Msg, Raw, _, join, lines
from bot.values.types import Button, Notice, Reply
from storage import repo

log = logging.getLogger(__name__)

KIND = "serta_merta"  # the notices' kind: picks a WhatsApp template, never held by quiet hours
EVERYWHERE = ("semua", "all", "kabupaten")  # /siarkan semua …: every subscriber
MIN_ANNOUNCEMENT = 20  # characters: an announcement says what, where and what to do
STOP_HINT = _("Balas *berhenti langganan* bila tidak ingin menerima info ini lagi.")


def find_area(agency: Agency, text: str) -> tuple[Area | None, tuple[Area, ...]]:
    """The area typed (its code, or its name, typos forgiven), or the close ones."""
    typed = text.strip().lower()
    if typed in agency.areas:
        return agency.areas[typed], ()
    match = agency.match_area(typed) if typed else None
    if match is None:
        return None, ()
    return match.area, match.candidates


def reached(agency: Agency, area: Area | None) -> list[str] | None:
    """The areas whose subscribers hear a push for `area` (None: every subscriber)."""
    if area is None:
        return None
    kecamatan = area.kecamatan_code
    inside = [code for code, a in agency.areas.items() if a.parent == kecamatan]
    return [kecamatan, *inside] if area.parent is None else [area.code, kecamatan]


# --- citizens ---------------------------------------------------------------------------------


async def subscribe(
    conn: AsyncConnection, agency: Agency, person: int, words: str, now: datetime
) -> list[Reply]:
    """/langganan DESA: serta-merta news of that desa or kecamatan; alone, what one has."""
    if not words.strip():
        return [await _subscriptions(conn, agency, person)]
    area, near = find_area(agency, words)
    if area is None:
        if near:  # one short question: which of these
            options = tuple(
                Button(f"cmd:/langganan {a.code}", Raw(agency.area_label(a.code))) for a in near
            )
            return [Reply(_("Maksud Anda yang mana?"), options)]
        return [
            Reply(
                _(
                    "Nama desa/kelurahan atau kecamatan itu belum kami kenali. Contoh: "
                    "*langganan Lapajung* atau *langganan Kecamatan Lalabata*."
                )
            )
        ]
    label = Raw(agency.area_label(area.code))
    if not await repo.subscribe(conn, person, area.code, now):
        return [Reply(_("Anda sudah berlangganan info serta-merta untuk {area}.", area=label))]
    return [
        Reply(
            _(
                "✅ Anda berlangganan info serta-merta untuk {area}: peringatan bencana dan "
                "keadaan darurat dari {agency}, dikirim segera, juga malam hari. Ketik "
                "*berhenti langganan* kapan saja untuk berhenti.",
                area=label,
                agency=Raw(agency.short_name),
            )
        )
    ]


async def unsubscribe(
    conn: AsyncConnection, agency: Agency, person: int, words: str
) -> list[Reply]:
    """/berhenti [DESA]: one subscription, or all of them."""
    area = None
    if words.strip():
        area, _near = find_area(agency, words)
        if area is None:
            return [await _subscriptions(conn, agency, person)]
    ended = await repo.unsubscribe(conn, person, area.code if area else None)
    if not ended:
        return [Reply(_("Anda tidak sedang berlangganan info serta-merta untuk wilayah itu."))]
    if area is not None:
        stopped = _(
            "Langganan info serta-merta untuk {area} dihentikan.",
            area=Raw(agency.area_label(area.code)),
        )
        return [Reply(stopped)]
    return [Reply(_("Semua langganan info serta-merta Anda dihentikan."))]


async def _subscriptions(conn: AsyncConnection, agency: Agency, person: int) -> Reply:
    held = [c for c in await repo.subscriptions_of(conn, person) if c in agency.areas]
    how = _(
        "Ketik *langganan* lalu nama desa/kelurahan atau kecamatan Anda, misalnya "
        "*langganan Lapajung*, untuk menerima peringatan bencana dan keadaan darurat."
    )
    if not held:
        return Reply(how)
    named = lines(*(_("• {area}", area=Raw(agency.area_label(code))) for code in held))
    mine = _("Anda berlangganan info serta-merta untuk:\n{areas}", areas=named)
    return Reply(join(mine, _("Ketik *berhenti langganan* untuk berhenti.")))


# --- the PPID -----------------------------------------------------------------------------------


def announcement(agency: Agency, area: Area | None, entry: DipEntry | None, text: str) -> Msg:
    """What subscribers read: an entry of the DIP, or the officer's own words."""
    everywhere = _("seluruh {agency}", agency=Raw(agency.short_name))
    where = Raw(agency.area_label(area.code)) if area else everywhere
    if entry is not None:
        body: Msg = _(
            "*{title}*\n{summary}\n{link}",
            title=Raw(entry.title),
            summary=Raw(entry.summary),
            link=Raw(entry.where),
        )
    else:
        body = _("{text}", text=Raw(text))
    head = _(
        "⚠️ *Informasi serta-merta* dari {agency} untuk {area}:",
        agency=Raw(agency.short_name),
        area=where,
    )
    return join(head, body, STOP_HINT)


def push_key(entry: DipEntry | None, text: str, today: date) -> str:
    """Once per person, per entry (or text) and day: a second /siarkan of the same sends
    nothing; the same warning tomorrow goes again."""
    if entry is not None:
        return f"{KIND}:{entry.id}:{today.isoformat()}"
    digest = hashlib.sha256(text.strip().lower().encode()).hexdigest()[:16]
    return f"{KIND}:teks:{digest}:{today.isoformat()}"


USAGE = _(
    "Tulis: /siarkan WILAYAH KODE-DIP, atau /siarkan WILAYAH pengumuman. WILAYAH: nama atau "
    "kode desa/kelurahan atau kecamatan, atau *semua*. Contoh: /siarkan lalabata banjir-longsor"
)


async def push(
    conn: AsyncConnection, agency: Agency, dip: Dip, person: int, words: str, today: date
) -> tuple[list[Reply], list[Notice]]:
    """/siarkan WILAYAH KODE-DIP | teks: the PPID utama's or an admin's push."""
    if not {r.value for r in PUSHERS} & set(await repo.roles_of(conn, person)):
        log.info("refused: /siarkan without the role")
        return [not_available()], []
    where, _sep, rest = words.strip().partition(" ")
    rest = rest.strip()
    if not where or not rest:
        return [Reply(USAGE)], []
    everywhere = where.lower() in EVERYWHERE
    area, near = (None, ()) if everywhere else find_area(agency, where)
    if area is None and not everywhere:
        known = ", ".join(a.code for a in near) or "-"
        unknown = _(
            "Wilayah *{area}* tidak dikenali. Yang mirip: {near}.", area=Raw(where), near=Raw(known)
        )
        return [Reply(join(unknown, USAGE))], []
    entry = dip.get(rest) if " " not in rest else None
    if entry is not None and entry.klass is not DipClass.SERTA_MERTA:
        not_urgent = _(
            "*{title}* tercatat sebagai informasi {kind}, bukan serta-merta: tidak disiarkan.",
            title=Raw(entry.title),
            kind=Raw(entry.klass.value.replace("_", " ")),
        )
        return [Reply(not_urgent)], []
    if entry is None and len(rest) < MIN_ANNOUNCEMENT:
        return [Reply(join(_("Pengumuman itu terlalu singkat."), USAGE))], []
    people = await repo.subscribers(conn, reached(agency, area))
    label = Raw(agency.area_label(area.code)) if area else _("semua wilayah")
    if not people:
        return [Reply(_("Belum ada warga yang berlangganan info untuk {area}.", area=label))], []
    key = push_key(entry, rest, today)
    done = await repo.existing_dedupe_keys(conn, [f"{key}:{p}" for p in people])
    fresh = [p for p in people if f"{key}:{p}" not in done]
    message = Reply(announcement(agency, area, entry, rest))
    notices = [Notice(p, message, kind=KIND, key=key) for p in fresh]
    log.info("serta-merta push to %d subscribers", len(fresh))
    if not fresh:
        again = _(
            "Sudah disiarkan hari ini ke {count} pelanggan {area}: tidak dikirim lagi.",
            count=len(people),
            area=label,
        )
        return [Reply(again)], []
    said = _("📣 Disiarkan ke {count} pelanggan {area}.", count=len(fresh), area=label)
    if len(fresh) < len(people):
        had = _("{count} lainnya sudah menerimanya hari ini.", count=len(people) - len(fresh))
        said = join(said, had)
    return [Reply(said)], notices
