"""What a batch carries for each chat, and the services every turn shares.

Kept apart from the turn so that the batch, the chats and the outbox can name them without
importing the turn's whole machinery.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.dip import Dip
from bot.engine.pending import PendingCases
from bot.understanding import Reader
from bot.values.types import Inbound, Notice, Reply
from storage.repo import ConversationRow, IdentityRow


@dataclass
class Services:
    agency: Agency
    ttl: timedelta
    zone: ZoneInfo
    default_locale: str
    progress_days: int = 0  # working days between "still being handled" messages; 0 = none
    quiet: tuple[time, time] | None = None  # local hours without pushes to citizens
    dip: Dip = field(default_factory=Dip)  # what the agency has published (its DIP)
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


class TurnLike(Protocol):
    """What the turn's parts (commands, casework, effects, drafts) use of the turn: they are
    handed the turn and never import it, so the turn's module stays the top of the engine."""

    conn: AsyncConnection
    pending: PendingCases
    services: Services
    chat: ChatState
    inbound: Inbound
    now: datetime
    today: date
    replies: list[Reply]
    notices: list[Notice]
    new_cases: list[str]
    menu_after_case: bool

    async def step(self) -> None: ...
    async def start_flow(self, name: str, carry: dict[str, Any] | None = None) -> None: ...
    def set_flow(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None: ...
    def reprompt(self) -> None: ...
    def offer_menu(self) -> None: ...
    def offer_menu_unless_asked(self) -> None: ...
    def park(self, pending: str | None = None) -> None: ...
    async def global_word(self, word: str) -> None: ...
    async def command(self, text: str) -> None: ...
