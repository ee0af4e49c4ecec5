"""From what a person wrote at the menu to the service they meant, carrying in what the
sentence already holds (the story, the code, the information asked for).

```
sure        ──► that service, started with the story / code carried in
unsure      ──► menu.guess: "Maksud Bapak/Ibu ingin menyampaikan *pengaduan*?" ─ya─► service
                                                                              └bukan─► menu
a story, nothing else recognised ──► menu.guess (a complaint is what most stories are)
```
"""

from __future__ import annotations

from typing import Any

from bot.flows.base import (
    Context,
    ListMyCases,
    ListObjectable,
    LookupCase,
    Transition,
)
from bot.understanding import Reading
from bot.values.messages import Msg, _
from bot.values.types import Button, Reply

# What each service is called in the one short question.
WANTS: dict[str, Msg] = {
    "complaint": _("menyampaikan *pengaduan*"),
    "aspiration": _("menyampaikan *aspirasi* (usul atau saran)"),
    "information": _("mengajukan *permohonan informasi publik*"),
    "status": _("menanyakan *status laporan*"),
    "mine": _("melihat *laporan Anda*"),
    "objection": _("mengajukan *keberatan* atas jawaban PPID"),
    "privacy": _("menanyakan *privasi dan data Anda*"),
    "language": _("mengganti *bahasa*"),
    "help": _("mendapat *bantuan* cara memakai layanan ini"),
}
GUESS_BUTTONS = (
    Button("yes", _("✅ Ya"), ("ya", "iya", "betul", "benar", "yes")),
    Button("no", _("↩️ Bukan, pilih layanan lain"), ("bukan", "tidak", "no")),
)


def guess_question(data: dict[str, Any]) -> Reply:
    want = WANTS.get(data.get("want", ""), WANTS["complaint"])
    return Reply(_("Maksud Bapak/Ibu ingin {want}?", want=want), GUESS_BUTTONS)


def act_on(reading: Reading, data: dict[str, Any], ctx: Context) -> Transition | None:
    """The service a sure reading names, started; None for what the menu answers itself
    (greetings, thanks, help) or does not recognise."""
    values = reading.values
    story = values.get("story") or data.get("first_text")
    match reading.intent:
        case "complaint" | "aspiration":
            carry: dict[str, Any] = {}
            if values.get("type") or reading.intent == "aspiration":
                carry["type"] = values.get("type") or "aspirasi"
            if story:
                carry.update(description=story, _carried=True)
            return Transition(None, {}, switch_to="complaint", carry=carry)
        case "information":
            carry = {"information": story, "_carried": True} if story else {}
            return Transition(None, {}, switch_to="information", carry=carry)
        case "status":
            if values.get("code"):
                return Transition("main", data, effects=[LookupCase(values["code"])])
            return Transition(None, {}, switch_to="status")
        case "mine":
            return Transition("main", data, effects=[ListMyCases()])
        case "objection":
            return Transition("main", data, effects=[ListObjectable()])
        case "privacy" | "language":
            return Transition(None, {}, switch_to=reading.intent)
    return None


def ask_guess(reading: Reading, data: dict[str, Any], ctx: Context) -> Transition:
    """One short question about the likeliest service, keeping what was said."""
    want = reading.intent if reading.intent in WANTS else "complaint"
    guess = {
        **data,
        "want": want,
        "values": dict(reading.values),
    }
    return Transition("guess", guess, [guess_question(guess)])
