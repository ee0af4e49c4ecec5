"""The PPID's annual information-service report, counted from the bot's rows.

Perki 1/2021 Standar Layanan Informasi Publik, Pasal 56: the public body prepares its report
within 3 months after the year ends; it holds, besides the general picture of its policy,
means, staff and budget, the obstacles and the follow-up plan (which no bot can count), the
"rincian pelayanan informasi publik" and the "rincian penyelesaian sengketa informasi publik".
The items below are those Perki 1/2010 listed (Pasal 12, verify), which 1/2021 carries on
(verify the ayat and the wording in 1/2021). Each sheet answers:

- `ringkasan`: the number of requests, granted in full or in part, rejected (and not held,
  undecided, extended), with the year's objections and disputes;
- `pemohon`: the number of requests, by requester (UU 14/2008 Pasal 1 angka 12: citizens and
  legal entities; a kuasa, with whom they act for, as Perki 1/2021 allows: verify the
  article) and channel (whether 1/2021 asks this split: verify);
- `pengecualian`: the reasons for rejection (UU 14/2008 Pasal 17 grounds);
- `waktu`: the time taken to fulfil each request: to the written notice and to delivery;
- `keberatan`: the objections received and the atasan PPID's answers (UU 14/2008 Pasal 35–36);
- `sengketa`: the disputes taken to the Komisi Informasi, the results of mediation and
  ajudikasi, the suits in court and their results (UU 14/2008 Pasal 37–50);
- `data_pribadi`: not a Perki item: the data subjects' requests the PPID answers (UU 27/2022),
  by right, settled at once or by the PPID, within 3×24 hours.

Every figure is an SQL aggregate (GROUP BY over the period's requests); Python counts working
days per distinct group of dates (`ppid_timing`) and folds the few dispute events
(`ppid_disputes`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.cases import Kind
from bot.domain.lifecycle import EXEMPTING, PASAL_17, PASAL_35, Decision
from bot.i18n import render
from bot.reports.data_requests import data_requests
from bot.reports.labels import channel_text, span_text
from bot.reports.ppid_disputes import disputes
from bot.reports.ppid_timing import timing
from bot.reports.tables import Chart, EmptyPeriodError, Report, Step, Table, no_progress
from storage.schema import cases, request_details

PPID_TABLES = 7
PPID_CHARTS = 2


D = Decision
REQUESTER = {"perorangan": "Perorangan", "badan_hukum": "Badan hukum", "kuasa": "Kuasa"}
PRINCIPAL = {  # whom a kuasa acts for
    "perorangan": "Kuasa atas nama perorangan",
    "badan_hukum": "Kuasa atas nama badan hukum",
}
PRINCIPAL_UNKNOWN = "Kuasa, pemberi kuasa tidak tercatat"
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
    """The annual report: the calendar year. `nil`: a year without requests, objections or
    disputes still gives a report of zeros (the PPID must report even then)."""
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
    """Requests received from `start` to `end` (the chat's /rekap asks any period), the
    objections received and the disputes' steps recorded in it. A period with none of these
    is "nihil": refused unless `nil`, and then marked so (`Report.nil`)."""
    c = cases.c
    whole_year = start == date(start.year, 1, 1) and end == date(start.year, 12, 31)
    span = f"Tahun {start.year}" if whole_year else span_text(start, end)
    in_year = and_(c.kind == Kind.INFORMASI.value, c.received_on >= start, c.received_on <= end)
    total = (await conn.execute(select(func.count()).where(in_year))).scalar_one()
    step("keberatan")  # counted first: with the disputes, they say whether the period is nil
    objections = await _objections(conn, start, end)
    objected = int(objections.rows[-1][-1])
    step("sengketa")
    disputed = await disputes(conn, start, end)
    empty = not (total or objected or disputed.any)
    if empty and not nil:
        raise EmptyPeriodError(
            f"Tidak ada permohonan informasi, keberatan, maupun sengketa: {span}."
        )
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
            ["Keberatan diterima", objected],
            ["Sengketa diajukan ke Komisi Informasi", disputed.filed_ki],
        ],
    )
    step("pemohon")
    requesters = await _requesters(conn, in_year)
    step("pengecualian")
    grounds = await _grounds(conn, in_year)
    step("waktu")
    timed = await timing(conn, agency, in_year, today)
    step("data_pribadi")
    subjects = await data_requests(conn, start, end, agency.clocks.data_request_hours)
    return Report(
        title=f"Laporan Layanan Informasi Publik {agency.name}, {span}",
        period=span,
        tables=[
            summary,
            requesters,
            grounds,
            timed.table,
            objections,
            disputed.table,
            subjects,
        ],
        charts=[
            Chart(
                "keputusan",
                f"Permohonan informasi menurut keputusan, {span}",
                {DECISION[k]: by_decision.get(k, 0) for k in DECISION},
            ),
            Chart("waktu", f"Waktu sampai pemberitahuan tertulis, {span}", timed.chart),
        ],
        nil=empty,
    )


async def _requesters(conn: AsyncConnection, in_year: Any) -> Table:
    """By requester type and channel; a kuasa also by whom they act for (the principal)."""
    c, rd = cases.c, request_details.c
    counted: Counter[tuple[str, str | None, str]] = Counter()
    for r in await conn.execute(
        select(rd.requester_type, rd.principal_type, c.channel, func.count().label("n"))
        .select_from(cases.join(request_details, rd.case_id == c.id))
        .where(in_year)
        .group_by(rd.requester_type, rd.principal_type, c.channel)
    ):
        counted[(r.requester_type, r.principal_type, r.channel)] += r.n
    channels = sorted({channel for _, _, channel in counted}, key=channel_text)

    def row(label: str, kind: str | None = None, whom: Collection[str | None] = ()) -> list[Any]:
        """`kind` None: every request; `whom`: only those acting for one of these."""
        per = [
            sum(
                n
                for (k, w, ch), n in counted.items()
                if ch == channel and kind in (None, k) and (not whom or w in whom)
            )
            for channel in channels
        ]
        return [label, *per, sum(per)]

    rows = [row(label, kind) for kind, label in REQUESTER.items()]
    rows += [row(label, "kuasa", {whom}) for whom, label in PRINCIPAL.items()]
    unrecorded = {w for k, w, _ in counted if k == "kuasa"} - set(PRINCIPAL)
    if unrecorded:  # a kuasa request filed before the principal was asked
        rows.append(row(PRINCIPAL_UNKNOWN, "kuasa", unrecorded))
    for kind in sorted({k for k, _, _ in counted} - set(REQUESTER)):
        rows.append(row(kind, kind))  # a type the form does not know: shown, never dropped
    rows.append(row("Jumlah"))
    return Table(
        "pemohon",
        "Permohonan menurut jenis pemohon dan saluran",
        ["Jenis pemohon", *[channel_text(ch) for ch in channels], "Jumlah"],
        rows,
    )


async def _grounds(conn: AsyncConnection, in_year: Any) -> Table:
    c = cases.c
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
    return grounds


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
    # The total counts every objection, on a ground of the list or not (none is hidden).
    totals = [sum(n for (_, d), n in counted.items() if d == outcome) for outcome in OBJECTION]
    table.rows.append(["", "Jumlah", *totals, sum(totals)])
    return table
