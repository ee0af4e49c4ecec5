"""The engine on a real SQLite file: whole conversations, redeliveries, restarts, expiry."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.values.types import Inbound
from storage.schema import case_events, cases, conversations, outbox, request_details
from tests.harness import COMPLAINT_SCRIPT, TestBot, make_settings, onboard

CODE = re.compile(r"\b([PAIKD]-[2-9A-Z]{4}-[2-9A-Z]{4})\b")


async def count(bot: TestBot, table: object, *where: object) -> int:
    async with bot.app.db.connect() as conn:
        query = select(func.count()).select_from(table)  # type: ignore[arg-type]
        for clause in where:
            query = query.where(clause)  # type: ignore[arg-type]
        return int((await conn.execute(query)).scalar_one())


async def file_complaint(bot: TestBot, chat_id: str = "warga-1") -> str:
    citizen = bot.citizen(chat_id)
    await onboard(citizen)
    reply = ""
    for line in COMPLAINT_SCRIPT:
        reply = await citizen.say(line)
    receipt = await citizen.say("kirim")
    match = CODE.search(receipt)
    assert match, receipt
    assert "summary" not in reply
    return match.group(1)


async def test_whole_complaint_commits_case_events_and_receipt(bot: TestBot) -> None:
    code = await file_complaint(bot)
    async with bot.app.db.connect() as conn:
        row = (await conn.execute(select(cases).where(cases.c.tracking_code == code))).one()
        events = (
            await conn.execute(
                select(case_events.c.action, case_events.c.data).where(
                    case_events.c.case_id == row.id
                )
            )
        ).all()
    assert row.kind == "pengaduan" and row.status == "diterima"
    assert row.unit_code == "dinas-pupr" and row.area_code == "lalabata/lapajung"
    assert row.reporter_name == "Budi Santoso" and not row.anonymous
    # Received Friday 27 Nov 2026: 3 working days → Wed 2 Dec; +5 → Wed 9 Dec.
    assert row.verify_due == date(2026, 12, 2) and row.followup_due == date(2026, 12, 9)
    assert [e.action for e in events] == ["received", "routed"]
    assert events[1].data == {"unit": "dinas-pupr", "reason": "category"}
    assert await count(bot, outbox, outbox.c.status != "sent") == 0


async def test_receipt_spells_dates_in_indonesian(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT:
        await citizen.say(line)
    receipt = await citizen.say("kirim")
    assert "Rabu, 2 Desember 2026" in receipt and "Rabu, 9 Desember 2026" in receipt
    assert "Dinas Pekerjaan Umum" in receipt


async def test_information_request_gets_register_number_and_deadline(bot: TestBot) -> None:
    citizen = bot.citizen("pemohon")
    await onboard(citizen)
    for line in [
        "2",
        "perorangan",
        "Siti Aminah",
        "7312015708850002",
        "Jl. Kemakmuran No. 5, Lapajung",
        "081234567890",
        "Guru",
        "Dokumen APBDes Lapajung tahun 2025",
        "Bahan diskusi warga",
        "2",
        "ambil langsung",
    ]:
        reply = await citizen.say(line)
    assert "************0002" in reply and "7312015708850002" not in reply
    receipt = await citizen.say("1")
    assert "001/PPID/XI/2026" in receipt
    # 10 working days from Friday 27 Nov 2026 → Friday 11 Dec 2026.
    assert "Jumat, 11 Desember 2026" in receipt
    async with bot.app.db.connect() as conn:
        details = (await conn.execute(select(request_details))).one()
    assert details.nik == "7312015708850002" and details.phone == "+6281234567890"
    assert details.obtain_method == "softcopy" and details.delivery_method == "langsung"


async def test_register_numbers_are_sequential_per_year(bot: TestBot) -> None:
    numbers = []
    for n in range(3):
        citizen = bot.citizen(f"p{n}")
        await onboard(citizen)
        for line in [
            "2",
            "1",
            "Nama Pemohon",
            "7312011708850001",
            "Alamat lengkap sekali",
            "081234567890",
            "Petani",
            "Data irigasi 2025",
            "Untuk kelompok tani",
            "1",
            "1",
        ]:
            await citizen.say(line)
        numbers.append(re.search(r"\d{3}/PPID/XI/2026", await citizen.say("kirim")).group(0))  # type: ignore[union-attr]
    assert numbers == ["001/PPID/XI/2026", "002/PPID/XI/2026", "003/PPID/XI/2026"]


async def test_a_redelivered_message_is_processed_once(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT:
        await citizen.say(line)
    first = await citizen.send(delivery_id="same-id", text="kirim")
    again = await citizen.send(delivery_id="same-id", text="kirim")
    assert first and not again
    assert await count(bot, cases) == 1


async def test_two_copies_in_one_batch_are_processed_once(bot: TestBot) -> None:
    citizen = bot.citizen()
    inbound = Inbound(
        channel="console", chat_id="warga-1", delivery_id="twin", at=bot.clock.now(), text="halo"
    )
    results = await asyncio.gather(bot.app.engine.submit(inbound), bot.app.engine.submit(inbound))
    assert sorted((r.fresh, len(r.outbound)) for r in results) == [(False, 0), (True, 1)]
    await bot.app.dispatcher.wait_idle()
    welcomes = [m for m in bot.sender.sent if m.address == citizen.chat_id]
    assert len(welcomes) == 1 and "Selamat datang" in welcomes[0].text


async def test_restart_mid_flow_resumes_at_the_same_step(tmp_path: Path) -> None:
    bot = await TestBot(make_settings(tmp_path)).start()
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:5]:
        await citizen.say(line)
    await bot.restart()
    citizen = bot.citizen()
    reply = await citizen.say("lapajung")  # the location question was pending
    assert "foto" in reply.lower()
    for line in COMPLAINT_SCRIPT[6:]:
        await citizen.say(line)
    assert CODE.search(await citizen.say("kirim"))
    await bot.stop()


async def test_undelivered_replies_are_sent_after_a_restart(tmp_path: Path) -> None:
    bot = await TestBot(make_settings(tmp_path)).start()
    bot.sender.fail_with = "TimedOut"  # committed, but the channel is down
    await bot.citizen().send(text="halo")
    assert await count(bot, outbox, outbox.c.status == "pending") == 1
    await bot.restart()  # a fresh sender that works
    await bot.app.dispatcher.wait_idle()
    await bot.app.engine.flush()
    assert any("Selamat datang" in m.text for m in bot.sender.sent)
    assert await count(bot, outbox, outbox.c.status == "pending") == 0
    await bot.stop()


async def test_kembali_goes_back_one_step_and_keeps_data(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    await citizen.say("1")
    await citizen.say("1")
    reply = await citizen.say("kembali")
    assert "Apa yang ingin Anda sampaikan" in reply
    assert "langkah pertama" in await citizen.say("kembali")


async def test_menu_mid_flow_keeps_a_draft_to_resume(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:4]:
        await citizen.say(line)
    menu = await citizen.say("menu")
    assert "7. ↩️ Lanjutkan yang belum selesai" in menu  # last: the other numbers never shift
    resumed = await citizen.say("7")
    assert "Ada tambahan?" in resumed
    await citizen.say("lanjut")
    async with bot.app.db.connect() as conn:
        data = (await conn.execute(select(conversations.c.data))).scalar_one()
    assert data["description"] == COMPLAINT_SCRIPT[3]


async def test_abandoned_conversation_expires_without_losing_what_was_typed(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:4]:
        await citizen.say(line)
    bot.clock.advance(hours=25)
    later = "sudah makin parah, kemarin ada yang jatuh"
    reply = await citizen.say(later)
    assert "sudah kami simpan" in reply and "Lanjutkan" in reply
    resumed = await citizen.say("lanjutkan")
    assert "Kita lanjutkan" in resumed and "Ada tambahan?" in resumed
    async with bot.app.db.connect() as conn:
        data = (await conn.execute(select(conversations.c.data))).scalar_one()
    assert data["description"] == f"{COMPLAINT_SCRIPT[3]}\n{later}"  # the late message kept


async def test_batal_drops_the_flow(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    await citizen.say("1")
    assert "Batalkan dan hapus" in await citizen.say("batal")
    reply = await citizen.say("ya")
    assert "Dibatalkan" in reply and "Ada lagi yang bisa kami bantu" in reply
    assert "Lanjutkan yang belum selesai" not in reply


async def test_batal_can_be_taken_back(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:4]:
        await citizen.say(line)
    await citizen.say("batal")
    assert "Ada tambahan?" in await citizen.say("tidak")


async def test_starting_a_new_form_asks_before_replacing_a_draft(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:4]:
        await citizen.say(line)
    await citizen.say("menu")
    await citizen.say("3")  # cek status: not a form, must not touch the draft
    assert "Lanjutkan yang belum selesai" in await citizen.say("menu")
    assert "Lanjutkan yang lama" in await citizen.say("1")
    assert "Ada tambahan?" in await citizen.say("1")  # kept the old one


async def test_status_only_for_the_owner_and_strangers_cannot_probe(bot: TestBot) -> None:
    code = await file_complaint(bot, "pemilik")
    owner = bot.citizen("pemilik")
    assert "Diterima, menunggu verifikasi" in await owner.say(code)
    stranger = bot.citizen("orang-lain")
    await onboard(stranger)
    theirs = await stranger.say(f"/status {code}")
    from bot.domain.codes import new_code

    fake = new_code("pengaduan")
    nobody = await stranger.say(f"/status {fake}")
    assert theirs.replace(code, "X") == nobody.replace(fake, "X")
    assert "tidak menemukan" in theirs


async def test_a_mistyped_code_is_caught(bot: TestBot) -> None:
    code = await file_complaint(bot)
    citizen = bot.citizen()
    await citizen.say("3")  # cek status
    typo = code[:-1] + ("X" if code[-1] != "X" else "Y")
    assert "salah ketik" in await citizen.say(typo)
    assert "Status" in await citizen.say(code.lower())


async def test_my_cases_lists_and_opens(bot: TestBot) -> None:
    code = await file_complaint(bot)
    citizen = bot.citizen()
    listing = await citizen.say("4")
    assert code in listing
    assert "Dinas Pekerjaan Umum" in await citizen.say("1")


async def test_english_speakers_get_english(bot: TestBot) -> None:
    citizen = bot.citizen("tourist")
    await citizen.say("hello")
    menu = await citizen.say("English")
    assert "Choose a service" in menu


async def test_a_failing_write_does_not_sink_messages_in_the_same_batch(bot: TestBot) -> None:
    async def broken(conn: object) -> None:
        raise RuntimeError("boom")

    citizen_inbound = Inbound(
        channel="console", chat_id="w", delivery_id="ok-1", at=bot.clock.now(), text="halo"
    )
    results = await asyncio.gather(
        bot.app.engine.submit(citizen_inbound),
        bot.app.engine.write(broken),
        return_exceptions=True,
    )
    assert isinstance(results[1], RuntimeError)
    assert len(results[0].outbound) == 1  # type: ignore[union-attr]


async def test_many_citizens_at_once_each_get_their_own_case(bot: TestBot) -> None:
    async def one(n: int) -> str:
        return await file_complaint(bot, f"warga-{n}")

    codes = await asyncio.gather(*(one(n) for n in range(20)))
    assert len(set(codes)) == 20
    assert await count(bot, cases) == 20


async def test_the_writer_recovers_from_a_connection_left_in_a_transaction(bot: TestBot) -> None:
    """If the writer's connection is ever left mid-transaction, later messages still work."""

    async def leaves_it_open(conn: object) -> None:
        raise RuntimeError("failed half-way")

    citizen = bot.citizen()
    await citizen.say("halo")
    writer = bot.app.engine._conn  # the engine's own connection: the state under test
    assert writer is not None
    await writer.exec_driver_sql("SELECT 1")  # autobegins a transaction nobody will end
    assert "Silakan pilih layanan" in await citizen.say("1")
    with pytest.raises(RuntimeError):
        await bot.app.engine.write(leaves_it_open)
    assert "Apa yang ingin Anda sampaikan" in await citizen.say("1")


