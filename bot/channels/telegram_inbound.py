"""Receiving Telegram updates, by webhook or by polling, acknowledged only once committed.

Telegram never sends an update again once it is acknowledged: a webhook answered 2xx, or an
update below the offset of a later getUpdates. So a webhook answers 200 only after the
engine has committed the update (503 when the database refused it, and Telegram retries),
and the poller moves its offset past an update only once it is committed. Side effects of
our own (answering a pressed button) happen once, for the delivery that was new.

A webhook request is checked against the secret header before its body is read, and the
body is bounded: no update Telegram sends comes near `MAX_UPDATE_BYTES`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from telegram import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError
from telegram.ext import Application

from bot.channels.telegram import retry_seconds, set_citizen_commands, update_to_inbound
from bot.engine.engine import EngineUnavailableError
from bot.values.types import Handled, Inbound
from bot.web import BodyRefusedError, read_body, refused

log = logging.getLogger(__name__)
ALLOWED_UPDATES = ["message", "callback_query"]
# A message (4,096 characters, every one an escaped emoji, with entities) replying to another
# such message is a few hundred KB at most.
MAX_UPDATE_BYTES = 1 << 20
POLL_TIMEOUT = 10  # seconds a getUpdates long poll waits for news
BACKOFF_FIRST, BACKOFF_CAP = 1.0, 30.0  # seconds between attempts while something refuses

Submit = Callable[[Inbound], Awaitable[Handled]]


def parse_update(body: bytes, bot: Bot) -> tuple[Update, Inbound | None] | None:
    """The update and what the engine should hear of it, or None when the body is not a
    Telegram update at all (answered 400). Forged or odd JSON must never become a 500."""
    try:
        data = json.loads(body)
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return None
        update = Update.de_json(data, bot)
        return update, update_to_inbound(update)
    except Exception:
        # Whatever a forged update makes PTB raise, it is not an update: a date beyond
        # time_t is an OverflowError or OSError, a field of the wrong kind a TypeError or
        # AttributeError, deep nesting a RecursionError (all found by fuzzing).
        return None


_acknowledging: set[asyncio.Task[None]] = set()  # (a task needs a reference until it ends)


async def deliver(submit: Submit, update: Update, inbound: Inbound | None) -> None:
    """Hand one update to the engine; raises EngineUnavailableError if it was not committed.
    A pressed button is answered once, for the new delivery, without holding up the answer
    to Telegram."""
    if inbound is None:
        return
    handled = await submit(inbound)
    if handled.fresh and update.callback_query is not None:
        task = asyncio.create_task(_acknowledge(update.callback_query))
        _acknowledging.add(task)
        task.add_done_callback(_acknowledging.discard)


def webhook_endpoint(
    application: Application,  # type: ignore[type-arg]
    submit: Submit,
    secret: str,
) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint Telegram posts updates to."""

    async def endpoint(request: Request) -> Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            return refused(403)
        try:
            body = await read_body(request, MAX_UPDATE_BYTES)
        except BodyRefusedError as exc:
            return refused(exc.status)
        parsed = parse_update(body, application.bot)
        if parsed is None:
            return refused(400)
        try:
            await deliver(submit, *parsed)
        except EngineUnavailableError:
            return refused(503)  # not committed: Telegram must send it again
        return Response(status_code=200)

    return endpoint


async def register_webhook(application: Application, url: str, secret: str) -> None:  # type: ignore[type-arg]
    await application.initialize()
    await application.bot.set_webhook(url=url, secret_token=secret, allowed_updates=ALLOWED_UPDATES)
    await set_citizen_commands(application)


class Poller:
    """getUpdates in a loop of our own, for offices without a public HTTPS address.

    PTB's Updater confirms every update it fetched with its next call, whatever became of
    it. Here the offset moves past an update only once the engine has committed it; an update
    the database refused is fetched again after a pause (later ones of the same batch come
    again too, and the engine drops them as redeliveries). The updates of one batch go to the
    engine together, in order, so they share its transactions and each chat keeps its order.
    """

    def __init__(self, application: Application, submit: Submit) -> None:  # type: ignore[type-arg]
        self._bot = application.bot
        self._application = application
        self._submit = submit
        self._offset: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._handing_over = False  # updates are with the engine: let them finish
        self._stopping = False

    async def start(self) -> None:
        await self._application.initialize()
        await self._bot.delete_webhook()  # a webhook left on the bot would block getUpdates
        await set_citizen_commands(self._application)
        self._task = asyncio.create_task(self._run(), name="telegram-poller")

    async def stop(self) -> None:
        """Stop after the batch in hand (a long poll or a pause is cut short), then confirm
        what was committed, so a restart does not fetch it again."""
        self._stopping = True
        if self._task is None:
            return
        if not self._handing_over:
            self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self._offset is not None:
            with contextlib.suppress(TelegramError):
                await self._bot.get_updates(offset=self._offset, timeout=0, limit=1)

    async def _run(self) -> None:
        pause = BACKOFF_FIRST
        while not self._stopping:
            try:
                updates = await self._bot.get_updates(
                    offset=self._offset, timeout=POLL_TIMEOUT, allowed_updates=ALLOWED_UPDATES
                )
            except RetryAfter as exc:
                await asyncio.sleep(retry_seconds(exc))
                continue
            except (InvalidToken, Conflict, TelegramError) as exc:
                # Conflict: another process polls with this token. Network trouble: retry.
                log.warning("getUpdates failed: %s", type(exc).__name__)
                await asyncio.sleep(pause)
                pause = min(pause * 2, BACKOFF_CAP)
                continue
            if await self._hand_over(updates):
                pause = BACKOFF_FIRST
            elif not self._stopping:  # the database refused: fetch the same again, later
                await asyncio.sleep(pause)
                pause = min(pause * 2, BACKOFF_CAP)

    async def _hand_over(self, updates: tuple[Update, ...]) -> bool:
        """Submit a batch; move the offset past what was committed. False if not all was."""
        if not updates:
            return True
        self._handing_over = True
        try:
            outcomes = await asyncio.gather(
                *(deliver(self._submit, u, _inbound(u)) for u in updates), return_exceptions=True
            )
        finally:
            self._handing_over = False
        for update, outcome in zip(updates, outcomes, strict=True):
            if isinstance(outcome, EngineUnavailableError):
                self._offset = update.update_id  # this one and the rest come again
                return False
            if isinstance(outcome, BaseException):  # a bug of ours: it must not stop polling
                log.error("update not handled: %s", type(outcome).__name__)
            self._offset = update.update_id + 1
        return True


def _inbound(update: Update) -> Inbound | None:
    try:
        return update_to_inbound(update)
    except Exception:  # an update we cannot read is skipped: it must not stop polling
        return None


async def _acknowledge(query: CallbackQuery) -> None:
    """Answer the pressed button (it stops spinning) and show what was chosen in place of the
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
    except TelegramError as exc:  # cosmetic only: the choice itself went through
        log.info("callback acknowledgement failed: %s", type(exc).__name__)
