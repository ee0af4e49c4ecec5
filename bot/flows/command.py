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

from enum import StrEnum
from typing import Any, TypedDict

from bot.domain.codes import find_code, parse_code
from bot.domain.roles import ROLE_NAMES, UNIT_ROLES, Role
from bot.flows.base import (
    Context,
    RunCommand,
    StepFlow,
    Transition,
    answers,
    asks,
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


class CommandStep(StrEnum):
    CODE = "code"
    WORDS = "words"
    ROLE = "role"
    UNIT = "unit"
    DESA = "desa"
    KIM_NAME = "kim_name"


class CommandForm(TypedDict, total=False):
    """What the flow holds: what the engine starts it with, then the answers (by step)."""

    command: str  # the command typed, without its "/" ("balas", "cari", "undang" …)
    want: str  # the step asked first: "code", "words" or "role"
    cases: list[list[str]]  # the cases offered, as [code, opening] pairs
    role: str  # /undang: the role's value
    unit: str  # /undang: the unit's code, for a unit role
    desa: str  # /undang kim: the desa/kelurahan's code
    kim_name: str  # /undang kim: the KIM's name, as in its SK


def case_buttons(data: dict[str, Any]) -> tuple[Button, ...]:
    """The cases offered, as the engine found them: [code, opening] pairs."""
    return tuple(Button(code, Raw(f"{code} · {opening}")) for code, opening in data["cases"])


def word_problem(inbound: Inbound) -> Msg | None:
    """What is wrong with typed words (a search, the numbers to resend, a KIM's name)."""
    text = (inbound.text or "").strip()
    return not_text_problem(inbound) or text_problem(text, min_len=MIN_WORD, max_len=200)


class CommandText(StepFlow):
    name = "command_text"
    steps = CommandStep
    first_step = CommandStep.CODE

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        data = dict(data or {})
        return self.ask(data.get("want", CommandStep.CODE), data, ctx)

    def help(self, step: str, data: dict[str, Any], ctx: Context) -> Msg:
        return _("Jawab pertanyaan di atas, atau ketik *batal* untuk tidak jadi.")

    # --- /balas, /ambil, /kasus …: which case --------------------------------------------

    @asks(CommandStep.CODE)
    def ask_code(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
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

    @answers(CommandStep.CODE)
    def on_code(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        step = CommandStep.CODE
        text = (inbound.text or "").strip()
        if inbound.choice in {b.id for b in case_buttons(data)}:
            return self.run(data["command"], inbound.choice or "")
        offered = case_buttons(data)
        if text.isdigit() and offered:  # a number beyond the list
            return self.retry(step, data, ctx, choice_problem(offered))
        found = find_code(text) if text else None
        if found is None:
            problem = not_text_problem(inbound) or _(
                "Itu bukan kode kasus. Kode tertulis di kartu kasus, misalnya *P-7KX4-M9QR*."
            )
            return self.retry(step, data, ctx, problem)
        if parse_code(found).code is None:  # every single slip fails the check symbol
            slip = _(
                "Kode *{code}* sepertinya salah ketik. Mohon periksa lagi di kartu kasus.",
                code=Raw(found.upper()),
            )
            return self.retry(step, data, ctx, slip)
        # "P-7KX4-M9QR jalannya sudah diperbaiki": the rest is the command's text
        rest = text.replace(found, " ", 1).strip()
        return self.run(data["command"], f"{''.join(found.split())} {rest}".strip())

    # --- /cari, /kirimulang: the words ---------------------------------------------------

    @asks(CommandStep.WORDS)
    def ask_words(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        if data["command"] == "kirimulang":
            return [
                Reply(
                    _("Kirim ulang pesan yang mana? Ketik nomornya (lihat /gagal), atau *semua*.")
                )
            ]
        return [Reply(_("Cari kasus dengan kata apa? Contoh: *jalan* atau *Lamataro*."))]

    @answers(CommandStep.WORDS)
    def on_words(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        command = data["command"]
        trouble = word_problem(inbound)
        if trouble is not None:
            return self.retry(CommandStep.WORDS, data, ctx, trouble)
        return self.run(command, (inbound.text or "").strip())

    # --- /undang: the role, then the unit, or the desa and the KIM's name ---------------

    @asks(CommandStep.ROLE)
    def ask_role(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Undangan untuk peran apa?"), ROLE_BUTTONS)]

    @answers(CommandStep.ROLE)
    def on_role(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return self.chosen(CommandStep.ROLE, data, inbound, ctx)

    @asks(CommandStep.UNIT)
    def ask_unit(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Untuk unit mana?"), unit_buttons(ctx))]

    @answers(CommandStep.UNIT)
    def on_unit(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return self.chosen(CommandStep.UNIT, data, inbound, ctx)

    @asks(CommandStep.DESA)
    def ask_desa(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("KIM itu di desa/kelurahan mana? Tulis namanya."))]

    @answers(CommandStep.DESA)
    def on_desa(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        text = (inbound.text or "").strip()
        match = ctx.agency.match_area(text) if text else None
        area = match.area if match else None
        if match and area is None and len(match.candidates) == 1:
            area = match.candidates[0]
        if area is None or area.parent is None:
            problem = not_text_problem(inbound) or _(
                "Nama desa/kelurahan itu belum kami kenali. Tulis nama desa/kelurahannya saja."
            )
            return self.retry(CommandStep.DESA, data, ctx, problem)
        return self._invite({**data, "desa": area.code}, ctx)

    @asks(CommandStep.KIM_NAME)
    def ask_kim_name(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Nama KIM-nya, sesuai SK (misalnya: KIM Sipakatau)?"))]

    @answers(CommandStep.KIM_NAME)
    def on_kim_name(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        trouble = word_problem(inbound)
        if trouble is not None:
            return self.retry(CommandStep.KIM_NAME, data, ctx, trouble)
        return self._invite({**data, "kim_name": (inbound.text or "").strip()}, ctx)

    # --- shared by the answers -----------------------------------------------------------

    def chosen(
        self, step: CommandStep, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition:
        """/undang's role or unit: one of the buttons, kept; then what the role needs next."""
        options = self.prompt(step, data, ctx)[0].buttons
        if inbound.choice not in {b.id for b in options}:
            return self.retry(step, data, ctx, choice_problem(options))
        return self._invite({**data, step: inbound.choice}, ctx)

    def _invite(self, data: dict[str, Any], ctx: Context) -> Transition:
        """The next thing the role needs, or the whole /undang once nothing is missing."""
        role = Role(data["role"])
        if role in UNIT_ROLES and not data.get("unit"):
            return self.ask(CommandStep.UNIT, data, ctx)
        if role is Role.KIM and not data.get("desa"):
            return self.ask(CommandStep.DESA, data, ctx)
        if role is Role.KIM and not data.get("kim_name"):
            return self.ask(CommandStep.KIM_NAME, data, ctx)
        where = data.get("unit") or f"{data.get('desa', '')} {data.get('kim_name', '')}"
        return self.run(data["command"], f"{role.value} {where}".strip())

    @staticmethod
    def run(command: str, rest: str) -> Transition:
        return Transition(None, {}, effects=[RunCommand(f"/{command} {rest}")])
