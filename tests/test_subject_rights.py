"""The data subject's rights from the chat (UU 27/2022): access in the chat and as a file,
correction, deletion where the archive law allows it, each a case of its own kind with its own
3×24-hour clock; and the retention sweep that erases personal data when its period ends while
the reports keep counting. On a real SQLite file, with the harness's controllable clock (Friday
27 November 2026, 09:00 WITA)."""

from __future__ import annotations

import json
import stat
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.domain.agency import Agency
from bot.domain.cases import Kind, Status
from bot.domain.retention import Retention
from bot.domain.subject_rights import Field, Held, corrected, erasure
from storage.repo.common import chats_named  # addresses are sealed: found by blind index
from storage.schema import case_events, cases, identities, persons, request_details
from tests.harness import TestBot, code_in, file_complaint, file_request, grant_role, onboard

NIK = "7312015708850002"  # the harness's request script types this one


async def _rows(bot: TestBot, query: object) -> list[object]:
    async with bot.app.db.connect() as conn:
        return list(await conn.execute(query))  # type: ignore[call-overload]


async def _data_cases(bot: TestBot) -> list[object]:
    return await _rows(bot, select(cases).where(cases.c.kind == Kind.DATA).order_by(cases.c.id))


# --- the rules, pure ---------------------------------------------------------------------------


def test_erasure_waits_for_open_cases_then_for_the_archive_period() -> None:
    kept = Retention(complaint_days=730, information_days=1825)
    today = date(2027, 1, 4)
    open_one = Held("P-1", Kind.PENGADUAN, Status.DITINDAKLANJUTI, None)
    closed = Held("I-1", Kind.INFORMASI, Status.DIPUTUS, date(2026, 12, 1))
    assert erasure([open_one, closed], kept, today).open_codes == ("P-1",)
    waiting = erasure([closed], kept, today)
    assert not waiting.now and waiting.kept_until == date(2031, 12, 1)  # 5 calendar years
    assert not erasure([closed], kept, date(2031, 12, 1)).now  # the last day kept
    assert erasure([closed], kept, date(2031, 12, 2)).now
    assert erasure([], kept, today).now


def test_corrections_are_checked_like_the_forms() -> None:
    assert corrected(Field.PHONE, "0812-9999-8888") == ("+6281299998888", None)
    assert corrected(Field.PHONE, "nomor saya salah")[0] is None
    assert corrected(Field.EMAIL, "Siti@Contoh.ID") == ("siti@contoh.id", None)
    assert corrected(Field.NIK, "12345")[0] is None
    assert corrected(Field.NAME, "  Siti   Aminah ") == ("Siti Aminah", None)
    assert corrected(Field.NAME, "")[0] is None


def test_the_deadline_is_three_times_24_hours(agency: Agency) -> None:
    from bot.domain.cases import intake_deadlines

    # Received on Thu 24 Dec 2026 (a holiday): hours run on holidays too, due Sun 27 Dec.
    due = intake_deadlines(agency, Kind.DATA, None, date(2026, 12, 24)).response_due
    assert due == date(2026, 12, 27)


# --- through the chat ------------------------------------------------------------------------


def _export_file(path: Path) -> tuple[int, dict[str, Any]]:
    return stat.S_IMODE(path.stat().st_mode), json.loads(path.read_text())


async def test_access_gives_the_summary_at_once_and_the_whole_file_after(bot: TestBot) -> None:
    code = await file_request(bot, "siti")
    siti = bot.citizen("siti")
    told = await siti.say("data saya")
    assert code in told and "****0002" in told and NIK not in told  # masked, never whole
    assert "Permintaan Anda tercatat dengan kode *D-" in told
    await bot.app.recaps.wait_idle()
    await bot.app.dispatcher.wait_idle()
    followed = siti.unread_text()
    mode, exported = _export_file(Path(followed.split("Berkas: ")[1].split()[0]))
    assert mode == 0o600  # personal data: the owner only
    assert [c["tracking_code"] for c in exported["cases"] if c["kind"] == "informasi"] == [code]
    detail = next(c for c in exported["cases"] if c["kind"] == "informasi")["request_details"]
    assert detail["phone"] == "+6281234567890" and NIK not in json.dumps(exported)
    (request,) = await _data_cases(bot)
    assert request.subject_right == "akses" and request.status == Status.DITUTUP
    assert request.response_due == date(2026, 11, 30) and request.due_on is None


