"""The PPID annual report from a seeded year with known answers: every figure, the workbook's
cells, the CSV files and the chart."""

from __future__ import annotations

import asyncio
import csv
import subprocess
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bot.reports.output import write_report
from bot.reports.ppid import ppid_report
from bot.reports.tables import EmptyPeriodError
from tests.harness import TestBot, file_request, grant_role, make_settings, run_bot
from tests.test_schedule import _set_clock


async def _seed(bot: TestBot) -> list[str]:
    """Four requests filed on Friday 27 November 2026, answered in known ways."""
    await grant_role(bot, "ppid", "ppid_utama")
    await grant_role(bot, "atasan", "atasan_ppid")
    ppid, atasan = bot.citizen("ppid"), bot.citizen("atasan")
    codes = [await file_request(bot, f"pemohon-{n}") for n in range(4)]
    granted, rejected, partial, _silent = codes
    await ppid.say(f"/putus {granted} diberikan Salinan APBDes dikirim lewat email")  # 0 days
    await ppid.say("kirim")  # the notice is shown first
    _set_clock(bot, date(2026, 12, 1), 9)  # Tuesday: 2 working days
    await ppid.say(
        f"/putus {rejected} ditolak 17h Memuat data pribadi penerima bantuan | Privasi penerima"
    )
    await ppid.say("kirim")
    await ppid.say(f"/perpanjang {partial} 7 Dokumen tersebar di tiga desa")
    _set_clock(bot, date(2026, 12, 2), 9)
    objector = bot.citizen("pemohon-1")
    await objector.say(f"/keberatan {rejected} a Yang saya minta hanya rekap")
    objection = [m.text for m in objector.unread() if "KEB/PPID" in m.text][-1]
    code = objection.split("Kode pelacakan: *")[1].split("*")[0]
    await atasan.say(f"/putus {code} diterima Rekap tanpa nama dapat diberikan")
    _set_clock(bot, date(2026, 12, 15), 9)  # 12 working days after receipt
    await ppid.say(
        f"/putus {partial} sebagian 17b Bagian rancangan teknis dilindungi HKI | Hak cipta "
        "perancang | Rencana anggaran tanpa gambar teknis"
    )
    await ppid.say("kirim")
    return codes


