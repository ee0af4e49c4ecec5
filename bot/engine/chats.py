"""The chats of a batch: loaded once, changed by the turns in memory, written together.

Loading and writing every chat of a batch in a few statements (instead of per message) is
most of what makes a batch cheaper than its messages one by one.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.engine.state import ChatState, fresh_conversation
from bot.engine.work import Item
from bot.flows.registry import IDLE_FLOWS
from bot.i18n import render
from bot.values.types import Inbound, Reply
from storage import repo
from storage.repo import ChatKey

TOUCH_EVERY = timedelta(minutes=1)


async def load_chats(
    conn: AsyncConnection, items: list[Item], now: Any, default_locale: str
) -> dict[ChatKey, ChatState]:
    """The chats that wrote in this batch: their identity and conversation, created for a
    first message."""
    keys = list(dict.fromkeys((i.inbound.channel, i.inbound.chat_id) for i in items if i.inbound))
    found = await repo.load_chats(conn, keys) if keys else {}
    chats: dict[ChatKey, ChatState] = {}
    for key in keys:
        if key in found:
            identity, conversation = found[key]
            chats[key] = ChatState(
                identity, conversation or fresh_conversation(now), conversation is not None
            )
        else:
            first = next(
                i.inbound
                for i in items
                if i.inbound and (i.inbound.channel, i.inbound.chat_id) == key
            )
            identity = await repo.create_identity(
                conn,
                key,
                locale=default_locale,
                profile_name=first.profile_name,
                now=now,
            )
            chats[key] = ChatState(identity, fresh_conversation(now), False)
    return chats


async def load_recipients(
    conn: AsyncConnection, keys: list[ChatKey], chats: dict[ChatKey, ChatState]
) -> None:
    """The chats a notice goes to, loaded beside the writers so a question can take them."""
    for key, (identity, conversation) in (await repo.load_chats(conn, keys)).items():
        if conversation is not None:  # no conversation yet: they have never written
            chats[key] = ChatState(identity, conversation, True)


def remember_options(chat: ChatState, replies: list[Reply]) -> None:
    """The buttons last shown are what a typed number or label refers to next time."""
    shown = [r for r in replies if r.buttons]
    conv = chat.conversation
    if not shown:
        conv.options = []
        return
    # Only id and label: the words that also pick a button are the flow's, looked up when
    # a message arrives (storing them made every conversation row several times larger).
    # (Case buttons carry their own words: they belong to no flow's prompt.)
    options = [
        [b.id, render(b.label, chat.locale), *(b.aliases if b.id.startswith("c:") else ())]
        for b in shown[-1].buttons
    ]
    conv.options = options


def touch(chat: ChatState, inbound: Inbound, now: Any, ttl: timedelta) -> None:
    """A message arrived: the conversation's expiry moves on, and "last seen" is kept."""
    conv = chat.conversation
    conv.updated_at = now
    conv.expires_at = None if conv.flow in IDLE_FLOWS else now + ttl
    identity = chat.identity
    # Minute precision is enough for "last seen" and WhatsApp's 24-hour window (an early
    # estimate only makes the window look shorter), and it spares a write per message.
    last = identity.last_inbound_at
    if last is None or inbound.at - last >= TOUCH_EVERY:
        identity.last_inbound_at = inbound.at
        chat.touched = True
    if inbound.profile_name and inbound.profile_name != identity.profile_name:
        identity.profile_name = inbound.profile_name
        chat.touched = True


async def persist(conn: AsyncConnection, chats: Any, now: Any) -> None:
    """Every chat of the batch in a few statements: conversations, last seen, names."""
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    touches: list[dict[str, Any]] = []
    people: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for chat in chats:
        conv = chat.conversation
        row = {
            "identity_id": chat.identity.id,
            "flow": conv.flow,
            "step": conv.step,
            "data": conv.data,
            "history": conv.history,
            "options": conv.options,
            "draft": conv.draft,
            "updated_at": conv.updated_at,
            "expires_at": conv.expires_at,
        }
        (updates if chat.stored else inserts).append(row)
        chat.stored = True
        if chat.touched:
            touches.append(
                {
                    "b_id": chat.identity.id,
                    "last_inbound_at": chat.identity.last_inbound_at,
                    "profile_name": chat.identity.profile_name,
                }
            )
        if chat.changed_person:
            keys = tuple(sorted(chat.changed_person))
            people.setdefault(keys, []).append(
                {"b_id": chat.identity.person_id, **chat.changed_person}
            )
            chat.changed_person = {}
    for rows in people.values():
        await repo.update_persons(conn, rows)
    await repo.save_conversations(conn, inserts, updates)
    await repo.touch_identities(conn, touches)
