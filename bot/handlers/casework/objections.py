"""Whether a requester may object, or a dispute be recorded, today: the rules of
`bot.domain.objections` read with what the database holds (the objections filed already)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.cases import Status
from bot.domain.objections import Window, open_grounds, windows
from bot.values.messages import Msg, Raw, _
from storage import repo


def dispute_problem(agency: Agency, case: Case, today: date) -> Msg | None:
    """A dispute is recorded once the atasan PPID has answered, or once the answer is late
    (Pasal 37 ayat 2), never while the atasan is still within time."""
    if case.status == Status.DIPUTUS or (case.response_due and case.response_due < today):
        return None
    return _(
        "Atasan PPID masih dalam batas waktu menanggapi *{code}* (sampai {due}); sengketa "
        "dicatat setelah ada tanggapan atau bila batas waktu itu lewat.",
        code=Raw(case.tracking_code),
        due=case.response_due or Raw("-"),
    )


async def objection_grounds(
    conn: AsyncConnection, agency: Agency, case: Case, today: date
) -> dict[str, Window]:
    """The Pasal 35 grounds the requester may object on today (`bot.domain.objections`),
    less those already objected on."""
    return _open(agency, case, today, await repo.objections_to(conn, case.id))


def _open(agency: Agency, case: Case, today: date, earlier: list[Any]) -> dict[str, Window]:
    filed = {r.objection_ground for r in earlier}
    return open_grounds(
        agency, case.status, case.decision, case.decided_on, case.response_due, today, filed
    )


async def objection_problem(
    conn: AsyncConnection, agency: Agency, case: Case, today: date, ground: str | None = None
) -> Msg | None:
    """Why no objection (or none on `ground`) can be filed on the request today, if so."""
    earlier = await repo.objections_to(conn, case.id)  # read once, for both questions
    open_now = _open(agency, case, today, earlier)
    if ground is not None and ground in open_now:
        return None
    if ground is None and open_now:
        return None
    arisen = windows(agency, case.status, case.decision, case.decided_on, case.response_due, today)
    if ground is not None and open_now:
        return _(
            "Alasan ({letter}) tidak dapat dipakai sekarang. Alasan yang dapat dipakai: {open}.",
            letter=Raw(ground),
            open=Raw(", ".join(f"({g})" for g in sorted(open_now))),
        )
    # Nothing open, but grounds whose window still runs were used: say where those went.
    taken = [
        r
        for r in earlier
        if r.objection_ground in arisen and arisen[r.objection_ground].open_on(today)
    ]
    if taken:
        return _(
            "Keberatan atas permohonan ini sudah diajukan untuk setiap alasan yang berlaku "
            "sekarang: {codes}. Ketik kodenya untuk melihat statusnya.",
            codes=Raw(", ".join(f"*{r.tracking_code}*" for r in taken)),
        )
    return _(
        "Keberatan atas *{code}* belum atau tidak lagi dapat diajukan: keberatan diajukan "
        "setelah ada jawaban tertulis atau bila batas waktu jawaban sudah lewat, dan paling "
        "lambat 30 hari kerja sesudahnya.",
        code=Raw(case.tracking_code),
    )
