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
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.codes import find_code
from bot.domain.quiet import live, quiet_until
from bot.engine.clock import Clock
from bot.engine.health import WriteHealth
from bot.engine.pending import PendingCases
from bot.engine.turn import ChatState, Services, Turn, fresh_conversation
from bot.flows.registry import DRAFT_FLOWS, IDLE_FLOWS
from bot.handlers import cards
from bot.i18n import render
from bot.values.messages import Raw, _
from bot.values.types import Handled, Inbound, Notice, Outbound, Reply
from storage import repo
from storage.checkpoint import checkpoint_loop
from storage.db import sqlite_path
from storage.errors import refusal
from storage.repo import ChatKey

log = logging.getLogger(__name__)
GROUP_NOTE = _(
    "Untuk menjaga privasi, Suara Warga hanya melayani lewat chat pribadi. "
    "Silakan kirim pesan langsung ke bot ini."
)

Job = Callable[[AsyncConnection], Awaitable[Any]]
TOUCH_EVERY = timedelta(minutes=1)
WRITER_BACKOFF = 1.0  # seconds to wait after the database refused a whole batch
# Pushes that wait out quiet hours: news for citizens and reminders; a reply to someone who
# just wrote, and a new case's card, never wait.
QUIET_KINDS = frozenset({"status_update", "reminder", "officer_reminder"})


class EngineUnavailableError(RuntimeError):
    """Nothing was committed: the engine is stopped, or the database refused the work."""


@dataclass
class _Item:
    """A queued message or write job and the future its caller awaits."""

    inbound: Inbound | None
    job: Job | None
    future: asyncio.Future[Any]
    outbound: list[Outbound] = field(default_factory=list)
    notifies: bool = False  # the job returns notices to address and send (a sweep)
    fresh: bool = False  # an inbound message seen for the first time


def _pick(identities: list[Any], prefer: str | None) -> Any | None:
    """The chat to tell someone on: the preferred channel if they have it, else the most
    recently active (the query orders them so)."""
    for identity in identities:
        if identity.channel == prefer:
            return identity
    return identities[0] if identities else None


def _prepare_answer(conv: Any, notice: Notice, buttons: list[tuple[str, str]]) -> None:
    take_question(conv, notice.then, _answer_options(notice, buttons) if buttons else None)


def take_question(conv: Any, then: Any, options: list[list[str]] | None) -> None:
    """Let the recipient's next message answer a notice. At the menu: the notice's buttons
    become what a typed number picks, and a question puts them at its answer step. In the
    middle of a form, a question sets the form aside as the draft first (resumable from the
    menu), unless a draft is already waiting, which is never overwritten. The same when a
    question held over quiet hours is sent in the morning."""
    if conv.flow in DRAFT_FLOWS and then is not None and conv.draft is None:
        conv.draft = {
            "pending": None,
            "flow": conv.flow,
            "step": conv.step,
            "data": conv.data,
            "history": conv.history,
        }
        conv.flow = "menu"
    if conv.flow != "menu":
        return
    if then is not None:
        conv.flow, conv.step, conv.data = then
        conv.history, conv.expires_at = [], None
    if options:
        conv.options = options


def _answer_options(notice: Notice, buttons: list[tuple[str, str]]) -> list[list[str]]:
    """The buttons as a typed number or word picks them: [id, label, other words…]."""
    aliases = {b.id: b.aliases for b in notice.reply.buttons}
    return [[bid, label, *aliases.get(bid, ())] for bid, label in buttons]


