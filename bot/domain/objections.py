"""The requester's right to object (UU 14/2008 Pasal 35–36) and to go on to the Komisi Informasi
(Pasal 37): which grounds are open on a request today, and until when. The one home of these
rules: the command, the citizen's buttons, the ground choice, the late-answer notices and the
written notice all read them.

Each Pasal 35 ground is a right of its own, so a request may carry several objections, one per
ground and per decision (a requester who objected on (c) because the PPID was late may object
on (a) once the PPID then refuses). A request has one written notice, so "per decision" comes
down to one objection per ground on each request.

Two kinds of ground, each with its own 30-working-day window (Pasal 36 ayat 1):
- from lateness, (c) "not answered" and (g) "answered beyond the time": the grounds arise on
  the first working day after the missed deadline, and the window counts from that day. On a
  late written notice, (g) arises when the notice finally comes;
- from the written notice, (a), (b), (d), (e), (f): the window counts from the day of the
  notice.

Ground (b), periodic information not published, may also be raised without any request; that
is not built yet (an objection here always cites a request).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

from bot.domain.agency import Agency
from bot.domain.cases import Status
from bot.domain.lifecycle import DECISIONS_INFO, EXEMPTING, Decision

D = Decision
LATE = frozenset({"c", "g"})
# Which notices each ground answers (Pasal 35 ayat 1): (a) a refusal on a Pasal 17 ground,
# (d) an answer other than what was asked, (e) a request not (fully) met, (f) an unfair cost,
# which only arises where something is given.
_ON_NOTICE: dict[str, frozenset[str]] = {
    "a": frozenset(EXEMPTING),
    # (b) periodic information not published: a notice may show that what was asked should
    # have been published already, whatever it decided.
    "b": frozenset(DECISIONS_INFO),
    "d": frozenset({D.GRANTED, D.PARTIAL}),
    "e": frozenset({D.PARTIAL, D.REJECTED, D.NOT_HELD}),
    "f": frozenset({D.GRANTED, D.PARTIAL}),
}


@dataclass(frozen=True)
class Window:
    """Objections on `ground` may be filed from `opens` to `closes`, both days included."""

    ground: str
    opens: date
    closes: date

    def open_on(self, today: date) -> bool:
        return self.opens <= today <= self.closes


def after_missed(agency: Agency, due: date) -> date:
    """The first working day after a missed deadline: the day a lateness right arises (the
    reading used for every late-answer window: see the agency file's clocks)."""
    return agency.calendar.add_working_days(due, 1)


def _late(agency: Agency, ground: str, due: date, days: int) -> Window:
    """A right that arises because `due` passed: taken from the day after, whatever day that
    is (a Saturday's objection is taken, and counts as filed on Monday); its `days` working
    days count from the first working day after the deadline."""
    closes = agency.calendar.add_working_days(after_missed(agency, due), days)
    return Window(ground, due + timedelta(days=1), closes)


def windows(
    agency: Agency,
    status: str,
    decision: str | None,
    decided_on: date | None,
    response_due: date | None,
    today: date,
) -> dict[str, Window]:
    """Every ground whose facts have arisen by `today`, with its window (open or closed)."""
    filing = agency.clocks.objection_filing
    found: dict[str, Window] = {}

    def add(ground: str, opens: date) -> None:
        found[ground] = Window(ground, opens, agency.calendar.add_working_days(opens, filing))

    decided = status == Status.DIPUTUS and decided_on is not None
    if decided and decided_on is not None:
        for ground, decisions in _ON_NOTICE.items():
            if decision in decisions:
                add(ground, decided_on)
        if response_due is not None and decided_on > response_due:
            add("g", decided_on)  # the answer came, but late
    elif response_due is not None and response_due < today:
        for ground in sorted(LATE):
            found[ground] = _late(agency, ground, response_due, filing)
    return found


def open_grounds(
    agency: Agency,
    status: str,
    decision: str | None,
    decided_on: date | None,
    response_due: date | None,
    today: date,
    filed: Collection[str] = (),
) -> dict[str, Window]:
    """The grounds the requester may object on today: arisen, within their window, and not
    objected on already. Empty: no objection is possible now."""
    return {
        ground: window
        for ground, window in windows(
            agency, status, decision, decided_on, response_due, today
        ).items()
        if window.open_on(today) and ground not in filed
    }


def dispute_window(
    agency: Agency, status: str, decided_on: date | None, response_due: date | None
) -> Window | None:
    """When the requester may take an objection to the Komisi Informasi (Pasal 37 ayat 2):
    `dispute_filing` working days from the atasan PPID's answer, or, when there is none in
    time, from the first working day after the missed deadline. None while neither holds."""
    days = agency.clocks.dispute_filing
    if status == Status.DIPUTUS and decided_on is not None:
        return Window("", decided_on, agency.calendar.add_working_days(decided_on, days))
    if response_due is None:
        return None
    return _late(agency, "", response_due, days)
