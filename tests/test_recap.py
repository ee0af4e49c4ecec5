"""`/rekap` in the chat: queued in the turn, built outside the writer, sent with its charts and
workbook; durable across a restart; signed links for WhatsApp."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import delete, func, select
from sqlalchemy.exc import OperationalError

from bot.reports.files import ReportFiles
from bot.values.types import Outbound
from storage.repo.common import chats_named
from storage.schema import cases, identities, report_requests
from tests.harness import TestBot, file_complaint, file_request, grant_role


async def _rekap(bot: TestBot, chat_id: str, args: str = "") -> tuple[str, list[Outbound]]:
    """The immediate answer, and what came after it once the worker finished."""
    person = bot.citizen(chat_id)
    person.unread()
    await person.say(f"/rekap {args}".strip())
    await bot.app.recaps.wait_idle()
    await bot.app.dispatcher.wait_idle()
    ack, *later = person.unread()
    return ack.text, later


def _png_size(path: Path) -> tuple[int, int]:
    png = path.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


async def test_rekap_sends_figures_charts_and_the_workbook(bot: TestBot) -> None:
    await grant_role(bot, "koor", "koordinator")
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "dinkes", "ppid_pembantu", "dinas-kesehatan")
    await file_complaint(bot, "warga")
    await file_request(bot, "pemohon")

    ack, [report] = await _rekap(bot, "koor")
    assert "sedang disiapkan" in ack and "27 November 2026" in ack
    assert "Pengaduan dan aspirasi: 1" in report.text and "Jalan dan jembatan (1)" in report.text
    assert "Permohonan informasi: 1; dikabulkan seluruhnya 0" in report.text
    assert "1 kasus, belum ada yang ditanggapi" in report.text
    # Requests are counted in the period asked, not in the end date's year.
    _ack, [march] = await _rekap(bot, "koor", "2026-03-01 2026-03-31")
    assert "Permohonan informasi: tidak ada pada periode ini" in march.text
    _ack, [across] = await _rekap(bot, "koor", "2025-12-01 2027-01-31")
    assert "Permohonan informasi: 1;" in across.text
    files = report.extra["files"]
    assert [f["kind"] for f in files] == ["photo", "photo", "document"]
    assert all(f["path"] in report.text for f in files)  # the console shows where they are
    assert "url" not in files[0]  # no public address configured: no links
    charts = [Path(f["path"]) for f in files if f["kind"] == "photo"]
    assert [_png_size(chart) for chart in charts] == [(800, 450), (800, 450)]
    book = load_workbook(files[-1]["path"])
    assert book.sheetnames[:2] == ["kategori", "unit"] and "ringkasan" in book.sheetnames
    assert [cell.value for cell in book["kategori"][5]] == ["Jalan dan jembatan", 1, 0, 1]
    assert book["ringkasan"]["B5"].value == 1  # one information request received

    _ack, [own] = await _rekap(bot, "pupr", "2026-11-01 2026-11-30")
    assert "Pengaduan dan aspirasi: 1" in own.text and "Permohonan informasi" not in own.text
    own_book = load_workbook(own.extra["files"][-1]["path"])
    assert "ringkasan" not in own_book.sheetnames  # a unit officer: own units' complaints only
    assert len(own.extra["files"]) == 2

    _ack, [empty] = await _rekap(bot, "dinkes")
    assert "tidak ada pada periode ini" in empty.text and "files" not in empty.extra

    ack, later = await _rekap(bot, "koor", "2026-12-31 2026-01-01")
    assert "Tanggal akhir sebelum" in ack and later == []
    ack, later = await _rekap(bot, "warga")
    assert "Perintah itu tidak dikenal" in ack and later == []


async def test_a_rekap_queued_before_a_restart_is_sent_after_it(bot: TestBot) -> None:
    await grant_role(bot, "koor", "koordinator")
    await file_complaint(bot, "warga")
    bot.app.recaps.kick = lambda: None  # type: ignore[method-assign]  # the process dies first
    koor = bot.citizen("koor")
    assert "sedang disiapkan. Hasilnya" in await koor.say("/rekap")
    # One waiting request per person, whatever the period.
    assert "sebelumnya masih disiapkan" in await koor.say("/rekap 2026-11-01 2026-11-30")
    async with bot.app.db.connect() as conn:
        count = select(func.count()).select_from(report_requests)
        assert (await conn.execute(count)).scalar_one() == 1

    await bot.restart()
    await bot.app.recaps.wait_idle()
    await bot.app.dispatcher.wait_idle()
    [report] = [m for m in bot.sender.sent if m.address == "koor"]
    assert "Pengaduan dan aspirasi: 1" in report.text and len(report.extra["files"]) == 2
    async with bot.app.db.connect() as conn:
        status = select(report_requests.c.status)
        assert (await conn.execute(status)).scalars().all() == ["done"]
    await bot.restart()  # done is done: nothing is sent twice
    await bot.app.recaps.wait_idle()
    await bot.app.dispatcher.wait_idle()
    assert [m for m in bot.sender.sent if m.address == "koor"] == []


async def test_a_rekap_that_keeps_failing_ends_in_an_apology(bot: TestBot) -> None:
    await grant_role(bot, "koor", "koordinator")
    await file_complaint(bot, "warga")
    folder = bot.settings.reports_dir
    shutil.rmtree(folder)
    folder.write_text("not a folder")  # the disk refuses every file
    _ack, later = await _rekap(bot, "koor")
    assert later == []  # the first failure is retried quietly
    await bot.app.sweep()  # each sweep tries again
    await bot.app.recaps.wait_idle()
    await bot.app.sweep()
    await bot.app.recaps.wait_idle()
    await bot.app.dispatcher.wait_idle()
    [sorry] = [m for m in bot.citizen("koor").unread() if "gagal" in m.text]
    assert "Maaf, rekap" in sorry.text and "coba lagi" in sorry.text
    async with bot.app.db.connect() as conn:
        row = (await conn.execute(select(report_requests))).one()
    assert (row.status, row.attempts) == ("failed", 3)


def test_signed_links_open_only_untampered_and_in_time(tmp_path: Path) -> None:
    files = ReportFiles(tmp_path, b"k" * 32, timedelta(hours=24), "https://bot.example.id")
    token, folder = files.new_folder()
    (folder / "rekap.xlsx").write_bytes(b"PK")
    made = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    link = files.link(token, "rekap.xlsx", made)
    assert link is not None
    url, expiry = link
    assert url.startswith(f"https://bot.example.id/files/{token}/rekap.xlsx?exp=")
    assert expiry == made + timedelta(hours=24)
    exp, sig = url.split("exp=")[1].split("&sig=")
    now = made.timestamp()
    assert files.resolve(token, "rekap.xlsx", exp, sig, now) == folder / "rekap.xlsx"
    assert files.resolve(token, "rekap.xlsx", exp, "0" * 32, now) == "forged"
    assert files.resolve(token, "rekap.xlsx", str(int(exp) + 3600), sig, now) == "forged"
    assert files.resolve(token, "lain.xlsx", exp, sig, now) == "forged"
    assert files.resolve(token, "../bot.db", exp, sig, now) == "forged"
    assert files.resolve(token, "rekap.xlsx", exp, sig, now + 25 * 3600) == "expired"
    other = ReportFiles(tmp_path, b"x" * 32, timedelta(hours=24), "https://bot.example.id")
    assert other.resolve(token, "rekap.xlsx", exp, sig, now) == "forged"  # another key
    assert ReportFiles(tmp_path, b"k", timedelta(hours=1), None).link(token, "a", made) is None

    fresh_token, _fresh = files.new_folder()
    old = time.time() - 25 * 3600
    os.utime(folder, (old, old))
    assert files.prune(time.time()) == 1
    assert not folder.exists() and (tmp_path / "rekap" / fresh_token).exists()
    (tmp_path / "laporan-tahunan-2026").mkdir()  # someone else's folder beside ours
    os.utime(tmp_path / "laporan-tahunan-2026", (old, old))
    assert files.prune(time.time()) == 0 and (tmp_path / "laporan-tahunan-2026").exists()
    assert files.resolve(token, "rekap.xlsx", "²", sig, now) == "forged"  # not ASCII digits
    assert files.resolve(token, "rekap.xlsx", "9" * 5000, sig, now) == "forged"


async def test_counting_on_a_reader_does_not_hold_the_writer(bot: TestBot) -> None:
    """Readers begin deferred: while a report's read transaction is open, chats go on
    committing (a writer connection's BEGIN IMMEDIATE would hold every chat for the busy
    timeout, then fail it), and the report counts one consistent snapshot."""
    await file_complaint(bot, "warga")
    count = select(func.count()).select_from(cases)
    async with bot.app.reader.connect() as conn:
        assert (await conn.execute(count)).scalar_one() == 1  # the snapshot starts here
        await file_complaint(bot, "warga-2")  # a whole conversation, committed turn by turn
        assert (await conn.execute(count)).scalar_one() == 1
    async with bot.app.reader.connect() as conn:
        assert (await conn.execute(count)).scalar_one() == 2


async def test_odd_periods_are_answered_with_the_reason(bot: TestBot) -> None:
    await grant_role(bot, "koor", "koordinator")
    said = {
        "2026-01-01": "Cara pakai",
        "kemarin hari ini": "Cara pakai",
        "2026-02-30 2026-03-01": "Cara pakai",
        "🙂 🙂": "Cara pakai",
        "x" * 3000: "Cara pakai",
        "2026-06-30 2026-01-01": "Tanggal akhir sebelum tanggal awal",
        "1900-01-01 2999-12-31": "antara tahun 2000 dan 2027",
        "0000": "antara tahun 2000 dan 2027",
        "2099": "antara tahun 2000 dan 2027",
    }
    for args, reason in said.items():
        ack, later = await _rekap(bot, "koor", args)
        assert reason in ack and later == [], args


def test_periods_officers_write() -> None:
    from bot.handlers.recap import period

    today = date(2026, 11, 27)
    assert period([], today) == (date(2026, 1, 1), today)
    assert period(["2025"], today) == (date(2025, 1, 1), date(2025, 12, 31))
    assert period(["1-3-2026", "31/03/2026"], today) == (date(2026, 3, 1), date(2026, 3, 31))
    assert period(["2026-03-01", "2026-03-31"], today) == (date(2026, 3, 1), date(2026, 3, 31))


async def test_a_role_withdrawn_while_the_recap_waits_gets_nothing(bot: TestBot) -> None:
    from bot.grants import revoke

    await grant_role(bot, "koor", "koordinator")
    await file_complaint(bot, "warga")
    bot.app.recaps.kick = lambda: None  # type: ignore[method-assign]  # the process dies first
    assert "sedang disiapkan" in await bot.citizen("koor").say("/rekap")
    async with bot.app.db.begin() as conn:
        assert await revoke(conn, "console", "koor", "koordinator", bot.clock.now()) == 1
    await bot.restart()
    await bot.app.recaps.wait_idle()
    await bot.app.dispatcher.wait_idle()
    assert [m for m in bot.sender.sent if m.address == "koor"] == []
    async with bot.app.db.connect() as conn:
        assert (await conn.execute(select(report_requests.c.status))).scalars().all() == ["failed"]


async def test_a_recap_asked_while_the_worker_reads_is_not_missed(bot: TestBot) -> None:
    """A turn queues its request and kicks the worker before it commits. When that happens
    while the worker is finishing a round, the worker must wait for the commit (a flush
    through the writer) before its last look at the queue, or the request waits for the next
    sweep. Here the commit is held until the worker has looked twice more, or half a second."""
    from storage import report_requests as queue_module

    await grant_role(bot, "koor", "koordinator")
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await file_complaint(bot, "warga")
    async with bot.app.db.connect() as conn:
        pupr = (
            await conn.execute(
                select(identities.c.person_id).where(chats_named([("console", "pupr")]))
            )
        ).scalar_one()
    reads = 0
    looked_again = asyncio.Event()
    real_queued = queue_module.queued

    async def late_request(conn: Any) -> None:
        start, end = date(2026, 1, 1), date(2026, 11, 27)
        await real_queue(conn, pupr, "console", start, end, bot.clock.now())
        bot.app.recaps.kick()  # as the turn does, before its commit
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(looked_again.wait(), 0.5)

    async def queued_while_another_asks(*args: Any, **kwargs: Any) -> Any:
        nonlocal reads
        reads += 1
        if reads == 2:  # the round's next look: another officer's turn is in the writer now
            asyncio.get_running_loop().create_task(bot.app.engine.write(late_request))
            await asyncio.sleep(0.05)
        found = await real_queued(*args, **kwargs)
        if reads == 3:
            looked_again.set()
        return found

    real_queue = queue_module.queue
    queue_module.queued = queued_while_another_asks  # type: ignore[assignment]
    try:
        await _rekap(bot, "koor")
        await bot.app.engine.flush()
        await bot.app.recaps.wait_idle()
        await bot.app.dispatcher.wait_idle()
    finally:
        queue_module.queued = real_queued  # type: ignore[assignment]
    async with bot.app.db.connect() as conn:
        statuses = (await conn.execute(select(report_requests.c.status))).scalars().all()
    assert statuses == ["done", "done"]


async def test_after_stop_a_kick_starts_nothing(bot: TestBot) -> None:
    await bot.app.recaps.stop()
    bot.app.recaps.kick()
    await bot.app.recaps.wait_idle()  # nothing to wait for: no task was started
    assert bot.app.recaps._task is None


async def test_the_reader_cannot_write(bot: TestBot) -> None:
    async with bot.app.reader.connect() as conn:
        with pytest.raises(OperationalError, match="readonly"):
            await conn.execute(delete(report_requests))
