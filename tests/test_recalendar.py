"""When the working calendar changes under open cases, their dates still ahead keep the working
days that remained and are counted again under the new calendar; each move is an event, and
the people whose date moved hear of it, once (issue 15 item 10).

The pure tests build their calendars from explicit closed days, so a `holidays` release that
moves an estimated date cannot change what they check. The start-up test runs the real app on
a real SQLite file with a fake clock, the example agency and its file with one day added.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select, update

from bot.domain.agency import load_agency
from bot.domain.calendar import FixedCalendar, WorkingCalendar
from bot.domain.cases import CLOSED, Kind, Status
from bot.domain.recalendar import CalendarState, case_moves, moved, pending_dates, window
from bot.handlers.recalendar import moved_text
from bot.i18n import render
from storage.schema import calendar_state, case_events, cases, outbox
from tests.harness import (
    AGENCY,
    TestBot,
    file_complaint,
    file_request,
    grant_role,
    make_settings,
)

FIRST, LAST = date(2026, 11, 1), date(2027, 12, 31)
# The national days these tests take as given (as the tables of late 2026 have them):
# Christmas (cuti bersama 24 Dec, 25 Dec), New Year, Isra Mikraj, and Nyepi with Idul Fitri
# 2027 and its cuti bersama (8–12 and 15 March).
NATIONAL = frozenset(
    {
        date(2026, 12, 24),
        date(2026, 12, 25),
        date(2027, 1, 1),
        date(2027, 1, 5),
        *(date(2027, 3, d) for d in (8, 9, 10, 11, 12, 15)),
    }
)


def _calendar(closed: frozenset[date] = NATIONAL) -> FixedCalendar:
    """Weekends and `closed` over 2026-11 … 2027-12, nothing else."""
    days = (FIRST + timedelta(days=n) for n in range((LAST - FIRST).days + 1))
    weekends = {d for d in days if d.weekday() >= 5}
    return FixedCalendar(weekends | closed, FIRST, LAST, outside=WorkingCalendar())


def _case(kind: Kind, status: Status, **dates: date | None) -> SimpleNamespace:
    columns = ("verify_due", "followup_due", "resolution_due", "response_due", "confirm_due")
    values: dict[str, Any] = dict.fromkeys(columns)
    values["followed_up_on"] = None
    values.update(dates)
    return SimpleNamespace(kind=kind, status=status, **values)


# --- the rule -------------------------------------------------------------------------------


def test_an_extra_closed_day_before_the_answer_moves_it_one_working_day() -> None:
    old = _calendar()
    new = _calendar(NATIONAL | {date(2026, 12, 23)})  # the agency closes Wednesday 23 Dec
    today = date(2026, 12, 18)  # Friday; 5 working days left: 21, 22, 23, 28, 29 Dec
    assert old.add_working_days(today, 5) == date(2026, 12, 29)
    request = _case(Kind.INFORMASI, Status.DIPROSES, response_due=date(2026, 12, 29))
    assert case_moves(request, today, old, new) == {
        "response_due": (date(2026, 12, 29), date(2026, 12, 30))
    }
    # After the day itself nothing moves: the closed day is no longer ahead.
    assert case_moves(request, date(2026, 12, 24), old, new) == {}


def test_a_late_skb_cuti_bersama_moves_dates_across_christmas_and_new_year() -> None:
    """The dates were counted before the SKB made 24 December cuti bersama (an older
    `holidays` release, or a decree that came late): each date ahead moves one day later."""
    old = _calendar(NATIONAL - {date(2026, 12, 24)})
    new = _calendar()
    today = date(2026, 12, 21)  # Monday
    complaint = _case(
        Kind.PENGADUAN,
        Status.DITERIMA,
        verify_due=date(2026, 12, 23),  # before the new day off: stays
        followup_due=date(2026, 12, 30),
        resolution_due=date(2027, 1, 8),  # across New Year and Isra Mikraj
    )
    assert case_moves(complaint, today, old, new) == {
        "followup_due": (date(2026, 12, 30), date(2026, 12, 31)),
        "resolution_due": (date(2027, 1, 8), date(2027, 1, 11)),
    }
    # The working days left are what the law guarantees, and they are kept.
    for column, (was, to) in case_moves(complaint, today, old, new).items():
        assert new.working_days_between(today, to) == old.working_days_between(today, was), column


def test_a_day_made_a_working_day_moves_dates_earlier() -> None:
    """Idul Fitri 2027: the cuti bersama of Monday 15 March is cancelled."""
    old = _calendar()
    new = _calendar(NATIONAL - {date(2027, 3, 15)})
    today = date(2027, 3, 1)
    due = old.add_working_days(today, 10)  # 2–5, 16–19, 22, 23 March
    assert due == date(2027, 3, 23)
    request = _case(Kind.KEBERATAN, Status.DIPROSES, response_due=due)
    assert case_moves(request, today, old, new) == {"response_due": (due, date(2027, 3, 22))}


def test_dates_past_or_due_today_stay() -> None:
    old, new = _calendar(), _calendar(NATIONAL | {date(2026, 12, 22)})
    today = date(2026, 12, 21)
    dates = {"response_due": date(2026, 12, 18), "resolution_due": today}
    assert moved(dates, today, old, new) == {}


def test_a_date_the_old_calendar_did_not_count_stays() -> None:
    """A date on a day the stored calendar calls closed was not counted by it (it predates the
    stored state): how many days it meant to leave is unknown, so it is left alone."""
    old, new = _calendar(), _calendar(NATIONAL | {date(2026, 12, 22)})
    saturday = date(2026, 12, 26)
    assert moved({"response_due": saturday}, date(2026, 12, 21), old, new) == {}


def test_closed_cases_and_finished_steps_keep_their_dates() -> None:
    old, new = _calendar(), _calendar(NATIONAL | {date(2026, 12, 22)})
    today = date(2026, 12, 21)
    ahead = date(2026, 12, 29)
    for status in CLOSED - {Status.SELESAI}:
        done = _case(Kind.INFORMASI, status, response_due=ahead, confirm_due=ahead)
        assert case_moves(done, today, old, new) == {}, status
    # Resolved, waiting for the reporter: the days to confirm are what still runs.
    resolved = _case(Kind.PENGADUAN, Status.SELESAI, resolution_due=ahead, confirm_due=ahead)
    assert list(case_moves(resolved, today, old, new)) == ["confirm_due"]
    # Verified early and followed up: only the resolution is still owed.
    handled = _case(
        Kind.PENGADUAN,
        Status.DITINDAKLANJUTI,
        verify_due=ahead,
        followup_due=ahead,
        resolution_due=ahead,
        followed_up_on=date(2026, 12, 18),
    )
    assert pending_dates(handled) == {"resolution_due": ahead}
    assert list(case_moves(handled, today, old, new)) == ["resolution_due"]
    # A clock of hours, not working days (a personal-data request): never recounted.
    hours = _case(Kind.INFORMASI, Status.DIPROSES, response_due=ahead)
    hours.kind = "data_pribadi"
    assert case_moves(hours, today, old, new) == {}


def test_the_steps_keep_their_distance() -> None:
    """A first follow-up due 5 working days after the verification is still 5 after it."""
    old, new = _calendar(), _calendar(NATIONAL | {date(2026, 12, 22), date(2027, 1, 4)})
    today = date(2026, 12, 18)
    verify = old.add_working_days(today, 3)
    followup = old.add_working_days(verify, 5)
    complaint = _case(Kind.ASPIRASI, Status.DITERIMA, verify_due=verify, followup_due=followup)
    moves = case_moves(complaint, today, old, new)
    assert new.add_working_days(moves["verify_due"][1], 5) == moves["followup_due"][1]


def test_the_same_calendar_moves_nothing() -> None:
    old, new = _calendar(), _calendar()
    rng = random.Random(15)
    for _ in range(500):
        today = FIRST + timedelta(days=rng.randrange(300))
        due = old.add_working_days(today, rng.randrange(60))
        assert moved({"response_due": due}, today, old, new) == {}


def test_a_stored_calendar_answers_as_the_calendar_it_was_taken_from() -> None:
    real = WorkingCalendar(extra_closed=[date(2026, 12, 22)], extra_open=[date(2026, 12, 19)])
    first, last = window(date(2026, 12, 1), None)
    stored = CalendarState.of(real, first, last)
    rebuilt = stored.calendar(outside=WorkingCalendar())
    for n in range(-60, 800):
        day = date(2026, 12, 1) + timedelta(days=n)
        assert rebuilt.is_working_day(day) == real.is_working_day(day), day
    assert date(2026, 12, 19) not in stored.closed and date(2026, 12, 20) in stored.closed


def test_the_window_covers_every_open_date_and_only_days_ahead_count() -> None:
    today = date(2026, 12, 1)
    far = date(2029, 6, 1)
    assert window(today, far)[1] == far and window(today, None)[1] >= date(2028, 12, 1)
    first, last = window(today, None)
    base = CalendarState.of(WorkingCalendar(), first, last)
    earlier = CalendarState.of(WorkingCalendar(extra_closed=[date(2026, 11, 20)]), first, last)
    later = CalendarState.of(WorkingCalendar(extra_closed=[date(2026, 12, 2)]), first, last)
    assert not base.differs(earlier, today)  # a day already past moves nothing
    assert base.differs(later, today)


def test_the_message_says_which_date_moved() -> None:
    one = moved_text("I-ABCD-EFGH", {"response_due": (date(2026, 12, 29), date(2026, 12, 30))})
    assert render(one, "id") == (
        "Tanggal batas *I-ABCD-EFGH* berubah karena perubahan hari libur/cuti bersama: "
        "Selasa, 29 Desember 2026 → Rabu, 30 Desember 2026."
    )
    two = render(
        moved_text(
            "P-ABCD-EFGH",
            {
                "followup_due": (date(2026, 12, 30), date(2026, 12, 31)),
                "resolution_due": (date(2027, 1, 8), date(2027, 1, 11)),
            },
        ),
        "id",
    )
    assert "tanggapan pertama: Rabu, 30 Desember 2026 → Kamis, 31 Desember 2026" in two
    assert "target selesai: Jumat, 8 Januari 2027 → Senin, 11 Januari 2027" in two


# --- at start, on a real database -----------------------------------------------------------


def _agency_with(tmp_path: Path, closed: list[str]) -> Path:
    text = AGENCY.read_text(encoding="utf-8")
    listed = ", ".join(f'"{day}"' for day in closed)
    changed, count = re.subn(
        r"^extra_closed_days = \[.*\]$", f"extra_closed_days = [{listed}]", text, flags=re.M
    )
    assert count == 1
    path = tmp_path / "agency.toml"
    path.write_text(changed, encoding="utf-8")
    return path


def _at(day: date, hour: int) -> datetime:
    """A local (WITA, UTC+8) time."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=8)


