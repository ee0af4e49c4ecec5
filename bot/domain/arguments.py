"""Which arguments each case action needs: the one home of that rule.

The guided form (`bot.flows.case_action`) asks for them in this order, one step each; a typed
command is checked for the same (`bot.handlers.casework.arguments.check_args`). Adding an
action that needs something new is a row here and a step there.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.cases import Kind
from bot.domain.lifecycle import EXEMPTING, Action

A = Action


class Arg(StrEnum):
    UNIT = "unit"  # forward: to which unit
    DAYS = "days"  # extend: how many working days
    OUTCOME = "outcome"  # decide: the decision
    RESTATE = "restate"  # decide a request: the information asked for, in formal words
    GROUND = "ground"  # a (partial) rejection: the Pasal 17 letter
    GROUND35 = "ground35"  # an objection: the Pasal 35 letter
    TEXT = "text"  # the words the action sends or records
    STARS = "stars"  # a rating
    COMMENT = "comment"  # a rating's optional words


_NOTHING = frozenset({A.TAKE, A.VERIFY, A.CONFIRM, A.DISPUTE, A.AUTO_CLOSE})


def needed(action: Action, kind: str, outcome: str | None = None) -> list[Arg]:
    """What `action` on a case of `kind` needs, in the order it is asked; a decision's
    `outcome` (once known) says whether a Pasal 17 ground is needed too."""
    if action in _NOTHING:
        return []
    if action is A.FORWARD:
        return [Arg.UNIT, Arg.TEXT]
    if action is A.EXTEND:
        return [Arg.DAYS, Arg.TEXT]
    if action is A.DECIDE:
        if kind == Kind.KEBERATAN:
            return [Arg.OUTCOME, Arg.TEXT]
        ground = [Arg.GROUND] if outcome in EXEMPTING else []
        return [Arg.OUTCOME, Arg.RESTATE, *ground, Arg.TEXT]
    if action is A.RATE:
        return [Arg.STARS, Arg.COMMENT]
    if action is A.OBJECT:
        return [Arg.GROUND35, Arg.TEXT]
    return [Arg.TEXT]


def needs_text(action: Action) -> bool:
    """Whether the action carries words of its own, on any kind of case."""
    return any(Arg.TEXT in needed(action, kind) for kind in Kind)
