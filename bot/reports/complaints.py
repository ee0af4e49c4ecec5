"""Complaint and aspiration statistics for a period, as input for policy: by category, unit,
kecamatan, channel and status; each unit's share handled within the legal clocks; reopen
rate; satisfaction; what KIM volunteers filed per desa; the monthly trend.

All counting is SQL aggregation (GROUP BY); Python only labels the rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.cases import COMPLAINT_KINDS, STATUS_LABELS, Kind, Status
from bot.i18n import render
from bot.reports.labels import channel_text, month_text, span_text
from bot.reports.tables import Chart, EmptyPeriodError, Report, Step, Table, no_progress
from storage.schema import case_events, cases

COMPLAINT_TABLES = 8
COMPLAINT_CHARTS = 2
TREND_MONTHS = 60  # a longer period shows only the months between its first and last case
CHART_TOP = 10  # categories in the chart (all of them are in the table)


@dataclass(frozen=True)
class _Row:
    key: Any
    kind: str
    n: int


def _pct(part: int, whole: int) -> Any:
    return round(100 * part / whole, 1) if whole else "-"


async def complaint_report(
    conn: AsyncConnection,
    agency: Agency,
    start: date,
    end: date,
    units: list[str] | None = None,
    step: Step = no_progress,
    today: date | None = None,
) -> Report:
    """`units`: only these units' cases (a unit officer's own figures); None for all.
    `today`: the trend stops at this month (a period may end in the future)."""
    if end < start:
        raise EmptyPeriodError("Tanggal akhir sebelum tanggal awal.")
    c = cases.c
    scope = and_(
        c.kind.in_([k.value for k in COMPLAINT_KINDS]), c.received_on >= start, c.received_on <= end
    )
    if units is not None:
        scope = and_(scope, c.unit_code.in_(units))
    total = (await conn.execute(select(func.count()).where(scope))).scalar_one()
    if not total:
        raise EmptyPeriodError(
            f"Tidak ada pengaduan atau aspirasi yang diterima: {span_text(start, end)}."
        )

    async def grouped(column: Any) -> list[Any]:
        query = (
            select(column.label("key"), c.kind, func.count().label("n"))
            .where(scope)
            .group_by(column, c.kind)
            .order_by(func.count().desc())
        )
        return list(await conn.execute(query))

    def pivot(rows: list[Any], label: Any) -> list[list[Any]]:
        table: dict[Any, list[int]] = {}
        for r in rows:
            counts = table.setdefault(r.key, [0, 0])
            counts[0 if r.kind == Kind.PENGADUAN else 1] += r.n
        ordered = sorted(table.items(), key=lambda kv: -sum(kv[1]))
        return [[label(key), p, a, p + a] for key, (p, a) in ordered]

    heads = ["Pengaduan", "Aspirasi", "Jumlah"]
    step("kategori")
    categories = Table(
        "kategori",
        "Menurut kategori",
        ["Kategori", *heads],
        pivot(
            await grouped(c.category_code),
            lambda k: agency.categories[k].name if k in agency.categories else "Belum dipilah",
        ),
    )
    # Grouped by desa in SQL, then folded to the kecamatan (a few dozen groups, not cases).
    step("kecamatan")
    by_desa = await grouped(c.area_code)
    areas = Table(
        "kecamatan",
        "Menurut kecamatan",
        ["Kecamatan", *heads],
        pivot(
            [_Row(r.key.split("/")[0] if r.key else None, r.kind, r.n) for r in by_desa],
            lambda k: agency.areas[k].name if k in agency.areas else "Tanpa lokasi",
        ),
    )
    step("saluran")
    channels = Table(
        "saluran",
        "Menurut saluran",
        ["Saluran", *heads],
        pivot(await grouped(c.channel), channel_text),
    )
    step("status")
    statuses = Table(
        "status",
        "Menurut status",
        ["Status", *heads],
        pivot(
            await grouped(c.status),
            lambda k: render(STATUS_LABELS[k], "id") if k in STATUS_LABELS else k,
        ),
    )
    step("unit")
    by_unit = await _units(conn, agency, scope)
    step("mutu")
    quality = await _quality(conn, scope, total)
    step("kim")
    kim = await _kim(conn, agency, scope)
    step("tren")
    trend = await _trend(conn, scope, start, min(end, today) if today else end)
    span = span_text(start, end)
    whose = (
        ", ".join(agency.units[u].name if u in agency.units else u for u in units)
        if units is not None
        else agency.name
    )
    return Report(
        title=f"Statistik Pengaduan dan Aspirasi, {whose}, {span}",
        period=span,
        tables=[categories, by_unit, areas, channels, statuses, quality, kim, trend],
        charts=[
            Chart(
                "bulanan",
                f"Pengaduan dan aspirasi per bulan, {span}",
                {month_text(*map(int, row[0].split("-"))): row[1] for row in trend.rows},
                columns=True,
            ),
            Chart(
                "kategori",
                f"Kategori terbanyak, {span}",
                {row[0]: row[3] for row in categories.rows[:CHART_TOP]},
            ),
        ],
    )


async def _units(conn: AsyncConnection, agency: Agency, scope: Any) -> Table:
    """Each unit's cases and the share handled within the clocks it could have met."""
    c, e = cases.c, case_events.c
    resolved_on = (
        select(func.date(func.min(e.at)))
        .where(and_(e.case_id == c.id, e.action == "resolve"))
        .correlate(cases)
        .scalar_subquery()
    )
    query = (
        select(
            c.unit_code,
            func.count().label("n"),
            func.count(c.followed_up_on).label("followed"),
            func.sum(case((c.followed_up_on <= c.followup_due, 1), else_=0)).label("followed_ok"),
            func.count(resolved_on).label("resolved"),
            func.sum(case((resolved_on <= c.resolution_due, 1), else_=0)).label("resolved_ok"),
        )
        .where(scope)
        .group_by(c.unit_code)
        .order_by(func.count().desc())
    )
    rows = []
    for r in await conn.execute(query):
        unit = agency.units[r.unit_code].name if r.unit_code in agency.units else r.unit_code
        rows.append(
            [
                unit,
                r.n,
                r.followed,
                _pct(int(r.followed_ok or 0), r.followed),
                r.resolved,
                _pct(int(r.resolved_ok or 0), r.resolved),
            ]
        )
    return Table(
        "unit",
        "Menurut unit, dengan ketepatan waktu",
        [
            "Unit",
            "Jumlah",
            "Sudah ditanggapi",
            "% tanggapan pertama tepat waktu (5 hari kerja)",
            "Sudah selesai",
            "% selesai sesuai target",
        ],
        rows,
    )


