"""The PPID's annual report, complete (Perki 1/2021 Pasal 56): a year with every kind of
requester, decided and delivered requests, objections, and disputes with their outcomes at
the Komisi Informasi and in court; when a year is "nihil"; and the outcomes recorded through
the officers' real `/sengketa` command.

On a real SQLite file with the fake clock (no wall clock, time zone or `.env`). Requests come
through the citizen's real form; the request's requester type and decision are then set on
its row as the form and `/putus` leave them (those have their own tests, and the decision's
form is being reworked), so the figures here depend only on the counting. Objections, the
atasan's answers and every dispute step go through the real commands.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from bot.domain import disputes
from bot.handlers.recap import summary
from bot.i18n import render
from bot.reports.output import write_report
from bot.reports.ppid import ppid_period_report, ppid_report
from bot.reports.tables import EmptyPeriodError, Report
from storage.schema import case_events, cases, request_details
from tests.harness import TestBot, file_request, grant_role, make_settings, run_bot
from tests.test_schedule import _set_clock

RECEIVED = date(2026, 11, 27)  # Friday: 10 working days end on Friday 11 December


async def _set(
    bot: TestBot,
    code: str,
    *,
    requester: str = "perorangan",
    principal: str | None = None,
    decision: str | None = None,
    ground: str | None = None,
    decided: date | None = None,
    delivered: date | None = None,
    extended: int = 0,
) -> None:
    """The request's row as the form, `/perpanjang`, `/putus` and `/serahkan` leave it."""
    async with bot.app.db.begin() as conn:
        row = (await conn.execute(select(cases).where(cases.c.tracking_code == code))).one()
        changes: dict[str, Any] = {"delivered_on": delivered}
        if extended:
            due = bot.app.agency.calendar.add_working_days(row.response_due, extended)
            changes.update(extended=True, response_due=due)
        if decision:
            changes.update(
                status="diputus",
                decision=decision,
                decision_ground=ground,
                decided_on=decided,
                closed_at=datetime(decided.year, decided.month, decided.day, 2, tzinfo=UTC)
                if decided
                else None,
            )
        await conn.execute(update(cases).where(cases.c.id == row.id).values(**changes))
        await conn.execute(
            update(request_details)
            .where(request_details.c.case_id == row.id)
            .values(requester_type=requester, principal_type=principal)
        )


async def _object(bot: TestBot, requester: str, code: str, ground: str) -> str:
    """The requester objects with the real command; returns the objection's code."""
    citizen = bot.citizen(requester)
    citizen.unread()
    await citizen.say(f"/keberatan {code} {ground} Saya tidak setuju dengan jawabannya")
    told = [m.text for m in citizen.unread() if "KEB/PPID" in m.text]
    assert told, f"no objection filed on {code}"
    return told[-1].split("Kode pelacakan: *")[1].split("*")[0]


def _rows(report: Report, name: str) -> dict[str, list[Any]]:
    return {str(row[0]): row[1:] for row in report.table(name).rows}


