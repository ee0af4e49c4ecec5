"""Telegram through python-telegram-bot: updates → `Inbound`, `Outbound` → Bot API calls.

The only module that imports `telegram`. PTB is used for what it is good at (the HTTP client,
polling, typed updates); conversation state stays in our database, so no ConversationHandler.
Every update goes to the engine with its `update_id` as delivery id: a redelivered update
(restart, webhook retry) is dropped there. Receiving (webhook, polling) is
`bot.channels.telegram_inbound`.
"""

from __future__ import annotations

import asyncio
import html
import logging
import os
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeAlias

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType, MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application

from bot.channels.pacing import Pacer
from bot.channels.text import with_numbered_options
from bot.domain.commands import citizen_menu, staff_menu
from bot.engine.dispatcher import SendResult
from bot.i18n import render
from bot.values.types import Inbound, Location, Media, Outbound

# Opt in to PTB 22's timedelta time periods (RetryAfter.retry_after...); the int form is
# deprecated and warns on every use.
os.environ.setdefault("PTB_TIMEDELTA", "1")

log = logging.getLogger(__name__)
CHANNEL = "telegram"
MAX_KEYBOARD = 12  # more buttons than this read better as a numbered list
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data


# --- updates → Inbound --------------------------------------------------------------------------


def update_to_inbound(update: Update) -> Inbound | None:
    """What the engine should hear; None for updates that carry nothing for it. In a group
    only a text addressed to the bot is heard, and only to point to a private chat: nothing
    of the group's members is kept."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    if chat.type != ChatType.PRIVATE:
        message = update.effective_message
        if message is None or not isinstance(message.text, str) or not message.text:
            return None
        return Inbound(
            channel=CHANNEL,
            chat_id=str(chat.id),
            delivery_id=str(update.update_id),
            at=_when(update),
            group=True,
        )
    base = Inbound(
        channel=CHANNEL,
        chat_id=str(chat.id),
        delivery_id=str(update.update_id),
        at=_when(update),
        profile_name=user.full_name or None,
    )
    query = update.callback_query
    if query is not None:
        # "noop" is the "✓ chosen" marker left on an answered keyboard; data that is not a
        # string came from no keyboard of ours.
        if not isinstance(query.data, str) or query.data == "noop":
            return None
        return replace(base, choice=query.data)
    message = update.effective_message
    if message is None:
        return None
    return _from_message(base, message)


def _from_message(base: Inbound, message: Message) -> Inbound:
    text = message.text or message.caption
    if not isinstance(text, str):  # (a forged update's odd fields: nothing to read there)
        text = None
    replied = message.reply_to_message
    if replied is not None:  # the engine looks the message up among those it sent this chat
        base = replace(base, reply_to_message_id=str(replied.message_id))
    if message.text and message.text.startswith("/start "):
        return replace(base, text="/start", command_payload=message.text[7:].strip())
    if message.location is not None:
        loc = message.location
        return replace(base, location=Location(loc.latitude, loc.longitude))
    if message.photo:
        best = message.photo[-1]  # the largest size; downloaded only when someone needs it
        return replace(base, text=text, media=(Media("photo", best.file_id, "image/jpeg"),))
    if message.document is not None:
        doc = message.document
        return replace(base, text=text, media=(Media("document", doc.file_id, doc.mime_type),))
    if message.voice is not None:
        return replace(
            base, media=(Media("voice", message.voice.file_id, message.voice.mime_type),)
        )
    if message.audio is not None:
        return replace(
            base, media=(Media("audio", message.audio.file_id, message.audio.mime_type),)
        )
    if message.video is not None:
        return replace(base, text=text, media=(Media("video", message.video.file_id),))
    if text is not None:
        return replace(base, text=text)
    kind = next(
        (
            k
            for k in ("sticker", "contact", "poll", "animation", "video_note")
            if getattr(message, k)
        ),
        "other",
    )
    return replace(base, unsupported=kind)


def _when(update: Update) -> datetime:
    message = update.effective_message
    if message is not None and message.date is not None:
        return message.date.astimezone(UTC)
    return datetime.now(UTC)


# --- Outbound → Bot API -------------------------------------------------------------------------

_BOLD = re.compile(r"\*([^*\n]+)\*")


def to_html(text: str) -> str:
    """Our messages mark bold with *asterisks* (WhatsApp style); Telegram gets safe HTML."""
    return _BOLD.sub(r"<b>\1</b>", html.escape(text, quote=False))


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Pieces under the limit, cut at paragraph, line or word boundaries, never inside a tag."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        # Never split inside an HTML tag or entity.
        opening = window.rfind("<", 0, cut)
        if opening > window.rfind(">", 0, cut):
            cut = opening
        amp = window.rfind("&", 0, cut)
        if amp > window.rfind(";", 0, cut):
            cut = amp
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return [p for p in pieces if p]


def keyboard(buttons: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup | None:
    if not buttons or len(buttons) > MAX_KEYBOARD:
        return None
    if any(len(bid.encode()) > MAX_CALLBACK_BYTES for bid, _label in buttons):
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=bid)] for bid, label in buttons]
    )


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asked us to wait (a timedelta with PTB_TIMEDELTA, else seconds)."""
    wait = exc.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def _retry_after(exc: RetryAfter) -> SendResult:
    """Telegram said how long to wait: the retry waits at least that long."""
    return SendResult(False, error="RetryAfter", retry_after=retry_seconds(exc))


