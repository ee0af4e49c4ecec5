"""The data subjects' requests of a period (UU 27/2022): how many of each right, how many the
bot settled at once, how many the PPID answered, and whether within 3×24 hours. A sheet of the
PPID's workbook (the PPID answers them), though not one Perki 1/2021 asks for."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.cases import Kind
from bot.domain.subject_rights import Right
from bot.reports.tables import Table
from storage.schema import cases

RIGHTS = {Right.AKSES: "Akses (melihat data)", Right.KOREKSI: "Koreksi", Right.HAPUS: "Penghapusan"}


async def data_requests(conn: AsyncConnection, start: date, end: date, hours: int) -> Table:
    c = cases.c
    in_period = and_(c.kind == Kind.DATA.value, c.received_on >= start, c.received_on <= end)
    rows = list(
        await conn.execute(
            select(c.subject_right, c.created_at, c.closed_at, c.assignee_person_id).where(
                in_period
            )
        )
    )
    limit = timedelta(hours=hours)
    body: list[list[Any]] = []
    for right, label in RIGHTS.items():
        mine = [r for r in rows if r.subject_right == right]
        at_once = [r for r in mine if r.closed_at is not None and r.closed_at == r.created_at]
        answered = [r for r in mine if r.closed_at is not None]
        in_time = [r for r in answered if r.closed_at - r.created_at <= limit]
        body.append(
            [
                label,
                len(mine),
                len(at_once),
                len(answered) - len(at_once),
                len(in_time),
                len(mine) - len(answered),
            ]
        )
    body.append(["Jumlah", *[sum(int(row[i]) for row in body) for i in range(1, 6)]])
    return Table(
        "data_pribadi",
        "Permintaan data pribadi (UU 27/2022; bukan bagian laporan Perki 1/2021)",
        [
            "Hak",
            "Diterima",
            "Diselesaikan otomatis",
            "Dijawab PPID",
            f"Dalam {hours} jam",
            "Belum dijawab",
        ],
        body,
    )