async def test_every_figure_of_a_seeded_year(bot: TestBot, tmp_path: Path) -> None:
    await _seed(bot)
    async with bot.app.db.connect() as conn:
        report = await ppid_report(conn, bot.app.agency, 2026, date(2026, 12, 16))
    summary = dict(map(tuple, report.table("ringkasan").rows))  # type: ignore[arg-type]
    assert summary == {
        "Permohonan diterima": 4,
        "Dikabulkan seluruhnya": 1,
        "Dikabulkan sebagian": 1,
        "Ditolak": 1,
        "Informasi tidak dikuasai": 0,
        "Belum diputus": 1,
        "Diperpanjang (Pasal 22 ayat 8)": 1,
        "Keberatan diterima": 1,
        "Sengketa diajukan ke Komisi Informasi": 0,
    }
    assert report.table("pemohon").headers == ["Jenis pemohon", "Konsol (uji coba)", "Jumlah"]
    assert report.table("pemohon").rows == [
        ["Perorangan", 4, 4],
        ["Badan hukum", 0, 0],
        ["Kuasa", 0, 0],
        ["Kuasa atas nama perorangan", 0, 0],
        ["Kuasa atas nama badan hukum", 0, 0],
        ["Jumlah", 4, 4],
    ]
    assert report.table("pengecualian").rows == [
        ["b", "mengganggu perlindungan hak kekayaan intelektual dan persaingan usaha sehat", 0, 1],
        ["h", "mengungkap rahasia pribadi", 1, 0],
    ]
    timing = {row[0]: row[1:] for row in report.table("waktu").rows}
    assert timing == {  # to the written notice; none delivered yet (`/serahkan`)
        "Jumlah permohonan": [3, 0],
        "Median (hari kerja)": [2, "-"],
        "Rata-rata (hari kerja)": [4.7, "-"],  # (0 + 2 + 12) / 3
        "≤ 10 hari kerja": [2, 0],
        "11–17 hari kerja (diperpanjang)": [1, 0],
        "Lewat batas waktu": [0, 0],
        "Belum dijawab tertulis dan lewat batas waktu": [1, "-"],  # due 11 Dec, open on 16th
        "Dikabulkan, informasi belum diserahkan": ["-", 2],
    }
    objections = report.table("keberatan").rows
    assert objections[0] == [
        "a",
        "permohonan ditolak dengan alasan pengecualian Pasal 17",
        1,
        0,
        0,
        1,
    ]
    assert objections[-1] == ["", "Jumlah", 1, 0, 0, 1]

    files = write_report(report, tmp_path, "laporan-ppid-2026")
    book = load_workbook(tmp_path / "laporan-ppid-2026.xlsx")
    assert book.sheetnames == [
        "ringkasan",
        "pemohon",
        "pengecualian",
        "waktu",
        "keberatan",
        "sengketa",
        "data_pribadi",
    ]
    sheet = book["ringkasan"]
    assert sheet["A4"].value == "Uraian" and sheet["B5"].value == 4
    assert sheet["A1"].value.startswith("Laporan Layanan Informasi Publik")
    with (tmp_path / "laporan-ppid-2026-waktu.csv").open(encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle))[2] == ["Median (hari kerja)", "2", "-"]
    png = (tmp_path / "laporan-ppid-2026-keputusan.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (800, 450)
    assert len(files) == 10  # workbook, seven CSV files, two charts
    assert [chart.data for chart in report.charts] == [
        {
            "Dikabulkan seluruhnya": 1,
            "Dikabulkan sebagian": 1,
            "Ditolak": 1,
            "Informasi tidak dikuasai": 0,
            "Belum diputus": 1,
        },
        {
            "≤ 10 hari kerja": 2,
            "11–17 hari kerja (diperpanjang)": 1,
            "Lewat batas waktu": 0,
            "Belum dijawab tertulis dan lewat batas waktu": 1,
        },
    ]


async def test_an_empty_year_is_said_plainly(bot: TestBot) -> None:
    async with bot.app.db.connect() as conn:
        with pytest.raises(EmptyPeriodError, match="Tahun 2025"):
            await ppid_report(conn, bot.app.agency, 2025, date(2026, 12, 16))


def test_the_command_line_report(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return run_bot(tmp_path, "report", "ppid", *args, database=tmp_path / "r.db")

    empty = run("--year", "2026", "--out", "nihil")
    # The PPID reports even a year without requests: a nil report of zeros.
    assert empty.returncode == 0 and "laporan nihil" in empty.stderr
    assert (
        load_workbook(tmp_path / "nihil" / "laporan-ppid-2026.xlsx")["ringkasan"]["B5"].value == 0
    )
    silly = run("--year", "26")
    assert silly.returncode == 2 and "bukan tahun" in silly.stderr
    too_old = run("--year", "1900")
    assert too_old.returncode == 2 and "Tahun harus antara 2000" in too_old.stderr


async def test_the_command_line_report_of_a_seeded_year_with_its_progress(tmp_path: Path) -> None:
    test_bot = await TestBot(make_settings(tmp_path)).start()
    await _seed(test_bot)
    await test_bot.stop()
    done = await asyncio.to_thread(
        run_bot,
        tmp_path,
        *("report", "ppid", "--year", "2026", "--out", "keluar"),
        DATABASE_URL=test_bot.settings.database_url,
    )
    assert done.returncode == 0, done.stderr
    steps = [line for line in done.stderr.splitlines() if line.startswith("[")]
    # Not a terminal: one line per step, seven tables counted (the objections and disputes
    # first: they decide whether the year is nil), then ten files written.
    assert steps[0] == "[1/17] keberatan" and steps[2] == "[3/17] ringkasan"
    assert steps[5] == "[6/17] waktu" and steps[6] == "[7/17] data_pribadi"
    assert (
        steps[7] == "[8/17] laporan-ppid-2026.xlsx"
        and steps[-1] == "[17/17] laporan-ppid-2026-waktu.png"
    )
    assert "Selesai dalam" in done.stderr
    written = done.stdout.split()
    assert len(written) == 10 and all((tmp_path / path).is_file() for path in written)
    book = load_workbook(tmp_path / "keluar" / "laporan-ppid-2026.xlsx")
    assert book["ringkasan"]["B5"].value == 4


async def test_complaint_statistics_of_a_seeded_period(bot: TestBot, tmp_path: Path) -> None:
    from bot.reports.complaints import complaint_report
    from tests.harness import COMPLAINT_SCRIPT, code_in, file_complaint, onboard

    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "relawan", "kim", area="lalabata/lapajung", kim_name="KIM Sipakatau")
    pupr = bot.citizen("pupr")
    first = await file_complaint(bot, "warga-1")
    second = await file_complaint(bot, "warga-2")
    relawan = bot.citizen("relawan")
    await onboard(relawan)
    for line in ("/laporwarga", "1", "Nenek Hasnah", "1", "tdk ada hp", "ya"):
        await relawan.say(line)
    for line in COMPLAINT_SCRIPT[1:8]:
        await relawan.say(line)
    third = code_in(await relawan.say("kirim"))
    # first: replied the same day, resolved, confirmed, rated 5; second: resolved, reopened.
    await pupr.say(f"/balas {first} Kami cek besok.")
    await pupr.say(f"/selesai {first} Sudah ditambal.")
    await bot.citizen("warga-1").say("sudah")
    await bot.citizen("warga-1").say("5")
    await bot.citizen("warga-1").say("lewati")  # no comment
    await pupr.say(f"/ambil {second}")
    await pupr.say(f"/selesai {second} Sudah.")
    await bot.citizen("warga-2").press(f"c:reopen:{second}")
    await bot.citizen("warga-2").say("Masih berlubang")
    del third

    async with bot.app.db.connect() as conn:
        report = await complaint_report(conn, bot.app.agency, date(2026, 11, 1), date(2026, 11, 30))
    assert report.table("kategori").rows == [["Jalan dan jembatan", 3, 0, 3]]
    [unit] = report.table("unit").rows
    assert unit[:3] == ["Dinas Pekerjaan Umum dan Penataan Ruang", 3, 2]
    assert unit[3] == 100.0 and unit[4] == 2 and unit[5] == 100.0
    assert report.table("kecamatan").rows == [["Lalabata", 3, 0, 3]]
    assert report.table("saluran").rows == [["Konsol (uji coba)", 3, 0, 3]]
    quality = dict(map(tuple, report.table("mutu").rows))  # type: ignore[arg-type]
    assert quality["Laporan diterima"] == 3 and quality["Selesai atau ditutup"] == 1
    assert (
        quality["Dibuka kembali oleh pelapor"] == 1 and quality["Rata-rata kepuasan (1–5)"] == 5.0
    )
    assert report.table("kim").rows == [["Kelurahan Lapajung, Kecamatan Lalabata", 1]]
    assert report.table("bulanan").rows == [["2026-11", 3]]
    async with bot.app.db.connect() as conn:
        autumn = await complaint_report(conn, bot.app.agency, date(2026, 9, 1), date(2026, 12, 31))
        ages = await complaint_report(conn, bot.app.agency, date(1900, 1, 1), date(2999, 12, 31))
    # Months without a case are there as 0; a silly-long period keeps to the months with cases.
    assert autumn.table("bulanan").rows == [
        ["2026-09", 0],
        ["2026-10", 0],
        ["2026-11", 3],
        ["2026-12", 0],
    ]
    assert autumn.charts[0].data == {"Sep 2026": 0, "Okt 2026": 0, "Nov 2026": 3, "Des 2026": 0}
    assert ages.table("bulanan").rows == [["2026-11", 3]]
    files = write_report(report, tmp_path, "statistik")
    assert len(files) == 11 and load_workbook(tmp_path / "statistik.xlsx")["unit"]["B5"].value == 3

    async with bot.app.db.connect() as conn:
        with pytest.raises(EmptyPeriodError):
            await complaint_report(conn, bot.app.agency, date(2025, 1, 1), date(2025, 6, 30))


async def test_working_days_to_the_notice_skip_christmas_and_cuti_bersama(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    _set_clock(bot, date(2026, 12, 21), 9)  # Monday before Christmas
    code = await file_request(bot, "pemohon")
    _set_clock(bot, date(2027, 1, 5), 9)
    await bot.citizen("ppid").say(f"/putus {code} diberikan Salinan dikirim")
    await bot.citizen("ppid").say("kirim")  # the notice is shown first
    async with bot.app.db.connect() as conn:
        report = await ppid_report(conn, bot.app.agency, 2026, date(2027, 1, 6))
    timing = {row[0]: row[1] for row in report.table("waktu").rows}  # to the notice
    # 22, 23, 28, 29, 30, 31 December and 4 January: not 24-25 Dec (cuti bersama, Christmas),
    # 1 January, 5 January (Isra Mi'raj 2027, as `holidays` estimates it), nor the weekends.
    # 15 calendar days, 7 working days.
    assert timing["Median (hari kerja)"] == 7
    assert timing["≤ 10 hari kerja"] == 1


async def test_a_dispute_is_recorded_once_and_counted(bot: TestBot) -> None:
    await _seed(bot)
    async with bot.app.db.connect() as conn:
        from sqlalchemy import select

        from storage.schema import cases

        objection = (
            await conn.execute(select(cases.c.tracking_code).where(cases.c.kind == "keberatan"))
        ).scalar_one()
    ppid = bot.citizen("ppid")
    assert "dicatat untuk laporan tahunan" in await ppid.say(f"/sengketa {objection}")
    assert "sudah tercatat" in await ppid.say(f"/sengketa {objection}")
    assert "Perintah itu tidak dikenal" in await bot.citizen("pemohon-0").say(
        f"/sengketa {objection}"
    )
    async with bot.app.db.connect() as conn:
        report = await ppid_report(conn, bot.app.agency, 2026, date(2026, 12, 16))
    disputed = {row[0]: row[1:] for row in report.table("sengketa").rows}
    assert disputed["Diajukan"] == [1, 0, 0]  # counted once, at the Komisi Informasi
    assert disputed["Masih berjalan pada akhir periode"] == [1, 0, 0]


def test_the_median_of_counted_days_is_the_median_of_the_list() -> None:
    import random
    import statistics
    from collections import Counter

    from bot.reports.ppid_timing import median as _median

    rng = random.Random(7)
    for _ in range(500):
        days = [rng.randint(0, 30) for _ in range(rng.randint(1, 40))]
        assert _median(Counter(days)) == statistics.median(days), days
    assert _median(Counter({3: 1, 8: 1})) == 5.5 and _median(Counter({7: 2})) == 7
