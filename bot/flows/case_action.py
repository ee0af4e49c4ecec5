"""Collecting what a case action needs, one question at a time, then handing it to the engine.

Officers reach it by pressing a case card's button or typing a command without its text
(`/balas KODE`); reporters by a button on an update, or because a clarification question put
them here. Every path ends in one `CaseAction` effect; the rules live in `bot.domain.lifecycle`,
what is asked in `bot.domain.arguments`, and its buttons and questions in `case_action_form`.

```
text actions:     text ─► CaseAction
forward:          unit ─► text ─► CaseAction
extend:           days ─► text ─► CaseAction
decide (I):       outcome ─► restate ─► [ground ─► consequence ─► public_interest]
                    (partial, rejected) ─► [form ─► when ─► cost (not free by rule) ─► text]
                    (granted, partial) │ text (not held) ─► confirm (the notice shown) ─► CaseAction
                  confirm ─edit─► edit ─► that part again ─► confirm
decide (K):       outcome ─► text ─► CaseAction
rate:             stars ─► comment (may skip) ─► CaseAction
object:           ground ─► text ─► CaseAction
```
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.domain.arguments import needed, previewed
from bot.domain.codes import kind_of
from bot.domain.lifecycle import PASAL_17, PASAL_35, Action
from bot.domain.notice import AS_ASKED
from bot.flows.base import (
    CaseAction,
    Context,
    StepFlow,
    Transition,
    answers,
    asks,
    choice_problem,
    not_text_problem,
    text_problem,
    unit_buttons,
)
from bot.flows.case_action_form import AS_ASKED as AS_ASKED_BUTTON
from bot.flows.case_action_form import (
    MAX_TEXT,
    SKIP,
    STAR_BUTTONS,
    ground_buttons,
    near_units,
    outcome_buttons,
    text_question,
)
from bot.flows.case_notice import NoticeSteps
from bot.values.messages import Msg, Raw, _
from bot.values.types import Button, Inbound, Reply

A = Action
__all__ = ["MAX_TEXT", "STAR_BUTTONS", "CaseStep", "CaseWork"]


class CaseStep(StrEnum):
    """What an action may need asked; each answer is kept in `args` under its step's name
    (but `confirm` and `edit`, which ask about the answers)."""

    UNIT = "unit"
    DAYS = "days"
    OUTCOME = "outcome"
    RESTATE = "restate"
    GROUND = "ground"
    CONSEQUENCE = "consequence"
    PUBLIC_INTEREST = "public_interest"
    FORM = "form"
    WHEN = "when"
    COST = "cost"
    GROUND35 = "ground35"
    TEXT = "text"
    STARS = "stars"
    COMMENT = "comment"
    CONFIRM = "confirm"
    EDIT = "edit"


S = CaseStep


def steps_for(action: str, args: dict[str, Any], code: str) -> list[CaseStep]:
    """The steps of what the action needs (`bot.domain.arguments`, the one rule)."""
    wanted = needed(Action(action), kind_of(code), args.get("outcome"), args.get("form"))
    return [CaseStep(arg.value) for arg in wanted]


def missing(action: str, args: dict[str, Any], code: str) -> CaseStep | None:
    return next((s for s in steps_for(action, args, code) if s not in args), None)


def with_args(data: dict[str, Any]) -> dict[str, Any]:
    """A copy to keep an answer in: what the flow was given is never changed."""
    return {**data, "args": dict(data["args"])}


# What a decision's own outcome decides the meaning of (the requester's words restated stay).
_OUTCOME_WORDS = frozenset(
    {"text", "ground", "consequence", "public_interest", "form", "when", "cost"}
)


class CaseWork(NoticeSteps, StepFlow):
    name = "case_action"
    steps = CaseStep
    first_step = S.TEXT

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        data = dict(data or {})
        args = dict(data.get("args") or {})
        if args.get("form") == AS_ASKED:  # typed whole in one line: the form asked for
            args.pop("form")
            if data.get("requested_form"):
                args["form"] = data["requested_form"]
        data["args"] = args
        return self.next(data, ctx)

    def next(self, data: dict[str, Any], ctx: Context) -> Transition:
        step = missing(data["action"], data["args"], data["code"])
        if step is not None:
            return self.ask(step, data, ctx)
        if previewed(Action(data["action"]), kind_of(data["code"])):
            return self.preview(data, ctx)
        return Transition(
            None, {}, effects=[CaseAction(data["action"], data["code"], data["args"])]
        )

    def parts(self, data: dict[str, Any]) -> list[str]:
        """The answers a PPID may change before sending, in the order they were asked."""
        return [str(s) for s in steps_for(data["action"], data["args"], data["code"])]

    def help(self, step: str, data: dict[str, Any], ctx: Context) -> Msg:
        return _("Jawab pertanyaan di atas, atau ketik *batal* untuk tidak jadi.")

    # --- forward ---------------------------------------------------------------------------

    @asks(S.UNIT)
    def ask_unit(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        ask = _("Teruskan *{code}* ke unit mana?", code=Raw(data["code"]))
        return [Reply(ask, unit_buttons(ctx, data.get("unit")))]

    @answers(S.UNIT)
    def on_unit(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if self.picked(S.UNIT, data, inbound, ctx) is None and inbound.text:
            near = near_units(inbound.text, data, ctx)
            if near:  # "dinas pu", "pupr": the units it is probably meant to be
                ask = _("Unit itu tidak ada. Maksud Anda salah satu dari ini?")
                return Transition(S.UNIT, with_args(data), [Reply(ask, near)])
        return self.chosen(S.UNIT, data, inbound, ctx)

    # --- extend ----------------------------------------------------------------------------

    @asks(S.DAYS)
    def ask_days(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        most = ctx.agency.clocks.info_extension
        days = tuple(Button(str(n), Raw(str(n)), ()) for n in range(1, most + 1))
        return [Reply(_("Diperpanjang berapa hari kerja? (paling lama {most})", most=most), days)]

    @answers(S.DAYS)
    def on_days(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return self.chosen(S.DAYS, data, inbound, ctx)

    # --- decide ----------------------------------------------------------------------------

    @asks(S.OUTCOME)
    def ask_outcome(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        code = data["code"]
        return [Reply(_("Keputusan atas *{code}*:", code=Raw(code)), outcome_buttons(code))]

    @answers(S.OUTCOME)
    def on_outcome(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        before = data["args"].get(S.OUTCOME)
        if before is not None and inbound.choice not in (None, before):
            # Another decision (from Ubah): what the old one said does not carry over
            # ("what is given" under a grant is no refusal's reason); asked again.
            args = {k: v for k, v in data["args"].items() if k not in _OUTCOME_WORDS}
            data = {**data, "args": args}
        return self.chosen(S.OUTCOME, data, inbound, ctx)

    @asks(S.RESTATE)
    def ask_restate(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [
            Reply(
                _(
                    "Rumusan resmi informasi yang diminta, untuk surat pemberitahuan? "
                    "Pemohon menulis:\n“{asked}”\nTulis rumusannya (misalnya: Salinan "
                    "SK Bupati Nomor … Tahun …), atau pilih *Pakai tulisan pemohon*.",
                    asked=Raw(data.get("asked") or "-"),
                ),
                (AS_ASKED_BUTTON,),
            )
        ]

    @answers(S.RESTATE)
    def on_restate(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == AS_ASKED_BUTTON.id:
            data = with_args(data)
            data["args"][S.RESTATE] = ""  # the notice quotes the request as the requester wrote it
            return self.next(data, ctx)
        return self.written(S.RESTATE, data, inbound, ctx)

    @asks(S.GROUND)
    def ask_ground(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        ask = _("Dasar pengecualian, UU 14/2008 Pasal 17 huruf:")
        return [Reply(ask, ground_buttons(PASAL_17))]

    @answers(S.GROUND)
    def on_ground(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return self.chosen(S.GROUND, data, inbound, ctx)

    # --- object ----------------------------------------------------------------------------

    @asks(S.GROUND35)
    def ask_ground35(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        allowed = data.get("grounds") or list(PASAL_35)
        grounds = {g: label for g, label in PASAL_35.items() if g in allowed}
        ask = _("Alasan keberatan Anda (UU 14/2008 Pasal 35 ayat 1):")
        return [Reply(ask, ground_buttons(grounds))]

    @answers(S.GROUND35)
    def on_ground35(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        typed = (inbound.text or "").strip().strip("().").lower()
        allowed = data.get("grounds") or list(PASAL_35)
        if inbound.choice is None and typed in PASAL_35 and typed not in allowed:
            # A real letter, but not one the facts open now (or used already): say so.
            problem = _(
                "Alasan ({letter}) tidak berlaku untuk permohonan ini sekarang, atau sudah "
                "dipakai. Pilih salah satu di bawah.",
                letter=Raw(typed),
            )
            return self.retry(S.GROUND35, data, ctx, problem)
        return self.chosen(S.GROUND35, data, inbound, ctx)

    # --- the text most actions end with ----------------------------------------------------

    @asks(S.TEXT)
    def ask_text(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        action, code, args = data["action"], data["code"], data["args"]
        if action == A.FORWARD and args.get("unit") in ctx.agency.units:
            # the unit may have been read from a misspelling: say which one it is
            unit = ctx.agency.units[args["unit"]]
            return [
                Reply(
                    _(
                        "Diteruskan ke *{unit}*. Tulis alasan penerusan singkat (bukan unit itu? "
                        "ketik *batal*):",
                        unit=Raw(unit.name),
                    )
                )
            ]
        return [Reply(text_question(action, args, code))]

    @answers(S.TEXT)
    def on_text(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        data = with_args(data)
        args = data["args"]
        media = [m.file_ref for m in inbound.media if m.kind in ("photo", "document", "video")]
        if media and data["action"] in (A.RESOLVE, A.ANSWER):
            args["media"] = [*args.get("media", []), *media]
            if not inbound.text:
                return Transition(
                    S.TEXT, data, [Reply(_("Foto diterima. Sekarang tulis keterangannya:"))]
                )
        return self.written(S.TEXT, data, inbound, ctx)

    # --- rate ------------------------------------------------------------------------------

    @asks(S.STARS)
    def ask_stars(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        ask = _("Seberapa puas Anda dengan penanganan laporan *{code}*?", code=Raw(data["code"]))
        return [Reply(ask, STAR_BUTTONS)]

    @answers(S.STARS)
    def on_stars(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return self.chosen(S.STARS, data, inbound, ctx)

    @asks(S.COMMENT)
    def ask_comment(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Ada saran untuk kami? Tulis singkat, atau pilih *Lewati*."), (SKIP,))]

    @answers(S.COMMENT)
    def on_comment(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "skip":
            data = with_args(data)
            data["args"][S.COMMENT] = ""
            return self.next(data, ctx)
        return self.written(S.COMMENT, data, inbound, ctx)

    # --- shared by the answers -------------------------------------------------------------

    def chosen(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        """A button step's answer kept, or the question again."""
        data = with_args(data)
        value = self.picked(step, data, inbound, ctx)
        if value is None:
            buttons = self.prompt(step, data, ctx)[0].buttons
            return self.retry(step, data, ctx, choice_problem(buttons))
        data["args"][step] = value
        return self.next(data, ctx)

    def written(
        self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition:
        """A typed answer kept, or the question again with what is wrong with it."""
        data = with_args(data)
        problem = (None if inbound.text else not_text_problem(inbound)) or text_problem(
            inbound.text, min_len=3, max_len=MAX_TEXT
        )
        if problem is not None:
            return self.retry(step, data, ctx, problem)
        data["args"][step] = (inbound.text or "").strip()
        return self.next(data, ctx)

    def picked(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> str | None:
        """The value chosen at a button step (typed numbers are matched by the engine)."""
        options = {b.id for b in self.prompt(step, data, ctx)[0].buttons}
        choice = inbound.choice
        if choice is None and inbound.text:
            typed = inbound.text.strip().lower().removeprefix("17").removeprefix("35").strip(" .()")
            choice = typed if typed in options else None
        return choice if choice in options else None
