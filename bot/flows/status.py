"""Cek status: a tracking code typed, or picked from one's own list.

Codes are checked for typos here (pure); ownership is checked by the engine's lookup, which
answers a stranger's code exactly like a code that does not exist.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.domain.codes import CodeProblem, example_code, find_code, parse_code
from bot.flows.base import (
    Context,
    ListMyCases,
    LookupCase,
    StepFlow,
    Transition,
    answers,
    asks,
    not_text_problem,
)
from bot.values.messages import Msg, Raw, _
from bot.values.types import Button, Inbound, Reply

CODE_PROBLEMS: dict[CodeProblem, Msg] = {
    CodeProblem.NOT_A_CODE: _(
        "Itu bukan kode pelacakan. Kode berbentuk seperti *{example}* (huruf pertama P, A, I "
        "atau K)."
    ),
    CodeProblem.BAD_SYMBOL: _(
        "Kode pelacakan tidak memakai angka 0 dan 1 atau huruf O, I dan L. Mohon periksa lagi "
        "kodenya."
    ),
    CodeProblem.BAD_CHECK: _(
        "Sepertinya ada huruf yang salah ketik pada kode {code}. Mohon periksa lagi, atau pilih "
        "*Laporan saya*."
    ),
}


class Step(StrEnum):
    CODE = "code"


class Status(StepFlow):
    name = "status"
    steps = Step
    first_step = Step.CODE

    @asks(Step.CODE)
    def ask_code(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [
            Reply(
                _(
                    "Ketik kode pelacakan Anda (contoh: *{example}*), atau pilih *Laporan saya*.",
                    example=Raw(example_code()),
                ),
                (Button("mine", _("🗂 Laporan saya"), ("laporan saya",)),),
            )
        ]

    @answers(Step.CODE)
    def on_code(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        step = Step.CODE
        if inbound.choice == "mine":
            return Transition(None, data, effects=[ListMyCases()])
        if inbound.choice and inbound.choice.startswith("case:"):
            return Transition(
                None, data, effects=[LookupCase(inbound.choice.removeprefix("case:"))]
            )
        problem = not_text_problem(inbound)
        if problem is not None:
            return self.retry(step, data, ctx, problem)
        typed = (inbound.text or "").strip()
        # A sentence without anything code-like ("pak tolong") is no code at all.
        parsed = parse_code(find_code(typed) or ("" if " " in typed else typed))
        if parsed.problem is not None:
            typed_code = (inbound.text or "").strip()[:20]
            return self.retry(step, data, ctx, code_problem(parsed.problem, typed_code))
        assert parsed.code is not None
        return Transition(None, data, effects=[LookupCase(parsed.code)])


def code_problem(problem: CodeProblem, typed: str) -> Msg:
    """What is wrong with a typed code, in words that help fix it."""
    template = CODE_PROBLEMS[problem]
    return Msg(template.msgid, {"code": Raw(typed.strip()[:20]), "example": Raw(example_code())})
