"""The PPID's annual information-service report (Perki 1/2021), counted from the bot's rows.

Every figure is an SQL aggregate (GROUP BY over the period's requests); the only Python loop is
over distinct (received, decided, extended, due) date groups, to count working days with the
holiday calendar, which SQL cannot do.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.cases import Kind
from bot.domain.lifecycle import EXEMPTING, PASAL_17, PASAL_35, Decision
from bot.i18n import render
from bot.reports.labels import channel_text, span_text
from storage.schema import case_events, cases, request_details


@dataclass
class Table:
    """One sheet of the workbook / one CSV file."""

    name: str  # file and sheet name
    title: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)


@dataclass
class Chart:
    """One PNG: counts by label. Horizontal bars for categories; columns for a trend."""

    name: str  # file name suffix
    title: str
    data: dict[str, int]  # label → count, in display order
    columns: bool = False


@dataclass
class Report:
    title: str
    period: str
    tables: list[Table]
    charts: list[Chart]  # the first is the headline chart (the one /rekap sends)

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)


Step = Callable[[str], None]  # told as each table is counted or file written (a progress bar)
PPID_TABLES = 5
PPID_CHARTS = 2
YIELD_EVERY = 500  # date groups between yields to the event loop


def no_progress(_label: str) -> None:
    return None


class EmptyPeriodError(Exception):
    """Nothing to report for the period asked."""


D = Decision
REQUESTER = {"perorangan": "Perorangan", "badan_hukum": "Badan hukum", "kuasa": "Kuasa"}
DECISION: dict[str | None, str] = {
    D.GRANTED: "Dikabulkan seluruhnya",
    D.PARTIAL: "Dikabulkan sebagian",
    D.REJECTED: "Ditolak",
    D.NOT_HELD: "Informasi tidak dikuasai",
    None: "Belum diputus",
}
OBJECTION: dict[str | None, str] = {
    D.UPHELD: "Diterima",
    D.DISMISSED: "Ditolak",
    None: "Belum diputus",
}


async def ppid_report(
    conn: AsyncConnection,
    agency: Agency,
    year: int,
    today: date,
    step: Step = no_progress,
    *,
    nil: bool = False,
) -> Report:
    """The annual report: the calendar year's requests. `nil`: a year without requests
    still gives a report of zeros (the PPID must report even then)."""
    return await ppid_period_report(
        conn, agency, date(year, 1, 1), date(year, 12, 31), today, step, nil=nil
    )


async def ppid_period_report(
    conn: AsyncConnection,
    agency: Agency,
    start: date,
    end: date,
    today: date,
    step: Step = no_progress,
    *,
    nil: bool = False,
) -> Report:
    """Requests received from `start` to `end` (the chat's /rekap asks any period)."""
    c = cases.c
    whole_year = start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
    span = f"Tahun {start.year}" if whole_year else span_text(start, end)
    in_year = and_(c.kind == Kind.INFORMASI.value, c.received_on >= start, c.received_on <= end)
    total = (await conn.execute(select(func.count()).where(in_year))).scalar_one()
    if not total and not nil:
        raise EmptyPeriodError(f"Tidak ada permohonan informasi yang diterima: {span}.")
    step("ringkasan")

    by_decision = dict(
        (r.decision, r.n)
        for r in await conn.execute(
            select(c.decision, func.count().label("n")).where(in_year).group_by(c.decision)
        )
    )
    extended = (
        await conn.execute(select(func.count()).where(and_(in_year, c.extended)))
    ).scalar_one()
    summary = Table(
        "ringkasan",
        f"Ringkasan layanan informasi publik, {span}",
        ["Uraian", "Jumlah"],
        [
            ["Permohonan diterima", total],
            *[[DECISION[k], by_decision.get(k, 0)] for k in DECISION],
            ["Diperpanjang (Pasal 22 ayat 8)", extended],
        ],
    )

    step("pemohon")
    rd = request_details.c
    requesters = Table(
        "pemohon",
        "Permohonan menurut jenis pemohon dan saluran",
        ["Jenis pemohon", "Saluran", "Jumlah"],
        [
            [REQUESTER.get(r.requester_type, r.requester_type), channel_text(r.channel), r.n]
            for r in await conn.execute(
                select(rd.requester_type, c.channel, func.count().label("n"))
                .select_from(cases.join(request_details, rd.case_id == c.id))
                .where(in_year)
                .group_by(rd.requester_type, c.channel)
                .order_by(rd.requester_type, c.channel)
            )
        ],
    )

    step("pengecualian")
    grounds = Table(
        "pengecualian",
        "Permohonan ditolak (seluruhnya atau sebagian) menurut dasar UU 14/2008 Pasal 17",
        ["Pasal 17 huruf", "Alasan", "Ditolak", "Dikabulkan sebagian"],
    )
    counted = {
        (r.decision_ground, r.decision): r.n
        for r in await conn.execute(
            select(c.decision_ground, c.decision, func.count().label("n"))
            .where(and_(in_year, c.decision.in_([d.value for d in EXEMPTING])))
            .group_by(c.decision_ground, c.decision)
        )
    }
    for letter, label in PASAL_17.items():
        rejected, partial = (
            counted.get((letter, D.REJECTED.value), 0),
            counted.get((letter, D.PARTIAL.value), 0),
        )
        if rejected or partial:
            grounds.rows.append([letter, render(label, "id"), rejected, partial])

    step("waktu")
    timing = await _timing(conn, agency, in_year, today)
    step("keberatan")
    objections = await _objections(conn, start, end)
    return Report(
        title=f"Laporan Layanan Informasi Publik {agency.name}, {span}",
        period=span,
        tables=[summary, requesters, grounds, timing, objections],
        charts=[
            Chart(
                "keputusan",
                f"Permohonan informasi menurut keputusan, {span}",
                {DECISION[k]: by_decision.get(k, 0) for k in DECISION},
            ),
            Chart(
                "waktu",
                f"Waktu sampai pemberitahuan tertulis, {span}",
                {str(r[0]): int(r[1]) for r in timing.rows[3:]},
            ),
        ],
    )


async def _timing(conn: AsyncConnection, agency: Agency, in_year: Any, today: date) -> Table:
    """Working days from receipt to the written notice: median, mean and bands."""
    c = cases.c
    groups = await conn.execute(
        select(c.received_on, c.decided_on, c.response_due, func.count().label("n"))
        .where(in_year)
        .group_by(c.received_on, c.decided_on, c.response_due)
    )
    taken_days: Counter[int] = Counter()  # working days taken → requests
    bands = {"≤ 10 hari kerja": 0, "11–17 hari kerja (diperpanjang)": 0, "Lewat batas waktu": 0}
    pending_late = 0
    for n, g in enumerate(groups):
        if n % YIELD_EVERY == YIELD_EVERY - 1:
            # Thousands of date groups at 200,000 cases: let other chats in now and then
            # (this runs on the event loop, beside the writer).
            await asyncio.sleep(0)
        if g.decided_on is None:
            if g.response_due is not None and g.response_due < today:
                pending_late += g.n
            continue
        taken = agency.calendar.working_days_between(g.received_on, g.decided_on)
        taken_days[taken] += g.n
        if g.response_due is not None and g.decided_on > g.response_due:
            bands["Lewat batas waktu"] += g.n
        elif taken <= agency.clocks.info_response:
            bands["≤ 10 hari kerja"] += g.n
        else:
            bands["11–17 hari kerja (diperpanjang)"] += g.n
    answered = sum(taken_days.values())
    mean = sum(days * n for days, n in taken_days.items()) / answered if answered else None
    rows: list[list[Any]] = [
        ["Sudah dijawab tertulis", answered],
        ["Median (hari kerja)", _median(taken_days) if answered else "-"],
        ["Rata-rata (hari kerja)", round(mean, 1) if mean is not None else "-"],
        *[[band, n] for band, n in bands.items()],
        ["Belum dijawab dan lewat batas waktu", pending_late],
    ]
    return Table("waktu", "Waktu sampai pemberitahuan tertulis", ["Uraian", "Nilai"], rows)


def _median(counted: Counter[int]) -> float:
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


async def _objections(conn: AsyncConnection, start: date, end: date) -> Table:
    c = cases.c
    counted = {
        (r.objection_ground, r.decision): r.n
        for r in await conn.execute(
            select(c.objection_ground, c.decision, func.count().label("n"))
            .where(
                and_(
                    c.kind == Kind.KEBERATAN.value,
                    c.received_on >= start,
                    c.received_on <= end,
                )
            )
            .group_by(c.objection_ground, c.decision)
        )
    }
    table = Table(
        "keberatan",
        "Keberatan menurut alasan (UU 14/2008 Pasal 35 ayat 1) dan hasilnya",
        ["Pasal 35 huruf", "Alasan", *OBJECTION.values(), "Jumlah"],
    )
    for letter, label in PASAL_35.items():
        counts = [counted.get((letter, outcome), 0) for outcome in OBJECTION]
        if any(counts):
            table.rows.append([letter, render(label, "id"), *counts, sum(counts)])
    e = case_events.c
    disputes = (
        await conn.execute(
            select(func.count(func.distinct(e.case_id)))
            .select_from(case_events.join(cases, cases.c.id == e.case_id))
            .where(
                and_(
                    e.action == "dispute",
                    c.received_on >= start,
                    c.received_on <= end,
                )
            )
        )
    ).scalar_one()
    table.rows.append(["", "Sengketa ke Komisi Informasi", "", "", "", disputes])
    return table
