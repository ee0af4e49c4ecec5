"""Who hears about a case: one rule (`cards.hearers`) for the actions and the scheduler."""

from __future__ import annotations

from types import SimpleNamespace

from bot.domain.agency import Agency
from bot.handlers.cards import hearers

STAFF = [
    SimpleNamespace(person_id=1, role="ppid_pembantu", unit_code="dinas-pupr"),
    SimpleNamespace(person_id=2, role="ppid_pembantu", unit_code="dinas-pupr"),
    SimpleNamespace(person_id=3, role="koordinator", unit_code=None),
    SimpleNamespace(person_id=4, role="ppid_pembantu", unit_code="dinas-sosial"),
]


def case(holder: int | None) -> SimpleNamespace:
    return SimpleNamespace(kind="pengaduan", unit_code="dinas-pupr", assignee_person_id=holder)


def test_nobody_holds_it_the_unit_hears(agency: Agency) -> None:
    assert hearers(STAFF, agency, case(None)) == [1, 2]


def test_the_holder_hears_alone(agency: Agency) -> None:
    assert hearers(STAFF, agency, case(2)) == [2]


def test_a_coordinator_who_took_it_keeps_hearing(agency: Agency) -> None:
    """Drift found in review: the scheduler sent such a case's reminders to the unit, while
    the actions told the coordinator."""
    assert hearers(STAFF, agency, case(3)) == [3]


def test_a_holder_moved_to_another_unit_no_longer_hears(agency: Agency) -> None:
    assert hearers(STAFF, agency, case(4)) == [1, 2]
