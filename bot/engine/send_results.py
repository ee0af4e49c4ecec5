"""Recording what became of each send, promptly and without losing it.

A lane waits for its result to be committed before its chat's next send: that is what bounds
a crash's repeats to the one message in flight. Results that finish at about the same moment
share one statement in one of the writer's transactions (group commit), so a lane per chat
costs no transaction per message. A result the database refused is kept and written again
every RECORD_RETRY seconds, and at stop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.engine.clock import Clock
from bot.engine.engine import Engine, EngineUnavailableError
from storage import repo

log = logging.getLogger(__name__)
RECORD_RETRY = 2.0  # seconds between attempts to record results the database refused


@dataclass
class SendRecord:
    """What became of one send, as the outbox will hold it."""

    outbox_id: int
    status: str  # sent | pending (a retry is planned) | dead | held
    attempts: int
    provider_id: str | None = None
    error: str | None = None
    unreachable: tuple[str, str] | None = None  # (channel, address) that refused us for good


async def _write_records(conn: AsyncConnection, records: list[SendRecord], now: Any) -> None:
    sent = [
        {"b_id": r.outbox_id, "provider_message_id": r.provider_id}
        for r in records
        if r.status == "sent"
    ]
    others = [
        {"b_id": r.outbox_id, "status": r.status, "attempts": r.attempts, "last_error": r.error}
        for r in records
        if r.status != "sent"
    ]
    await repo.mark_sent(conn, sent, now)
    await repo.mark_failed(conn, others)
    await repo.mark_unreachable(conn, [r.unreachable for r in records if r.unreachable])


@dataclass
class SendRecorder:
    """Results wait here for the next write: every lane that finished a send at about the
    same moment shares one statement in one of the writer's transactions (group commit)."""

    engine: Engine
    clock: Clock
    on_late_write: Callable[[SendRecord], None]  # a refused result, written at last
    waiting: list[SendRecord] = field(default_factory=list)
    done: asyncio.Future[bool] | None = None  # resolves when `waiting` has been written
    refused: list[SendRecord] = field(default_factory=list)  # to write again, later
    retry: asyncio.Task[None] | None = None
    flushing: asyncio.Task[None] | None = None

    async def record(self, item: SendRecord) -> bool:
        """True once written; False if the database refused (it is then retried later)."""
        if self.done is None:
            self.done = asyncio.get_running_loop().create_future()
            self.flushing = asyncio.create_task(self._flush(self.done))
        self.waiting.append(item)
        return await asyncio.shield(self.done)

    async def _flush(self, done: asyncio.Future[bool]) -> None:
        taken: list[SendRecord] = []

        async def job(conn: AsyncConnection) -> None:
            nonlocal taken
            # What is waiting now goes in this transaction; later results start another.
            taken, self.waiting, self.done = self.waiting, [], None
            await _write_records(conn, taken, self.clock.now())

        try:
            await self.engine.write(job)
            done.set_result(True)
        except Exception as exc:  # refused (or a bug): keep the results, never hang a lane
            if not isinstance(exc, EngineUnavailableError):
                log.error("recording send results failed: %s", type(exc).__name__)
            if self.done is done:  # refused before the job ran: nothing was taken
                taken, self.waiting, self.done = self.waiting, [], None
            self.refused.extend(taken)
            self._retry_later()
            done.set_result(False)

    def _retry_later(self) -> None:
        if self.retry is None or self.retry.done():
            self.retry = asyncio.create_task(self._write_refused())

    async def _write_refused(self) -> None:
        while self.refused:
            await asyncio.sleep(RECORD_RETRY)
            batch, self.refused = self.refused, []
            ok = await self._write_now(batch)
            if not ok:
                self.refused[:0] = batch
            else:
                for item in batch:
                    self.on_late_write(item)

    async def stop(self) -> None:
        """One last try for results the database refused; what still fails is sent again at
        the next start (a repeat, never a loss)."""
        if self.retry is not None and not self.retry.done():
            self.retry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.retry
        if self.refused:
            await self._write_now(self.refused)

    async def _write_now(self, batch: list[SendRecord]) -> bool:
        async def job(conn: AsyncConnection) -> None:
            await _write_records(conn, batch, self.clock.now())

        try:
            await self.engine.write(job)
        except Exception as exc:  # refused again (or a bug): kept for the next try
            if not isinstance(exc, EngineUnavailableError):
                log.error("recording send results failed: %s", type(exc).__name__)
            return False
        return True
