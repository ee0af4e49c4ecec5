"""Typed commands, routed by the command table: one small handler per kind of command.

`bot.domain.commands` says which word does what; this module says how each `Does` runs in a
turn, the way aiogram includes routers instead of an if-chain. A case action (`/balas` …)
goes to the turn's casework; everything else to its handler in `ROUTES`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from bot.domain.commands import Does, find
from bot.domain.lifecycle import Action
from bot.domain.roles import Role
from bot.engine import case_turn, effects
from bot.engine.state import TurnLike
from bot.flows.base import ListMyCases, LookupCase
from bot.flows.registry import DRAFT_FLOWS
from bot.handlers import officer, serta_merta, staff
from bot.handlers.breach import breach_command
from bot.handlers.recap import ask_recap
from bot.values.messages import _
from bot.values.types import Notice, Reply
from storage import repo

log = logging.getLogger(__name__)

# (the turn, what the command does, the word as typed, the rest of the line)
Handler = Callable[[TurnLike, Does, str, str], Awaitable[None]]


async def route(turn: TurnLike, head: str, rest: str) -> None:
    command = find(head)
    if command is None:
        turn.replies.append(
            Reply(_("Perintah itu tidak dikenal. Ketik *bantuan* untuk daftar perintah."))
        )
        turn.reprompt()
        return
    if isinstance(command.does, Action):
        await case_turn.case_command(turn, command.does, head, rest)
        return
    await ROUTES[command.does](turn, command.does, head, rest)


async def _global(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    """menu, batal, bantuan: the same as the words that work at every step."""
    await turn.global_word(does.value)


async def _officer_view(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    """/antrian, /kasus KODE, /cari KATA (the last two asked step by step when bare)."""
    if does in (Does.CASE, Does.SEARCH) and not rest.strip():
        await case_turn.ask_command(turn, head, "code" if does is Does.CASE else "words", None)
        return
    person, agency = turn.chat.identity.person_id, turn.services.agency
    await turn.pending.flush(turn.conn)
    if does is Does.QUEUE:
        found = await officer.queue(turn.conn, agency, person, turn.today, rest)
    elif does is Does.SEARCH:
        found = await officer.search(turn.conn, person, rest)
    else:
        found = await officer.case_card(
            turn.conn, agency, person, rest, turn.today, turn.services.zone
        )
    turn.replies.extend(found)


async def _invitations(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    """/undang, /gabung, /cabut; /undang alone asks step by step."""
    if does is Does.INVITE and not rest.strip():
        await case_turn.ask_command(turn, head, "role", None, admins_only=True)
        return
    await staff_command(turn, does, rest.split())


async def staff_command(turn: TurnLike, does: Does, args: list[str]) -> None:
    person = turn.chat.identity.person_id
    if does is Does.INVITE:
        replies = await staff.invite(
            turn.conn, turn.services.agency, person, args, turn.now, turn.services.zone
        )
    elif does is Does.JOIN:
        replies = await staff.join(turn.conn, person, args, turn.now)
    else:
        replies = await staff.revoke_invitation(turn.conn, person, args, turn.now)
    turn.replies.extend(replies)
    if does is Does.JOIN and turn.inbound.channel == "telegram":
        roles = await repo.roles_of(turn.conn, person)
        if roles:  # this chat's own Telegram command menu, for the roles now held
            menu = Reply(_("Menu perintah diperbarui."))
            turn.notices.append(
                Notice(
                    person,
                    menu,
                    kind="commands",
                    prefer_channel="telegram",
                    data={"roles": sorted(roles)},
                )
            )
    if turn.chat.conversation.flow == "menu":
        turn.offer_menu()


async def _recap(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    person = turn.chat.identity.person_id
    replies, queued = await ask_recap(
        turn.conn, person, turn.inbound.channel, rest.split(), turn.today, turn.now
    )
    turn.replies.extend(replies)
    if queued and turn.services.recap_queued is not None:
        turn.services.recap_queued()


async def _dead_letters(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    turn.replies.extend(await staff.dead_letters(turn.conn, turn.chat.identity.person_id))


async def _breach(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    """/kebocoran: the breach register (admins only: anyone else, as if it did not exist)."""
    person = turn.chat.identity.person_id
    if Role.ADMIN.value not in await repo.roles_of(turn.conn, person):
        log.info("refused: /kebocoran without the admin role")
        turn.replies.append(staff.not_available())
        return
    await turn.pending.flush(turn.conn)
    replies, notices = await breach_command(
        turn.conn, turn.services.agency, person, rest, turn.now, turn.services.zone
    )
    turn.replies.extend(replies)
    turn.notices.extend(notices)


async def _retry_dead(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    if not rest.strip():  # asked step by step
        await case_turn.ask_command(turn, head, "words", None, admins_only=True)
        return
    person = turn.chat.identity.person_id
    turn.replies.extend(await staff.retry_dead_letters(turn.conn, person, rest.split(), turn.now))


async def _subscription(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    """/langganan DESA, /berhenti [DESA] (and the words at the menu): serta-merta news of a
    desa or kecamatan. A form in progress waits as the draft, as for /status."""
    person, agency = turn.chat.identity.person_id, turn.services.agency
    turn.park()
    turn.set_flow("menu", "main")
    if does is Does.SUBSCRIBE:
        replies = await serta_merta.subscribe(turn.conn, agency, person, rest, turn.now)
    else:
        replies = await serta_merta.unsubscribe(turn.conn, agency, person, rest)
    turn.replies.extend(replies)
    turn.offer_menu_unless_asked()


async def _push(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    """/siarkan WILAYAH KODE-DIP | teks: the PPID utama's or an admin's serta-merta push."""
    replies, notices = await serta_merta.push(
        turn.conn,
        turn.services.agency,
        turn.services.dip,
        turn.chat.identity.person_id,
        rest,
        turn.today,
    )
    turn.replies.extend(replies)
    turn.notices.extend(notices)


async def _start(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    """/start, with Telegram's deep-link payload: an invitation, a status, or a welcome."""
    payload = turn.inbound.command_payload or rest.strip()
    if payload.startswith("inv_"):
        await staff_command(turn, Does.JOIN, [payload.removeprefix("inv_")])
        return
    if payload.startswith("status_"):
        await effects.run_effects(turn, [LookupCase(payload.removeprefix("status_"))])
        turn.set_flow("menu", "main")
        turn.offer_menu_unless_asked()
        return
    if not turn.chat.identity.privacy_shown:
        await turn.start_flow("welcome")
        return
    turn.park()
    turn.set_flow("menu", "main")
    turn.offer_menu()


