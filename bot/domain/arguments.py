"""Which arguments each case action needs: the one home of that rule.

The guided form (`bot.flows.case_action`) asks for them in this order, one step each; a typed
command is checked for the same (`bot.handlers.casework.arguments.check_args`). Adding an
action that needs something new is a row here and a step there.

A request's decision is the written notice of UU 14/2008 Pasal 22 ayat 7: what it needs
follows the outcome (and, for the cost, the form). What the rule already knows is never
asked: whether the information is held follows from the outcome (only "not held" says it is
not, with the body that holds it), and an electronic copy is free (`notice.free_by_rule`).
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.cases import Kind
from bot.domain.lifecycle import EXEMPTING, Action, Decision
from bot.domain.notice import GIVING, free_by_rule, valid_form

A = Action


class Arg(StrEnum):
    UNIT = "unit"  # forward: to which unit
    DAYS = "days"  # extend: how many working days
    OUTCOME = "outcome"  # decide: the decision
    RESTATE = "restate"  # decide a request: the information asked for, in formal words
    GROUND = "ground"  # a (partial) rejection: the Pasal 17 letter
    CONSEQUENCE = "consequence"  # a (partial) rejection: the consequence test (uji konsekuensi)
    PUBLIC_INTEREST = "public_interest"  # a (partial) rejection: the public-interest balance
    FORM = "form"  # information given: its form (`bot.domain.notice`), from the request
    WHEN = "when"  # information given: the day, not before today
    COST = "cost"  # information given, not free by rule: the rupiah the PPID states
    GROUND35 = "ground35"  # an objection: the Pasal 35 letter
    TEXT = "text"  # the words the action sends or records
    STARS = "stars"  # a rating
    COMMENT = "comment"  # a rating's optional words


_NOTHING = frozenset({A.TAKE, A.VERIFY, A.CONFIRM, A.DISPUTE, A.AUTO_CLOSE, A.DELIVER})
# The arguments a PPID writes in their own words (a typed command gives them apart with "|").
WRITTEN = (Arg.CONSEQUENCE, Arg.PUBLIC_INTEREST, Arg.TEXT)


def needed(
    action: Action, kind: str, outcome: str | None = None, form: str | None = None
) -> list[Arg]:
    """What `action` on a case of `kind` needs, in the order it is asked. A request's
    decision needs more once its `outcome` is known, and its cost only when the `form`
    chosen is not free by rule (until a form is chosen, the cost is counted as needed)."""
    if action in _NOTHING:
        return []
    if action is A.FORWARD:
        return [Arg.UNIT, Arg.TEXT]
    if action is A.EXTEND:
        return [Arg.DAYS, Arg.TEXT]
    if action is A.DECIDE:
        if kind == Kind.KEBERATAN:
            return [Arg.OUTCOME, Arg.TEXT]
        return [Arg.OUTCOME, Arg.RESTATE, *_notice(outcome, form)]
    if action is A.RATE:
        return [Arg.STARS, Arg.COMMENT]
    if action is A.OBJECT:
        return [Arg.GROUND35, Arg.TEXT]
    return [Arg.TEXT]


def _notice(outcome: str | None, form: str | None) -> list[Arg]:
    """Pasal 22 ayat 7: an exemption rests on its Pasal 17 ground, tested for its
    consequences and weighed against the public interest (Pasal 2 ayat 4, Pasal 19); what is
    given has a form, a day and a cost."""
    exempt = [Arg.GROUND, Arg.CONSEQUENCE, Arg.PUBLIC_INTEREST] if outcome in EXEMPTING else []
    if outcome in GIVING:
        free = form is not None and valid_form(form) and free_by_rule(form)
        return [*exempt, Arg.FORM, Arg.WHEN, *([] if free else [Arg.COST]), Arg.TEXT]
    if outcome == Decision.REJECTED:
        return exempt
    return [Arg.TEXT]  # not held: the body that holds it (and before the outcome is known)


def needs_text(action: Action) -> bool:
    """Whether the action carries words of its own, on any kind of case."""
    return any(Arg.TEXT in needed(action, kind) for kind in Kind)


def previewed(action: Action, kind: str) -> bool:
    """Whether the guided form shows what will be sent and asks before sending it: the
    written notice is a legal letter, which cannot be taken back once the requester has it."""
    return action is A.DECIDE and kind == Kind.INFORMASI
