"""A staff command typed without its text: what is missing is asked, then the command runs.

`/balas` alone asks which case (the cases in the officer's queue that the action fits are
buttons; a typed code works too), then the case-action flow asks the reply itself. `/cari`
alone asks for the words, `/kirimulang` for the numbers, and `/undang` for the role, then the
unit, or the desa and the KIM's name. The command is then run as if it had been typed whole,
so its checks (role, unit, state) stay in one place.

```
/balas, /ambil, /kasus …:  code ─► RunCommand("/balas KODE [rest]") ─► (case-action flow)
/cari, /kirimulang:        words ─► RunCommand("/cari KATA")
/undang:                   role ─┬─ (unit role) ─► unit ─► RunCommand("/undang PERAN UNIT")
                                 ├─ (kim) ─► desa ─► kim_name ─► RunCommand("/undang kim DESA NAMA")
                                 └─ (others) ─► RunCommand("/undang PERAN")
```
"""

from __future__ import annotations

from typing import Any

from bot.domain.codes import find_code, parse_code
from bot.domain.roles import ROLE_NAMES, UNIT_ROLES, Role
from bot.flows.base import (
    Context,
    Flow,
    RunCommand,
    Transition,
    choice_problem,
    not_text_problem,
    text_problem,
    unit_buttons,
)
from bot.values.messages import Msg, Raw, _
from bot.values.types import Button, Inbound, Reply

MIN_WORD = 3  # /cari needs a word at least this long
# The admin role last: the most powerful is never the one a stray "1" picks.
ROLE_BUTTONS = tuple(
    Button(role.value, Raw(name))
    for role, name in sorted(ROLE_NAMES.items(), key=lambda item: item[0] is Role.ADMIN)
)


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
        match step:
            case "words" if data["command"] == "kirimulang":
                return [
                    Reply(
                        _(
                            "Kirim ulang pesan yang mana? Ketik nomornya (lihat /gagal), atau "
                            "*semua*."
                        )
                    )
                ]
            case "words":
                return [Reply(_("Cari kasus dengan kata apa? Contoh: *jalan* atau *Lamataro*."))]
            case "role":
                return [Reply(_("Undangan untuk peran apa?"), ROLE_BUTTONS)]
            case "unit":
                return [Reply(_("Untuk unit mana?"), unit_buttons(ctx))]
            case "desa":
                return [Reply(_("KIM itu di desa/kelurahan mana? Tulis namanya."))]
            case "kim_name":
                return [Reply(_("Nama KIM-nya, sesuai SK (misalnya: KIM Sipakatau)?"))]
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
        match step:
            case "code":
                return self._code(data, inbound, ctx)
            case "role" | "unit":
                options = ROLE_BUTTONS if step == "role" else unit_buttons(ctx)
                if inbound.choice not in {b.id for b in options}:
                    return self.retry(step, data, ctx, choice_problem(options))
                return self._invite({**data, step: inbound.choice}, ctx)
            case "desa":
                match = ctx.agency.match_area(text) if text else None
                area = match.area if match else None
                if match and area is None and len(match.candidates) == 1:
                    area = match.candidates[0]
                if area is None or area.parent is None:
                    problem = not_text_problem(inbound) or _(
                        "Nama desa/kelurahan itu belum kami kenali. Tulis nama desa/kelurahannya "
                        "saja."
                    )
                    return self.retry(step, data, ctx, problem)
                return self._invite({**data, "desa": area.code}, ctx)
        trouble = not_text_problem(inbound) or text_problem(text, min_len=MIN_WORD, max_len=200)
        if trouble is not None:
            return self.retry(step, data, ctx, trouble)
        if step == "kim_name":
            return self._invite({**data, "kim_name": text}, ctx)
        return self.run(command, text)

    def _code(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        text = (inbound.text or "").strip()
        if inbound.choice in {b.id for b in case_buttons(data)}:
            return self.run(data["command"], inbound.choice or "")
        offered = case_buttons(data)
        if text.isdigit() and offered:  # a number beyond the list
            return self.retry("code", data, ctx, choice_problem(offered))
        found = find_code(text) if text else None
        if found is None:
            problem = not_text_problem(inbound) or _(
                "Itu bukan kode kasus. Kode tertulis di kartu kasus, misalnya *P-7KX4-M9QR*."
            )
            return self.retry("code", data, ctx, problem)
        if parse_code(found).code is None:  # every single slip fails the check symbol
            slip = _(
                "Kode *{code}* sepertinya salah ketik. Mohon periksa lagi di kartu kasus.",
                code=Raw(found.upper()),
            )
            return self.retry("code", data, ctx, slip)
        # "P-7KX4-M9QR jalannya sudah diperbaiki": the rest is the command's text
        rest = text.replace(found, " ", 1).strip()
        return self.run(data["command"], f"{''.join(found.split())} {rest}".strip())

    def _invite(self, data: dict[str, Any], ctx: Context) -> Transition:
        """The next thing the role needs, or the whole /undang once nothing is missing."""
        role = Role(data["role"])
        if role in UNIT_ROLES and not data.get("unit"):
            return self.ask("unit", data, ctx)
        if role is Role.KIM and not data.get("desa"):
            return self.ask("desa", data, ctx)
        if role is Role.KIM and not data.get("kim_name"):
            return self.ask("kim_name", data, ctx)
        where = data.get("unit") or f"{data.get('desa', '')} {data.get('kim_name', '')}"
        return self.run(data["command"], f"{role.value} {where}".strip())

    @staticmethod
    def run(command: str, rest: str) -> Transition:
        return Transition(None, {}, effects=[RunCommand(f"/{command} {rest}")])
