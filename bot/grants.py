"""Staff roles from the command line and from configuration (the first admins).

`suara-warga staff add|remove|list` works on the same database as a running bot: SQLite
takes one writer at a time and both sides wait their turn (BEGIN IMMEDIATE + busy_timeout).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.agency import Agency
from bot.domain.contact import normalise_phone
from bot.domain.roles import Role, RoleError, check_grant
from storage import repo

CHANNELS = ("telegram", "whatsapp", "console")


@dataclass(frozen=True)
class Grant:
    channel: str
    address: str
    role: str
    unit: str | None = None
    area: str | None = None
    kim_name: str | None = None


def chat_address(channel: str, address: str) -> str:
    """The address as the channel stores it: E.164 for WhatsApp, the chat id for Telegram."""
    if channel not in CHANNELS:
        raise RoleError(f"unknown channel {channel!r}: use one of {', '.join(CHANNELS)}")
    if channel == "whatsapp":
        number = normalise_phone(address)
        if number is None:
            raise RoleError(f"{address!r} is not an Indonesian phone number")
        return number
    if channel == "telegram" and not address.lstrip("-").isdigit():
        raise RoleError("a Telegram address is the numeric user id (ask @userinfobot)")
    return address


async def grant(
    conn: AsyncConnection, agency: Agency, item: Grant, *, locale: str, now: datetime
) -> bool:
    role = check_grant(agency, item.role, item.unit, item.area, item.kim_name)
    address = chat_address(item.channel, item.address)
    identity = await repo.find_or_create_identity(
        conn, (item.channel, address), locale=locale, now=now
    )
    return await repo.grant_role(
        conn,
        {
            "person_id": identity.person_id,
            "role": role.value,
            "unit_code": item.unit,
            "area_code": item.area,
            "kim_name": item.kim_name,
            "granted_at": now,
        },
    )


async def never_written(conn: AsyncConnection, channel: str, address: str) -> bool:
    """Has this chat never written to the bot? Then the bot cannot reach it yet: a Telegram
    bot may not open a chat, and WhatsApp needs the person's first message (or a template)."""
    key = (channel, chat_address(channel, address))
    found = (await repo.load_chats(conn, [key])).get(key)
    return found is None or found[0].last_inbound_at is None


async def revoke(
    conn: AsyncConnection, channel: str, address: str, role: str, now: datetime
) -> int:
    found = await repo.load_chats(conn, [(channel, chat_address(channel, address))])
    if not found:
        return 0
    identity, _conversation = next(iter(found.values()))
    return await repo.revoke_role(conn, identity.person_id, Role(role).value, now)


async def bootstrap_admins(
    db: AsyncEngine,
    agency: Agency,
    telegram_ids: list[str],
    whatsapp_numbers: list[str],
    locale: str,
    now: datetime,
) -> int:
    """The admins named in configuration exist at every start (idempotent)."""
    added = 0
    async with db.begin() as conn:
        for channel, addresses in (("telegram", telegram_ids), ("whatsapp", whatsapp_numbers)):
            for address in addresses:
                item = Grant(channel, address, Role.ADMIN.value)
                added += await grant(conn, agency, item, locale=locale, now=now)
    return added
