"""What more than one query module names: the key of a chat, and how chats are found."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, tuple_

from storage import keys
from storage.schema import identities

ChatKey = tuple[str, str]  # (channel, address)


def chat_indexes(chats: Iterable[ChatKey]) -> dict[tuple[str, str], ChatKey]:
    """(channel, blind index) -> the chat, for these chats under every lookup key in the
    ring: a rotation of the lookup key loses no chat while it runs."""
    ring = keys.current()
    return {
        (channel, index): (channel, address)
        for channel, address in chats
        for index in ring.indexes(channel, address)
    }


def chats_named(chats: Iterable[ChatKey]) -> ColumnElement[bool]:
    """The identities of these chats. Addresses are sealed (no two seals of one address are
    alike), so they are found by their blind index; (channel, address_key) is the unique
    index, so this is one index probe per key."""
    return tuple_(identities.c.channel, identities.c.address_key).in_(list(chat_indexes(chats)))


def erased_chat(identity_id: int) -> dict[str, Any]:
    """The values that erase a chat's address: nothing left to find it by, and unique."""
    marker = f"{keys.ERASED_INDEX}{identity_id}"
    return {"address": marker, "address_key": marker}