async def test_a_complaint_typed_as_the_very_first_message_is_kept(bot: TestBot) -> None:
    citizen = bot.citizen("langsung")
    first = "Pak, lampu jalan di depan masjid Lapajung mati sudah seminggu"
    assert "Pilih bahasa" in await citizen.say(first)
    # A story that only leans to a complaint: one short question, then nothing asked again
    # (the story is about street lights, so that category is offered first).
    assert "ingin menyampaikan *pengaduan*?" in await citizen.say("1")
    suggested = await citizen.say("iya")
    assert "Sepertinya ini tentang *Lalu lintas, parkir, angkutan dan lampu jalan*" in suggested
    shown = await citizen.say("iya betul")
    assert first in shown and "Lanjut" in shown
    assert "Di mana lokasinya" in await citizen.say("lanjut")


async def test_a_proxy_is_told_to_bring_the_power_of_attorney(bot: TestBot) -> None:
    citizen = bot.citizen("kuasa")
    await onboard(citizen)
    for line in [
        "2",
        "kuasa",
        "Andi Wijaya",
        "7312011708850001",
        "1",  # whom they represent: a person
        "Hj. Fatimah",
        "7312015708850002",
        "nanti",  # the surat kuasa follows
        "Jl. Merdeka No. 1, Botto",
        "081234567890",
        "Wiraswasta",
        "Data jalan desa 2025",
        "Untuk warga",
        "1",
        "1",
    ]:
        await citizen.say(line)
    receipt = await citizen.say("kirim")
    assert "surat kuasa" in receipt and "/PPID/" in receipt


