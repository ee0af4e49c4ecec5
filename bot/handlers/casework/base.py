"""What a case action is: its arguments, the facts it may read, and what it decides.

An action is a pure function, (case, actor, arguments, facts) → `Decided`. It never reads
or writes storage. It returns the case changes, the event's data, the replies for the actor
and the notices for others, and says what the service must add once the case is written:
the case card for the unit's officers, a headline for whoever hears about the case, the
photos to attach, an objection to file. This is goflow's shape: each action is a small unit
with a table test, and the host (`service.perform`) loads, calls and persists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypedDict

from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.cases import Status
from bot.handlers.casework.actor import Actor
from bot.values.messages import Msg, Raw
from bot.values.types import Notice, Reply


class CaseArgs(TypedDict, total=False):
    """What a command or the guided flow gives an action (stored in the flow as JSON)."""

    text: str
    unit: str  # forward: the unit's code
    days: str  # extend: working days
    outcome: str  # decide: a `Decision`
    ground: str  # decide: the Pasal 17 letter of a (partial) rejection
    restate: str  # decide: the information requested, restated formally
    consequence: str  # decide: a (partial) rejection's consequence test
    public_interest: str  # decide: a (partial) rejection's public-interest consideration
    form: str  # decide: the form information is given in (`bot.domain.notice`)
    when: str  # decide: the day it is given, as typed or ISO (read by `notice.read_day`)
    cost: str  # decide: the rupiah stated, as typed (read by `notice.read_cost`)
    ground35: str  # object: the Pasal 35 letter
    stars: str  # rate
    comment: str  # rate
    media: list[str]  # photos sent with it
    channel: str  # the channel the actor wrote on


class Need(StrEnum):
    """Facts an action reads beyond the case: the service loads only what is declared."""

    STAFF = "staff"  # the active grants (who hears)
    DETAIL = "detail"  # the request's UU KIP fields
    REQUEST = "request"  # the request an objection cites
    PAUSE = "pause"  # the day the question that paused the case was asked
    DISPUTED = "disputed"  # whether a dispute was already recorded


@dataclass(frozen=True)
class Facts:
    agency: Agency
    now: datetime
    today: date
    target: Status  # where the lifecycle moves the case
    staff: tuple[Any, ...] = ()
    detail: Any = None
    request_register: str | None = None
    paused_on: date | None = None
    disputed: bool = False


@dataclass(frozen=True)
class Filing:
    """An objection to create as a case of its own, citing `request`."""

    request: Case
    ground: str
    reason: str
    reporter: int
    submitter: int


@dataclass
class Decided:
    replies: list[Reply]
    changes: dict[str, Any] = field(default_factory=dict)  # Case fields → new values
    event: dict[str, Any] = field(default_factory=dict)
    notices: list[Notice] = field(default_factory=list)
    card: Msg | None = None  # the case card goes to its unit's officers with this headline
    card_except: int | None = None
    to_hearers: Msg | None = None  # a headline for whoever hears, each with their commands
    attach: str | None = None  # the caption of the photos in `args["media"]`
    filing: Filing | None = None


Run = Callable[[Case, Actor, CaseArgs, Facts], Decided]


@dataclass(frozen=True)
class Spec:
    run: Run
    needs: frozenset[Need] = frozenset()


def unit_name(agency: Agency, code: str) -> Raw:
    unit = agency.units.get(code)
    return Raw(unit.name if unit else code)


def code_of(case: Case) -> Raw:
    return Raw(case.tracking_code)
