"""Telegram through python-telegram-bot: updates → `Inbound`, `Outbound` → Bot API calls.

The only module that imports `telegram`. PTB is used for what it is good at (the HTTP client,
polling, typed updates); conversation state stays in our database, so no ConversationHandler.
Every update goes to the engine with its `update_id` as delivery id: a redelivered update
(restart, webhook retry) is dropped there.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import logging
import os
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from telegram import (
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType, MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.channels.text import with_numbered_options
from bot.domain.lifecycle import Action, roles_for_any
from bot.engine.dispatcher import SendResult
from bot.engine.types import Inbound, Location, Media, Outbound

# Opt in to PTB 22's timedelta time periods (RetryAfter.retry_after...); the int form is
# deprecated and warns on every use.
os.environ.setdefault("PTB_TIMEDELTA", "1")

log = logging.getLogger(__name__)
CHANNEL = "telegram"
MAX_KEYBOARD = 12  # more buttons than this read better as a numbered list
MAX_CALLBACK_BYTES = 64  # Telegram's limit on callback_data
GROUP_NOTE = (
    "Untuk menjaga privasi, Suara Warga hanya melayani lewat chat pribadi. "
    "Silakan kirim pesan langsung ke bot ini. / Please message this bot privately."
)


# --- updates → Inbound --------------------------------------------------------------------------


def update_to_inbound(update: Update) -> Inbound | None:
    """What the engine should hear; None for updates that carry nothing for it."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return None
    base = Inbound(
        channel=CHANNEL,
        chat_id=str(chat.id),
        delivery_id=str(update.update_id),
        at=_when(update),
        profile_name=user.full_name or None,
    )
    query = update.callback_query
    if query is not None:
        if query.data in (None, "noop"):  # the "✓ chosen" marker left on an answered keyboard
            return None
        return replace(base, choice=query.data)
    message = update.effective_message
    if message is None:
        return None
    return _from_message(base, message)


def _from_message(base: Inbound, message: Message) -> Inbound:
    text = message.text or message.caption
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


