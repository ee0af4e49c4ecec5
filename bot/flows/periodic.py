"""An objection on ground (b) of UU 14/2008 Pasal 35 ayat (1), on its own: periodic information
(Pasal 9: budgets, reports, programmes) the agency should publish and has not. It rests on no
request, so it cites none; it goes to the atasan PPID like every objection (30 working days).

```
periodic.what ──► periodic.name (unless known) ──► SubmitCase(keberatan, ground b)
```
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.domain.cases import Kind
from bot.flows.base import (
    Context,
    StepFlow,
    SubmitCase,
    Transition,
    answers,
    asks,
    name_problem,
    not_text_problem,
    text_problem,
)
from bot.values.messages import _
from bot.values.types import Inbound, Reply

MAX_WHAT = 2000


class Step(StrEnum):
    WHAT = "what"
    NAME = "name"


class PeriodicObjection(StepFlow):
    name = "periodic"
    steps = Step
    first_step = Step.WHAT

    @asks(Step.WHAT)
    def ask_what(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        ask = _(
            "Keberatan karena *informasi berkala tidak diumumkan* (UU 14/2008 Pasal 35 ayat 1 "
            "huruf b). Informasi apa yang seharusnya diumumkan badan publik ini secara berkala "
            "tetapi tidak Anda temukan? (misalnya: APBD 2026, laporan keuangan 2025)"
        )
        return [Reply(ask)]

    @answers(Step.WHAT)
    def on_what(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        problem = (None if inbound.text else not_text_problem(inbound)) or text_problem(
            inbound.text, min_len=5, max_len=MAX_WHAT
        )
        if problem is not None:
            return self.retry(Step.WHAT, data, ctx, problem)
        data = {**data, "what": (inbound.text or "").strip()}
        if ctx.display_name and name_problem(ctx.display_name) is None:
            return self._filed(data, ctx.display_name)
        return self.ask(Step.NAME, data, ctx)

    @asks(Step.NAME)
    def ask_name(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Nama lengkap Anda (yang mengajukan keberatan)?"))]

    @answers(Step.NAME)
    def on_name(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        name = " ".join((inbound.text or "").split())
        problem = (None if inbound.text else not_text_problem(inbound)) or name_problem(name)
        if problem is not None:
            return self.retry(Step.NAME, data, ctx, problem)
        return self._filed(data, name[:200])

    def _filed(self, data: dict[str, Any], name: str) -> Transition:
        filing = {"description": data["what"], "objection_ground": "b", "name": name}
        return Transition(None, {}, effects=[SubmitCase(Kind.KEBERATAN, filing)])
