"""The one table of case actions: what runs, and which facts it reads (the arguments each
needs are `bot.domain.arguments`).

Adding an action is one row here, one function in `officer_actions` or `reporter_actions`,
and its transitions in `bot.domain.lifecycle`.
"""

from __future__ import annotations

from bot.domain.lifecycle import Action
from bot.handlers.casework import officer_actions as officer
from bot.handlers.casework import reporter_actions as reporter
from bot.handlers.casework.base import Need, Spec

A = Action

N = Need
# The one table of actions: what runs, and which facts it reads.
ACTIONS: dict[Action, Spec] = {
    A.VERIFY: Spec(officer.verify),
    A.TAKE: Spec(officer.take),
    A.REPLY: Spec(officer.reply),
    A.ASK: Spec(officer.ask),
    A.ANSWER: Spec(reporter.answer, needs=frozenset({N.STAFF, N.PAUSE})),
    A.FORWARD: Spec(officer.forward, needs=frozenset({N.STAFF})),
    A.NOT_OURS: Spec(officer.not_ours),
    A.NOTE: Spec(officer.note),
    A.RESOLVE: Spec(officer.resolve),
    A.ARCHIVE: Spec(officer.archive),
    A.EXTEND: Spec(officer.extend),
    A.DECIDE: Spec(officer.decide, needs=frozenset({N.STAFF, N.DETAIL, N.REQUEST})),
    A.CONFIRM: Spec(reporter.confirm, needs=frozenset({N.STAFF})),
    A.REOPEN: Spec(reporter.reopen, needs=frozenset({N.STAFF})),
    A.RATE: Spec(reporter.rate),
    A.OBJECT: Spec(reporter.object_to),
    A.AUTO_CLOSE: Spec(reporter.auto_close),
    A.DISPUTE: Spec(officer.dispute, needs=frozenset({N.DISPUTED})),
    A.DELIVER: Spec(officer.deliver),
}