async def _a_year(bot: TestBot) -> dict[str, str]:
    """2026: six requests (every requester type, kuasa for either principal and for one not
    recorded), two objections, and one dispute through the Komisi Informasi, the court and
    on to the Mahkamah Agung, another still before the commission at the year's end."""
    await grant_role(bot, "ppid", "ppid_utama")
    await grant_role(bot, "atasan", "atasan_ppid")
    ppid, atasan = bot.citizen("ppid"), bot.citizen("atasan")
    r = {f"r{n}": await file_request(bot, f"pemohon-{n}") for n in range(1, 7)}
    # Working days from Friday 27 November: 1 Dec = 2, 11 Dec = 10, 14 Dec = 11, 15 Dec = 12,
    # 16 Dec = 13, 18 Dec = 15.
    await _set(bot, r["r1"], decision="granted", decided=RECEIVED, delivered=date(2026, 12, 1))
    await _set(
        bot,
        r["r2"],
        requester="badan_hukum",
        extended=7,  # due Tuesday 22 December
        decision="partial",
        ground="b",
        decided=date(2026, 12, 15),
        delivered=date(2026, 12, 16),
    )
    await _set(
        bot,
        r["r3"],
        requester="kuasa",
        principal="perorangan",
        decision="rejected",
        ground="h",
        decided=date(2026, 12, 1),
    )
    await _set(
        bot,
        r["r4"],
        requester="kuasa",
        principal="badan_hukum",
        decision="granted",
        decided=date(2026, 12, 11),  # granted on the last day, never handed over
    )
    await _set(bot, r["r5"], requester="kuasa")  # principal not recorded; never answered
    await _set(
        bot,
        r["r6"],
        decision="granted",
        decided=date(2026, 12, 14),  # a day late
        delivered=date(2026, 12, 18),
    )

    _set_clock(bot, date(2026, 12, 2), 9)
    r["k1"] = await _object(bot, "pemohon-3", r["r3"], "a")
    _set_clock(bot, date(2026, 12, 3), 9)
    assert "Keputusan" in await atasan.say(f"/putus {r['k1']} ditolak Pengecualian sudah diuji")
    _set_clock(bot, date(2026, 12, 4), 9)
    assert "dicatat" in await ppid.say(f"/sengketa {r['k1']} Register KI Sulsel 012/XII/2026")
    _set_clock(bot, date(2026, 12, 10), 9)
    await ppid.say(f"/sengketa {r['k1']} putus ditolak")
    _set_clock(bot, date(2026, 12, 14), 9)
    await ppid.say(f"/sengketa {r['k1']} pengadilan Keberatan pemohon ke PTUN Makassar")
    _set_clock(bot, date(2026, 12, 16), 9)
    r["k2"] = await _object(bot, "pemohon-2", r["r2"], "a")
    _set_clock(bot, date(2026, 12, 17), 9)
    await atasan.say(f"/putus {r['k2']} diterima Bagian yang tidak dilindungi diberikan")
    _set_clock(bot, date(2026, 12, 21), 9)
    await ppid.say(f"/sengketa {r['k2']}")  # still before the commission on 31 December
    _set_clock(bot, date(2026, 12, 28), 9)
    await ppid.say(f"/sengketa {r['k1']} putus dikabulkan pengadilan")
    _set_clock(bot, date(2026, 12, 30), 9)
    await atasan.say(f"/sengketa {r['k1']} kasasi Badan publik mengajukan kasasi")
    # Last, so that no notice above goes to a channel the test has no sender for.
    for code, channel in ((r["r2"], "whatsapp"), (r["r3"], "telegram"), (r["r4"], "whatsapp")):
        async with bot.app.db.begin() as conn:
            await conn.execute(
                update(cases).where(cases.c.tracking_code == code).values(channel=channel)
            )
    return r


