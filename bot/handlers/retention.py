"""The end of the retention period (UU 27/2022 Pasal 43–44): the scheduler erases personal
data whose period in the agency file (`Retention`) has ended. Cases keep their kind, dates,
unit, category and outcome, so every report still counts them; their names, NIK, contacts,
addresses, typed words and photos go. Chats with no case go after a year of silence, and the
text of messages sent after 90 days (the agency's own periods)."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.cases import COMPLAINT_KINDS, Kind
from bot.domain.retention import Retention, cut_off
from storage import repo

log = logging.getLogger(__name__)


async def erase_expired(conn: AsyncConnection, kept: Retention, now: datetime) -> int:
    """One round (a few hundred rows of each kind: the next sweep takes the rest)."""
    erased = 0
    groups = (
        (sorted(COMPLAINT_KINDS), kept.complaint_days),
        ([Kind.INFORMASI, Kind.KEBERATAN], kept.information_days),
        ([Kind.DATA], kept.data_request_days),
    )
    for kinds, days in groups:
        ids = await repo.cases_past_retention(conn, kinds, cut_off(now, days))
        erased += await repo.erase_cases(conn, ids, now)
    chats = await repo.erase_chats(
        conn, await repo.idle_chats(conn, cut_off(now, kept.chat_days)), now
    )
    messages = await repo.blank_sent_messages(conn, cut_off(now, kept.message_days))
    if erased or chats or messages:
        log.info(
            "retention: %d cases, %d chats erased; %d sent messages blanked",
            erased,
            chats,
            messages,
        )
    return erased + chats + messages
