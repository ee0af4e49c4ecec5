from __future__ import annotations

from datetime import date

from bot.domain.calendar import WorkingCalendar


def test_weekends_do_not_count() -> None:
    calendar = WorkingCalendar()
    friday = date(2026, 11, 27)
    assert calendar.add_working_days(friday, 1) == date(2026, 11, 30)
    assert calendar.add_working_days(friday, 3) == date(2026, 12, 2)


def test_cuti_bersama_and_holidays_do_not_count() -> None:
    calendar = WorkingCalendar()
    # Idul Fitri 2026: cuti bersama 20, 23, 24 March; holidays 21-22 March (weekend).
    assert not calendar.is_working_day(date(2026, 3, 20))
    assert not calendar.is_working_day(date(2026, 3, 23))
    assert not calendar.is_working_day(date(2026, 3, 24))
    # Nyepi 19 March and its cuti bersama 18 March as well.
    thursday_before = date(2026, 3, 17)
    assert calendar.add_working_days(thursday_before, 1) == date(2026, 3, 25)
    # Christmas: cuti bersama 24 December, holiday 25 December.
    assert calendar.add_working_days(date(2026, 12, 23), 1) == date(2026, 12, 28)


def test_ten_working_days_across_year_end() -> None:
    calendar = WorkingCalendar()
    # 2026-12-21 (Mon) + 10 working days skips 24-25 Dec, the weekends, New Year (1 Jan 2027)
    # and Isra Mikraj (5 Jan 2027): 22, 23, 28, 29, 30, 31 Dec, 4, 6, 7, 8 Jan.
    due = calendar.add_working_days(date(2026, 12, 21), 10)
    assert due == date(2027, 1, 8)
    assert calendar.working_days_between(date(2026, 12, 21), due) == 10


def test_agency_closed_and_open_days() -> None:
    hari_jadi = date(2026, 3, 23)  # already cuti bersama; use a plain Monday instead
    plain_monday = date(2026, 11, 30)
    calendar = WorkingCalendar(extra_closed=[plain_monday], extra_open=[date(2026, 11, 28)])
    assert not calendar.is_working_day(plain_monday)
    assert calendar.is_working_day(date(2026, 11, 28))  # a Saturday declared a working day
    assert calendar.add_working_days(date(2026, 11, 27), 2) == date(2026, 12, 1)
    assert not WorkingCalendar().is_working_day(hari_jadi)


def test_working_days_between_counts_each_day_after_the_start() -> None:
    """The running totals give what counting day by day gives, across years, holidays and
    the agency's own closed and open days."""
    import random
    from datetime import timedelta

    calendar = WorkingCalendar(extra_closed=[date(2026, 6, 2)], extra_open=[date(2026, 6, 6)])

    def day_by_day(start: date, end: date) -> int:
        days = (start + timedelta(days=n) for n in range(1, (end - start).days + 1))
        return sum(calendar.is_working_day(day) for day in days)

    rng = random.Random(3)
    for _ in range(3000):
        start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 900))
        end = start + timedelta(days=rng.randint(-3, 420))
        assert calendar.working_days_between(start, end) == day_by_day(start, end), (start, end)
    assert calendar.working_days_between(date(2026, 6, 1), date(2026, 6, 8)) == 5  # 2 shut, 6 open