async def _row(bot: TestBot, code: str) -> Any:
    async with bot.app.db.connect() as conn:
        return (await conn.execute(select(cases).where(cases.c.tracking_code == code))).one()


async def _count(bot: TestBot, table: Any) -> int:
    async with bot.app.db.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(table))).scalar_one())


async def test_a_new_closed_day_in_the_agency_file_moves_the_open_cases_at_start(
    tmp_path: Path,
) -> None:
    bot = await TestBot(make_settings(tmp_path)).start()  # Friday 27 Nov 2026, 09:00
    try:
        await grant_role(bot, "ppid", "ppid_utama")
        await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
        request = await file_request(bot, "pemohon")
        complaint = await file_complaint(bot, "warga")
        before = {code: await _row(bot, code) for code in (request, complaint)}
        assert before[request].response_due == date(2026, 12, 11)
        assert before[complaint].verify_due == date(2026, 12, 2)
        assert before[complaint].followup_due == date(2026, 12, 9)
        async with bot.app.db.connect() as conn:  # the first start kept the calendar
            kept = (await conn.execute(select(calendar_state))).one()
        assert "2026-12-24" in kept.closed and "2026-12-08" not in kept.closed
        events = await _count(bot, case_events)
        async with bot.app.db.begin() as conn:  # as if a sweep had looked at both today
            await conn.execute(update(cases).values(alerted_on=date(2026, 11, 30)))
        async with bot.app.db.connect() as conn:
            last_row = (await conn.execute(select(func.max(outbox.c.id)))).scalar_one()
    finally:
        await bot.stop()

    # The agency closes Tuesday 8 December; the bot starts again on Monday evening, in quiet
    # hours, so the news waits for the morning.
    clock = bot.clock
    clock.advance(seconds=(_at(date(2026, 11, 30), 22) - clock.now()).total_seconds())
    changed = make_settings(tmp_path, agency_config=_agency_with(tmp_path, ["2026-12-08"]))
    bot = await TestBot(changed, clock).start()
    try:
        moved_request, moved_complaint = await _row(bot, request), await _row(bot, complaint)
        # 9 working days were left of the request (1–4, 7–11 Dec): now 1–4, 7, 9–11, 14.
        assert moved_request.response_due == moved_request.due_on == date(2026, 12, 14)
        # The verification is due before the day: it stays, and so does the current step.
        assert moved_complaint.verify_due == moved_complaint.due_on == date(2026, 12, 2)
        assert moved_complaint.followup_due == date(2026, 12, 10)
        # A moved current step is looked at again by today's sweep; an unmoved one is not.
        assert moved_request.alerted_on is None
        assert moved_complaint.alerted_on == date(2026, 11, 30)
        # 60 working days from receipt: the days left are kept, so it ends one day later.
        today, was, now = (
            date(2026, 11, 30),
            before[complaint].resolution_due,
            (moved_complaint.resolution_due),
        )
        assert now == bot.app.agency.calendar.add_working_days(was, 1)
        assert bot.app.agency.calendar.working_days_between(today, now) == (
            load_agency(AGENCY).calendar.working_days_between(today, was)
        )
        async with bot.app.db.connect() as conn:
            found = list(
                await conn.execute(select(case_events).where(case_events.c.action == "recalendar"))
            )
            query = select(outbox).where(outbox.c.id > last_row).order_by(outbox.c.id)
            written = list(await conn.execute(query))
        by_case = {e.case_id: e for e in found}
        assert len(found) == 2 and by_case.keys() == {moved_request.id, moved_complaint.id}
        assert by_case[moved_request.id].actor_role == "system"
        assert by_case[moved_request.id].data == {
            "moved": {"response_due": ["2026-12-11", "2026-12-14"]},
            "reason": "calendar",
        }
        assert set(by_case[moved_complaint.id].data["moved"]) == {
            "followup_due",
            "resolution_due",
        }
        news = [r for r in written if "berubah karena perubahan hari libur" in r.payload["text"]]
        assert len(news) == len(written) == 4
        assert {r.kind for r in news} == {"status_update", "officer_reminder"}
        assert all(r.status == "scheduled" and r.dedupe_key for r in news)  # quiet hours
        assert bot.sender.sent == []
        # Morning: the requester, the reporter and each unit's officer hear, once.
        clock.advance(seconds=(_at(date(2026, 12, 1), 6) - clock.now()).total_seconds())
        await bot.app.dispatcher.wait_idle()
        await bot.app.release()
        await bot.app.dispatcher.wait_idle()
        told = {m.address: m.text for m in bot.sender.sent}
        assert set(told) == {"pemohon", "warga", "ppid", "pupr"}
        assert told["pemohon"] == (
            f"Tanggal batas *{request}* berubah karena perubahan hari libur/cuti bersama: "
            "Jumat, 11 Desember 2026 → Senin, 14 Desember 2026."
        )
        assert (
            "tanggapan pertama: Rabu, 9 Desember 2026 → Kamis, 10 Desember 2026" in (told["warga"])
        )
        assert complaint in told["pupr"] and request in told["ppid"]
        events_after = await _count(bot, case_events)
        assert events_after == events + 2
        rows_after = await _count(bot, outbox)

        # Another start with the same file: nothing left to move, nobody told twice.
        await bot.restart()
        assert await _count(bot, case_events) == events_after
        assert await _count(bot, outbox) == rows_after
        assert (await _row(bot, request)).response_due == date(2026, 12, 14)

        # The reminders follow the new date: two working days before 14 Dec is 10 Dec (the
        # old date's reminder day, 9 Dec, is three working days before it now).
        ppid = bot.citizen("ppid")
        for day, reminded in ((date(2026, 12, 9), False), (date(2026, 12, 10), True)):
            clock.advance(seconds=(_at(day, 9) - clock.now()).total_seconds())
            await bot.app.sweep()
            await bot.app.dispatcher.wait_idle()
            seen = [m.text for m in ppid.unread() if request in m.text and "Pengingat" in m.text]
            assert bool(seen) == reminded, day
        assert "Senin, 14 Desember 2026" in seen[0]
    finally:
        await bot.stop()


async def test_the_first_start_only_keeps_the_calendar(tmp_path: Path) -> None:
    """No row yet (a database from before migration 0008): nothing is compared or moved."""
    bot = await TestBot(make_settings(tmp_path)).start()
    try:
        code = await file_request(bot, "pemohon")
        async with bot.app.db.begin() as conn:
            await conn.execute(calendar_state.delete())
        rows = await _count(bot, outbox)
    finally:
        await bot.stop()
    changed = make_settings(tmp_path, agency_config=_agency_with(tmp_path, ["2026-12-08"]))
    bot = await TestBot(changed, bot.clock).start()
    try:
        assert (await _row(bot, code)).response_due == date(2026, 12, 11)
        assert await _count(bot, outbox) == rows
        assert await _count(bot, calendar_state) == 1
    finally:
        await bot.stop()