async def test_a_correction_is_made_everywhere_the_person_typed_it(bot: TestBot) -> None:
    await file_request(bot, "siti")
    siti = bot.citizen("siti")
    await siti.say("privasi")
    await siti.say("perbaiki")
    assert "Tulis Nomor HP yang benar" in await siti.say("nomor hp")
    again = await siti.say("nomornya salah")
    assert "Nomor HP belum benar" in again  # asked again, nothing lost
    done = await siti.say("0812 9999 8888")
    assert "sudah kami perbaiki" in done
    (phone,) = await _rows(bot, select(request_details.c.phone))
    assert phone == ("+6281299998888",)
    (request,) = await _data_cases(bot)
    assert request.subject_right == "koreksi" and request.status == Status.DITUTUP
    assert "0812" not in (request.description or "")  # the case names the field, not the value


async def test_what_the_bot_cannot_correct_goes_to_the_ppid_within_72_hours(
    bot: TestBot,
) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    await file_complaint(bot, "warga")
    warga, ppid = bot.citizen("warga"), bot.citizen("ppid")
    ppid.unread()
    await warga.say("privasi")
    await warga.say("perbaiki")
    said = await warga.say("Lokasi di laporan saya salah, harusnya depan masjid Raya")
    code = code_in(said)
    assert code.startswith("D-") and "3×24 jam" in said and "30 November 2026" in said
    card = ppid.unread_text()
    assert code in card and "masjid Raya" in card
    answered = await ppid.say(f"/selesai {code} Lokasi sudah kami perbaiki menjadi depan masjid.")
    assert "ditutup" in answered
    assert "Lokasi sudah kami perbaiki" in warga.unread_text()
    (request,) = await _data_cases(bot)
    assert request.status == Status.DITUTUP and request.closed_at is not None


async def test_deletion_waits_while_a_case_is_open_and_says_why(bot: TestBot) -> None:
    code = await file_complaint(bot, "warga")
    warga = bot.citizen("warga")
    await warga.say("privasi")
    await warga.say("hapus")
    told = await warga.say("ya")
    assert code in told and "belum dapat dihapus" in told
    (name,) = await _rows(bot, select(cases.c.reporter_name).where(cases.c.kind == "pengaduan"))
    assert name[0]  # the open case keeps the reporter's name
    (request,) = await _data_cases(bot)
    assert request.subject_right == "hapus" and request.status == Status.DITUTUP
    (settled,) = await _rows(
        bot,
        select(case_events.c.data).where(
            (case_events.c.case_id == request.id) & (case_events.c.action == "settled")
        ),
    )
    assert settled == ({"outcome": "ditunda", "open": 1},)


async def test_deletion_with_nothing_to_keep_erases_at_once(bot: TestBot) -> None:
    warga = bot.citizen("baru")
    await onboard(warga)
    async with bot.app.db.connect() as conn:
        before = (await conn.execute(select(func.count()).select_from(persons))).scalar_one()
    await warga.say("privasi")
    await warga.say("hapus")
    told = await warga.say("ya")
    assert "sudah kami hapus" in told and "1 tahun" in told
    erased = await _rows(bot, select(persons.c.erased_at).where(persons.c.erased_at.is_not(None)))
    assert len(erased) == 1
    async with bot.app.db.connect() as conn:
        after = (await conn.execute(select(func.count()).select_from(persons))).scalar_one()
    assert after == before  # the row stays: the counts do