class TelegramSender:
    channel = CHANNEL

    def __init__(self, application: Application, limiter: Pacer | None = None) -> None:  # type: ignore[type-arg]
        self._app = application
        # Telegram's limits: about 30 messages a second overall, one a second per chat.
        self._limiter = limiter or Pacer(30.0, 1.0)

    async def send(self, message: Outbound) -> SendResult:
        if message.kind == "commands":
            return await self._set_commands(message)
        markup = keyboard(message.buttons)
        text = (
            message.text
            if markup or not message.buttons
            else with_numbered_options(message.text, message.buttons)
        )
        pieces = split_text(to_html(text))
        last_id = None
        try:
            for n, piece in enumerate(pieces):
                await self._limiter.wait(message.address, urgent=message.urgent)
                sent = await self._app.bot.send_message(
                    chat_id=int(message.address),
                    text=piece,
                    parse_mode="HTML",
                    reply_markup=markup if n == len(pieces) - 1 else None,
                )
                last_id = str(sent.message_id)
        except RetryAfter as exc:
            return _retry_after(exc)
        except Forbidden:  # the user blocked the bot: stop writing to them
            return SendResult(False, error="Forbidden", permanent=True, unreachable=True)
        except BadRequest as exc:
            log.warning("telegram refused a message: %s", type(exc).__name__)
            return SendResult(False, error="BadRequest", permanent=True)
        except (NetworkError, TelegramError) as exc:
            return SendResult(False, error=type(exc).__name__)
        await self._send_attachments(message)
        return SendResult(True, provider_id=last_id)

    async def _send_attachments(self, message: Outbound) -> None:
        """After the text: a case card's photos (Telegram file ids), a recap's charts and
        workbook (uploaded from our disk). One that fails is logged and skipped, never a
        reason to send the text again."""
        chat = int(message.address)
        sends: list[tuple[str, str, Any]] = [
            ("photo", "", photo) for photo in message.extra.get("photos", [])
        ]
        for file in message.extra.get("files", []):
            try:
                content = await asyncio.to_thread(Path(file["path"]).read_bytes)
            except OSError:  # deleted after its links expired: the text went anyway
                log.warning("report file gone before sending")
                continue
            sends.append((file["kind"], file["name"], content))
        for kind, name, content in sends:
            try:
                await self._limiter.wait(message.address, urgent=message.urgent)
                if kind == "photo":
                    await self._app.bot.send_photo(chat_id=chat, photo=content)
                else:
                    await self._app.bot.send_document(chat_id=chat, document=content, filename=name)
            except TelegramError as exc:
                log.warning("telegram refused a %s: %s", kind, type(exc).__name__)

    async def _set_commands(self, message: Outbound) -> SendResult:
        """This chat's own command menu (BotCommandScopeChat), for the roles it now holds."""
        scope = BotCommandScopeChat(int(message.address))
        roles = frozenset(message.extra.get("roles", []))
        try:
            for language in ("id", "en"):
                await self._app.bot.set_my_commands(
                    [BotCommand(name, text) for name, text in staff_commands(roles, language)],
                    scope=scope,
                    language_code=None if language == "id" else language,
                )
        except RetryAfter as exc:
            return _retry_after(exc)
        except (BadRequest, Forbidden) as exc:
            return SendResult(False, error=type(exc).__name__, permanent=True)
        except (NetworkError, TelegramError) as exc:
            return SendResult(False, error=type(exc).__name__)
        return SendResult(True)


# --- running ------------------------------------------------------------------------------------


def staff_commands(roles: frozenset[str], language: str) -> list[tuple[str, str]]:
    """A staff chat's menu, from the command table, in the chat's language."""
    return [(word, render(line, language)) for word, line in staff_menu(roles)]


async def set_citizen_commands(application: Application) -> None:  # type: ignore[type-arg]
    """The command menu a citizen sees, in Indonesian by default and English for English
    Telegram clients. (Officers get their own per-chat menus with their role, later.)"""
    for language in ("id", "en"):
        await application.bot.set_my_commands(
            [BotCommand(word, render(line, language)) for word, line in citizen_menu()],
            language_code=None if language == "id" else language,
        )


# PTB's Application, named here so that nothing outside the channels imports telegram.
BotApp: TypeAlias = Application[Any, Any, Any, Any, Any, Any]


def build_application(
    token: str,
    base_url: str | None,
    request: object | None = None,
) -> BotApp:
    """PTB's Application for its Bot (HTTP client, typed objects, errors). Updates are not
    fetched by PTB's Updater: `telegram_inbound` receives them, so that nothing is confirmed
    to Telegram before it is committed."""
    builder = Application.builder().token(token).updater(None)
    if base_url:
        builder = builder.base_url(base_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)  # type: ignore[arg-type]
    return builder.build()
