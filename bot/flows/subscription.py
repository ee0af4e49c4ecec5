"""Subscribing to serta-merta news, in words typed at the menu: "langganan info lapajung",
"mau langganan info bencana kec lalabata", "berhenti langganan". The same as `/langganan` and
`/berhenti` (bot.domain.commands), which do the work; this only reads the words. Pure."""

from __future__ import annotations

import re

# What a message to subscribe or stop starts with; what may follow before the place.
_STOP = re.compile(
    r"^(?:mau\s+|tolong\s+|sy\s+|saya\s+)?(?:berhenti|stop|henti(?:kan)?|batal(?:kan)?)\s+"
    r"(?:ber)?langganan\b",
    re.I,
)
_START = re.compile(
    r"^(?:mau\s+|ingin\s+|tolong\s+|sy\s+|saya\s+|daftar\s+)*(?:ber)?langganan\b", re.I
)
_TOPIC = re.compile(
    r"^(?:\s*(?:info(?:rmasi)?|berita|peringatan|darurat|bencana|serta[\s-]?merta|utk|untuk|"
    r"di|wilayah|daerah)\b)*",
    re.I,
)
# Buttons offered by /langganan when the place was unclear ("Maksud Anda yang mana?").
COMMAND_BUTTONS = ("cmd:/langganan ", "cmd:/berhenti")


def subscription_command(text: str | None, choice: str | None) -> str | None:
    """The command the words (or a button /langganan offered) mean, or None."""
    if choice is not None:
        picked = choice.removeprefix("cmd:")
        return picked if choice.startswith(COMMAND_BUTTONS) else None
    typed = (text or "").strip()
    for pattern, command in ((_STOP, "/berhenti"), (_START, "/langganan")):
        found = pattern.match(typed)
        if found:
            place = _TOPIC.sub("", typed[found.end() :]).strip(" ,.:;!?")
            return f"{command} {place}".strip()
    return None
