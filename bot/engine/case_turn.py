"""A case worked from the chat, inside the turn: commands, buttons, replies to a card.

Everything is checked by the casework service first; then the guided flow asks for whatever
the command did not carry, and `case_action` runs it when the flow ends. An objection the
requester files becomes a case of its own here, with its receipt.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.domain.cases import Kind
from bot.domain.codes import find_code
from bot.domain.lifecycle import BUTTON_ACTIONS, CITIZEN_ACTIONS, Action
from bot.domain.roles import Role
from bot.engine.intake import create_case
from bot.engine.state import TurnLike
from bot.flows.base import CaseAction, PreviewCase, quoted
from bot.handlers import citizen, officer, staff
from bot.handlers.casework import objections, preview
from bot.handlers.casework import service as casework
from bot.handlers.casework.actor import load_actor
from bot.handlers.casework.arguments import case_args, parse_args
from bot.values.messages import Raw, _
from bot.values.types import Reply
from storage import repo


async def case_command(turn: TurnLike, action: Action, command: str, rest: str) -> None:
    """/balas KODE teks and friends: checked first, then whatever is missing is asked."""
    words = rest.split()
    if not words and action is Action.OBJECT:
        await turn.pending.flush(turn.conn)
        turn.replies.extend(
            await citizen.objectable(turn.conn, turn.chat.identity.person_id, turn.today)
        )
        return
    if not words:
        await ask_command(turn, command, "code", action)
        return
    code_text, args = words[0], parse_args(action, words[0], words[1:])
    await start_case_action(turn, action, code_text, args)


async def ask_command(
    turn: TurnLike, command: str, want: str, action: Action | None, *, admins_only: bool = False
) -> None:
    """A command typed without its text: ask for the case (or the words), then run it.
    Whoever may not use the command is answered as if it did not exist."""
    await turn.pending.flush(turn.conn)
    person = turn.chat.identity.person_id
    if admins_only:  # no case to offer
        admin = Role.ADMIN.value in await repo.roles_of(turn.conn, person)
        cases: list[list[str]] | None = [] if admin else None
    else:
        cases = await officer.cases_to_pick(turn.conn, turn.services.agency, person, action)
    if cases is None:  # not allowed: as if the command did not exist
        turn.replies.append(staff.not_available())
        return
    turn.park()
    carry = {"command": command.split("@")[0].lower(), "want": want, "cases": cases}
    await turn.start_flow("command_text", carry)


async def case_button(turn: TurnLike, choice: str, reason: str | None = None) -> None:
    """c:ACTION:CODE[:VALUE], from a case card or an update: the code rides in the button,
    so it works whatever the conversation is doing. `reason`: what was said with it
    ("belum, lubangnya masih ada" answers "Apa yang belum beres?" at once)."""
    _prefix, name, code, value = [*choice.split(":"), "", "", ""][:4]
    if name == "view":  # a case picked from /antrian or /cari
        await turn.pending.flush(turn.conn)
        person = turn.chat.identity.person_id
        card = await officer.case_card(
            turn.conn, turn.services.agency, person, code, turn.today, turn.services.zone
        )
        turn.replies.extend(card)
        return
    action = next((a for a in BUTTON_ACTIONS if a.value == name), None)
    if action is None:  # forged or from an older version: never the scheduler's actions
        turn.replies.append(Reply(_("Tombol itu sudah tidak berlaku.")))
        return
    args: dict[str, Any] = {"stars": value} if action is Action.RATE and value else {}
    if reason and action is Action.REOPEN:
        args["text"] = reason
    await start_case_action(turn, action, code, args)


async def start_case_action(
    turn: TurnLike, action: Action, code_text: str, args: Mapping[str, Any]
) -> None:
    await turn.pending.flush(turn.conn)  # a case filed earlier in this batch
    actor = await load_actor(turn.conn, turn.chat.identity.person_id)
    agency = turn.services.agency
    row, refused = await casework.authorise(turn.conn, agency, actor, action, code_text, turn.today)
    if row is None:
        turn.replies.extend(refused)
        return
    media = [m.file_ref for m in turn.inbound.media if m.kind in ("photo", "document")]
    if media:  # /selesai KODE ringkasan as a photo's caption
        args = {**args, "media": media}
    args = {**args, "channel": turn.inbound.channel}
    grounds: list[str] = []
    if action is Action.OBJECT:
        # Only the Pasal 35 grounds open today are offered, so a reason typed after the
        # ground is never refused and lost; a typed ground that is not open is asked again
        # (the reason typed with it is kept).
        grounds = sorted(await objections.objection_grounds(turn.conn, agency, row, turn.today))
        typed = args.get("ground35")
        if typed is not None and typed not in grounds:
            args = {k: v for k, v in args.items() if k != "ground35"}
            turn.replies.append(
                Reply(
                    _(
                        "Alasan ({letter}) tidak berlaku untuk permohonan ini sekarang. Pilih "
                        "salah satu alasan di bawah.",
                        letter=Raw(str(typed)[:1]),
                    )
                )
            )
    turn.park()
    turn.menu_after_case = action in CITIZEN_ACTIONS
    carry = {
        "action": action.value,
        "code": row.tracking_code,
        "args": args,
        "unit": row.unit_code,  # the unit holding it: not offered as where to forward
        # what the requester wrote, for the PPID to restate formally in the notice
        "asked": quoted(row.description or "", 300).text if action is Action.DECIDE else "",
        "grounds": grounds,
        # the form the requester asked for: offered first for the written notice
        "requested_form": await preview.requested_form(turn.conn, row)
        if action is Action.DECIDE
        else None,
    }
    await turn.start_flow("case_action", carry)


async def preview_case(turn: TurnLike, effect: PreviewCase) -> None:
    """The notice as it would go, then whether to send it. A case that can no longer take
    it (decided meanwhile) ends the form with the refusal."""
    shown, may_send = await preview.preview(
        turn.conn,
        turn.services.agency,
        await load_actor(turn.conn, turn.chat.identity.person_id),
        Action(effect.action),
        effect.code,
        case_args(effect.args),
        today=turn.today,
    )
    turn.replies.extend(shown)
    if may_send:
        turn.replies.append(effect.question)
    else:
        turn.set_flow("menu", "main")


async def replied_code(turn: TurnLike) -> str | None:
    """The case this message replies to: the code in our own case card or case update
    sent to this same chat. Replies to anything else (a note's confirmation, a list) are
    ordinary messages, so nothing meant for officers reaches a citizen by accident."""
    if turn.inbound.reply_to_message_id is None:
        return None
    sent = await repo.sent_message(
        turn.conn, turn.inbound.reply_to_message_id, turn.chat.identity.id
    )
    if sent is None or sent[0] not in ("officer_alert", "status_update"):
        return None
    return find_code(sent[1])


async def reply_to_case(turn: TurnLike, code: str, text: str) -> bool:
    """A message sent as a reply to a case card or update (Telegram's reply): an officer's
    reply to the citizen, or the citizen's answer to a question. False: handle normally."""
    await turn.pending.flush(turn.conn)
    actor = await load_actor(turn.conn, turn.chat.identity.person_id)
    if actor.officer:
        row, _refused = await casework.authorise(
            turn.conn, turn.services.agency, actor, Action.REPLY, code, turn.today
        )
        if row is not None:
            await start_case_action(turn, Action.REPLY, code, {"text": text})
            return True
    if await casework.awaits_answer(turn.conn, turn.chat.identity.person_id, code):
        await start_case_action(turn, Action.ANSWER, code, {"text": text})
        return True
    return False


async def case_action(turn: TurnLike, effect: CaseAction) -> None:
    outcome = await casework.perform(
        turn.conn,
        turn.services.agency,
        await load_actor(turn.conn, turn.chat.identity.person_id),
        Action(effect.action),
        effect.code,
        case_args(effect.args),
        now=turn.now,
        today=turn.today,
    )
    turn.replies.extend(outcome.replies)
    turn.notices.extend(outcome.notices)
    if outcome.refused and effect.action == Action.ANSWER and turn.inbound.text:
        # The question was overtaken (the case moved on): what the citizen wrote is not
        # lost; the menu keeps it, ready to become a new report.
        turn.set_flow("menu", "main")
        await turn.step()
        return
    for filing in outcome.filed:
        request = filing.request
        case = await create_case(
            turn.conn,
            turn.pending,
            turn.services.agency,
            kind=Kind.KEBERATAN,
            data={
                "description": filing.reason,
                "related_case_id": request.id,
                "objection_ground": filing.ground,
                "name": request.reporter_name,
                "cites": request.register_number,
            },
            reporter_person_id=filing.reporter,
            submitter_person_id=filing.submitter,
            channel=turn.inbound.channel,
            now=turn.now,
            today=turn.today,
            progress_days=turn.services.progress_days,
        )
        turn.new_cases.append(case.code)
        turn.replies.extend(citizen.receipt(case))
