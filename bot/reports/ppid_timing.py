"""How long requests took (Perki 1/2021 Pasal 56: "waktu yang diperlukan dalam memenuhi setiap
permohonan"): working days from receipt to the written notice, and, beside it, to the day
the information was actually given (`cases.delivered_on`, recorded with `/serahkan`).

The notice is what UU 14/2008 Pasal 22 ayat 7–8 times (10 working days, 17 once extended);
delivery is what the requester waited for. Both are counted against the same deadline, the
request's `response_due`. SQL groups the requests by their dates; Python counts working days
once per distinct group (the holiday calendar is not in SQL).
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.lifecycle import Decision
from bot.reports.tables import Table
from storage.schema import cases

YIELD_EVERY = 500  # date groups between yields to the event loop
IN_TIME, EXTENDED, LATE = "≤ 10 hari kerja", "11–17 hari kerja (diperpanjang)", "Lewat batas waktu"
PENDING_LATE = "Belum dijawab tertulis dan lewat batas waktu"
UNDELIVERED = "Dikabulkan, informasi belum diserahkan"
GIVEN = (Decision.GRANTED.value, Decision.PARTIAL.value)  # decisions that give something


@dataclass
class _Clock:
    """Working days from receipt to one milestone, over the requests that reached it."""

    taken: Counter[int] = field(default_factory=Counter)  # working days → requests
    bands: dict[str, int] = field(default_factory=lambda: {IN_TIME: 0, EXTENDED: 0, LATE: 0})

    def add(self, agency: Agency, received: date, reached: date, due: date | None, n: int) -> None:
        days = agency.calendar.working_days_between(received, reached)
        self.taken[days] += n
        if due is not None and reached > due:
            self.bands[LATE] += n
        elif days <= agency.clocks.info_response:
            self.bands[IN_TIME] += n
        else:  # within an extended deadline
            self.bands[EXTENDED] += n

    @property
    def count(self) -> int:
        return sum(self.taken.values())

    def median(self) -> float | str:
        return median(self.taken) if self.taken else "-"

    def mean(self) -> float | str:
        total = self.count
        return round(sum(d * n for d, n in self.taken.items()) / total, 1) if total else "-"


@dataclass
class Timing:
    table: Table
    chart: dict[str, int]  # the notice's bands, and the unanswered past their deadline


async def timing(conn: AsyncConnection, agency: Agency, in_year: Any, today: date) -> Timing:
    c = cases.c
    groups = await conn.execute(
        select(c.received_on, c.decided_on, c.response_due, c.delivered_on, func.count())
        .where(in_year)
        .group_by(c.received_on, c.decided_on, c.response_due, c.delivered_on)
    )
    notice, delivery = _Clock(), _Clock()
    pending_late = 0
    for number, (received, decided, due, delivered, n) in enumerate(groups):
        if number % YIELD_EVERY == YIELD_EVERY - 1:
            # Thousands of date groups at 200,000 cases: let other chats in now and then
            # (this runs on the event loop, beside the writer).
            await asyncio.sleep(0)
        if delivered is not None:
            delivery.add(agency, received, delivered, due, n)
        if decided is not None:
            notice.add(agency, received, decided, due, n)
        elif due is not None and due < today:
            pending_late += n
    undelivered = (
        await conn.execute(
            select(func.count()).where(
                and_(in_year, c.decision.in_(GIVEN), c.delivered_on.is_(None))
            )
        )
    ).scalar_one()
    table = Table(
        "waktu",
        "Waktu pemenuhan permohonan, dalam hari kerja sejak permohonan diterima",
        ["Uraian", "Sampai pemberitahuan tertulis", "Sampai informasi diserahkan"],
        [
            ["Jumlah permohonan", notice.count, delivery.count],
            ["Median (hari kerja)", notice.median(), delivery.median()],
            ["Rata-rata (hari kerja)", notice.mean(), delivery.mean()],
            *[[band, notice.bands[band], delivery.bands[band]] for band in notice.bands],
            [PENDING_LATE, pending_late, "-"],
            [UNDELIVERED, "-", undelivered],
        ],
    )
    return Timing(table, {**notice.bands, PENDING_LATE: pending_late})


def median(counted: Counter[int]) -> float:
    """The median of a multiset given as value → count (as `statistics.median` would give
    for the expanded list, without building it)."""
    total = sum(counted.values())
    middle = [(total - 1) // 2, total // 2]  # the same position twice when the count is odd
    found: list[int] = []
    seen = 0
    for value in sorted(counted):
        seen += counted[value]
        while middle and middle[0] < seen:
            found.append(value)
            middle.pop(0)
    low, high = found
    return low if low == high else (low + high) / 2
