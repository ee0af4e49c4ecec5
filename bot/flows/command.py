"""An officer's command typed without its text: what is missing is asked, then the command runs.

`/balas` alone asks which case (the cases in the officer's queue that the action fits are
buttons; a typed code works too), then the case-action flow asks the reply itself. `/cari`
alone asks for the words. The command is then run as if it had been typed whole, so its
checks (role, unit, state) stay in one place.

```
/balas, /ambil, /kasus …:  code ─► RunCommand("/balas KODE [rest]") ─► (case-action flow)
/cari:                     words ─► RunCommand("/cari KATA")
```
"""

from __future__ import annotations

from typing import Any

from bot.domain.codes import find_code
from bot.engine.types import Button, Inbound, Reply
from bot.flows.base import Context, Flow, RunCommand, Transition, not_text_problem, text_problem
from bot.i18n import Msg, Raw, _

MIN_WORD = 3  # /cari needs a word at least this long


def case_buttons(data: dict[str, Any]) -> tuple[Button, ...]:
    """The cases offered, as the engine found them: [code, opening] pairs."""
    return tuple(Button(code, Raw(f"{code} · {opening}")) for code, opening in data["cases"])


class CommandText(Flow):
    name = "command_text"
    first_step = "code"

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        data = dict(data or {})
        return self.ask(data.get("want", "code"), data, ctx)

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        if step == "words":
            return [Reply(_("Cari kasus dengan kata apa? Contoh: *jalan* atau *Lamataro*."))]
        buttons = case_buttons(data)
        if not buttons:
            return [
                Reply(
                    _(
                        "Untuk kasus yang mana? Tidak ada kasus di antrian Anda yang cocok untuk "
                        "perintah ini; ketik kodenya bila Anda tahu, atau *batal*."
                    )
                )
            ]
        return [Reply(_("Untuk kasus yang mana? Pilih, atau ketik kodenya:"), buttons)]

    def help(self, step: str, data: dict[str, Any], ctx: Context) -> Msg:
        return _("Jawab pertanyaan di atas, atau ketik *batal* untuk tidak jadi.")

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        command = data["command"]
        text = (inbound.text or "").strip()
        if step == "code":
            picked = {b.id for b in case_buttons(data)}
            if inbound.choice in picked:
                return self.run(command, inbound.choice or "")
            found = find_code(text) if text else None
            if found is None:
                problem = not_text_problem(inbound) or _(
                    "Itu bukan kode kasus. Kode tertulis di kartu kasus, misalnya *P-7KX4-M9QR*."
                )
                return self.retry(step, data, ctx, problem)
            # "P-7KX4-M9QR jalannya sudah diperbaiki": the rest is the command's text
            rest = text.replace(found, " ", 1).strip()
            return self.run(command, f"{''.join(found.split())} {rest}".strip())
        trouble = not_text_problem(inbound) or text_problem(text, min_len=MIN_WORD)
        if trouble is not None:
            return self.retry(step, data, ctx, trouble)
        return self.run(command, text)

    @staticmethod
    def run(command: str, rest: str) -> Transition:
        return Transition(None, {}, effects=[RunCommand(f"/{command} {rest}")])