async def test_every_sheet_of_a_full_year(bot: TestBot, tmp_path: Path) -> None:
    await _a_year(bot)
    async with bot.app.db.connect() as conn:
        report = await ppid_report(conn, bot.app.agency, 2026, date(2027, 1, 4))
    assert [t.name for t in report.tables] == [
        "ringkasan",
        "pemohon",
        "pengecualian",
        "waktu",
        "keberatan",
        "sengketa",
        "data_pribadi",
    ]
    assert not report.nil
    assert dict(map(tuple, report.table("ringkasan").rows)) == {  # type: ignore[arg-type]
        "Permohonan diterima": 6,
        "Dikabulkan seluruhnya": 3,
        "Dikabulkan sebagian": 1,
        "Ditolak": 1,
        "Informasi tidak dikuasai": 0,
        "Belum diputus": 1,
        "Diperpanjang (Pasal 22 ayat 8)": 1,
        "Keberatan diterima": 2,
        "Sengketa diajukan ke Komisi Informasi": 2,
    }

    requesters = report.table("pemohon")
    assert requesters.headers == [
        "Jenis pemohon",
        "Konsol (uji coba)",
        "Telegram",
        "WhatsApp",
        "Jumlah",
    ]
    assert _rows(report, "pemohon") == {
        "Perorangan": [2, 0, 0, 2],
        "Badan hukum": [0, 0, 1, 1],
        "Kuasa": [1, 1, 1, 3],
        "Kuasa atas nama perorangan": [0, 1, 0, 1],
        "Kuasa atas nama badan hukum": [0, 0, 1, 1],
        "Kuasa, pemberi kuasa tidak tercatat": [1, 0, 0, 1],
        "Jumlah": [3, 1, 2, 6],
    }
    assert report.table("pengecualian").rows == [
        ["b", "mengganggu perlindungan hak kekayaan intelektual dan persaingan usaha sehat", 0, 1],
        ["h", "mengungkap rahasia pribadi", 1, 0],
    ]

    timing = report.table("waktu")
    assert timing.headers == [
        "Uraian",
        "Sampai pemberitahuan tertulis",
        "Sampai informasi diserahkan",
    ]
    assert _rows(report, "waktu") == {
        # notices: 0, 2, 10, 11, 12 working days; deliveries: 2, 13, 15
        "Jumlah permohonan": [5, 3],
        "Median (hari kerja)": [10, 13],
        "Rata-rata (hari kerja)": [7.0, 10.0],
        "≤ 10 hari kerja": [3, 1],
        "11–17 hari kerja (diperpanjang)": [1, 1],  # r2, within its extension
        "Lewat batas waktu": [1, 1],  # r6: noticed on the 11th day, delivered on the 15th
        "Belum dijawab tertulis dan lewat batas waktu": [1, "-"],  # r5
        "Dikabulkan, informasi belum diserahkan": ["-", 1],  # r4
    }
    assert report.charts[1].data == {
        "≤ 10 hari kerja": 3,
        "11–17 hari kerja (diperpanjang)": 1,
        "Lewat batas waktu": 1,
        "Belum dijawab tertulis dan lewat batas waktu": 1,
    }

    assert report.table("keberatan").rows == [
        ["a", "permohonan ditolak dengan alasan pengecualian Pasal 17", 1, 1, 0, 2],
        ["", "Jumlah", 1, 1, 0, 2],
    ]
    disputed = report.table("sengketa")
    assert disputed.headers == [
        "Uraian",
        "Komisi Informasi",
        "Pengadilan (PTUN/PN)",
        "Mahkamah Agung (kasasi)",
    ]
    assert _rows(report, "sengketa") == {
        "Berjalan dari periode sebelumnya": [0, 0, 0],
        "Diajukan": [2, 1, 1],
        "Diputus atau selesai": [1, 1, 0],
        "Mediasi berhasil": [0, "-", "-"],
        "Dikabulkan seluruhnya": [0, 1, 0],
        "Dikabulkan sebagian": [0, 0, 0],
        "Ditolak": [1, 0, 0],
        "Tidak dapat diterima": [0, 0, 0],
        "Gugur": [0, "-", "-"],
        "Dicabut": [0, 0, 0],
        "Masih berjalan pada akhir periode": [1, 0, 1],  # k2 at the commission; the kasasi
    }

    # The chat's /rekap says the objections and disputes beside the requests.
    said = render(summary(date(2026, 1, 1), date(2026, 12, 31), None, report, True), "id")
    assert "Permohonan informasi: 6; dikabulkan seluruhnya 3;" in said
    assert "Keberatan: 2; sengketa diajukan ke Komisi Informasi: 2." in said

    files = write_report(report, tmp_path, "laporan-ppid-2026")
    assert len(files) == 10  # the workbook, seven CSV files, two charts
    sheet = load_workbook(tmp_path / "laporan-ppid-2026.xlsx")["sengketa"]
    assert [c.value for c in sheet[5]] == ["Berjalan dari periode sebelumnya", 0, 0, 0]
    assert [c.value for c in sheet[15]] == ["Masih berjalan pada akhir periode", 1, 0, 1]


async def test_the_year_after_carries_the_open_disputes(bot: TestBot) -> None:
    r = await _a_year(bot)
    _set_clock(bot, date(2027, 3, 1), 9)
    ppid = bot.citizen("ppid")
    await ppid.say(f"/sengketa {r['k2']} putus mediasi berhasil Informasi diberikan")
    async with bot.app.db.connect() as conn:
        report = await ppid_report(conn, bot.app.agency, 2027, date(2027, 3, 2))
        spring = await ppid_period_report(
            conn, bot.app.agency, date(2027, 3, 2), date(2027, 3, 31), date(2027, 3, 2)
        )
    # No request and no objection in 2027, yet a report: two disputes ran into it.
    assert not report.nil and report.table("ringkasan").rows[0] == ["Permohonan diterima", 0]
    rows = _rows(report, "sengketa")
    assert rows["Berjalan dari periode sebelumnya"] == [1, 0, 1]
    assert rows["Diajukan"] == [0, 0, 0]
    assert rows["Mediasi berhasil"] == [1, "-", "-"]
    assert rows["Masih berjalan pada akhir periode"] == [0, 0, 1]
    # A period after the mediation: the kasasi alone is still running, carried in.
    assert _rows(spring, "sengketa")["Berjalan dari periode sebelumnya"] == [0, 0, 1]


