"""The emergency message: 112 and the agency's lines, before anything else, when a citizen's
words describe a danger to life or safety happening now.

What counts as an emergency is `bot.understanding.emergency`'s rule; this module says what
the citizen is told and when. The engine asks `warning` once per inbound text, before
anything else, and puts what it returns first in the turn's replies; the step then runs as it would
have, so nothing typed is lost and the complaint can still be filed.

Said once per story, not once per message. A frightened person writes several messages about
one fire ("tolong kebakaran", "apinya sudah ke rumah sebelah", "di lapajung"): 112 on every
one of them would bury the questions that file the report. So the message is not repeated
while what the conversation already holds (the story so far, the first message kept for the
form, a parked draft) already describes the same kind of danger: every text that entered it
passed here first, so the citizen has been told. A new kind of danger ("ada yang dipukul"
after a fire) is told again, and so is any danger once the report is sent or dropped: the
held story is gone, and the message may be about something new.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.flows.base import Context
from bot.understanding.emergency import read_danger
from bot.values.messages import Localized, Msg, Raw, _, join, lines
from bot.values.types import Reply


def warning(
    text: str, in_form: bool, data: dict[str, Any], draft: dict[str, Any] | None, ctx: Context
) -> list[Reply]:
    """The emergency message, if `text` describes a danger not yet told of in this story.
    An officer's words only in a form they fill as a citizen would: at work ("petugas
    menuju lokasi kebakaran", a typed command) they are no call for help."""
    if (ctx.officer and not in_form) or text.startswith("/"):
        return []
    danger = read_danger(text)
    if not danger:
        return []
    told: set[str] = set()
    for held in (*_texts(data), *_texts(draft)):
        told |= read_danger(held).kinds
    if danger.kinds <= told:
        return []
    return [Reply(message(ctx))]


# Steps whose answer is a name: a cry for help typed there is not one.
NAME_STEPS = frozenset({"name", "principal_name"})


def set_aside(flow: str, step: str, data: dict[str, Any], text: str) -> dict[str, Any] | None:
    """After the emergency message, what the form keeps instead of taking `text` as the
    answer to a name question ("ada yg dibacok di pasar" is no name): in a complaint, the
    words join the story; elsewhere they are kept beside the form. None: the step takes
    the text as usual."""
    if step not in NAME_STEPS:
        return None
    key = "description" if flow == "complaint" else "_emergency_words"
    held = data.get(key)
    return {**data, key: f"{held}\n{text}" if held else text}


def message(ctx: Context) -> Msg:
    emergency = ctx.agency.emergency
    call = _(
        "🚨 Bila ada bahaya bagi nyawa, hubungi *{number}* sekarang (gratis, 24 jam).",
        number=Raw(emergency.number),
    )
    each = [
        _(
            "• {label}: *{number}*",
            label=Localized(line.label, line.label_en or line.label),
            number=Raw(line.number),
        )
        for line in emergency.lines
    ]
    after = _(
        "Chat ini tidak dipantau setiap saat, jadi jangan menunggu balasan petugas di sini. "
        "Bila sudah aman, laporan Anda tetap bisa dilanjutkan di bawah ini."
    )
    return join(call, lines(*each), after) if each else join(call, after)


def _texts(value: object) -> Iterator[str]:
    """Every text a conversation holds, wherever the flow keeps it (the story, the first
    message, a guess's values, a draft and its pending message)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
