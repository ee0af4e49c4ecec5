"""`/rekap`: the period's figures in the chat, for officers: a short text, the charts and the
XLSX workbook.

The same SQL aggregates as the command-line reports. A unit officer gets their units'
figures; the coordinator, PPID utama, atasan PPID and admins the whole agency's. Counting
takes seconds on a large database, so the command only queues a request (a row, in the
turn's transaction) and answers at once; `bot.report_worker` builds it outside the single
writer and sends it.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.handlers.casework.actor import load_actor
from bot.handlers.staff import not_available
from bot.reports.tables import Report
from bot.values.messages import Msg, Raw, _, join, lines
from bot.values.types import Reply
from storage import report_requests

log = logging.getLogger(__name__)
FIRST_YEAR = 2000  # no case is older: reports start here (a typo like 1026 is refused)


def period(args: list[str], today: date) -> tuple[date, date] | Msg:
    """No arguments: this year so far; a year (2026); or two dates (2026-01-01 2026-06-30,
    31-12-2026 and 31/12/2026 too). Else why not, in one line."""
    usage = _(
        "Cara pakai: /rekap (tahun ini), /rekap 2026 (satu tahun), atau /rekap DARI "
        "SAMPAI, misalnya /rekap 2026-01-01 2026-06-30."
    )
    out_of_range = _(
        "Periode rekap harus antara tahun {first} dan {last}.",
        first=Raw(str(FIRST_YEAR)),
        last=Raw(str(today.year + 1)),
    )
    if not args:
        return date(today.year, 1, 1), today
    if len(args) == 1 and args[0].isascii() and args[0].isdigit() and len(args[0]) == 4:
        year = int(args[0])
        if not FIRST_YEAR <= year <= today.year + 1:
            return out_of_range
        start, end = date(year, 1, 1), date(year, 12, 31)
    elif len(args) == 2:
        first, last = _day(args[0]), _day(args[1])
        if first is None or last is None:
            return usage
        start, end = first, last
    else:
        return usage
    if end < start:
        return _("Tanggal akhir sebelum tanggal awal. Contoh: /rekap 2026-01-01 2026-06-30.")
    if start.year < FIRST_YEAR or end.year > today.year + 1:
        return out_of_range
    return start, end


def _day(text: str) -> date | None:
    """2026-12-31, or as officers often write it, 31-12-2026 or 31/12/2026."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    parts = text.replace("/", "-").split("-")
    if len(parts) == 3 and all(part.isascii() and part.isdigit() for part in parts):
        day, month, year = (int(part) for part in parts)
        if len(parts[2]) == 4:
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


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
    if isinstance(span, Msg):
        return [Reply(span)], False
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
    """The figures as a short text. `requests` is None when the period had none (agency-wide
    recaps) or when the asker is a unit officer (`agency_wide` False)."""
    heading = (
        _("*Rekap {day}*", day=start)
        if start == end
        else _("*Rekap {start} s.d. {end}*", start=start, end=end)
    )
    parts: list[Msg] = [heading]
    if complaints is None:
        parts.append(_("Pengaduan dan aspirasi: tidak ada pada periode ini."))
    else:
        parts.append(_complaints(complaints))
    if agency_wide:  # the PPID's figures are the agency's, for the agency's roles
        if requests is None:
            parts.append(_("Permohonan informasi: tidak ada pada periode ini."))
        else:
            parts.append(_requests(requests))
    return join(*parts)


def _complaints(report: Report) -> Msg:
    quality = dict((str(r[0]), r[1]) for r in report.table("mutu").rows)
    average = quality["Rata-rata kepuasan (1–5)"]
    top = ", ".join(f"{r[0]} ({r[3]})" for r in report.table("kategori").rows[:3])
    units = [
        _(
            "• {unit}: {count} kasus, {answered} sudah ditanggapi ({share}% tepat waktu)",
            unit=Raw(str(r[0])),
            count=int(r[1]),
            answered=int(r[2]),
            share=float(r[3]),
        )
        if r[2]
        else _(
            "• {unit}: {count} kasus, belum ada yang ditanggapi",
            unit=Raw(str(r[0])),
            count=int(r[1]),
        )
        for r in report.table("unit").rows[:5]
    ]
    return _(
        "Pengaduan dan aspirasi: {total}; selesai atau ditutup {done}; dibuka kembali "
        "{reopened}; kepuasan rata-rata {rating}.\nKategori terbanyak: {top}\n\nUnit:\n{units}",
        total=int(quality["Laporan diterima"]),
        done=int(quality["Selesai atau ditutup"]),
        reopened=int(quality["Dibuka kembali oleh pelapor"]),
        rating=float(average) if average != "-" else _("belum ada penilaian"),
        top=Raw(top),
        units=lines(*units),
    )


def _requests(report: Report) -> Msg:
    counted = dict((str(r[0]), int(r[1])) for r in report.table("ringkasan").rows)
    return lines(
        _(
            "Permohonan informasi: {total}; dikabulkan seluruhnya {granted}; dikabulkan "
            "sebagian {partial}; ditolak {rejected}; tidak dikuasai {not_held}; belum diputus "
            "{open}.",
            total=counted["Permohonan diterima"],
            granted=counted["Dikabulkan seluruhnya"],
            partial=counted["Dikabulkan sebagian"],
            rejected=counted["Ditolak"],
            not_held=counted["Informasi tidak dikuasai"],
            open=counted["Belum diputus"],
        ),
        # A period may have objections or disputes without a request of its own.
        _(
            "Keberatan: {objections}; sengketa diajukan ke Komisi Informasi: {disputes}.",
            objections=counted["Keberatan diterima"],
            disputes=counted["Sengketa diajukan ke Komisi Informasi"],
        ),
    )