async def test_a_nihil_report_only_when_the_year_has_nothing(tmp_path: Path) -> None:
    test_bot = await TestBot(make_settings(tmp_path)).start()
    bot = test_bot
    await grant_role(bot, "ppid", "ppid_utama")
    await grant_role(bot, "atasan", "atasan_ppid")
    code = await file_request(bot, "pemohon")  # 2026
    await _set(bot, code, decision="rejected", ground="h", decided=date(2026, 12, 1))
    _set_clock(bot, date(2027, 1, 11), 9)
    objection = await _object(bot, "pemohon", code, "a")  # 2027: only an objection
    await bot.citizen("atasan").say(f"/putus {objection} ditolak Pengecualian sudah diuji")
    _set_clock(bot, date(2028, 1, 10), 9)
    await bot.citizen("ppid").say(f"/sengketa {objection}")  # 2028: only the dispute
    _set_clock(bot, date(2028, 2, 1), 9)
    await bot.citizen("ppid").say(f"/sengketa {objection} putus dicabut")
    async with bot.app.db.connect() as conn:
        reports = {
            year: await ppid_report(conn, bot.app.agency, year, date(2028, 2, 2), nil=True)
            for year in (2025, 2026, 2027, 2028, 2029)
        }
        with pytest.raises(EmptyPeriodError, match="maupun sengketa: Tahun 2029"):
            await ppid_report(conn, bot.app.agency, 2029, date(2028, 2, 2))
    await test_bot.stop()
    assert {year: report.nil for year, report in reports.items()} == {
        2025: True,
        2026: False,
        2027: False,  # no request, one objection
        2028: False,  # neither, one dispute filed and withdrawn
        2029: True,
    }
    assert _rows(reports[2027], "ringkasan")["Keberatan diterima"] == [1]
    assert _rows(reports[2028], "sengketa")["Dicabut"] == [1, 0, 0]

    def cli(year: int) -> str:
        done = run_bot(
            tmp_path,
            *("report", "ppid", "--year", str(year), "--out", f"out-{year}"),
            DATABASE_URL=test_bot.settings.database_url,
            CLOCK_START="2028-06-01T01:00:00+00:00",
        )
        assert done.returncode == 0, done.stderr
        return done.stderr

    said = [await asyncio.to_thread(cli, year) for year in (2025, 2027, 2028)]
    assert "laporan nihil" in said[0]
    assert "laporan nihil" not in said[1] and "laporan nihil" not in said[2]


