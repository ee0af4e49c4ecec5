"""Delivers committed outbox rows through each channel's sender and records the result.

Rows arrive straight from the engine after each commit; on start, rows left pending by a crash
are picked up from the database. Results are written back through the engine's single writer.
Rate limits, retries with backoff and scheduled sends come with the scheduler issue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.engine.clock import Clock
from bot.engine.engine import Engine
from bot.engine.types import Outbound
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


# Pages of a backlog handed over before waiting for them to go: enough that one chat's
# pacing (1/s) overlaps other chats' messages, few enough that memory stays flat.
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
        self._queue: asyncio.Queue[Outbound | None] = asyncio.Queue()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self._attempts: dict[int, int] = {}
        self._timers: dict[int, asyncio.TimerHandle] = {}
        self._recovery: asyncio.Task[None] | None = None

    def notify(self, messages: list[Outbound]) -> None:
        for message in messages:
            if message.channel in self._senders:
                self._idle.clear()
                self._queue.put_nowait(message)

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="dispatcher")
        self._recovery = asyncio.create_task(self.recover(), name="recovery")

    async def wait_idle(self) -> None:
        if self._recovery is not None and not self._recovery.done():
            await self._recovery
        await self._idle.wait()

    async def _send_all(self, batch: list[Outbound]) -> list[tuple[Outbound, SendResult]]:
        """Each chat's messages in order, different chats side by side: one chat waiting out
        its pacing (Telegram: one message a second) must not hold up everyone else."""
        chats: dict[tuple[str, str], list[Outbound]] = {}
        for message in batch:
            chats.setdefault((message.channel, message.address), []).append(message)
        done = await asyncio.gather(*(self._send_in_order(queue) for queue in chats.values()))
        return [pair for pairs in done for pair in pairs]

    async def _send_in_order(self, queue: list[Outbound]) -> list[tuple[Outbound, SendResult]]:
        results = []
        for message in queue:
            try:
                result = await self._senders[message.channel].send(message)
            except Exception as exc:  # a sender bug must not stop delivery
                result = SendResult(False, error=type(exc).__name__)
            results.append((message, result))
        return results

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
        if self._task is not None:
            self.notify([message])

    async def stop(self) -> None:
        if self._recovery is not None and not self._recovery.done():
            self._recovery.cancel()  # what it did not hand over stays pending for next time
            with contextlib.suppress(asyncio.CancelledError):
                await self._recovery
        for timer in self._timers.values():
            timer.cancel()  # still pending in the outbox: the next start sends them
        self._timers.clear()
        if self._task is not None:
            await self._queue.put(None)
            await self._task
            self._task = None

    async def recover(self) -> None:
        """Send what an earlier run committed but never delivered, a page at a time: the next
        page is read once the last one is sent, so a backlog of any size keeps memory flat."""
        now = self._clock.now()
        last, in_flight = 0, 0
        while True:

            async def load(conn: AsyncConnection, after: int = last) -> list[Outbound]:
                rows = await repo.due_outbox(conn, list(self._senders), now, after_id=after)
                for row in rows:
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
            if in_flight >= RECOVERY_PAGES_IN_FLIGHT and self._task is not None:
                await self._idle.wait()  # (not wait_idle: that waits for this very task)
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
                    answer = first.payload.get("then"), first.payload.get("answer_options")
                    if answer != (None, None):  # a question: their next message answers it
                        await repo.prepare_answer(conn, first.identity_id, *answer)
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

    async def resend(self, ids: list[int]) -> None:
        """Send these rows again (re-planned after the fact, e.g. as a template). They were
        delivered once, so none of them is still in the queue."""

        async def load(conn: AsyncConnection) -> list[Outbound]:
            return [_outbound(row) for row in await repo.outbox_rows(conn, ids)]

        self.notify(await self._engine.write(load))

    async def _run(self) -> None:
        while True:
            message = await self._queue.get()
            if message is None:
                return
            batch = [message]
            while not self._queue.empty():
                more = self._queue.get_nowait()
                if more is None:
                    await self._deliver(batch)
                    return
                batch.append(more)
            await self._deliver(batch)
            if self._queue.empty():
                self._idle.set()

    async def _deliver(self, batch: list[Outbound]) -> None:
        sent: list[dict[str, object]] = []
        held: list[dict[str, object]] = []
        unreachable: list[tuple[str, str]] = []
        failed: list[dict[str, object]] = []
        for message, result in await self._send_all(batch):
            attempts = self._attempts.pop(message.outbox_id, 0) + 1
            if result.ok:
                sent.append({"b_id": message.outbox_id, "provider_message_id": result.provider_id})
                continue
            if result.hold:  # not now (WhatsApp's window is closed): wait for the person
                held.append(
                    {
                        "b_id": message.outbox_id,
                        "status": "held",
                        "attempts": attempts - 1,
                        "last_error": result.error,
                    }
                )
                continue
            log.warning("send failed: outbox=%s error=%s", message.outbox_id, result.error)
            dead = result.permanent or attempts >= MAX_ATTEMPTS
            if not dead:
                self._retry_later(message, attempts, result.retry_after)
            if result.unreachable:
                unreachable.append((message.channel, message.address))
            failed.append(
                {
                    "b_id": message.outbox_id,
                    "status": "dead" if dead else "pending",
                    "attempts": attempts,
                    "last_error": result.error,
                }
            )
        now = self._clock.now()

        async def record(conn: AsyncConnection) -> None:
            await repo.mark_sent(conn, sent, now)
            await repo.mark_failed(conn, failed)
            await repo.mark_failed(conn, held)
            await repo.mark_unreachable(conn, unreachable)

        self._engine.defer(record)
