"""The outbox: how a reply or a notice becomes a row, and to whom, and when it goes.

One row builder for every message; the addressing of notices (which chat of a person, never
one that blocked us, once per key); quiet hours (news and reminders wait for the morning, and
the officer hears when); and what was held for someone who writes again, bundled into one
message. Channels only parse their provider's reports (`deliveries`) and send what is here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.codes import find_code
from bot.domain.quiet import live, quiet_until
from bot.engine.chats import load_recipients
from bot.engine.drafts import draft_of
from bot.engine.state import ChatState, Services
from bot.engine.work import Item
from bot.flows.registry import DRAFT_FLOWS
from bot.i18n import render
from bot.values.messages import Raw, _
from bot.values.types import Notice, Outbound
from storage import repo
from storage.repo import ChatKey

# Pushes that wait out quiet hours: news for citizens and reminders; a reply to someone who
# just wrote, and a new case's card, never wait.
QUIET_KINDS = frozenset({"status_update", "reminder", "officer_reminder"})


def outbox_row(
    identity: Any,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    *,
    wait: datetime | None = None,
    dedupe_key: str | None = None,
) -> dict[str, Any]:
    """The one shape of an outbox row: `pending` now, or `scheduled` until `wait`."""
    return {
        "identity_id": identity.id,
        "channel": identity.channel,
        "kind": kind,
        "payload": payload,
        "status": "scheduled" if wait else "pending",
        "not_before": wait or now,
        "dedupe_key": dedupe_key,
        "created_at": now,
    }


def pick(identities: list[Any], prefer: str | None) -> Any | None:
    """The chat to tell someone on: the preferred channel if they have it, else the most
    recently active (the query orders them so)."""
    for identity in identities:
        if identity.channel == prefer:
            return identity
    return identities[0] if identities else None


def prepare_answer(conv: Any, notice: Notice, buttons: list[tuple[str, str]]) -> None:
    """A notice sent now: its buttons (and its question) take the recipient's chat."""
    take_question(conv, notice.then, answer_options(notice, buttons) if buttons else None)


def take_question(conv: Any, then: Any, options: list[list[str]] | None) -> None:
    """Let the recipient's next message answer a notice. At the menu: the notice's buttons
    become what a typed number picks, and a question puts them at its answer step. In the
    middle of a form, a question sets the form aside as the draft first (resumable from the
    menu), unless a draft is already waiting, which is never overwritten. The same when a
    question held over quiet hours is sent in the morning."""
    if conv.flow in DRAFT_FLOWS and then is not None and conv.draft is None:
        conv.draft = draft_of(conv)
        conv.flow = "menu"
    if conv.flow != "menu":
        return
    if then is not None:
        conv.flow, conv.step, conv.data = then
        conv.history, conv.expires_at = [], None
    if options:
        conv.options = options


def answer_options(notice: Notice, buttons: list[tuple[str, str]]) -> list[list[str]]:
    """The buttons as a typed number or word picks them: [id, label, other words…]."""
    aliases = {b.id: b.aliases for b in notice.reply.buttons}
    return [[bid, label, *aliases.get(bid, ())] for bid, label in buttons]


def outbound_of(outbox_id: int, row: dict[str, Any], address: str, last: Any) -> Outbound:
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


class Outbox:
    """Addressing and holding, with what it remembers between batches."""

    def __init__(self, services: Services) -> None:
        self._services = services
        # Who has messages quiet hours are holding (None: not read yet since start). Only
        # they are looked up when they write, so a night's traffic costs no extra query.
        self._quiet_held: set[int] | None = None

    async def address_notices(
        self,
        conn: AsyncConnection,
        notices: list[tuple[Item, Notice]],
        chats: dict[ChatKey, ChatState],
        outbox_rows: list[dict[str, Any]],
        now: Any,
    ) -> list[tuple[Item, str, Any, bool]]:
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
        held: dict[int, tuple[Item, Any, Notice]] = {}
        chosen: dict[int, list[Any]] = {}
        for identity in await repo.identities_of(conn, list({n.person_id for _i, n in notices})):
            if identity.reachable:
                chosen.setdefault(identity.person_id, []).append(identity)
        waiting = [
            (c.channel, c.address)
            for _i, n in notices
            if (c := pick(chosen.get(n.person_id, []), n.prefer_channel)) is not None
            and (c.channel, c.address) not in chats
        ]
        if waiting:
            await load_recipients(conn, waiting, chats)
        owners: list[tuple[Item, str, Any, bool]] = []
        for item, notice in notices:
            identity = pick(chosen.get(notice.person_id, []), notice.prefer_channel)
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
                payload["answer_options"] = answer_options(notice, buttons)
            outbox_rows.append(
                outbox_row(identity, notice.kind, payload, now, wait=wait, dedupe_key=dedupe)
            )
            owners.append((item, identity.address, identity.last_inbound_at, wait is None))
            if wait is not None and self._quiet_held is not None:
                self._quiet_held.add(identity.id)
            state = chats.get((identity.channel, identity.address))
            if state is not None and wait is None:
                prepare_answer(state.conversation, notice, buttons)
            if wait is not None and item.inbound is not None and notice.kind == "status_update":
                held.setdefault(id(item), (item, wait, notice))
        for item, wait, notice in held.values():
            owners.append(self._tell_when(item, wait, notice, chats, outbox_rows, now))
        return owners

    def _tell_when(
        self,
        item: Item,
        wait: Any,
        notice: Notice,
        chats: dict[ChatKey, ChatState],
        outbox_rows: list[dict[str, Any]],
        now: Any,
    ) -> tuple[Item, str, Any, bool]:
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
        text = render(note, sender.locale)
        outbox_rows.append(outbox_row(sender.identity, "reply", Outbound.payload(text, []), now))
        return (item, sender.identity.address, item.inbound.at, True)

    async def release_held(
        self, conn: AsyncConnection, items: list[Item], chats: dict[ChatKey, ChatState], now: Any
    ) -> None:
        """Someone who writes gets what was waiting for them now, ahead of the replies to this
        message and in the order it was written: what quiet hours held (they are awake), and
        on WhatsApp what a closed 24-hour window held (writing opens it again). A question
        among them is answered by their next message once they are back at the menu."""
        wanted = {c.identity.id: c for c in chats.values()}
        if not wanted:
            return
        first_item: dict[int, Item] = {}
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
