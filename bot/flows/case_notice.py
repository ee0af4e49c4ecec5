"""The written notice's own steps of the case-action form (`case_action.CaseWork` has them):
an exemption's consequence test and public-interest consideration, the form, day and cost of
what is given, and the notice shown before it is sent, with the part to change.

Each step's value is kept in `args` under the argument's name (`bot.domain.arguments.Arg`);
the rules they are checked by are `bot.domain.notice`, the same `check_args` reads.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.domain.arguments import Arg
from bot.domain.notice import cost_problem, day_problem, read_cost, read_day
from bot.flows.base import CaseAction, Context, PreviewCase, Transition, answers, asks
from bot.flows.case_action_form import (
    CONFIRM_BUTTONS,
    PART_LABELS,
    button_day,
    cost_question,
    day_buttons,
    form_buttons,
    form_label,
)
from bot.values.messages import Msg, Raw, _
from bot.values.types import Button, Inbound, Reply

CONFIRM, EDIT = "confirm", "edit"  # steps about the answers, kept nowhere in `args`


class Asking(Protocol):
    """What the notice's steps use of the flow they belong to."""

    def next(self, data: dict[str, Any], ctx: Context) -> Transition: ...
    def ask(self, step: str, data: dict[str, Any], ctx: Context) -> Transition: ...
    def retry(self, step: str, data: dict[str, Any], ctx: Context, problem: Msg) -> Transition: ...
    def chosen(
        self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition: ...
    def written(
        self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition: ...
    def parts(self, data: dict[str, Any]) -> list[str]: ...


def kept(data: dict[str, Any], name: str, value: Any) -> dict[str, Any]:
    """A copy of the form with one answer kept: what the flow was given is never changed."""
    return {**data, "args": {**data["args"], name: value}}


class NoticeSteps:
    """Mixed into `CaseWork`: its `next`, `chosen`, `written` and `parts` do the rest."""

    def preview(self: Asking, data: dict[str, Any], ctx: Context) -> Transition:
        """Everything is answered: the notice is shown as it would go (the engine builds it
        with the letter's own builder), then whether to send it."""
        question = Reply(_("Kirim pemberitahuan tertulis ini kepada pemohon?"), CONFIRM_BUTTONS)
        effect = PreviewCase(data["action"], data["code"], data["args"], question)
        return Transition(CONFIRM, data, effects=[effect])

    # --- an exemption -----------------------------------------------------------------------

    @asks(Arg.CONSEQUENCE)
    def ask_consequence(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        ask = _(
            "Uji konsekuensi (UU 14/2008 Pasal 2 ayat 4, Pasal 19): akibat apa yang timbul bila "
            "informasi ini dibuka, sehingga harus dikecualikan?"
        )
        return [Reply(ask)]

    @answers(Arg.CONSEQUENCE)
    def on_consequence(
        self: Asking, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition:
        return self.written(Arg.CONSEQUENCE, data, inbound, ctx)

    @asks(Arg.PUBLIC_INTEREST)
    def ask_public_interest(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        ask = _(
            "Pertimbangan kepentingan publik: mengapa menutup informasi ini melindungi "
            "kepentingan yang lebih besar daripada membukanya?"
        )
        return [Reply(ask)]

    @answers(Arg.PUBLIC_INTEREST)
    def on_public_interest(
        self: Asking, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition:
        return self.written(Arg.PUBLIC_INTEREST, data, inbound, ctx)

    # --- what is given ----------------------------------------------------------------------

    @asks(Arg.FORM)
    def ask_form(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        requested = data.get("requested_form")
        asked = form_label(requested) if requested else Raw("-")
        ask = _(
            "Dalam bentuk apa, dan bagaimana, informasi diberikan? Pemohon meminta: {asked}.",
            asked=asked,
        )
        return [Reply(ask, form_buttons(requested))]

    @answers(Arg.FORM)
    def on_form(self: Asking, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return self.chosen(Arg.FORM, data, inbound, ctx)

    @asks(Arg.WHEN)
    def ask_when(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        ask = _(
            "Kapan informasi diberikan? Pilih, atau tulis tanggalnya (misalnya 3/12/2026 atau "
            "3 Desember 2026)."
        )
        return [Reply(ask, day_buttons(ctx))]

    @answers(Arg.WHEN)
    def on_when(self: Asking, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        day = button_day(inbound.choice, day_buttons(ctx))
        if day is None:
            typed = inbound.text or ""
            problem = day_problem(typed, ctx.today, ctx.agency.calendar)
            if problem is not None:
                return self.retry(Arg.WHEN, data, ctx, problem)
            day = read_day(typed, ctx.today, ctx.agency.calendar)
        assert day is not None
        return self.next(kept(data, Arg.WHEN, day.isoformat()), ctx)

    @asks(Arg.COST)
    def ask_cost(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [cost_question(str(data["args"].get(Arg.FORM, "")), ctx)]

    @answers(Arg.COST)
    def on_cost(self: Asking, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        typed = "0" if inbound.choice == "free" else (inbound.text or "")
        problem = cost_problem(typed, ctx.agency)
        if problem is not None:
            return self.retry(Arg.COST, data, ctx, problem)
        cost = read_cost(typed, ctx.agency.costs.copy_per_page)
        return self.next(kept(data, Arg.COST, str(cost)), ctx)

    # --- the notice shown, and what to change -----------------------------------------------

    @asks(CONFIRM)
    def ask_confirm(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """(Asked again after *bantuan* or *kembali*: the notice itself was shown before.)"""
        ask = _("Kirim pemberitahuan tertulis di atas kepada pemohon?")
        return [Reply(ask, CONFIRM_BUTTONS)]

    @answers(CONFIRM)
    def on_confirm(
        self: Asking, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition:
        if inbound.choice == "send":
            return Transition(
                None, {}, effects=[CaseAction(data["action"], data["code"], data["args"])]
            )
        if inbound.choice == "edit":
            return self.ask(EDIT, data, ctx)
        if inbound.choice == "cancel":
            return Transition(None, {}, [Reply(_("Dibatalkan. Pemberitahuan tidak dikirim."))])
        return self.retry(CONFIRM, data, ctx, _("Pilih *Kirim*, *Ubah* atau *Batal*."))

    @asks(EDIT)
    def ask_edit(self: Asking, data: dict[str, Any], ctx: Context) -> list[Reply]:
        buttons = tuple(Button(part, PART_LABELS[part]) for part in self.parts(data))
        return [Reply(_("Bagian mana yang diubah?"), buttons)]

    @answers(EDIT)
    def on_edit(self: Asking, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        part = inbound.choice
        if part not in self.parts(data):
            return self.retry(EDIT, data, ctx, _("Pilih bagian yang diubah dari daftar."))
        # Asked again: the answer given before is dropped, and the notice is shown once more.
        args = {k: v for k, v in data["args"].items() if k != part}
        return self.next({**data, "args": args}, ctx)
