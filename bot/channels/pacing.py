"""Pacing sends under a platform's limits, with replies to people who just wrote first.

Telegram allows about 30 messages a second overall and one a second in a private chat (PTB's
AIORateLimiter does not pace private chats); Twilio about 80 a second per sender. Waiting
happens here, before a call. Each chat's messages come one at a time (the dispatcher's lane
for that chat), so the per-chat interval is a plain timestamp; the overall limit is a queue
that lets waiters through at the rate, **urgent ones first**: a backlog of thousands of
updates (a recovery after a restart, a sweep's reminders) must not keep a citizen who just
wrote waiting for the answer.

The overall rate is checked against the times sends really went: each waiter stamps the
time it resumed, and the next is let through only after that stamp. A busy event loop that
woke a bunch of waiters late would otherwise put more than the limit into one second.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable

FORGET_AFTER = 10_000  # chats remembered for their per-chat slot before old ones are dropped


class Pacer:
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
        self._next_chat: dict[str, float] = {}
        self._next_global = 0.0
        self._sent: deque[float] = deque(maxlen=max(1, int(per_second)))
        # Waiting for a slot: urgent first, each in arrival order.
        self._waiting: tuple[deque[asyncio.Future[None]], ...] = (deque(), deque())
        self._pump: asyncio.Task[None] | None = None
        self._stamped = asyncio.Event()  # the waiter last let through has noted its time

    async def wait(self, chat: str, *, urgent: bool = False) -> None:
        """Return when a message to `chat` may be sent."""
        delay = self._next_chat.get(chat, 0.0) - self._clock()
        if delay > 0:
            await self._sleep(delay)
        slot: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[0 if urgent else 1].append(slot)
        if self._pump is None or self._pump.done():
            self._pump = asyncio.create_task(self._release(), name="pacer")
        try:
            await slot
        finally:
            if slot.done() and not slot.cancelled():  # let through (even if then cancelled)
                self._stamp(chat)

    def _stamp(self, chat: str) -> None:
        now = self._clock()
        self._sent.append(now)
        self._next_chat[chat] = now + self._per_chat
        if len(self._next_chat) > FORGET_AFTER:  # forget chats whose slot has passed
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        self._stamped.set()

    async def _release(self) -> None:
        """Let waiters through one at a time, no faster than the overall limit."""
        while any(self._waiting):
            wait = self._next_global - self._clock()
            if len(self._sent) == self._sent.maxlen:  # never more than the limit in a second
                wait = max(wait, self._sent[0] + 1.0 - self._clock())
            if wait > 0:
                await self._sleep(wait)
                continue
            queue = next(q for q in self._waiting if q)
            slot = queue.popleft()
            if slot.done():  # its sender gave up (cancelled): the slot goes to the next
                continue
            now = self._clock()
            # The next slot follows the planned one, so a loop that lags catches up instead
            # of falling further behind (the one-second check above bounds the catching up);
            # after a pause, from now: an idle pacer saves no credit.
            planned = self._next_global if self._next_global > now - 1.0 else now
            self._next_global = planned + self._interval
            self._stamped.clear()
            slot.set_result(None)
            await self._stamped.wait()  # its time is in `_sent` before the next goes
