"""Delivers committed outbox rows through each channel's sender and records the result.

Rows arrive straight from the engine after each commit; on start, rows left pending by a crash
are picked up from the database. Each chat has a lane: its messages go out one at a time, in
order, while other chats' lanes run beside it, so one chat's queue (Telegram paces a chat to
one message a second) never holds up another chat's reply.

Neither Telegram nor Twilio can tell a repeated send from a new one, so the window between a
send and its record is one message: each result is committed (`send_results`) before that
chat's next send. A crash can then repeat at most the one message each chat had in flight.
A result the database refused to record is kept and written again later, and its message is
never handed over twice meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import deque
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.engine.clock import Clock
from bot.engine.engine import Engine
from bot.engine.outbox import take_question
from bot.engine.send_results import SendRecord, SendRecorder
from bot.values.types import Outbound
from storage import repo

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
RETRY_BASE = 2.0  # seconds before the first retry of a failed send
RETRY_CAP = 300.0


@dataclass(frozen=True)
class SendResult:
    ok: bool
    provider_id: str | None = None
    error: str | None = None  # a short code, never message text
    permanent: bool = False
    retry_after: float | None = None  # the platform said when to try again
    unreachable: bool = False  # the person blocked us or the number is gone
    hold: bool = False  # keep it until the person writes again (WhatsApp window closed)


class Sender(Protocol):
    channel: str

    async def send(self, message: Outbound) -> SendResult: ...


# Pages of a backlog handed over before waiting for the lanes to take them: enough that one
# chat's pacing (1/s) overlaps other chats' messages, few enough that memory stays flat.
RECOVERY_PAGES_IN_FLIGHT = 4
BUNDLE_TEXT = 900  # characters: a bundle stays within a WhatsApp template's 1,000


def _bundles(group: list[Any]) -> list[tuple[Any, list[Any]]]:
    """One person's due rows as (first, joined into it): plain text of one kind together,
    up to BUNDLE_TEXT; anything with buttons, photos, files or a question on its own."""
    out: list[tuple[Any, list[Any]]] = []
    current: list[Any] = []

    def plain(row: Any) -> bool:
        p = row.payload
        return not (p.get("buttons") or p.get("photos") or p.get("files") or p.get("then"))

    for row in group:
        if not plain(row):
            out.append((row, []))
            continue
        size = sum(len(r.payload["text"]) + 2 for r in current) + len(row.payload["text"])
        if current and (row.kind != current[0].kind or size > BUNDLE_TEXT):
            out.append((current[0], current[1:]))
            current = []
        current.append(row)
    if current:
        out.append((current[0], current[1:]))
    return out


def _outbound(row: Any) -> Outbound:
    """An outbox row (with its recipient) as a message to send."""
    payload = row.payload
    return Outbound(
        row.id,
        row.channel,
        row.address,
        payload["text"],
        tuple((str(b[0]), str(b[1])) for b in payload.get("buttons", [])),
        extra={k: payload[k] for k in Outbound.EXTRA_KEYS if payload.get(k)},
        kind=row.kind,
        last_inbound_at=row.last_inbound_at,
    )


class Dispatcher:
    def __init__(self, engine: Engine, clock: Clock, senders: list[Sender]) -> None:
        self._engine = engine
        self._clock = clock
        self._senders = {s.channel: s for s in senders}
        self._lanes: dict[tuple[str, str], deque[Outbound]] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # Outbox ids queued, in flight, waiting for a retry, or sent but not yet recorded:
        # recovery, a release or a resend never hands one of them over a second time.
        self._known: set[int] = set()
        self._idle = asyncio.Event()
        self._idle.set()
        # Messages handed over and not yet settled (waiting in a lane, in the pacer, or being
        # sent): recovery reads the next pages only when fewer than a page are left, so a
        # backlog of any size keeps memory flat.
        self._in_hand = 0
        self._backlog_room = asyncio.Event()
        self._backlog_room.set()
        self._attempts: dict[int, int] = {}
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._recovery: asyncio.Task[None] | None = None
        self._recorder = SendRecorder(engine, clock, self._written)
        self._running = False

    def notify(self, messages: list[Outbound]) -> None:
        """Hand over committed messages; each chat's go out in the order given."""
        for message in messages:
            if message.channel in self._senders and message.outbox_id not in self._known:
                self._known.add(message.outbox_id)
                self._enqueue(message)

    def _enqueue(self, message: Outbound) -> None:
        key = (message.channel, message.address)
        lane = self._lanes.get(key)
        self._in_hand += 1
        if self._in_hand >= repo.OUTBOX_PAGE:
            self._backlog_room.clear()
        if lane is not None:
            lane.append(message)
            return
        self._lanes[key] = deque([message])
        self._idle.clear()
        task = asyncio.create_task(self._run_lane(key), name="lane")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def start(self) -> None:
        self._running = True
        self._recovery = asyncio.create_task(self.recover(), name="recovery")

    async def wait_idle(self) -> None:
        """Until everything handed over is sent and its result recorded (or kept to retry)."""
        if self._recovery is not None and not self._recovery.done():
            await self._recovery
        await self._idle.wait()

    async def _run_lane(self, key: tuple[str, str]) -> None:
        lane = self._lanes[key]
        try:
            while lane:
                message = lane.popleft()
                try:
                    await self._settle(message, await self._send(message))
                finally:
                    self._in_hand -= 1
                    if self._in_hand < repo.OUTBOX_PAGE:
                        self._backlog_room.set()
        finally:
            del self._lanes[key]
            if not self._lanes:
                self._idle.set()

    async def _send(self, message: Outbound) -> SendResult:
        try:
            return await self._senders[message.channel].send(message)
        except Exception as exc:  # a sender bug must not stop delivery
            return SendResult(False, error=type(exc).__name__)

    async def _settle(self, message: Outbound, result: SendResult) -> None:
        """Record what the send did, before this chat's next send."""
        attempts = self._attempts.pop(message.outbox_id, 0) + 1
        record = SendRecord(message.outbox_id, "sent", attempts, provider_id=result.provider_id)
        if not result.ok and result.hold:  # not now (WhatsApp's window): wait for the person
            record = SendRecord(message.outbox_id, "held", attempts - 1, error=result.error)
        elif not result.ok:
            log.warning("send failed: outbox=%s error=%s", message.outbox_id, result.error)
            dead = result.permanent or attempts >= MAX_ATTEMPTS
            record = SendRecord(
                message.outbox_id,
                "dead" if dead else "pending",
                attempts,
                error=result.error,
                unreachable=(message.channel, message.address) if result.unreachable else None,
            )
            if not dead:
                self._retry_later(message, attempts, result.retry_after)
        if await self._recorder.record(record):
            self._written(record)

    def _written(self, record: SendRecord) -> None:
        if record.status != "pending":  # (a planned retry keeps its message known)
            self._known.discard(record.outbox_id)

    def _retry_later(self, message: Outbound, attempts: int, at_least: float | None) -> None:
        """Back off exponentially, with jitter so a recovered channel is not hit all at once.
        (Scheduled retries survive restarts through the outbox rows; these are the fast path.)"""
        self._attempts[message.outbox_id] = attempts
        delay = min(RETRY_BASE * 2 ** (attempts - 1), RETRY_CAP) * (0.5 + random.random())
        delay = max(delay, at_least or 0.0)
        loop = asyncio.get_running_loop()
        self._timers[message.outbox_id] = loop.call_later(delay, self._requeue, message)

    def _requeue(self, message: Outbound) -> None:
        self._timers.pop(message.outbox_id, None)
        if self._running:
            self._enqueue(message)

    async def stop(self) -> None:
        """Let the lanes finish what they hold (and record it), then stop."""
        if self._recovery is not None and not self._recovery.done():
            self._recovery.cancel()  # what it did not hand over stays pending for next time
            with contextlib.suppress(asyncio.CancelledError):
                await self._recovery
        self._running = False
        for timer in self._timers.values():
            timer.cancel()  # still pending in the outbox: the next start sends them
        self._timers.clear()
        await self._idle.wait()
        await self._recorder.stop()

    async def recover(self) -> None:
        """Send what an earlier run committed but never delivered, a page at a time: the next
        page is read once the lanes are nearly through the last ones, so a backlog of any size
        keeps memory flat (and fresh replies go ahead of it: see `Outbound.urgent`)."""
        last, in_flight = 0, 0
        while True:

            async def load(conn: AsyncConnection, after: int = last) -> list[Outbound]:
                rows = await repo.pending_outbox(conn, list(self._senders), after_id=after)
                for row in rows:
                    if row.id not in self._known:
                        self._attempts[row.id] = row.attempts
                return [_outbound(row) for row in rows]

            page = await self._engine.write(load)
            if not page:
                return
            self.notify(page)
            last = page[-1].outbox_id
            if len(page) < repo.OUTBOX_PAGE:
                return
            in_flight += 1
            if in_flight >= RECOVERY_PAGES_IN_FLIGHT:
                await self._backlog_room.wait()
                in_flight = 0

    async def release_due(self) -> int:
        """Hand over what was scheduled and is due now (quiet hours over), page after page.
        Plain text messages waiting for one person go out as one (like held WhatsApp
        messages); a message with buttons, photos or a question keeps its own. Returns how
        many messages were handed over. Waits while start-up recovery is still sending, so
        nothing is read twice."""
        if self._recovery is not None and not self._recovery.done():
            return 0
        now = self._clock.now()
        channels = list(self._senders)

        async def claim(conn: AsyncConnection) -> tuple[list[Outbound], bool]:
            rows = await repo.due_scheduled(conn, channels, now)
            by_person: dict[int, list[Any]] = {}
            for row in rows:
                by_person.setdefault(row.identity_id, []).append(row)
            ready: list[Outbound] = []
            for group in by_person.values():
                for first, rest in _bundles(group):
                    if rest:
                        text = "\n\n".join(r.payload["text"] for r in (first, *rest))
                        bundle = {**first.payload, "text": text}
                        ids = [r.id for r in rest]
                        await repo.mark_bundled(conn, ids, into=first.id, payload=bundle)
                        first = SimpleNamespace(**{**first._mapping, "payload": bundle})
                    await repo.mark_pending(conn, [first.id])
                    then, options = first.payload.get("then"), first.payload.get("answer_options")
                    if (then, options) != (None, None):  # a question: their next message
                        await self._take_question(conn, first.identity_id, then, options)
                    self._attempts[first.id] = first.attempts
                    ready.append(_outbound(first))
            return ready, len(rows) == repo.OUTBOX_PAGE

        total = 0
        more = True
        while more:
            ready, more = await self._engine.write(claim)
            self.notify(ready)
            total += len(ready)
        return total

    async def _take_question(
        self, conn: AsyncConnection, identity_id: int, then: Any, options: Any
    ) -> None:
        conv = await repo.conversation_of(conn, identity_id)
        if conv is None:
            return
        take_question(conv, tuple(then) if then else None, options)
        row = {"identity_id": identity_id, **vars(conv)}
        await repo.save_conversations(conn, [], [row])

    async def resend(self, ids: list[int]) -> None:
        """Send these rows again (re-planned after the fact, e.g. as a template). They were
        delivered once, so none of them is still in the queue."""

        async def load(conn: AsyncConnection) -> list[Outbound]:
            return [_outbound(row) for row in await repo.outbox_rows(conn, ids)]

        self.notify(await self._engine.write(load))
