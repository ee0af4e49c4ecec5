"""Drafts: a form left half-way is kept, one per chat, to be resumed or dropped later.

A form is set aside when its person starts something else, when the conversation expires,
or when a question from an officer takes over the chat; `draft_of` is the one shape of it.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.engine.state import TurnLike
from bot.flows.registry import DRAFT_FLOWS
from bot.values.messages import _
from bot.values.types import Reply


def draft_of(conv: Any, pending: str | None = None) -> dict[str, Any]:
    """The form as it stands; `pending`: a message that arrived for it after a long silence."""
    return {
        "pending": pending,
        "flow": conv.flow,
        "step": conv.step,
        "data": conv.data,
        "history": conv.history,
    }


def park(conv: Any, pending: str | None = None) -> None:
    """Keep an unfinished form as the draft, to be resumed or dropped later."""
    if conv.flow in DRAFT_FLOWS and (conv.data or conv.history):  # nothing typed: no draft
        conv.draft = draft_of(conv, pending)


def keep_at(conv: Any, step: str, data: dict[str, Any]) -> None:
    """The form as the person leaves it for now, at `step` with `data` (which the flow has
    not yet moved the conversation to): "Sudah cukup" to information already published
    keeps the request, to be filed later from *Lanjutkan yang belum selesai*."""
    history = conv.history if step == conv.step else [*conv.history, conv.step]
    conv.draft = {
        "pending": None,
        "flow": conv.flow,
        "step": step,
        "data": data,
        "history": history,
    }


async def resume(turn: TurnLike) -> None:
    """Back to the form where it was left; a message kept for it answers its step."""
    conv = turn.chat.conversation
    draft = conv.draft
    if draft is None:
        return
    conv.flow, conv.step = draft["flow"], draft["step"]
    conv.data, conv.history = draft["data"], draft["history"]
    conv.draft = None
    turn.replies.append(Reply(_("Kita lanjutkan dari langkah terakhir.")))
    pending = draft.get("pending")
    if pending:
        # The message that arrived after the long silence answers the step it was sent to.
        turn.inbound = replace(turn.inbound, text=pending, choice=None)
        await turn.step()
    else:
        turn.reprompt()