async def test_the_notice_states_the_real_periods_and_the_basis(bot: TestBot) -> None:
    warga = bot.citizen("warga")
    await onboard(warga)
    shown = await warga.say("privasi")
    assert "2 tahun" in shown and "5 tahun" in shown and "90 hari" in shown
    assert "Pasal 20" in shown and "Lihat data saya" in shown


async def test_retention_erases_personal_data_and_keeps_the_counts(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    code = await file_complaint(bot, "warga")
    pupr, warga = bot.citizen("pupr"), bot.citizen("warga")
    await pupr.say(f"/ambil {code}")
    await pupr.say(f"/selesai {code} Sudah ditambal.")
    await warga.press(f"c:confirm:{code}")
    await bot.app.retention()
    (row,) = await _rows(bot, select(cases).where(cases.c.tracking_code == code))
    assert row.description and row.erased_at is None  # within its 2 years
    bot.clock.advance(days=731)  # Mon 27 Nov 2028: the last day kept (2028 has a 29 Feb)
    await bot.app.retention()
    (row,) = await _rows(bot, select(cases).where(cases.c.tracking_code == code))
    assert row.erased_at is None
    bot.clock.advance(days=1)
    await bot.app.retention()
    (row,) = await _rows(bot, select(cases).where(cases.c.tracking_code == code))
    assert row.erased_at is not None and not row.description and row.reporter_name is None
    assert row.kind == "pengaduan" and row.category_code  # still counted
    texts = await _rows(bot, select(case_events.c.data).where(case_events.c.case_id == row.id))
    assert not any("Sudah ditambal" in json.dumps(d) for (d,) in texts)
    # The chat itself: silent for a year, no case left that needs it? It has one: it stays.
    (chat,) = await _rows(
        bot, select(identities.c.address).where(chats_named([("console", "warga")]))
    )
    assert chat


async def test_an_idle_chat_without_cases_is_erased_after_its_period(bot: TestBot) -> None:
    baru = bot.citizen("baru")
    await onboard(baru)
    bot.clock.advance(days=366)
    await bot.app.retention()
    left = await _rows(bot, select(identities.c.address).where(chats_named([("console", "baru")])))
    assert left == []
    erased = await _rows(
        bot, select(identities.c.reachable).where(identities.c.address_key.like("erased:%"))
    )
    assert erased == [(False,)]


async def test_the_ppid_report_counts_each_right_and_the_72_hours(bot: TestBot) -> None:
    from bot.reports.ppid import ppid_report

    await grant_role(bot, "ppid", "ppid_utama")
    await file_request(bot, "siti")
    siti, ppid = bot.citizen("siti"), bot.citizen("ppid")
    await siti.say("data saya")  # settled at once
    await siti.say("privasi")
    await siti.say("perbaiki")
    other = code_in(await siti.say("Nama ayah saya di permohonan salah ketik, harusnya Ahmad"))
    bot.clock.advance(hours=80)  # answered after the 72 hours
    await ppid.say(f"/selesai {other} Sudah kami perbaiki.")
    async with bot.app.db.connect() as conn:
        report = await ppid_report(conn, bot.app.agency, 2026, date(2026, 12, 4), nil=True)
    rows = {r[0]: r[1:] for r in report.table("data_pribadi").rows}
    # received, settled at once, answered by the PPID, within 72 hours, not answered
    assert rows["Akses (melihat data)"] == [1, 1, 0, 1, 0]
    assert rows["Koreksi"] == [1, 0, 1, 0, 0]
    assert rows["Jumlah"] == [2, 1, 1, 1, 0]


async def test_a_sentence_naming_the_right_goes_straight_to_it(bot: TestBot) -> None:
    warga = bot.citizen("warga")
    await onboard(warga)
    assert "Menghapus data berarti" in await warga.say("hapus data sy dong")
    assert "Baik, data Anda tidak dihapus" in await warga.say("tidak")
    assert "Data Anda yang kami simpan" in await warga.say("sy mau liat data sy")
    assert "Data mana yang perlu diperbaiki" in await warga.say("data saya salah, mau perbaiki")
