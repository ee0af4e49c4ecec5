"""What channels hand to the engine and what the engine hands back. No channel library here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.values.messages import Localized, Msg, Raw


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    address: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Media:
    kind: str  # photo | document | voice | video | audio
    file_ref: str  # Telegram file_id, Twilio media URL, local path
    content_type: str | None = None


@dataclass(frozen=True)
class Inbound:
    channel: str  # console | telegram | whatsapp
    chat_id: str  # where replies go: Telegram chat id, E.164 number, console user name
    delivery_id: str  # the channel's own id, for dropping redeliveries
    at: datetime
    text: str | None = None
    choice: str | None = None  # a button pressed (callback data / quick-reply payload)
    location: Location | None = None
    media: tuple[Media, ...] = ()
    unsupported: str | None = None  # sticker | contact | poll | ... : answered with a hint
    profile_name: str | None = None
    phone: str | None = None  # the sender's own number, where the channel knows it
    command_payload: str | None = None  # /start deep-link payload
    # The platform's id of our message that this one replies to (Telegram's reply, WhatsApp's
    # swipe-reply): a reply to a case card or a case update is about that case.
    reply_to_message_id: str | None = None
    group: bool = False  # written in a group chat: answered only with a pointer to a private chat


@dataclass(frozen=True)
class Button:
    id: str
    label: Msg | Localized | Raw | str
    aliases: tuple[str, ...] = ()  # other words that pick this button ("ya", "yes")


@dataclass(frozen=True)
class Reply:
    """One message to the person, still untranslated."""

    text: Msg
    buttons: tuple[Button, ...] = ()


@dataclass(frozen=True)
class Notice:
    """A message to someone other than the sender (a citizen, a unit's officers), written in
    the same transaction as the change it reports.

    `then` puts the recipient's conversation at a step (flow, step, data) when they are idle,
    so their next message answers it (a clarification question); otherwise the buttons alone
    carry the case code."""

    person_id: int
    reply: Reply
    kind: str = "status_update"  # picks a WhatsApp template outside the 24-hour window
    prefer_channel: str | None = None  # the channel the case came in on
    then: tuple[str, str, dict[str, Any]] | None = None
    # (channel, file ref) of photos to show with it; sent only on the channel they came from
    media: tuple[tuple[str, str], ...] = ()
    data: dict[str, Any] = field(default_factory=dict)  # extra payload for the sender
    key: str | None = None  # once per person ever: "remind:<case>:<due>:<n>" (with the person)


@dataclass(frozen=True)
class Outbound:
    """A rendered message as stored in the outbox and given to a channel's sender."""

    outbox_id: int
    channel: str
    address: str
    text: str
    buttons: tuple[tuple[str, str], ...] = ()  # (id, label) in display order
    extra: dict[str, Any] = field(default_factory=dict)
    kind: str = "reply"  # reply | status_update | reminder ...: picks a WhatsApp template
    last_inbound_at: datetime | None = None  # for WhatsApp's 24-hour window
    # The answer to someone who just wrote: paced ahead of backlogs and pushes, so one chat's
    # queue (or a recovery after a restart) never keeps another person waiting for a reply.
    urgent: bool = False

    # Payload keys a sender reads besides text and buttons: photos with a case card, files
    # with a report, a chat's command menu, a forced WhatsApp template.
    EXTRA_KEYS = ("force_template", "photos", "files", "roles")

    @staticmethod
    def payload(text: str, buttons: list[tuple[str, str]]) -> dict[str, Any]:
        return {"text": text, "buttons": [list(b) for b in buttons]}


@dataclass(frozen=True)
class Handled:
    """An inbound message, committed: what it caused, and whether it was new (a redelivery is
    dropped, so a channel repeats none of its own side effects for it)."""

    fresh: bool
    outbound: list[Outbound] = field(default_factory=list)
