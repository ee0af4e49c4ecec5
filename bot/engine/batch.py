"""One batch as one unit of work: every message's turn, then every write, in one transaction.

Redeliveries are dropped, group chats pointed to a private chat, the chats loaded once; each
message's turn runs in arrival order (which serialises each chat for free); new cases reach
their units as cards; notices are addressed; then conversations, cases, events and outbox
rows are written together. The writer (`engine`) commits it, or retries each item alone.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.engine.chats import load_chats, persist, remember_options, touch
from bot.engine.clock import Clock
from bot.engine.outbox import Outbox, outbound_of, outbox_row, take_question
from bot.engine.pending import PendingCases
from bot.engine.state import Services
from bot.engine.turn import Turn
from bot.engine.work import Item
from bot.handlers import cards
from bot.i18n import render
from bot.values.messages import _
from bot.values.types import Handled, Notice, Outbound
from storage import repo

GROUP_NOTE = _(
    "Untuk menjaga privasi, Suara Warga hanya melayani lewat chat pribadi. "
    "Silakan kirim pesan langsung ke bot ini."
)


class Batch:
    def __init__(self, services: Services, clock: Clock) -> None:
        self._services = services
        self._clock = clock
        self._outbox = Outbox(services)

    async def process(self, conn: AsyncConnection, batch: list[Item]) -> list[Any]:
        """Every message of the batch in arrival order, then every write they make."""
        now = self._clock.now()
        for item in batch:
            item.outbound = []  # a retried item starts clean
        inbound_items = [item for item in batch if item.inbound is not None]
        fresh = await self._drop_redeliveries(conn, inbound_items, now)
        groups = [item for item in fresh if item.inbound is not None and item.inbound.group]
        if groups:
            await self._point_groups_elsewhere(conn, groups, now)
            fresh = [item for item in fresh if item not in groups]
        chats = await load_chats(conn, fresh, now, self._services.default_locale)
        await self._outbox.release_held(conn, fresh, chats, now)
        pending = PendingCases()
        outbox_rows: list[dict[str, Any]] = []
        owners: list[tuple[Item, str, str, tuple[tuple[str, str], ...]]] = []
        notices: list[tuple[Item, Notice]] = []
        filed: list[tuple[Item, str]] = []
        for item in fresh:
            assert item.inbound is not None
            chat = chats[(item.inbound.channel, item.inbound.chat_id)]
            turn = Turn(conn, pending, self._services, chat, item.inbound, now)
            replies = await turn.run()
            notices.extend((item, notice) for notice in turn.notices)
            filed.extend((item, code) for code in turn.new_cases)
            remember_options(chat, replies)
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
                payload = Outbound.payload(text, list(buttons))
                outbox_rows.append(outbox_row(chat.identity, "reply", payload, now))
                owners.append((item, text, chat.identity.address, buttons))
            touch(chat, item.inbound, now, self._services.ttl)
        await pending.flush(conn)
        for item in batch:
            if item.notifies and item.job is not None:
                notices.extend((item, notice) for notice in await item.job(conn))
        notices += await self._new_case_cards(conn, filed, now)
        notice_owners = await self._outbox.address_notices(conn, notices, chats, outbox_rows, now)
        await persist(conn, chats.values(), now)
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
                item.outbound.append(outbound_of(outbox_id, row, address, last_inbound))
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
        self, conn: AsyncConnection, items: list[Item], now: Any
    ) -> None:
        """In a group the bot only points to a private chat: nothing of the group's members
        is kept, and the pointer goes through the outbox like any reply (paced, sent once
        however often the platform delivers the update)."""
        text = "\n\n".join(render(GROUP_NOTE, locale) for locale in ("id", "en"))
        for item in items:
            assert item.inbound is not None
            key = (item.inbound.channel, item.inbound.chat_id)
            group = await repo.find_or_create_identity(conn, key, locale="id", now=now)
            row = outbox_row(group, "reply", Outbound.payload(text, []), now)
            [outbox_id] = await repo.insert_outbox(conn, [row])
            item.outbound.append(Outbound(outbox_id, group.channel, group.address, text))

    async def _new_case_cards(
        self, conn: AsyncConnection, filed: list[tuple[Item, str]], now: Any
    ) -> list[tuple[Item, Notice]]:
        """Cases filed in this batch reach their unit's officers as case cards. The staff list
        is read once per batch, and only when a case was filed."""
        if not filed:
            return []
        staff = await repo.active_staff(conn)
        if not staff:
            return []
        agency, today = self._services.agency, now.astimezone(self._services.zone).date()
        found: list[tuple[Item, Notice]] = []
        for item, code in filed:
            row = await repo.find_case(conn, code)
            if row is None:
                continue
            headline = _("📥 Kasus baru untuk unit Anda")
            for notice in await cards.card_notices(conn, agency, row, today, headline, staff=staff):
                found.append((item, notice))
        return found

    async def _drop_redeliveries(
        self, conn: AsyncConnection, items: list[Item], now: Any
    ) -> list[Item]:
        keys = [(i.inbound.channel, i.inbound.delivery_id) for i in items if i.inbound]
        new = await repo.claim_deliveries(conn, keys, now)
        fresh = []
        for item, key in zip(items, keys, strict=True):
            item.fresh = key in new  # otherwise a redelivery: already answered, nothing to do
            if item.fresh:
                new.discard(key)  # a second copy in this same batch is a redelivery too
                fresh.append(item)
        return fresh
