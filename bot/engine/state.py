"""What a batch carries for each chat, and the services every turn shares.

Kept apart from the turn so that the batch, the chats and the outbox can name them without
importing the turn's whole machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.agency import Agency
from bot.understanding import Reader
from storage.repo import ConversationRow, IdentityRow


@dataclass
class Services:
    agency: Agency
    ttl: timedelta
    zone: ZoneInfo
    default_locale: str
    progress_days: int = 0  # working days between "still being handled" messages; 0 = none
    quiet: tuple[time, time] | None = None  # local hours without pushes to citizens
    # Wakes the report worker once a /rekap request is queued (set by the app).
    recap_queued: Callable[[], None] | None = None
    reader: Reader = field(init=False)

    def __post_init__(self) -> None:
        # Built once: the agency's category words and its own [understanding] words.
        self.reader = Reader.for_agency(self.agency.topic_words(), self.agency.understanding)


@dataclass
class ChatState:
    identity: IdentityRow
    conversation: ConversationRow
    stored: bool  # the conversation row exists in the database
    touched: bool = False  # identity's last-inbound time or profile name changed
    changed_person: dict[str, Any] = field(default_factory=dict)
    # Questions (then, answer options) released to them in this batch, ahead of the replies
    questions: list[tuple[Any, Any]] = field(default_factory=list)

    @property
    def locale(self) -> str:
        return self.identity.locale


def fresh_conversation(now: datetime) -> ConversationRow:
    return ConversationRow("welcome", "", {}, [], [], None, now, None)
