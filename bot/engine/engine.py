"""The single writer: every inbound message becomes one durable step.

Messages queue here; one task takes whatever has queued (up to `max_batch`) and runs it in one
transaction: drop redeliveries, load the chats, run each message's turn in arrival order (which
serialises each chat for free), then write conversations, cases, events and outbox rows together
and commit. Under load, batches grow and the commit cost is shared; when idle a batch is one
message. If a batch fails, each message is retried alone so one bad message cannot sink others.
Only after the commit are the replies handed to the dispatcher: a crash in between loses nothing.

A database that refuses to write (disk full, read-only, locked) fails the whole batch with
`EngineUnavailableError`: nothing of it was committed, so channels must not acknowledge it
(webhooks answer 503, polling does not move past it) and the platform delivers it again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import traceback
from collections.abc import Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.engine.batch import Batch
from bot.engine.clock import Clock
from bot.engine.health import WriteHealth
from bot.engine.outbox import outbox_row
from bot.engine.state import Services
from bot.engine.work import Item, Job
from bot.i18n import render
from bot.values.messages import _
from bot.values.types import Handled, Inbound, Outbound
from storage import repo
from storage.checkpoint import checkpoint_loop
from storage.db import sqlite_path
from storage.errors import refusal

log = logging.getLogger(__name__)
WRITER_BACKOFF = 1.0  # seconds to wait after the database refused a whole batch


class EngineUnavailableError(RuntimeError):
    """Nothing was committed: the engine is stopped, or the database refused the work."""


class Engine:
    def __init__(
        self,
        db: AsyncEngine,
        services: Services,
        clock: Clock,
        *,
        on_committed: Callable[[list[Outbound]], None] | None = None,
        max_batch: int = 200,
    ) -> None:
        self._db = db
        self._services = services
        self._clock = clock
        self._on_committed = on_committed
        self._max_batch = max_batch
        self._queue: asyncio.Queue[Item | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._conn: AsyncConnection | None = None
        self._checkpointer: asyncio.Task[None] | None = None
        self._closed = False
        self._batch = Batch(services, clock)
        self.health = WriteHealth()

    async def start(self) -> None:
        # The writer keeps one connection: no pool checkout and reset per batch.
        self._conn = await self._db.connect()
        path = sqlite_path(self._db.url.render_as_string(hide_password=False))
        if path is not None:
            self._checkpointer = asyncio.create_task(checkpoint_loop(path), name="checkpoint")
        self._task = asyncio.create_task(self._writer(), name="engine-writer")

    async def stop(self) -> None:
        """Finish what is queued, then stop; later calls are refused."""
        self._closed = True
        if self._task is not None:
            await self._queue.put(None)
            await self._task
            self._task = None
        if self._checkpointer is not None:
            self._checkpointer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._checkpointer
            self._checkpointer = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def _renew_connection(self) -> None:
        """After a failed batch, start from a connection in a known state.

        SQLAlchemy's view of the transaction and SQLite's can disagree after a failure at
        COMMIT; a fresh connection is cheap and failures are rare."""
        old, self._conn = self._conn, None
        if old is not None:
            with contextlib.suppress(Exception):  # it is being replaced anyway
                await old.close()
        self._conn = await self._db.connect()

    async def submit(self, inbound: Inbound) -> Handled:
        """Process one message; returns once its effects and replies are committed. Raises
        `EngineUnavailableError` when nothing could be committed."""
        if self._closed:
            raise EngineUnavailableError("engine stopped")
        future: asyncio.Future[Handled] = asyncio.get_running_loop().create_future()
        await self._queue.put(Item(inbound, None, future))
        return await future

    async def probe(self) -> None:
        """Commit a message-sized write through the writer (the readiness check)."""
        await self.write(repo.probe_write)

    async def ready(self) -> str | None:
        """None while the database takes writes, else why not (for /healthz)."""
        if self._closed:
            return "stopped"
        return await self.health.check(self.probe)

    async def write(self, job: Job) -> Any:
        """Run other writes (delivery receipts, schedules) through the same single writer."""
        if self._closed:
            raise EngineUnavailableError("engine stopped")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        await self._queue.put(Item(None, job, future))
        return await future

    # --- the writer ---------------------------------------------------------------------------

    async def flush(self) -> None:
        """Wait until every deferred write is committed."""

        async def nothing(conn: AsyncConnection) -> None:
            return None

        await self.write(nothing)

    async def notify(self, job: Job) -> list[Outbound]:
        """Run a job that returns `Notice`s (a scheduled sweep): they are addressed, written
        to the outbox in the job's transaction, and sent after the commit."""
        if self._closed:
            raise EngineUnavailableError("engine stopped")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        await self._queue.put(Item(None, job, future, notifies=True))
        result: list[Outbound] = await future
        return result

    async def _writer(self) -> None:
        stopping = False
        while not stopping:
            batch: list[Item] = []
            first = await self._queue.get()
            if first is None:
                stopping = True
            else:
                batch.append(first)
            while not stopping and len(batch) < self._max_batch and not self._queue.empty():
                item = self._queue.get_nowait()
                if item is None:
                    stopping = True
                    break
                batch.append(item)
            if batch:
                try:
                    refused = await self._run_batch(batch)
                except Exception as exc:  # the writer must outlive any failure, or all waits hang
                    refused = refusal(exc) or "error"
                    self._refuse(batch, refused, exc)
                if refused is not None and not stopping:
                    await asyncio.sleep(WRITER_BACKOFF)  # let the disk or the lock recover

    def _refuse(self, batch: list[Item], reason: str, exc: BaseException) -> None:
        """Nothing of this batch was committed: every caller hears so."""
        log.error("database refused a batch of %d: %s (%s)", len(batch), reason, type(exc).__name__)
        self.health.refusing(reason)
        for item in batch:
            if not item.future.done():
                item.future.set_exception(EngineUnavailableError(reason))

    async def _run_batch(self, batch: list[Item], *, retry: bool = True) -> str | None:
        """Commit the batch, or each of its items alone; returns why the database refused
        to write, if it did."""
        if self._conn is None:
            await self._renew_connection()
        conn = self._conn
        assert conn is not None, "engine not started"
        try:
            async with conn.begin():
                results = await self._batch.process(conn, batch)
        except Exception as exc:  # isolate the failing message, keep serving
            await self._renew_connection()
            reason = refusal(exc)
            if reason is not None:  # about the database, not the message: all fail alike
                self._refuse(batch, reason, exc)
                return reason
            if len(batch) > 1:
                refused = None
                for item in batch:
                    refused = await self._run_batch([item]) or refused
                return refused
            if retry:  # once more on the fresh connection: the old one may have been the cause
                return await self._run_batch(batch, retry=False)
            return await self._fail(batch[0], exc)
        self.health.committed()
        committed: list[Outbound] = []
        for item, result in zip(batch, results, strict=True):
            committed.extend(item.outbound)
            if not item.future.done():
                item.future.set_result(result)
        if committed and self._on_committed is not None:
            self._on_committed(committed)
        return None

    async def _fail(self, item: Item, exc: Exception) -> str | None:
        """One message could not be processed: the delivery is recorded with an apology to
        its sender, committed, so the platform's redeliveries stop. If even that cannot be
        committed, the caller hears that nothing was (and the platform tries again)."""
        # Log where it broke, never the message: exception texts can carry personal data.
        frames = "".join(traceback.format_tb(exc.__traceback__))
        log.error("processing failed: %s\n%s", type(exc).__name__, frames)
        if item.inbound is None:
            if not item.future.done():
                item.future.set_exception(exc)
            return None
        try:
            async with self._db.begin() as conn:  # a fresh connection: the writer's just failed
                outbound = await self._apologise(conn, item.inbound)
        except Exception as second:
            reason = refusal(second) or "error"
            self._refuse([item], reason, second)
            return reason
        if self._on_committed is not None and outbound:
            self._on_committed(outbound)
        if not item.future.done():
            item.future.set_result(Handled(True, outbound))
        return None

    async def _apologise(self, conn: AsyncConnection, inbound: Inbound) -> list[Outbound]:
        now = self._clock.now()
        key = (inbound.channel, inbound.delivery_id)
        await repo.claim_deliveries(conn, [key], now)
        found = await repo.load_chats(conn, [(inbound.channel, inbound.chat_id)])
        if not found:
            return []
        identity, _conv = next(iter(found.values()))
        text = render(
            _("Maaf, terjadi gangguan saat memproses pesan Anda. Mohon kirim ulang sebentar lagi."),
            identity.locale,
        )
        row = outbox_row(identity, "reply", Outbound.payload(text, []), now)
        ids = await repo.insert_outbox(conn, [row])
        return [Outbound(ids[0], identity.channel, identity.address, text)]