async def _quality(conn: AsyncConnection, scope: Any, total: int) -> Table:
    c = cases.c
    r = (
        await conn.execute(
            select(
                func.sum(case((c.reopened > 0, 1), else_=0)),
                func.count(c.rating),
                func.avg(c.rating),
                func.sum(case((c.status.in_((Status.SELESAI, Status.DITUTUP)), 1), else_=0)),
            ).where(scope)
        )
    ).one()
    reopened, rated, average, finished = int(r[0] or 0), int(r[1] or 0), r[2], int(r[3] or 0)
    return Table(
        "mutu",
        "Dibuka kembali dan kepuasan pelapor",
        ["Uraian", "Nilai"],
        [
            ["Laporan diterima", total],
            ["Selesai atau ditutup", finished],
            ["Dibuka kembali oleh pelapor", reopened],
            ["% dibuka kembali (dari yang selesai)", _pct(reopened, finished)],
            ["Penilaian diberikan", rated],
            ["Rata-rata kepuasan (1–5)", round(float(average), 2) if average else "-"],
        ],
    )


async def _kim(conn: AsyncConnection, agency: Agency, scope: Any) -> Table:
    c = cases.c
    query = (
        select(c.area_code, func.count().label("n"))
        .where(and_(scope, c.submitter_person_id != c.reporter_person_id))
        .group_by(c.area_code)
        .order_by(func.count().desc())
    )
    rows = [
        [agency.area_label(r.area_code) if r.area_code in agency.areas else "Tanpa lokasi", r.n]
        for r in await conn.execute(query)
    ]
    return Table(
        "kim",
        "Dilaporkan relawan KIM untuk warga, menurut desa/kelurahan",
        ["Desa/kelurahan", "Jumlah"],
        rows,
    )


async def _trend(conn: AsyncConnection, scope: Any, start: date, end: date) -> Table:
    """Counted per day in SQL (portable), folded to months. Months without a case are shown
    as 0, across the whole period when it is up to five years (a trend with gaps left out
    misleads), else between the first and the last month with cases."""
    c = cases.c
    query = (
        select(c.received_on, func.count().label("n"))
        .where(scope)
        .group_by(c.received_on)
        .order_by(c.received_on)
    )
    counted: dict[tuple[int, int], int] = {}
    for r in await conn.execute(query):
        key = (r.received_on.year, r.received_on.month)
        counted[key] = counted.get(key, 0) + r.n
    first, last = (start.year, start.month), (end.year, end.month)
    if _months_between(first, last) > TREND_MONTHS and counted:
        first, last = min(counted), max(counted)
    months: dict[str, int] = {}
    year, month = first
    while (year, month) <= last:
        months[f"{year}-{month:02d}"] = counted.get((year, month), 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return Table(
        "bulanan", "Tren bulanan", ["Bulan", "Jumlah"], [[m, n] for m, n in months.items()]
    )


def _months_between(first: tuple[int, int], last: tuple[int, int]) -> int:
    return (last[0] - first[0]) * 12 + last[1] - first[1] + 1
