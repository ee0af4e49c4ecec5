"""`/rekap`: the period's figures as a short text in the chat, for officers.

The same SQL aggregates as the command-line reports. A unit officer gets their units'
figures; the coordinator, PPID utama, atasan PPID and admins the whole agency's.
(The chart and the workbook in the chat are still to come; see the README.)
"""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.engine.types import Reply
from bot.handlers.casework import load_actor
from bot.handlers.staff import not_available
from bot.i18n import Msg, Raw, _, join
from bot.reports.complaints import complaint_report
from bot.reports.ppid import EmptyPeriodError, ppid_report

log = logging.getLogger(__name__)


def period(args: list[str], today: date) -> tuple[date, date] | None:
    """No arguments: this year so far; else two dates (2026-01-01 2026-06-30)."""
    if not args:
        return date(today.year, 1, 1), today
    if len(args) != 2:
        return None
    try:
        start, end = date.fromisoformat(args[0]), date.fromisoformat(args[1])
    except ValueError:
        return None
    return (start, end) if start <= end else None


async def recap(
    conn: AsyncConnection, agency: Agency, person_id: int, args: list[str], today: date
) -> list[Reply]:
    actor = await load_actor(conn, person_id)
    if not actor.officer:
        log.info("refused: /rekap without an officer role")
        return [not_available()]
    span = period(args, today)
    if span is None:
        return [
            Reply(
                _(
                    "Cara pakai: /rekap (tahun ini), atau /rekap DARI SAMPAI, misalnya "
                    "/rekap 2026-01-01 2026-06-30."
                )
            )
        ]
    start, end = span
    parts: list[Msg] = [_("*Rekap {start} s.d. {end}*", start=start, end=end)]
    try:
        complaints = await complaint_report(conn, agency, start, end, actor.units)
    except EmptyPeriodError:
        parts.append(_("Pengaduan dan aspirasi: tidak ada pada periode ini."))
    else:
        quality = dict((str(r[0]), r[1]) for r in complaints.table("mutu").rows)
        top = ", ".join(f"{r[0]} ({r[3]})" for r in complaints.table("kategori").rows[:3])
        parts.append(
            _(
                "Pengaduan dan aspirasi: {total}, selesai atau ditutup {done}, dibuka kembali "
                "{reopened}, rata-rata kepuasan {rating}.\nKategori terbanyak: {top}",
                total=Raw(str(quality["Laporan diterima"])),
                done=Raw(str(quality["Selesai atau ditutup"])),
                reopened=Raw(str(quality["Dibuka kembali oleh pelapor"])),
                rating=Raw(str(quality["Rata-rata kepuasan (1–5)"])),
                top=Raw(top),
            )
        )
        units = [
            f"• {r[0]}: {r[1]} kasus, tanggapan pertama tepat waktu {r[3]}%"
            for r in complaints.table("unit").rows[:5]
        ]
        parts.append(_("Unit:\n{lines}", lines=Raw("\n".join(units))))
    if actor.units is None:  # the PPID's figures are the agency's, for the agency's roles
        try:
            requests = await ppid_report(conn, agency, end.year, today)
        except EmptyPeriodError:
            parts.append(_("Permohonan informasi {year}: tidak ada.", year=Raw(str(end.year))))
        else:
            summary = dict((str(r[0]), r[1]) for r in requests.table("ringkasan").rows)
            parts.append(
                _(
                    "Permohonan informasi {year}: {total}; dikabulkan {granted}, sebagian "
                    "{partial}, ditolak {rejected}, tidak dikuasai {not_held}, belum diputus "
                    "{open}.",
                    year=Raw(str(end.year)),
                    total=Raw(str(summary["Permohonan diterima"])),
                    granted=Raw(str(summary["Dikabulkan seluruhnya"])),
                    partial=Raw(str(summary["Dikabulkan sebagian"])),
                    rejected=Raw(str(summary["Ditolak"])),
                    not_held=Raw(str(summary["Informasi tidak dikuasai"])),
                    open=Raw(str(summary["Belum diputus"])),
                )
            )
    parts.append(_("Laporan lengkap (XLSX, CSV, grafik): suara-warga report di server."))
    return [Reply(join(*parts))]
