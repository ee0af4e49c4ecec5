"""When the working calendar changes under open cases (a new `extra_closed_days` entry, an
updated `holidays` release, a late SKB on cuti bersama), which of their dates move, and to
what. Pure: the handler (`bot.handlers.recalendar`) reads and writes the rows.

The reading (issue 15 item 10): the working days already passed are fixed, and what the law
guarantees is the number of working days that *remained*. So a date still ahead keeps the
working days left from today under the calendar it was computed with, counted again from
today under the new one: `new = new_cal.add_working_days(today, old_cal.working_days_between
(today, due))`. A date already past stays, and so does a date due today (nothing is left to
count). Counting every date from the same today keeps the steps' distances: a follow-up due
5 working days after the verification is still 5 working days after it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from bot.domain.calendar import FixedCalendar, WorkingCalendar
from bot.domain.cases import CLOSED, COMPLAINT_KINDS, Kind, Status

# The span whose closed days are kept: a little before today (a clock set back, a restart
# just after midnight in another zone) and two years ahead, or further when an open case's
# date lies beyond; no legal clock here comes near two years.
MARGIN = timedelta(days=31)
HORIZON = timedelta(days=732)

# The date columns a calendar change can move (`storage.schema.cases`).
DATE_COLUMNS = ("verify_due", "followup_due", "resolution_due", "response_due", "confirm_due")


@dataclass(frozen=True)
class CalendarState:
    """A calendar as its closed days (weekends included) over [first, last]."""

    first: date
    last: date
    closed: frozenset[date]

    @classmethod
    def of(cls, calendar: WorkingCalendar, first: date, last: date) -> CalendarState:
        return cls(first, last, calendar.closed_days(first, last))

    def calendar(self, outside: WorkingCalendar) -> WorkingCalendar:
        """This calendar again; beyond its span, `outside` answers (nothing else is known)."""
        return FixedCalendar(self.closed, self.first, self.last, outside)

    def differs(self, other: CalendarState, today: date) -> bool:
        """Whether the two disagree on a day from today on, where both are known: days
        already past cannot move a date still ahead."""
        first, last = max(self.first, other.first, today), min(self.last, other.last)
        if first > last:
            return False

        def inside(closed: frozenset[date]) -> frozenset[date]:
            return frozenset(d for d in closed if first <= d <= last)

        return inside(self.closed) != inside(other.closed)


def window(today: date, latest: date | None) -> tuple[date, date]:
    """The span to keep: it covers every open case's date (`latest`, the furthest)."""
    last = today + HORIZON
    return today - MARGIN, max(last, latest) if latest is not None else last


def pending_dates(case: Any) -> dict[str, date]:
    """The dates of the steps still owed, from anything with a case's columns. A finished
    step's date stays as it was counted (a complaint verified early keeps its verification
    date: nobody needs to hear it moved). `cases.due_on` picks the current one of these."""
    if case.status == Status.SELESAI:  # resolved: the reporter's days to confirm run
        found = {"confirm_due": case.confirm_due}
    elif case.status in CLOSED:
        found = {}
    elif case.kind in (Kind.INFORMASI, Kind.KEBERATAN):
        found = {"response_due": case.response_due}
    elif case.kind in COMPLAINT_KINDS:
        found = {"resolution_due": case.resolution_due}
        if case.status == Status.DITERIMA:
            found["verify_due"] = case.verify_due
        if case.followed_up_on is None:
            found["followup_due"] = case.followup_due
    else:  # a clock not counted in working days (a data-subject request's 3×24 hours)
        found = {}
    return {column: due for column, due in found.items() if due is not None}


def moved(
    dates: Mapping[str, date], today: date, old: WorkingCalendar, new: WorkingCalendar
) -> dict[str, tuple[date, date]]:
    """column → (old date, new date) for each date that moves (the reading above)."""
    found: dict[str, tuple[date, date]] = {}
    for column, due in dates.items():
        if due < today:
            continue  # already past: the days it counted are behind us
        if not old.is_working_day(due):
            # Not a date this calendar counted (set before its state was first kept, when
            # the calendar was another): how many days it meant to leave is unknown.
            continue
        recounted = new.add_working_days(today, old.working_days_between(today, due))
        if recounted != due:
            found[column] = (due, recounted)
    return found


def case_moves(
    case: Any, today: date, old: WorkingCalendar, new: WorkingCalendar
) -> dict[str, tuple[date, date]]:
    """What moves of one case's dates, in `DATE_COLUMNS` order."""
    found = moved(pending_dates(case), today, old, new)
    return {column: found[column] for column in DATE_COLUMNS if column in found}
