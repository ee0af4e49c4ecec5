"""`/rekap`: the period's figures in the chat, for officers: a short text, the charts and the
XLSX workbook.

The same SQL aggregates as the command-line reports. A unit officer gets their units'
figures; the coordinator, PPID utama, atasan PPID and admins the whole agency's. Counting
takes seconds on a large database, so the command only queues a request (a row, in the
turn's transaction) and answers at once; `bot.reports.worker` builds it outside the single
writer and sends it.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.engine.types import Reply
from bot.handlers.casework import load_actor
from bot.handlers.staff import not_available
from bot.i18n import Msg, Raw, _, join, lines
from bot.reports.ppid import Report
from storage import report_requests

log = logging.getLogger(__name__)
FIRST_YEAR = 2000  # no case is older; a typo like 0026 or 1026 gets the usage line


def period(args: list[str], today: date) -> tuple[date, date] | None:
    """No arguments: this year so far; else two dates (2026-01-01 2026-06-30), from 2000 and
    not beyond next year."""
    if not args:
        return date(today.year, 1, 1), today
    if len(args) != 2:
        return None
    try:
        start, end = date.fromisoformat(args[0]), date.fromisoformat(args[1])
    except ValueError:
        return None
    if not (start.year >= FIRST_YEAR and start <= end and end.year <= today.year + 1):
        return None
    return start, end


async def ask_recap(
    conn: AsyncConnection,
    person_id: int,
    channel: str,
    args: list[str],
    today: date,
    now: datetime,
) -> tuple[list[Reply], bool]:
    """Queue a recap; returns the answer and whether a request is waiting (wake the worker).
    Who may see what is checked again when it is built."""
    actor = await load_actor(conn, person_id)
    if not actor.officer:
        log.info("refused: /rekap without an officer role")
        return [not_available()], False
    span = period(args, today)
    if span is None:
        return [
            Reply(
                _(
                    "Cara pakai: /rekap (tahun ini), atau /rekap DARI SAMPAI, misalnya "
                    "/rekap 2026-01-01 2026-06-30."
                )
            )
        ], False
    start, end = span
    if not await report_requests.queue(conn, person_id, channel, start, end, now):
        return [Reply(_("Rekap Anda sebelumnya masih disiapkan. Mohon tunggu sebentar."))], True
    return [
        Reply(
            _(
                "Baik, rekap {start} s.d. {end} sedang disiapkan. Hasilnya kami kirim sebentar "
                "lagi.",
                start=start,
                end=end,
            )
        )
    ], True


def summary(
    start: date, end: date, complaints: Report | None, requests: Report | None, agency_wide: bool
) -> Msg:
    """The figures as a short text. `requests` is None when the year had none (agency-wide
    recaps) or when the asker is a unit officer (`agency_wide` False)."""
    parts: list[Msg] = [_("*Rekap {start} s.d. {end}*", start=start, end=end)]
    if complaints is None:
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
            _(
                "• {unit}: {count} kasus, tanggapan pertama tepat waktu {share}",
                unit=Raw(str(r[0])),
                count=int(r[1]),
                share=Raw(f"{r[3]}%") if r[3] != "-" else _("belum ada"),
            )
            for r in complaints.table("unit").rows[:5]
        ]
        parts.append(_("Unit:\n{lines}", lines=lines(*units)))
    if agency_wide:  # the PPID's figures are the agency's, for the agency's roles
        if requests is None:
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
    return join(*parts)
