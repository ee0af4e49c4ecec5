"""Indonesian working days: Monday–Friday minus national holidays, cuti bersama and the
agency's own closed days. Every legal clock in DOMAIN.md counts in these days.

`FixedCalendar` is a calendar known only by its closed days over a span: the one the open
cases' dates were computed with, as stored, so a later calendar can be compared with it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _national_holidays(year: int) -> frozenset[date]:
    # GOVERNMENT carries cuti bersama; PUBLIC alone would count them as working days.
    calendar = holidays.country_holidays(
        "ID", categories=(holidays.PUBLIC, holidays.GOVERNMENT), years=year
    )
    return frozenset(calendar.keys())


class WorkingCalendar:
    def __init__(self, extra_closed: Iterable[date] = (), extra_open: Iterable[date] = ()) -> None:
        self._closed = frozenset(extra_closed)
        self._open = frozenset(extra_open)
        self._added: dict[tuple[date, int], date] = {}  # every case of a day asks the same
        self._totals: dict[int, list[int]] = {}  # year → running working-day totals

    def warm(self, *years: int) -> None:
        """Build the holiday tables ahead of time: the first lookup of a year costs ~50 ms,
        which would otherwise land on the first case of the year (and stall the writer)."""
        for year in years:
            _national_holidays(year)

    def is_working_day(self, day: date) -> bool:
        if day in self._open:
            return True
        if day in self._closed or day.weekday() >= 5:
            return False
        return day not in _national_holidays(day.year)

    def closed_days(self, first: date, last: date) -> frozenset[date]:
        """Every day in [first, last] that is not a working day, weekends included: with
        the span, this is the whole calendar there (what `FixedCalendar` is rebuilt from)."""
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return frozenset(day for day in days if not self.is_working_day(day))

    def add_working_days(self, start: date, days: int) -> date:
        """The date `days` working days after `start`; the day of receipt itself never counts."""
        if days < 0:
            raise ValueError("days must be >= 0")
        key = (start, days)
        if key not in self._added:
            if len(self._added) > 4096:
                self._added.clear()
            self._added[key] = self._count_forward(start, days)
        return self._added[key]

    def _count_forward(self, start: date, days: int) -> date:
        current = start
        counted = 0
        while counted < days:
            current += timedelta(days=1)
            if self.is_working_day(current):
                counted += 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start).

        From per-year running totals, so it costs the same for a day or a year: a report
        asks it for thousands of date pairs."""
        if end <= start:
            return 0
        return self._through(end, start.year) - self._through(start, start.year)

    def _through(self, day: date, from_year: int) -> int:
        """Working days from 1 January of `from_year` up to and including `day`."""
        whole_years = sum(self._running(year)[-1] for year in range(from_year, day.year))
        return whole_years + self._running(day.year)[day.timetuple().tm_yday - 1]

    def _running(self, year: int) -> list[int]:
        """running[i]: working days from 1 January up to and including day i + 1 of the year."""
        found = self._totals.get(year)
        if found is None:
            found, count, day = [], 0, date(year, 1, 1)
            while day.year == year:
                count += self.is_working_day(day)
                found.append(count)
                day += timedelta(days=1)
            self._totals[year] = found
        return found


class FixedCalendar(WorkingCalendar):
    """The calendar whose closed days over [first, last] are exactly `closed`; outside that
    span, `outside` answers (nothing is known there of the calendar that was stored)."""

    def __init__(
        self, closed: Iterable[date], first: date, last: date, outside: WorkingCalendar
    ) -> None:
        super().__init__()
        self._fixed = frozenset(closed)
        self._first, self._last = first, last
        self._outside = outside

    def is_working_day(self, day: date) -> bool:
        if self._first <= day <= self._last:
            return day not in self._fixed
        return self._outside.is_working_day(day)