def _outbound_of(outbox_id: int, row: dict[str, Any], address: str, last: Any) -> Outbound:
    payload = row["payload"]
    return Outbound(
        outbox_id,
        row["channel"],
        address,
        payload["text"],
        tuple((str(b[0]), str(b[1])) for b in payload.get("buttons", [])),
        extra={k: payload[k] for k in Outbound.EXTRA_KEYS if payload.get(k)},
        kind=row["kind"],
        last_inbound_at=last,
    )


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
        self._queue: asyncio.Queue[_Item | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._conn: AsyncConnection | None = None
        self._checkpointer: asyncio.Task[None] | None = None
        self._closed = False
        # Who has messages quiet hours are holding (None: not read yet since start). Only
        # they are looked up when they write, so a night's traffic costs no extra query.
        self._quiet_held: set[int] | None = None
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
        await self._queue.put(_Item(inbound, None, future))
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
        await self._queue.put(_Item(None, job, future))
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
        await self._queue.put(_Item(None, job, future, notifies=True))
        result: list[Outbound] = await future
        return result

    async def _writer(self) -> None:
        stopping = False
        while not stopping:
            batch: list[_Item] = []
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

    def _refuse(self, batch: list[_Item], reason: str, exc: BaseException) -> None:
        """Nothing of this batch was committed: every caller hears so."""
        log.error("database refused a batch of %d: %s (%s)", len(batch), reason, type(exc).__name__)
        self.health.refusing(reason)
        for item in batch:
            if not item.future.done():
                item.future.set_exception(EngineUnavailableError(reason))

    async def _run_batch(self, batch: list[_Item], *, retry: bool = True) -> str | None:
        """Commit the batch, or each of its items alone; returns why the database refused
        to write, if it did."""
        if self._conn is None:
            await self._renew_connection()
        conn = self._conn
        assert conn is not None, "engine not started"
        try:
            async with conn.begin():
                results = await self._process(conn, batch)
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

    async def _process(self, conn: AsyncConnection, batch: list[_Item]) -> list[Any]:
        now = self._clock.now()
        for item in batch:
            item.outbound = []  # a retried item starts clean
        inbound_items = [item for item in batch if item.inbound is not None]
        fresh = await self._drop_redeliveries(conn, inbound_items, now)
        groups = [item for item in fresh if item.inbound is not None and item.inbound.group]
        if groups:
            await self._point_groups_elsewhere(conn, groups, now)
            fresh = [item for item in fresh if item not in groups]
        chats = await self._load_chats(conn, fresh, now)
        await self._release_held(conn, fresh, chats, now)
        pending = PendingCases()
        outbox_rows: list[dict[str, Any]] = []
        owners: list[tuple[_Item, str, str, tuple[tuple[str, str], ...]]] = []
        notices: list[tuple[_Item, Notice]] = []
        filed: list[tuple[_Item, str]] = []
        for item in fresh:
            assert item.inbound is not None
            chat = chats[(item.inbound.channel, item.inbound.chat_id)]
            turn = Turn(conn, pending, self._services, chat, item.inbound, now)
            replies = await turn.run()
            notices.extend((item, notice) for notice in turn.notices)
            filed.extend((item, code) for code in turn.new_cases)
            self._remember_options(chat, replies)
            if (
                chat.questions
                and chat.conversation.flow == "menu"
                and not chat.conversation.options
            ):
                # A question sent just before this reply: the next message answers it (a form
                # in progress keeps its place; the question's own button works from anywhere).
                for then, options in chat.questions:
                    take_question(chat.conversation, tuple(then) if then else None, options)
            chat.questions.clear()
            for reply in replies:
                text = render(reply.text, chat.locale)
                buttons = tuple((b.id, render(b.label, chat.locale)) for b in reply.buttons)
                outbox_rows.append(
                    {
                        "identity_id": chat.identity.id,
                        "channel": chat.identity.channel,
                        "kind": "reply",
                        "payload": Outbound.payload(text, list(buttons)),
                        "status": "pending",
                        "not_before": now,
                        "created_at": now,
                    }
                )
                owners.append((item, text, chat.identity.address, buttons))
            self._touch(chat, item.inbound, now)
        await pending.flush(conn)
        for item in batch:
            if item.notifies and item.job is not None:
                notices.extend((item, notice) for notice in await item.job(conn))
        notices += await self._new_case_cards(conn, filed, now)
        notice_owners = await self._address_notices(conn, notices, chats, outbox_rows, now)
        await self._persist(conn, chats.values(), now)
        ids = await repo.insert_outbox(conn, outbox_rows)
        n_replies = len(owners)
        for outbox_id, row, (item, text, address, buttons) in zip(
            ids[:n_replies], outbox_rows[:n_replies], owners, strict=True
        ):
            item.outbound.append(
                Outbound(
                    outbox_id,
                    row["channel"],
                    address,
                    text,
                    buttons,
                    last_inbound_at=item.inbound.at if item.inbound else None,
                    urgent=True,
                )
            )
        for outbox_id, row, (item, address, last_inbound, send_now) in zip(
            ids[len(owners) :], outbox_rows[len(owners) :], notice_owners, strict=True
        ):
            if send_now:  # (scheduled rows wait for the tick)
                item.outbound.append(_outbound_of(outbox_id, row, address, last_inbound))
        results: list[Any] = []
        for item in batch:
            if item.inbound is not None:
                results.append(Handled(item.fresh, item.outbound))
            elif item.notifies:
                results.append(item.outbound)
            else:
                assert item.job is not None
                results.append(await item.job(conn))
        return results

    async def _point_groups_elsewhere(
        self, conn: AsyncConnection, items: list[_Item], now: Any
    ) -> None:
        """In a group the bot only points to a private chat: nothing of the group's members
        is kept, and the pointer goes through the outbox like any reply (paced, sent once
        however often the platform delivers the update)."""
        text = "\n\n".join(render(GROUP_NOTE, locale) for locale in ("id", "en"))
        for item in items:
            assert item.inbound is not None
            key = (item.inbound.channel, item.inbound.chat_id)
            group = await repo.find_or_create_identity(conn, key, locale="id", now=now)
            row = {
                "identity_id": group.id,
                "channel": group.channel,
                "kind": "reply",
                "payload": Outbound.payload(text, []),
                "status": "pending",
                "not_before": now,
                "created_at": now,
            }
            [outbox_id] = await repo.insert_outbox(conn, [row])
            item.outbound.append(Outbound(outbox_id, group.channel, group.address, text))

    async def _new_case_cards(
        self, conn: AsyncConnection, filed: list[tuple[_Item, str]], now: Any
    ) -> list[tuple[_Item, Notice]]:
        """Cases filed in this batch reach their unit's officers as case cards. The staff list
        is read once per batch, and only when a case was filed."""
        if not filed:
            return []
        staff = await repo.active_staff(conn)
        if not staff:
            return []
        agency, today = self._services.agency, now.astimezone(self._services.zone).date()
        found: list[tuple[_Item, Notice]] = []
        for item, code in filed:
            row = await repo.find_case(conn, code)
            if row is None:
                continue
            headline = _("📥 Kasus baru untuk unit Anda")
            for notice in await cards.card_notices(conn, agency, row, today, headline, staff=staff):
                found.append((item, notice))
        return found

    async def _address_notices(
        self,
        conn: AsyncConnection,
        notices: list[tuple[_Item, Notice]],
        chats: dict[ChatKey, ChatState],
        outbox_rows: list[dict[str, Any]],
        now: Any,
    ) -> list[tuple[_Item, str, Any, bool]]:
        """Each notice goes to one chat of its person: the channel the case came in on when
        they use it, else the one they wrote from last; never to a chat that blocked us.

        A notice with a key is written once per person, ever (a double tick, two overlapping
        sweeps or a restart cannot repeat it). A push of a quiet kind during quiet hours is
        written as `scheduled` until they end; the tick releases it. Appends the outbox rows
        and returns (item, address, last inbound time, send now) per row."""
        if not notices:
            return []
        keyed = [f"{n.key}:{n.person_id}" for _i, n in notices if n.key]
        done = await repo.existing_dedupe_keys(conn, keyed) if keyed else set()
        quiet_end = quiet_until(now, self._services.zone, self._services.quiet)
        writing = set(chats)  # the chats that wrote in this batch (recipients load below)
        held: dict[int, tuple[_Item, Any, Notice]] = {}
        chosen: dict[int, list[Any]] = {}
        for identity in await repo.identities_of(conn, list({n.person_id for _i, n in notices})):
            if identity.reachable:
                chosen.setdefault(identity.person_id, []).append(identity)
        waiting = [
            (c.channel, c.address)
            for _i, n in notices
            if (c := _pick(chosen.get(n.person_id, []), n.prefer_channel)) is not None
            and (c.channel, c.address) not in chats
        ]
        if waiting:
            await self._load_recipients(conn, waiting, chats)
        owners: list[tuple[_Item, str, Any, bool]] = []
        for item, notice in notices:
            identity = _pick(chosen.get(notice.person_id, []), notice.prefer_channel)
            if identity is None:
                continue  # nobody to tell on any chat (a resident without a phone)
            dedupe = f"{notice.key}:{notice.person_id}" if notice.key else None
            if dedupe is not None:
                if dedupe in done:
                    continue
                done.add(dedupe)
            key = (identity.channel, identity.address)
            awake = key in writing or live(identity.last_inbound_at, now)
            wait = quiet_end if notice.kind in QUIET_KINDS and not awake else None
            if notice.kind == "commands" and identity.channel != "telegram":
                continue  # a command menu is a Telegram thing
            locale = identity.locale
            text = render(notice.reply.text, locale)
            buttons = [(b.id, render(b.label, locale)) for b in notice.reply.buttons]
            payload = {**notice.data, **Outbound.payload(text, buttons)}
            photos = [ref for channel, ref in notice.media if channel == identity.channel]
            if photos:
                payload["photos"] = photos
            if wait is not None and (notice.then or buttons):
                # Held until morning: the question takes over their chat only when it is sent.
                payload["then"] = list(notice.then) if notice.then else None
                payload["answer_options"] = _answer_options(notice, buttons)
            outbox_rows.append(
                {
                    "identity_id": identity.id,
                    "channel": identity.channel,
                    "kind": notice.kind,
                    "payload": payload,
                    "status": "scheduled" if wait else "pending",
                    "not_before": wait or now,
                    "dedupe_key": dedupe,
                    "created_at": now,
                }
            )
            owners.append((item, identity.address, identity.last_inbound_at, wait is None))
            if wait is not None and self._quiet_held is not None:
                self._quiet_held.add(identity.id)
            state = chats.get((identity.channel, identity.address))
            if state is not None and wait is None:
                _prepare_answer(state.conversation, notice, buttons)
            if wait is not None and item.inbound is not None and notice.kind == "status_update":
                held.setdefault(id(item), (item, wait, notice))
        for item, wait, notice in held.values():
            owners.append(self._tell_when(item, wait, notice, chats, outbox_rows, now))
        return owners

    def _tell_when(
        self,
        item: _Item,
        wait: Any,
        notice: Notice,
        chats: dict[ChatKey, ChatState],
        outbox_rows: list[dict[str, Any]],
        now: Any,
    ) -> tuple[_Item, str, Any, bool]:
        """An officer writing to a citizen in quiet hours hears when it will arrive."""
        assert item.inbound is not None
        sender = chats[(item.inbound.channel, item.inbound.chat_id)]
        at = wait.astimezone(self._services.zone).strftime("%H.%M")
        code = find_code(render(notice.reply.text, sender.locale)) or ""
        note = _(
            "🌙 Sekarang jam tenang. Pesan untuk pelapor {code} akan terkirim pukul {time}.",
            code=Raw(f"*{code}*" if code else ""),
            time=Raw(at),
        )
        outbox_rows.append(
            {
                "identity_id": sender.identity.id,
                "channel": sender.identity.channel,
                "kind": "reply",
                "payload": Outbound.payload(render(note, sender.locale), []),
                "status": "pending",
                "not_before": now,
                "dedupe_key": None,
                "created_at": now,
            }
        )
        return (item, sender.identity.address, item.inbound.at, True)

    async def _load_recipients(
        self, conn: AsyncConnection, keys: list[ChatKey], chats: dict[ChatKey, ChatState]
    ) -> None:
        for key, (identity, conversation) in (await repo.load_chats(conn, keys)).items():
            if conversation is not None:  # no conversation yet: they have never written
                chats[key] = ChatState(identity, conversation, True)

    async def _release_held(
        self, conn: AsyncConnection, items: list[_Item], chats: dict[ChatKey, ChatState], now: Any
    ) -> None:
        """Someone who writes gets what was waiting for them now, ahead of the replies to this
        message and in the order it was written: what quiet hours held (they are awake), and
        on WhatsApp what a closed 24-hour window held (writing opens it again). A question
        among them is answered by their next message once they are back at the menu."""
        wanted = {c.identity.id: c for c in chats.values()}
        if not wanted:
            return
        first_item: dict[int, _Item] = {}
        for item in items:
            assert item.inbound is not None
            chat = chats[(item.inbound.channel, item.inbound.chat_id)]
            first_item.setdefault(chat.identity.id, item)
        whatsapp = [i for i, c in wanted.items() if c.identity.channel == "whatsapp"]
        released = list(await repo.release_held(conn, whatsapp))
        if self._quiet_held is None:
            self._quiet_held = await repo.quiet_held_identities(conn)
        holding = [i for i in wanted if i in self._quiet_held]
        if holding:
            released += await repo.release_quiet(conn, holding, now)
            self._quiet_held.difference_update(holding)
        waiting: dict[int, list[Any]] = {}
        for row in sorted(released, key=lambda r: r.id):
            waiting.setdefault(row.identity_id, []).append(row)
            then, options = row.payload.get("then"), row.payload.get("answer_options")
            if (then, options) != (None, None):
                wanted[row.identity_id].questions.append((then, options))
        for identity_id, rows in waiting.items():
            # Several updates that waited go out as one message, not a burst of them; the
            # first row carries the bundle and the others are recorded as part of it.
            first, rest = rows[0], rows[1:]
            text = "\n\n".join(r.payload["text"] for r in rows)
            buttons = [tuple(b) for b in rows[-1].payload.get("buttons", [])]
            if rest:
                bundle = Outbound.payload(text, buttons)
                await repo.mark_bundled(conn, [r.id for r in rest], into=first.id, payload=bundle)
            # Files (a recap's charts) of every row go with the bundle.
            files = [f for r in rows for f in r.payload.get("files", [])]
            first_item[identity_id].outbound.append(
                Outbound(
                    first.id,
                    first.channel,
                    wanted[identity_id].identity.address,
                    text,
                    tuple((str(b[0]), str(b[1])) for b in buttons),
                    extra={"files": files} if files else {},
                    kind=first.kind,
                    last_inbound_at=now,
                )
            )

    async def _drop_redeliveries(
        self, conn: AsyncConnection, items: list[_Item], now: Any
    ) -> list[_Item]:
        keys = [(i.inbound.channel, i.inbound.delivery_id) for i in items if i.inbound]
        new = await repo.claim_deliveries(conn, keys, now)
        fresh = []
        for item, key in zip(items, keys, strict=True):
            item.fresh = key in new  # otherwise a redelivery: already answered, nothing to do
            if item.fresh:
                new.discard(key)  # a second copy in this same batch is a redelivery too
                fresh.append(item)
        return fresh

    async def _load_chats(
        self, conn: AsyncConnection, items: list[_Item], now: Any
    ) -> dict[ChatKey, ChatState]:
        keys = list(
            dict.fromkeys((i.inbound.channel, i.inbound.chat_id) for i in items if i.inbound)
        )
        found = await repo.load_chats(conn, keys) if keys else {}
        chats: dict[ChatKey, ChatState] = {}
        for key in keys:
            if key in found:
                identity, conversation = found[key]
                chats[key] = ChatState(
                    identity, conversation or fresh_conversation(now), conversation is not None
                )
            else:
                first = next(
                    i.inbound
                    for i in items
                    if i.inbound and (i.inbound.channel, i.inbound.chat_id) == key
                )
                identity = await repo.create_identity(
                    conn,
                    key,
                    locale=self._services.default_locale,
                    profile_name=first.profile_name,
                    now=now,
                )
                chats[key] = ChatState(identity, fresh_conversation(now), False)
        return chats

    def _remember_options(self, chat: ChatState, replies: list[Reply]) -> None:
        """The buttons last shown are what a typed number or label refers to next time."""
        shown = [r for r in replies if r.buttons]
        conv = chat.conversation
        if not shown:
            conv.options = []
            return
        # Only id and label: the words that also pick a button are the flow's, looked up when
        # a message arrives (storing them made every conversation row several times larger).
        # (Case buttons carry their own words: they belong to no flow's prompt.)
        options = [
            [b.id, render(b.label, chat.locale), *(b.aliases if b.id.startswith("c:") else ())]
            for b in shown[-1].buttons
        ]
        conv.options = options

    def _touch(self, chat: ChatState, inbound: Inbound, now: Any) -> None:
        conv = chat.conversation
        conv.updated_at = now
        conv.expires_at = None if conv.flow in IDLE_FLOWS else now + self._services.ttl
        identity = chat.identity
        # Minute precision is enough for "last seen" and WhatsApp's 24-hour window (an early
        # estimate only makes the window look shorter), and it spares a write per message.
        last = identity.last_inbound_at
        if last is None or inbound.at - last >= TOUCH_EVERY:
            identity.last_inbound_at = inbound.at
            chat.touched = True
        if inbound.profile_name and inbound.profile_name != identity.profile_name:
            identity.profile_name = inbound.profile_name
            chat.touched = True

    async def _persist(self, conn: AsyncConnection, chats: Any, now: Any) -> None:
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        touches: list[dict[str, Any]] = []
        people: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for chat in chats:
            conv = chat.conversation
            row = {
                "identity_id": chat.identity.id,
                "flow": conv.flow,
                "step": conv.step,
                "data": conv.data,
                "history": conv.history,
                "options": conv.options,
                "draft": conv.draft,
                "updated_at": conv.updated_at,
                "expires_at": conv.expires_at,
            }
            (updates if chat.stored else inserts).append(row)
            chat.stored = True
            if chat.touched:
                touches.append(
                    {
                        "b_id": chat.identity.id,
                        "last_inbound_at": chat.identity.last_inbound_at,
                        "profile_name": chat.identity.profile_name,
                    }
                )
            if chat.changed_person:
                keys = tuple(sorted(chat.changed_person))
                people.setdefault(keys, []).append(
                    {"b_id": chat.identity.person_id, **chat.changed_person}
                )
                chat.changed_person = {}
        for rows in people.values():
            await repo.update_persons(conn, rows)
        await repo.save_conversations(conn, inserts, updates)
        await repo.touch_identities(conn, touches)

    async def _fail(self, item: _Item, exc: Exception) -> str | None:
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
        ids = await repo.insert_outbox(
            conn,
            [
                {
                    "identity_id": identity.id,
                    "channel": identity.channel,
                    "kind": "reply",
                    "payload": Outbound.payload(text, []),
                    "status": "pending",
                    "not_before": now,
                    "created_at": now,
                }
            ],
        )
        return [Outbound(ids[0], identity.channel, identity.address, text)]
