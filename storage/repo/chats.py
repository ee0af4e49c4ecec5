"""Chats: identities (a person's address on a channel), persons, and the conversation and
draft each chat carries between messages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, insert, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.repo.common import ChatKey, chat_indexes
from storage.schema import conversations, identities, persons, staff_roles


@dataclass
class IdentityRow:
    id: int
    person_id: int
    channel: str
    address: str
    locale: str
    display_name: str | None
    profile_name: str | None
    last_inbound_at: datetime | None
    privacy_shown: bool
    kim_area: str | None = None  # a KIM volunteer's desa/kelurahan
    is_staff: bool = False  # holds any active role


@dataclass
class ConversationRow:
    flow: str
    step: str
    data: dict[str, Any]
    history: list[str]
    options: list[list[Any]]
    draft: dict[str, Any] | None
    updated_at: datetime
    expires_at: datetime | None


# --- identities and persons -------------------------------------------------------------------


async def load_chats(
    conn: AsyncConnection, keys: Sequence[ChatKey]
) -> dict[ChatKey, tuple[IdentityRow, ConversationRow | None]]:
    i, p, c, sr = identities, persons, conversations, staff_roles
    active = and_(sr.c.person_id == i.c.person_id, sr.c.revoked_at.is_(None))
    kim_area = (
        select(sr.c.area_code)
        .where(and_(active, sr.c.role == "kim"))
        .limit(1)
        .scalar_subquery()
        .label("kim_area")
    )
    is_staff = select(sr.c.id).where(active).exists().label("is_staff")
    # The address is not read back: the index says whose chat a row is, and opening the
    # sealed address of every chat in every batch would cost a decryption each.
    named = chat_indexes(keys)
    query = (
        select(
            kim_area,
            is_staff,
            i.c.id,
            i.c.person_id,
            i.c.channel,
            i.c.address_key,
            i.c.profile_name,
            i.c.last_inbound_at,
            p.c.locale,
            p.c.display_name,
            p.c.privacy_accepted_at,
            *_conversation_columns(),
        )
        .join(p, p.c.id == i.c.person_id)
        .outerjoin(c, c.c.identity_id == i.c.id)
        .where(tuple_(i.c.channel, i.c.address_key).in_(list(named)))
    )
    found: dict[ChatKey, tuple[IdentityRow, ConversationRow | None]] = {}
    for r in await conn.execute(query):
        key = named[(r.channel, r.address_key)]
        identity = IdentityRow(
            id=r.id,
            person_id=r.person_id,
            channel=r.channel,
            address=key[1],
            locale=r.locale,
            display_name=r.display_name,
            profile_name=r.profile_name,
            last_inbound_at=r.last_inbound_at,
            privacy_shown=r.privacy_accepted_at is not None,
            kim_area=r.kim_area,
            is_staff=bool(r.is_staff),
        )
        conversation = None
        if r.flow is not None:
            conversation = ConversationRow(
                r.flow, r.step, r.data, r.history, r.options, r.draft, r.updated_at, r.expires_at
            )
        found[key] = (identity, conversation)
    return found


async def create_identity(
    conn: AsyncConnection,
    key: ChatKey,
    *,
    locale: str,
    profile_name: str | None,
    now: datetime,
) -> IdentityRow:
    person_id = (
        await conn.execute(
            insert(persons).values(locale=locale, created_at=now).returning(persons.c.id)
        )
    ).scalar_one()
    identity_id = (
        await conn.execute(
            insert(identities)
            .values(
                person_id=person_id,
                channel=key[0],
                address=key[1],
                profile_name=profile_name,
                created_at=now,
            )
            .returning(identities.c.id)
        )
    ).scalar_one()
    return IdentityRow(
        identity_id, person_id, key[0], key[1], locale, None, profile_name, None, False
    )


async def find_or_create_identity(
    conn: AsyncConnection, key: ChatKey, *, locale: str, now: datetime
) -> IdentityRow:
    found = await load_chats(conn, [key])
    if key in found:
        return found[key][0]
    return await create_identity(conn, key, locale=locale, profile_name=None, now=now)


async def touch_identities(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """rows: {b_id, last_inbound_at, profile_name}."""
    if rows:
        await conn.execute(
            update(identities)
            .where(identities.c.id == bindparam("b_id"))
            .values(
                last_inbound_at=bindparam("last_inbound_at"),
                profile_name=bindparam("profile_name"),
                reachable=True,  # whoever writes to us can be written to again
            ),
            rows,
        )


async def update_persons(conn: AsyncConnection, rows: list[dict[str, Any]]) -> None:
    """rows: {b_id, <columns to set>}, every row with the same columns."""
    # SET columns come from the parameters, so one compiled statement serves every batch.
    await conn.execute(update(persons).where(persons.c.id == bindparam("b_id")), rows)


async def identities_of(conn: AsyncConnection, person_ids: Sequence[int]) -> list[Any]:
    """Every chat identity of these people, with their language, most recently active first."""
    i, p = identities, persons
    query = (
        select(
            i.c.id,
            i.c.person_id,
            i.c.channel,
            i.c.address,
            i.c.reachable,
            i.c.last_inbound_at,
            p.c.locale,
        )
        .join(p, p.c.id == i.c.person_id)
        .where(i.c.person_id.in_(list(person_ids)))
        .order_by(i.c.person_id, i.c.last_inbound_at.desc().nulls_last(), i.c.id)
    )
    return list(await conn.execute(query))


async def create_person(
    conn: AsyncConnection, *, name: str | None, locale: str, now: datetime
) -> int:
    """A person with no chat of their own (a resident a KIM volunteer reports for)."""
    result = await conn.execute(
        insert(persons).values(display_name=name, locale=locale, created_at=now)
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


# --- conversations and drafts -----------------------------------------------------------------


async def save_conversations(
    conn: AsyncConnection, inserts: list[dict[str, Any]], updates: list[dict[str, Any]]
) -> None:
    if inserts:
        await conn.execute(insert(conversations), inserts)
    if updates:
        columns = (
            "flow",
            "step",
            "data",
            "history",
            "options",
            "draft",
            "updated_at",
            "expires_at",
        )
        await conn.execute(
            update(conversations)
            .where(conversations.c.identity_id == bindparam("b_identity_id"))
            .values({name: bindparam(f"b_{name}") for name in columns}),
            [{f"b_{k}": v for k, v in row.items()} for row in updates],
        )


async def drop_old_drafts(conn: AsyncConnection, before: datetime) -> int:
    c = conversations
    result = await conn.execute(
        update(c).where(and_(c.c.draft.is_not(None), c.c.updated_at < before)).values(draft=None)
    )
    return int(result.rowcount or 0)


def _conversation_columns() -> list[Any]:
    """A conversation row's columns, in `ConversationRow`'s order."""
    return [getattr(conversations.c, name) for name in ConversationRow.__dataclass_fields__]


async def conversation_of(conn: AsyncConnection, identity_id: int) -> ConversationRow | None:
    query = select(*_conversation_columns()).where(conversations.c.identity_id == identity_id)
    row = (await conn.execute(query)).first()
    return ConversationRow(*row) if row is not None else None