class RateLimiter:
    """Telegram's limits: about 30 messages a second overall, one a second per private chat.

    (PTB's AIORateLimiter does not pace private chats.) Waiting happens here, before a call.
    Slots are planned ahead (cheap, in order), then checked against the times messages were
    really let through: an event loop that lagged would otherwise release a late bunch at
    once and put more than the limit into one second."""

    def __init__(
        self,
        per_second: float = 30.0,
        per_chat_interval: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._clock, self._sleep = clock, sleep
        self._interval = 1.0 / per_second
        self._per_chat = per_chat_interval
        self._next_global = 0.0
        self._next_chat: dict[str, float] = {}
        self._lock = asyncio.Lock()
        self._gate = asyncio.Lock()
        self._sent: deque[float] = deque(maxlen=max(1, int(per_second)))

    async def wait(self, chat: str) -> None:
        async with self._lock:
            now = self._clock()
            start = max(now, self._next_global, self._next_chat.get(chat, 0.0))
            self._next_global = start + self._interval
            self._next_chat[chat] = start + self._per_chat
            if len(self._next_chat) > 10_000:  # forget chats whose slot has passed
                self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        delay = start - self._clock()
        if delay > 0:
            await self._sleep(delay)
        async with self._gate:  # never more than the limit in any second, as really sent
            while len(self._sent) == self._sent.maxlen:
                wait = self._sent[0] + 1.0 - self._clock()
                if wait <= 0:
                    break
                await self._sleep(wait)
            now = self._clock()
            self._sent.append(now)
            self._next_chat[chat] = max(self._next_chat.get(chat, 0.0), now + self._per_chat)


def _retry_after(exc: RetryAfter) -> SendResult:
    """Telegram said how long to wait: the retry waits at least that long."""
    wait = exc.retry_after
    seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
    return SendResult(False, error="RetryAfter", retry_after=seconds)


class TelegramSender:
    channel = CHANNEL

    def __init__(self, application: Application, limiter: RateLimiter | None = None) -> None:  # type: ignore[type-arg]
        self._app = application
        self._limiter = limiter or RateLimiter()

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
                await self._limiter.wait(message.address)
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
                await self._limiter.wait(message.address)
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

# Officer and volunteer menus: (command, Indonesian, English, who). `who` is an action, whose
# roles come from the case rules (`roles_for_any`), or a set of roles.
_OFFICER = frozenset({"admin", "koordinator", "ppid_utama", "ppid_pembantu", "atasan_ppid"})
_STAFF = frozenset({*_OFFICER, "kim"})
STAFF_MENU: list[tuple[str, str, str, Action | frozenset[str]]] = [
    ("antrian", "Antrian unit saya", "My unit's queue", _OFFICER),
    ("kasus", "Kartu kasus: /kasus KODE", "Case card: /kasus CODE", _OFFICER),
    ("cari", "Cari kasus", "Search cases", _OFFICER),
    ("rekap", "Rekap angka", "Figures for a period", _OFFICER),
    ("verifikasi", "Verifikasi laporan", "Verify a report", Action.VERIFY),
    ("ambil", "Tangani kasus", "Take a case", Action.TAKE),
    ("balas", "Balas pelapor", "Reply to the reporter", Action.REPLY),
    ("tanya", "Minta penjelasan pelapor", "Ask the reporter", Action.ASK),
    ("teruskan", "Teruskan ke unit lain", "Forward to another unit", Action.FORWARD),
    ("bukanwewenang", "Bukan wewenang kami", "Not our authority", Action.NOT_OURS),
    ("catatan", "Catatan internal", "Internal note", Action.NOTE),
    ("selesai", "Tandai selesai", "Mark resolved", Action.RESOLVE),
    ("arsip", "Arsipkan", "Archive", Action.ARCHIVE),
    ("perpanjang", "Perpanjang jawaban", "Extend the answer", Action.EXTEND),
    ("putus", "Keputusan tertulis", "Written decision", Action.DECIDE),
    ("sengketa", "Catat sengketa informasi", "Record an information dispute", Action.DISPUTE),
    ("undang", "Buat undangan petugas", "Invite staff", frozenset({"admin"})),
    ("gagal", "Pesan gagal terkirim", "Failed messages", frozenset({"admin"})),
    ("laporwarga", "Lapor untuk warga", "Report for a resident", frozenset({"kim"})),
    ("laporan", "Laporan yang saya kirim", "Reports I filed", frozenset({"kim"})),
    ("menu", "Menu utama", "Main menu", _STAFF),
    ("bantuan", "Bantuan dan daftar perintah", "Help and commands", _STAFF),
]


def _holds(roles: frozenset[str], who: Action | frozenset[str]) -> bool:
    if isinstance(who, frozenset):
        return bool(roles & who)
    needed = roles_for_any(who)
    allowed = _OFFICER if needed is None else frozenset(r.value for r in needed)
    return bool(roles & allowed)


def staff_commands(roles: frozenset[str], language: str) -> list[tuple[str, str]]:
    return [
        (name, english if language == "en" else indonesian)
        for name, indonesian, english, who in STAFF_MENU
        if _holds(roles, who)
    ]


CITIZEN_COMMANDS = {
    "id": [
        ("menu", "Menu utama"),
        ("lapor", "Buat pengaduan atau aspirasi"),
        ("informasi", "Minta informasi publik"),
        ("status", "Cek status: /status KODE"),
        ("laporan", "Laporan saya"),
        ("bahasa", "Ganti bahasa"),
        ("privasi", "Privasi dan data saya"),
        ("bantuan", "Bantuan"),
    ],
    "en": [
        ("menu", "Main menu"),
        ("lapor", "File a complaint or suggestion"),
        ("informasi", "Request public information"),
        ("status", "Check a status: /status CODE"),
        ("laporan", "My reports"),
        ("bahasa", "Change language"),
        ("privasi", "Privacy and my data"),
        ("bantuan", "Help"),
    ],
}


async def set_citizen_commands(application: Application) -> None:  # type: ignore[type-arg]
    """The command menu a citizen sees, in Indonesian by default and English for English
    Telegram clients. (Officers get their own per-chat menus with their role, later.)"""
    for language, commands in CITIZEN_COMMANDS.items():
        await application.bot.set_my_commands(
            [BotCommand(name, text) for name, text in commands],
            language_code=None if language == "id" else language,
        )


async def start_polling(application: Application) -> None:  # type: ignore[type-arg]
    """Polling: for offices without a public HTTPS address. Any webhook is removed first."""
    await application.initialize()
    await application.bot.delete_webhook()
    await set_citizen_commands(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(allowed_updates=["message", "callback_query"])


async def stop_receiving(application: Application) -> None:  # type: ignore[type-arg]
    """First step of a shutdown: no new updates. The bot can still send what is queued."""
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()


async def shutdown(application: Application) -> None:  # type: ignore[type-arg]
    """Last step: close the HTTP clients (after the engine has drained and delivered)."""
    await stop_receiving(application)
    await application.shutdown()


Submit = Callable[[Inbound], Awaitable[object]]


def build_application(
    token: str,
    base_url: str | None,
    request: object | None = None,
    *,
    webhook: bool = False,
) -> Application:  # type: ignore[type-arg]
    builder = Application.builder().token(token).concurrent_updates(True)
    if webhook:
        builder = builder.updater(None)  # updates arrive through our own Starlette app
    if base_url:
        builder = builder.base_url(base_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(request)  # type: ignore[arg-type]
    return builder.build()


def attach(application: Application, submit: Submit) -> None:  # type: ignore[type-arg]
    """Polling: route every update PTB fetches to the engine."""

    async def on_update(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        await handle_update(application, submit, update)

    application.add_handler(TypeHandler(Update, on_update))


async def handle_update(application: Application, submit: Submit, update: Update) -> None:  # type: ignore[type-arg]
    """One update, from polling or the webhook: groups get a pointer, the rest the engine."""
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        if update.effective_message is not None and update.effective_message.text:
            await application.bot.send_message(chat_id=chat.id, text=GROUP_NOTE)
        return
    if update.callback_query is not None:
        await _acknowledge(update.callback_query)
    inbound = update_to_inbound(update)
    if inbound is not None:
        await submit(inbound)


def webhook_endpoint(
    application: Application,  # type: ignore[type-arg]
    submit: Submit,
    secret: str,
) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint Telegram posts updates to.

    A request without the secret Telegram was registered with is refused before anything is
    read. The answer waits for the engine's commit: once Telegram hears 200 it never sends the
    update again, so it must already be durable."""

    async def endpoint(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return Response(status_code=403)
        try:
            update = Update.de_json(await request.json(), application.bot)
        except (ValueError, TypeError, KeyError):
            return Response(status_code=400)
        await handle_update(application, submit, update)
        return Response(status_code=200)

    return endpoint


async def register_webhook(application: Application, url: str, secret: str) -> None:  # type: ignore[type-arg]
    await application.initialize()
    await application.bot.set_webhook(
        url=url, secret_token=secret, allowed_updates=["message", "callback_query"]
    )
    await set_citizen_commands(application)
    await application.start()


async def _acknowledge(query: CallbackQuery) -> None:
    """Answer at once (the button stops spinning) and show what was chosen in place of the
    buttons, so an old keyboard cannot be pressed again."""
    try:
        await query.answer()
        message = query.message
        if isinstance(message, Message) and message.reply_markup is not None:
            chosen = next(
                (
                    button.text
                    for row in message.reply_markup.inline_keyboard
                    for button in row
                    if button.callback_data == query.data
                ),
                None,
            )
            if chosen is not None:
                await query.edit_message_reply_markup(
                    InlineKeyboardMarkup(
                        [[InlineKeyboardButton(f"✓ {chosen}", callback_data="noop")]]
                    )
                )
    except TelegramError as exc:  # cosmetic only: the choice itself still goes through
        log.info("callback acknowledgement failed: %s", type(exc).__name__)