async def test_a_failed_send_is_retried_without_a_restart(
    bot: TestBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.engine import dispatcher

    monkeypatch.setattr(dispatcher, "RETRY_BASE", 0.01)
    bot.sender.fail_with = "NetworkError"
    citizen = bot.citizen()
    await citizen.send(text="halo")
    bot.sender.fail_with = None
    for _ in range(100):  # the retry comes after a short, jittered back-off
        if bot.sender.sent:
            break
        await asyncio.sleep(0.02)
    assert any("Selamat datang" in m.text for m in bot.sender.sent)


async def test_delivery_results_are_recorded_without_waiting_for_more_messages(
    bot: TestBot,
) -> None:
    inbound = Inbound(
        channel="console", chat_id="w", delivery_id="x1", at=bot.clock.now(), text="hi"
    )
    await bot.app.engine.submit(inbound)
    await bot.app.dispatcher.wait_idle()
    # DEFER_FLUSH is 0.2 s: without flush() and without another message, the result must
    # still be written soon (polled, so a slow machine does not make this flaky).
    for _ in range(150):
        if await count(bot, outbox, outbox.c.status == "sent") == 1:
            break
        await asyncio.sleep(0.02)
    assert await count(bot, outbox, outbox.c.status == "sent") == 1


async def test_a_valid_code_typed_in_the_middle_of_a_form_is_looked_up(bot: TestBot) -> None:
    code = await file_complaint(bot)
    citizen = bot.citizen()
    for line in COMPLAINT_SCRIPT[:3]:
        await citizen.say(line)
    reply = await citizen.say(code)
    assert "Diterima, menunggu verifikasi" in reply and "Ceritakan apa yang terjadi" in reply
    await citizen.say("Air PDAM mati tiga hari di RT 02")
    async with bot.app.db.connect() as conn:
        data = (await conn.execute(select(conversations.c.data))).scalar_one()
    assert code not in data["description"]


async def test_a_greeting_at_the_menu_gets_a_greeting(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    assert "Halo!" in await citizen.say("halo")
    assert "Sama-sama" in await citizen.say("terima kasih pak")


async def test_the_summary_cancel_button_asks_first(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT:
        await citizen.say(line)
    assert "Batalkan dan hapus" in await citizen.say("3")  # ❌ Batal
    assert "Periksa laporan Anda" in await citizen.say("tidak")


async def test_a_returning_citizen_can_just_write_the_problem(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    story = "Jalan di depan rumah saya banjir terus pak tolong"
    assert "ingin menyampaikan *pengaduan*?" in await citizen.say(story)
    assert "Sepertinya ini tentang" in await citizen.say("1")
    assert "Pilih kategori" in await citizen.say("bukan")  # the full list, one step away
    assert story in await citizen.say("2")  # air bersih, selokan dan genangan air


async def test_answers_to_ada_tambahan_are_not_added_to_the_report(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:4]:
        await citizen.say(line)
    assert "Di mana lokasinya" in await citizen.say("tidak ada tambahan")
    async with bot.app.db.connect() as conn:
        data = (await conn.execute(select(conversations.c.data))).scalar_one()
    assert data["description"] == COMPLAINT_SCRIPT[3]


async def test_a_code_inside_a_sentence_at_the_menu_is_looked_up(bot: TestBot) -> None:
    code = await file_complaint(bot)
    citizen = bot.citizen()
    assert "Diterima, menunggu verifikasi" in await citizen.say(f"cek status *{code}* ya")


async def test_a_short_late_answer_is_not_claimed_as_kept_unless_kept(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:5]:
        await citizen.say(line)
    bot.clock.advance(hours=30)
    assert "juga pesan terakhir Anda" in await citizen.say("lapajung")
    assert "foto" in (await citizen.say("lanjutkan")).lower()  # lapajung answered the step
    bot.clock.advance(hours=30)
    reply = await citizen.say("halo")
    assert "sudah kami simpan" in reply and "juga pesan terakhir" not in reply


async def test_email_delivery_without_an_email_asks_for_it_in_the_chat(bot: TestBot) -> None:
    citizen = bot.citizen("surel")
    await onboard(citizen)
    for line in [
        "2",
        "1",
        "Siti Aminah",
        "7312015708850002",
        "Jl. Kemakmuran No. 5",
        "081234567890",
        "Guru",
        "Dokumen APBDes 2025",
        "Bahan diskusi",
        "2",
    ]:
        await citizen.say(line)
    assert "Ke alamat email mana" in await citizen.say("2")  # Email, but none given yet
    summary = await citizen.say("siti@contoh.id")
    assert "siti@contoh.id" in summary and "Cara menerima salinan: Email" in summary
    assert "/PPID/" in await citizen.say("kirim")
