"""Staff commands in the chat: invites that bind a person to a role.

A command from someone without the right role gets the same neutral answer as an unknown
command, and is logged without personal data.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta, tzinfo

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.codes import ALPHABET
from bot.domain.contact import mask_phone
from bot.domain.roles import ROLE_NAMES, Role, RoleError, check_grant, role_name
from bot.values.messages import Raw, _
from bot.values.messages import join as join_messages
from bot.values.types import Reply
from storage import repo

log = logging.getLogger(__name__)
INVITE_DAYS = 7


def not_available() -> Reply:
    return Reply(_("Perintah itu tidak dikenal. Ketik *bantuan* untuk daftar perintah."))


def new_invite_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


async def invite(
    conn: AsyncConnection,
    agency: Agency,
    person_id: int,
    args: list[str],
    now: datetime,
    zone: tzinfo,
) -> list[Reply]:
    """/undang ROLE [UNIT | DESA NAMA-KIM…]: admins only."""
    if Role.ADMIN.value not in await repo.roles_of(conn, person_id):
        log.info("refused: /undang without the admin role")
        return [not_available()]
    if not args:
        return [
            Reply(
                _(
                    "Cara pakai: /undang PERAN [KODE-UNIT | KODE-DESA NAMA-KIM]. Peran: {roles}.",
                    roles=Raw(", ".join(r.value for r in Role)),
                )
            )
        ]
    role, rest = args[0].lower(), args[1:]
    unit = rest[0] if role != Role.KIM and rest else None
    area = rest[0] if role == Role.KIM and rest else None
    kim_name = " ".join(rest[1:]) if role == Role.KIM and len(rest) > 1 else None
    try:
        checked = check_grant(agency, role, unit, area, kim_name)
    except RoleError as exc:
        return [Reply(_("Undangan belum dibuat: {reason}.", reason=Raw(str(exc))))]
    code = new_invite_code()
    expires = now + timedelta(days=INVITE_DAYS)
    await repo.create_invite(
        conn,
        {
            "code": code,
            "role": checked.value,
            "unit_code": unit,
            "area_code": area,
            "kim_name": kim_name,
            "created_by": person_id,
            "created_at": now,
            "expires_at": expires,
        },
    )
    return [
        Reply(
            _(
                "Undangan untuk *{role}*{where} dibuat: kode *{code}*, berlaku sampai {until}. "
                "Penerima mengirim: /gabung {code}",
                role=Raw(ROLE_NAMES[checked]),
                where=Raw(grant_place(agency, unit, area, kim_name)),
                code=Raw(code),
                until=expires.astimezone(zone).date(),  # the agency's day, not UTC's
            )
        )
    ]


async def join(
    conn: AsyncConnection, person_id: int, args: list[str], now: datetime
) -> list[Reply]:
    """/gabung CODE (or /start inv_CODE): anyone holding a valid invite."""
    code = "".join(args).upper().replace(" ", "")
    if len(code) == 8:
        code = f"{code[:4]}-{code[4:]}"
    row = await repo.take_invite(conn, code, person_id, now) if code else None
    if row is None:
        log.info("refused: an invite code that is unknown, used, revoked or expired")
        return [Reply(_("Kode undangan itu tidak berlaku. Mintalah kode baru kepada admin."))]
    await repo.grant_role(
        conn,
        {
            "person_id": person_id,
            "role": row.role,
            "unit_code": row.unit_code,
            "area_code": row.area_code,
            "kim_name": row.kim_name,
            "granted_at": now,
            "granted_by": row.created_by,
        },
    )
    return [
        Reply(
            _(
                "Selamat bergabung. Anda sekarang terdaftar sebagai *{role}*.",
                role=Raw(role_name(row.role)),
            )
        )
    ]


def grant_place(agency: Agency, unit: str | None, area: str | None, kim_name: str | None) -> str:
    """ " (Dinas Sosial)", " (KIM Sipakatau, Desa …)": what the role is for, in names."""
    if unit and unit in agency.units:
        return f" ({agency.units[unit].name})"
    if area and area in agency.areas:
        return f" ({kim_name}, {agency.area_label(area)})"
    return ""


async def revoke_invitation(
    conn: AsyncConnection, person_id: int, args: list[str], now: datetime
) -> list[Reply]:
    """/cabut CODE: admins only."""
    if Role.ADMIN.value not in await repo.roles_of(conn, person_id):
        log.info("refused: /cabut without the admin role")
        return [not_available()]
    code = "".join(args).upper()
    if len(code) == 8:
        code = f"{code[:4]}-{code[4:]}"
    if await repo.revoke_invite(conn, code, now):
        return [Reply(_("Undangan {code} dicabut.", code=Raw(code)))]
    return [Reply(_("Tidak ada undangan aktif dengan kode itu."))]


async def dead_letters(conn: AsyncConnection, person_id: int) -> list[Reply]:
    """/gagal: messages that could not be delivered, for admins to look at and retry."""
    if Role.ADMIN.value not in await repo.roles_of(conn, person_id):
        log.info("refused: /gagal without the admin role")
        return [not_available()]
    rows = await repo.dead_outbox(conn)
    if not rows:
        return [Reply(_("Tidak ada pesan yang gagal terkirim."))]
    lines = [
        Raw(
            f"#{r.id} · {r.channel} {mask_address(r.channel, r.address)} · {r.kind} · "
            f"{r.attempts}x · {r.last_error or '-'}"
        )
        for r in rows
    ]
    heading = _(
        "*Pesan gagal terkirim* (terbaru di atas). Kirim ulang: /kirimulang NOMOR, atau "
        "/kirimulang semua."
    )
    return [
        Reply(join_messages(heading, _("{lines}", lines=Raw("\n".join(x.text for x in lines)))))
    ]


async def retry_dead_letters(
    conn: AsyncConnection, person_id: int, args: list[str], now: datetime
) -> list[Reply]:
    """/kirimulang NOMOR… | semua: back on the schedule; the next tick sends them."""
    if Role.ADMIN.value not in await repo.roles_of(conn, person_id):
        log.info("refused: /kirimulang without the admin role")
        return [not_available()]
    wanted = [a.lstrip("#") for a in args]
    if not wanted:
        return [Reply(_("Cara pakai: /kirimulang NOMOR (lihat /gagal), atau /kirimulang semua."))]
    ids = None if wanted == ["semua"] else [int(a) for a in wanted if a.isascii() and a.isdigit()]
    count = await repo.retry_dead(conn, ids, now)
    return [Reply(_("{count} pesan dijadwalkan ulang untuk dikirim.", count=count))]


def mask_address(channel: str, address: str) -> str:
    """Enough to tell chats apart, never the whole number (UU 27/2022)."""
    if channel == "whatsapp":
        return mask_phone(address)
    return address[:2] + "…" + address[-2:] if len(address) > 4 else address