async def _status(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    if not rest.strip():  # the status form asks for the code
        await _form(turn, does, head, rest)
        return
    turn.park()
    turn.set_flow("menu", "main")
    await effects.run_effects(turn, [LookupCase(rest.strip())])
    turn.offer_menu_unless_asked()


async def _for_resident(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    if turn.chat.identity.kim_area is None:
        turn.replies.append(staff.not_available())
        return
    turn.park()
    await turn.start_flow("resident")


async def _mine(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    turn.park()
    turn.set_flow("menu", "main")
    await effects.run_effects(turn, [ListMyCases()])


async def _form(turn: TurnLike, does: Does, head: str, rest: str) -> None:
    """/lapor, /informasi, /status, /bahasa, /privasi: the flow of the same name."""
    name = does.value
    turn.park()
    if name in DRAFT_FLOWS and turn.chat.conversation.draft is not None:
        # /lapor or /informasi over an unfinished form: ask, as the menu does.
        turn.set_flow("menu", "replace_draft", {"want": name})
        turn.reprompt()
        return
    await turn.start_flow(name)


ROUTES: dict[Does, Handler] = {
    Does.MENU: _global,
    Does.CANCEL: _global,
    Does.HELP: _global,
    Does.QUEUE: _officer_view,
    Does.CASE: _officer_view,
    Does.SEARCH: _officer_view,
    Does.INVITE: _invitations,
    Does.JOIN: _invitations,
    Does.REVOKE_INVITE: _invitations,
    Does.RECAP: _recap,
    Does.DEAD_LETTERS: _dead_letters,
    Does.BREACH: _breach,
    Does.RETRY_DEAD: _retry_dead,
    Does.START: _start,
    Does.SUBSCRIBE: _subscription,
    Does.UNSUBSCRIBE: _subscription,
    Does.PUSH: _push,
    Does.STATUS: _status,
    Does.FOR_RESIDENT: _for_resident,
    Does.MINE: _mine,
    Does.COMPLAINT: _form,
    Does.INFORMATION: _form,
    Does.LANGUAGE: _form,
    Does.PRIVACY: _form,
}