async def test_dispute_outcomes_through_the_command(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    await grant_role(bot, "atasan", "atasan_ppid")
    ppid, atasan = bot.citizen("ppid"), bot.citizen("atasan")
    code = await file_request(bot, "pemohon")
    await _set(bot, code, decision="rejected", ground="h", decided=date(2026, 11, 30))
    _set_clock(bot, date(2026, 12, 1), 9)
    objection = await _object(bot, "pemohon", code, "a")

    async def events() -> list[dict[str, Any]]:
        async with bot.app.db.connect() as conn:
            rows = await conn.execute(
                select(case_events.c.data)
                .join(cases, cases.c.id == case_events.c.case_id)
                .where(cases.c.tracking_code == objection, case_events.c.action == "dispute")
                .order_by(case_events.c.id)
            )
            return [dict(data) for (data,) in rows]

    # Still within the atasan's 30 working days: nothing to dispute yet.
    assert "masih dalam batas waktu" in await ppid.say(f"/sengketa {objection}")
    # The atasan never answers; once late, the requester may go to the commission.
    _set_clock(bot, date(2027, 1, 25), 9)
    said = await ppid.say(f"/sengketa {objection} putus dikabulkan sebagian Putusan 2 Jan")
    assert "Hasil sengketa" in said and "Dikabulkan sebagian" in said
    assert "sudah tercatat" in await ppid.say(f"/sengketa {objection}")
    # Refused in one line, nothing recorded: an outcome the court does not give, a failed
    # mediation (a step, not an end), no outcome at all.
    assert "hanya ada di Komisi Informasi" in await ppid.say(
        f"/sengketa {objection} putus gugur pengadilan"
    )
    assert "Mediasi yang gagal" in await ppid.say(f"/sengketa {objection} putus mediasi gagal")
    assert "Cara pakai" in await ppid.say(f"/sengketa {objection} putus")
    filed = await atasan.say(f"/sengketa {objection} ptun Gugatan 12/G/KI/2027/PTUN.MKS")
    assert "Pengadilan (PTUN/PN)" in filed and "dicatat" in filed
    _set_clock(bot, date(2027, 5, 3), 9)
    await ppid.say(f"/sengketa {objection} putus tidak diterima pengadilan")
    assert "Perintah itu tidak dikenal" in await bot.citizen("pemohon").say(
        f"/sengketa {objection} putus ditolak"
    )
    assert await events() == [
        {
            "stage": "decided",
            "venue": "ki",
            "outcome": "partial",
            "text": "Putusan 2 Jan",
            "on": "2027-01-25",
        },
        {"again": True},
        {
            "stage": "filed",
            "venue": "pengadilan",
            "text": "Gugatan 12/G/KI/2027/PTUN.MKS",
            "on": "2027-01-25",
        },
        {"stage": "decided", "venue": "pengadilan", "outcome": "inadmissible", "on": "2027-05-03"},
    ]
    async with bot.app.db.connect() as conn:
        report = await ppid_report(conn, bot.app.agency, 2027, date(2027, 5, 4))
    rows = _rows(report, "sengketa")
    # The decision with no filing on record stands for the filing too.
    assert rows["Diajukan"] == [1, 1, 0]
    assert rows["Dikabulkan sebagian"] == [1, 0, 0]
    assert rows["Tidak dapat diterima"] == [0, 1, 0]
    assert rows["Masih berjalan pada akhir periode"] == [0, 0, 0]
    assert "/sengketa KODE putus HASIL" in await ppid.say("bantuan")


@pytest.mark.parametrize(
    ("typed", "step"),
    [
        ("", ("filed", "ki", None, "")),
        ("KI Sulsel register 3", ("filed", "ki", None, "Sulsel register 3")),
        ("Putusan KI belum keluar", ("filed", "ki", None, "Putusan KI belum keluar")),
        ("kasasi", ("filed", "ma", None, "")),
        ("putus mediasi", ("decided", "ki", "settled", "")),
        ("putus dikabulkan seluruhnya", ("decided", "ki", "granted", "")),
        ("PUTUS Menolak PN amar 2", ("decided", "pengadilan", "rejected", "amar 2")),
        ("ma putus NO", ("decided", "ma", "inadmissible", "")),
        ("putus dicabut ma pemohon mencabut", ("decided", "ma", "withdrawn", "pemohon mencabut")),
    ],
)
def test_the_dispute_words(typed: str, step: tuple[str, str, str | None, str]) -> None:
    read = disputes.parse(typed)
    assert isinstance(read, disputes.DisputeStep)
    assert (read.stage, read.venue, read.outcome, read.text) == step


@pytest.mark.parametrize(
    "typed", ["putus", "putus kalah", "putus mediasi gagal", "putus gugur ma", "ptun putus mediasi"]
)
def test_words_that_record_nothing(typed: str) -> None:
    assert not isinstance(disputes.parse(typed), disputes.DisputeStep)


def test_events_from_before_outcomes_are_a_filing_at_the_commission() -> None:
    day = date(2026, 12, 4)
    filed = disputes.DisputeStep(disputes.Stage.FILED, disputes.Venue.KI)
    assert disputes.read_event({}, day) == (filed, day)
    assert disputes.read_event({"text": "ke KI"}, day) == (
        disputes.DisputeStep(disputes.Stage.FILED, disputes.Venue.KI, None, "ke KI"),
        day,
    )
    assert disputes.read_event({"again": True}, day) is None
    assert disputes.read_event({"stage": "decided", "venue": "ki"}, day) is None  # no outcome
    kept = disputes.event_data(
        disputes.DisputeStep(
            disputes.Stage.DECIDED, disputes.Venue.COURT, disputes.Outcome.GRANTED, " x "
        ),
        day,
    )
    assert kept == {
        "stage": "decided",
        "venue": "pengadilan",
        "outcome": "granted",
        "text": "x",
        "on": "2026-12-04",
    }
    assert disputes.read_event(kept, date(2027, 1, 1)) == (
        disputes.DisputeStep(
            disputes.Stage.DECIDED, disputes.Venue.COURT, disputes.Outcome.GRANTED, "x"
        ),
        day,
    )
