"""Officers working cases from the chat, and reporters answering: the complaint lifecycle."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.schema import case_events, cases
from tests.harness import TestBot, file_complaint, grant_role


async def _case(bot: TestBot, code: str) -> dict[str, object]:
    async with bot.app.db.connect() as conn:
        row = (await conn.execute(select(cases).where(cases.c.tracking_code == code))).one()
    return dict(row._mapping)


async def _actions(bot: TestBot, code: str) -> list[tuple[str, str, str | None]]:
    async with bot.app.db.connect() as conn:
        case_id = (await _case(bot, code))["id"]
        rows = await conn.execute(
            select(case_events.c.action, case_events.c.actor_role, case_events.c.to_status)
            .where(case_events.c.case_id == case_id)
            .order_by(case_events.c.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


async def test_a_complaint_from_card_to_rating(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr = bot.citizen("pupr")
    code = await file_complaint(bot, "warga")
    warga = bot.citizen("warga")
    warga.unread()
    card = pupr.unread_text()
    assert "Kasus baru untuk unit Anda" in card and code in card and "berlubang" in card
    assert "Budi Santoso" in card and "Ambil" in card

    taken = await pupr.press(f"c:take:{code}")
    assert "Anda menangani" in taken
    assert "sedang ditindaklanjuti" in warga.unread_text()

    await pupr.say(f"/balas {code} Tim kami akan meninjau lokasi hari Senin.")
    assert "Tim kami akan meninjau lokasi hari Senin." in warga.unread_text()

    asked = await pupr.say(f"/tanya {code} Di depan nomor rumah berapa tepatnya?")
    assert "menunggu jawaban" in asked
    question = warga.unread_text()
    assert "Di depan nomor rumah berapa" in question
    assert (await _case(bot, code))["status"] == "ditunda"
    # The citizen simply types the answer: the question put their chat at that step.
    thanks = await warga.say("Depan rumah nomor 12, dekat masjid")
    assert "sudah kami teruskan" in thanks
    assert "Depan rumah nomor 12" in pupr.unread_text()
    assert (await _case(bot, code))["status"] == "ditindaklanjuti"

    done = await pupr.say(f"/selesai {code} Lubang sudah ditambal.")
    assert "ditandai selesai" in done
    update = warga.unread()[-1]
    assert "Lubang sudah ditambal." in update.text
    assert [b[0] for b in update.buttons] == [f"c:confirm:{code}", f"c:reopen:{code}"]

    # Not fixed after all: back to the unit with the reason.
    await warga.press(f"c:reopen:{code}")
    reopened = await warga.say("Masih berlubang di sisi kiri jalan")
    assert "dibuka kembali" in reopened
    assert "Masih berlubang di sisi kiri" in pupr.unread_text()
    row = await _case(bot, code)
    assert row["status"] == "ditindaklanjuti" and row["reopened"] == 1

    await pupr.say(f"/selesai {code} Sisi kiri sudah ditambal juga.")
    await warga.say("1")  # typed: the first button of the update, "Sudah beres"
    assert (await _case(bot, code))["status"] == "ditutup"
    rated = await warga.say("5")
    assert "Seberapa puas" not in rated
    await warga.say("Terima kasih, cepat sekali")
    assert (await _case(bot, code))["rating"] == 5

    actions = [a for a, _role, _to in await _actions(bot, code)]
    assert actions == [
        "received",
        "routed",
        "take",
        "reply",
        "ask",
        "answer",
        "resolve",
        "reopen",
        "resolve",
        "confirm",
        "rate",
    ]
    roles = {action: role for action, role, _to in await _actions(bot, code)}
    assert roles["take"] == "ppid_pembantu" and roles["confirm"] == "citizen"


async def test_an_information_request_extended_rejected_and_objected(bot: TestBot) -> None:
    from tests.harness import code_in, file_request

    await grant_role(bot, "ppid", "ppid_utama")
    await grant_role(bot, "atasan", "atasan_ppid")
    ppid, atasan = bot.citizen("ppid"), bot.citizen("atasan")
    code = await file_request(bot, "pemohon")
    pemohon = bot.citizen("pemohon")
    pemohon.unread()
    card = ppid.unread_text()
    assert code in card and "7312015708850002" not in card  # masked in the pushed card
    assert "7312015708850002" in await ppid.say(f"/kasus {code}")  # the PPID's own view
    assert not atasan.unread()  # requests go to the PPID, not the atasan

    first_due = (await _case(bot, code))["response_due"]
    await ppid.say(f"/perpanjang {code} 7 Dokumen masih dihimpun dari tiga desa")
    extended = pemohon.unread_text()
    assert "diperpanjang 7 hari kerja" in extended and "Dokumen masih dihimpun" in extended
    row = await _case(bot, code)
    assert row["extended"] and row["response_due"] > first_due
    again = await ppid.say(f"/perpanjang {code} 3 lagi")
    assert "hanya membolehkan sekali" in again

    # A decision guided step by step: outcome, the request in formal words, Pasal 17 ground,
    # consequence test, public interest; then the notice is shown and sent.
    await ppid.press(f"c:decide:{code}")
    restate = await ppid.press("rejected")
    assert "Rumusan resmi" in restate and "“Dokumen APBDes Lapajung 2025”" in restate
    assert "Pasal 17" in await ppid.say(
        "Salinan Dokumen APBDes Kelurahan Lapajung Tahun Anggaran 2025"
    )
    assert "Uji konsekuensi" in await ppid.say("h")
    assert "kepentingan publik" in await ppid.say(
        "Memuat data pribadi warga penerima bantuan yang tidak boleh dibuka"
    )
    shown = await ppid.say("Perlindungan data pribadi lebih besar daripada manfaat membukanya")
    assert "Pratinjau" in shown and "Pemberitahuan Tertulis" in shown
    assert not pemohon.unread()  # nothing is sent before the PPID says so
    await ppid.say("kirim")
    notice = pemohon.unread()[-1]
    assert "Pemberitahuan Tertulis" in notice.text
    assert "Pasal 17 huruf h" in notice.text and "rahasia pribadi" in notice.text
    assert "Uji konsekuensi: Memuat data pribadi" in notice.text
    assert "Pertimbangan kepentingan publik: Perlindungan data pribadi" in notice.text
    assert "diminta: Salinan Dokumen APBDes Kelurahan Lapajung Tahun Anggaran 2025" in notice.text
    assert "keberatan" in notice.text and notice.buttons[0][0] == f"c:object:{code}"
    row = await _case(bot, code)
    assert (row["status"], row["decision"], row["decision_ground"]) == ("diputus", "rejected", "h")
    assert "Tidak bisa" in await ppid.say(f"/balas {code} tambahan")  # decided: closed
    assert "keputusan: Permohonan ditolak — Memuat data pribadi" in await ppid.say(f"/kasus {code}")

    # The requester objects (Pasal 35 a) and gets an objection number citing the request.
    await pemohon.press(f"c:object:{code}")
    await pemohon.say("a")
    receipt = await pemohon.say("Data yang saya minta adalah rekap, bukan data pribadi")
    assert "Keberatan Anda sudah terdaftar" in receipt and "KEB/PPID" in receipt
    assert row["register_number"] in receipt
    objection = code_in(receipt.split("Kode pelacakan")[1])
    assert objection.startswith("K-")
    assert objection in atasan.unread_text()

    refused = await ppid.say(f"/putus {objection} diterima alasan")
    assert "hanya untuk peran: Atasan PPID" in refused
    await atasan.say(f"/putus {objection} diterima Rekap tanpa nama dapat diberikan")
    answer = pemohon.unread()[-1].text
    assert "Keberatan diterima" in answer and "Komisi Informasi" in answer
    assert (await _case(bot, objection))["decision"] == "upheld"


async def test_illegal_transitions_and_wrong_roles_are_refused_with_the_allowed_actions(
    bot: TestBot,
) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "koor", "koordinator")
    pupr, koor = bot.citizen("pupr"), bot.citizen("koor")
    code = await file_complaint(bot, "warga")
    early = await pupr.say(f"/selesai {code} sudah")
    assert "Tidak bisa" in early and f"/ambil {code}" in early and "/selesai" not in early
    assert "/verifikasi" not in early and "/arsip" not in early  # not this officer's to do
    assert (await _case(bot, code))["status"] == "diterima"
    assert "hanya untuk peran" in await pupr.say(f"/arsip {code} iseng")
    assert "Tidak bisa" in await pupr.say(f"/perpanjang {code} 3 x")  # complaints never extend
    verified = await koor.say(f"/verifikasi {code}")
    assert "diverifikasi" in verified
    assert (await _case(bot, code))["status"] == "didisposisi"
    await koor.say(f"/arsip {code} Laporan ganda dengan laporan sebelumnya")
    warga = bot.citizen("warga")
    assert "diarsipkan" in warga.unread()[-1].text
    closed = await pupr.say(f"/balas {code} halo")
    assert "Tidak bisa" in closed and "Diarsipkan" in closed
    assert "Perintah itu tidak dikenal" in await warga.say(f"/balas {code} saya sendiri")


async def test_forward_and_not_ours(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "dlh", "ppid_pembantu", "dlh")
    pupr, dlh = bot.citizen("pupr"), bot.citizen("dlh")
    code = await file_complaint(bot, "warga")
    dlh.unread()
    moved = await pupr.say(f"/teruskan {code} dlh Soal drainase dan sampah")
    assert "diteruskan" in moved
    card = dlh.unread_text()
    assert code in card and "Soal drainase" in card
    assert "tidak ditemukan" in await pupr.say(f"/kasus {code}")  # no longer their unit
    await dlh.say(f"/bukanwewenang {code} Balai Besar Pelaksanaan Jalan Nasional Sulsel")
    told = bot.citizen("warga").unread()[-1].text
    assert "Balai Besar Pelaksanaan Jalan Nasional" in told and code in told
    assert (await _case(bot, code))["status"] == "bukan_wewenang"


async def test_a_resolved_case_closes_itself_after_ten_silent_working_days(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr = bot.citizen("pupr")
    code = await file_complaint(bot, "warga")
    await pupr.say(f"/ambil {code}")
    await pupr.say(f"/selesai {code} Sudah ditambal.")
    confirm_due = (await _case(bot, code))["confirm_due"]
    assert await bot.app.sweep() == 0  # not yet
    assert confirm_due == date(2026, 12, 11)  # Friday 27 Nov + 10 working days
    bot.clock.advance(days=14)  # 11 Dec, the last day to answer: still open
    assert await bot.app.sweep() == 0
    assert (await _case(bot, code))["status"] == "selesai"
    bot.clock.advance(days=7)
    assert await bot.app.sweep() == 1
    await bot.app.dispatcher.wait_idle()
    row = await _case(bot, code)
    assert row["status"] == "ditutup" and row["closed_at"] is not None
    assert "kami tutup" in bot.citizen("warga").unread()[-1].text
    assert await bot.app.sweep() == 0  # once only
    assert ("auto_close", "system", "ditutup") in await _actions(bot, code)


async def test_waiting_for_the_reporter_moves_the_units_deadlines(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr, warga = bot.citizen("pupr"), bot.citizen("warga")
    code = await file_complaint(bot, "warga")
    before = await _case(bot, code)
    await pupr.say(f"/tanya {code} Sisi jalan yang mana?")
    bot.clock.advance(days=4)  # Friday → Tuesday: Monday and Tuesday were spent waiting
    await warga.say("Sisi timur, dekat jembatan")
    after = await _case(bot, code)
    assert after["followup_due"] == bot.app.agency.calendar.add_working_days(
        before["followup_due"], 2
    )
    assert after["resolution_due"] == bot.app.agency.calendar.add_working_days(
        before["resolution_due"], 2
    )


async def test_queue_filters_and_search(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr = bot.citizen("pupr")
    code = await file_complaint(bot, "warga")
    assert code in await pupr.say("/antrian")
    assert "kosong" in await pupr.say("/antrian lewat")
    bot.clock.advance(days=7)  # verification was due in 3 working days
    assert code in await pupr.say("/antrian lewat")
    assert code in await pupr.say("/cari berlubang")
    assert "Tidak ada kasus" in await pupr.say("/cari sekolah")
    assert "Cara pakai" in await pupr.say("/cari ab")
    card = await pupr.press(f"c:view:{code}")
    assert "Tenggat" in card and "lewat" in card


async def test_a_status_lookup_offers_what_the_citizen_can_do_now(bot: TestBot) -> None:
    from tests.harness import file_request

    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr, warga = bot.citizen("pupr"), bot.citizen("warga")
    code = await file_complaint(bot, "warga")
    await pupr.say(f"/selesai {code} x")  # refused: not taken yet
    await pupr.say(f"/ambil {code}")
    await pupr.say(f"/selesai {code} Sudah ditambal.")
    status = await warga.say(f"/status {code}")
    assert "Selesai ditangani" in status and "1. 👍 Sudah beres" in status
    assert "Pengaduan / aspirasi" not in status  # no second numbered list to confuse "1"
    assert "Apa yang belum beres" in await warga.say("2")

    request = await file_request(bot, "pemohon")
    pemohon = bot.citizen("pemohon")
    assert "keberatan" not in await pemohon.say(request)  # the answer is not late yet
    bot.clock.advance(days=20)  # past the 10 working days, unanswered
    late = await pemohon.say(request)
    assert "Ajukan keberatan" in late
    await pemohon.press(f"c:object:{request}")
    await pemohon.say("c")  # Pasal 35 (1) c: not answered
    receipt = await pemohon.say("Sudah lewat sepuluh hari kerja belum ada jawaban")
    assert "Keberatan Anda sudah terdaftar" in receipt


async def test_review_findings_stay_fixed(bot: TestBot) -> None:
    """Forged scheduler buttons, look-alike digits, a second objection, a late extension."""
    from tests.harness import file_request

    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "ppid", "ppid_utama")
    pupr, ppid = bot.citizen("pupr"), bot.citizen("ppid")
    code = await file_complaint(bot, "warga")
    await pupr.say(f"/ambil {code}")
    await pupr.say(f"/selesai {code} Sudah.")
    assert "tidak berlaku" in await pupr.press(f"c:auto_close:{code}")
    assert (await _case(bot, code))["status"] == "selesai"

    request = await file_request(bot, "pemohon")
    assert "berapa hari kerja" in await ppid.say(f"/perpanjang {request} ² alasan")
    assert "Maaf, pilihan itu tidak ada" in await ppid.say("²")  # asked again, no crash
    await ppid.say("batal")
    bot.clock.advance(days=20)
    late = await ppid.say(f"/perpanjang {request} 3 Masih dihimpun")
    assert "sudah lewat" in late and not (await _case(bot, request))["extended"]
    pemohon = bot.citizen("pemohon")
    await pemohon.say(f"/keberatan {request} c Belum dijawab")
    await pemohon.say(f"/keberatan {request} g Belum dijawab juga")  # a right of its own
    again = await pemohon.say(f"/keberatan {request} c Lagi")
    assert "sudah diajukan" in again and "(c)" not in again


async def test_an_overtaken_question_keeps_the_citizens_answer(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr, warga = bot.citizen("pupr"), bot.citizen("warga")
    code = await file_complaint(bot, "warga")
    await pupr.say(f"/tanya {code} Lubangnya sebesar apa?")
    await pupr.say(f"/selesai {code} Sudah kami tambal kemarin.")  # answered by events
    said = "Kira-kira satu meter lebarnya, dalam sekali"
    reply = await warga.say(said)
    # Kept, with one short question about what to do with it.
    assert "tidak dapat diproses" in reply and "ingin menyampaikan *pengaduan*" in reply
    assert "Cerita Anda sudah kami catat" in await warga.say("ya")
    assert (await _case(bot, code))["status"] == "selesai"


async def test_an_officer_who_left_the_unit_no_longer_hears_from_the_case(bot: TestBot) -> None:

    from storage import repo

    await grant_role(bot, "lama", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "baru", "ppid_pembantu", "dinas-pupr")
    lama, baru, warga = bot.citizen("lama"), bot.citizen("baru"), bot.citizen("warga")
    code = await file_complaint(bot, "warga")
    await lama.say(f"/tanya {code} Di RT berapa?")
    async with bot.app.db.begin() as conn:
        person = (await repo.load_chats(conn, [("console", "lama")]))[("console", "lama")][0]
        await repo.revoke_role(conn, person.person_id, "ppid_pembantu", bot.clock.now())
    lama.unread()
    baru.unread()
    await warga.say("RT 02 RW 01")
    assert "RT 02 RW 01" not in lama.unread_text()
    assert "RT 02 RW 01" in baru.unread_text()


async def test_walkthrough_findings_stay_fixed(bot: TestBot) -> None:
    from tests.harness import COMPLAINT_SCRIPT, code_in, onboard

    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr, warga = bot.citizen("pupr"), bot.citizen("warga")
    await onboard(warga)
    story = "Jalan berlubang, hubungi saya 0813 4455 6677, NIK 7312026512900004"
    for line in COMPLAINT_SCRIPT[:3]:
        await warga.say(line)
    await warga.say(story)
    for line in COMPLAINT_SCRIPT[4:8]:
        await warga.say(line)
    assert "Mohon tulis nama lengkap" in await warga.say("kirim")  # not a name
    await warga.say("Budi Santoso")
    code = code_in(await warga.say("kirim"))
    card = await pupr.say(f"/kasus {code}")
    assert "7312026512900004" not in card and "0813 4455 6677" not in card
    assert "************0004" in card

    # A question arriving mid-form sets the form aside; the answer goes to the case.
    await warga.say("menu")
    await warga.say("2")  # starts an information request
    await warga.say("1")
    await pupr.say(f"/tanya {code} Di RT berapa?")
    assert "Di RT berapa" in warga.unread_text()
    await warga.say("RT 03, dekat pos ronda")
    assert "RT 03" in pupr.unread_text()
    assert "Lanjutkan yang belum selesai" in await warga.say("menu")

    await pupr.say(f"/ambil {code}")
    await pupr.say(f"/selesai {code} Sudah ditambal.")
    assert "Ketik kode pelacakan" in await warga.say("3")  # the menu still works after it
    await warga.say(f"/status {code}")
    await warga.say("sdh pak")
    assert (await _case(bot, code))["status"] == "ditutup"


async def test_a_greeting_as_first_message_is_not_kept_as_a_report(bot: TestBot) -> None:
    warga = bot.citizen("warga")
    await warga.say("assalamualaikum pak, selamat pagi")
    await warga.say("1")
    assert "Pesan Anda sudah kami catat" not in await warga.say("menu")


async def test_the_citizens_status_shows_the_latest_word_from_the_officers(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr, warga = bot.citizen("pupr"), bot.citizen("warga")
    code = await file_complaint(bot, "warga")
    await pupr.say(f"/balas {code} Tim survei datang Senin.")
    await pupr.say(f"/catatan {code} Rahasia internal: anggaran belum ada.")
    status = await warga.say(code)
    assert "Kabar terakhir dari petugas" in status and "Tim survei datang Senin." in status
    assert "anggaran" not in status  # internal notes never reach the citizen


async def test_second_walkthrough_findings_stay_fixed(bot: TestBot) -> None:
    from tests.harness import file_request

    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "koor", "koordinator")
    await grant_role(bot, "ppid", "ppid_utama")
    pupr, koor, warga = bot.citizen("pupr"), bot.citizen("koor"), bot.citizen("warga")
    code = await file_complaint(bot, "warga")

    await pupr.say(f"/ambil {code}")
    await koor.say(f"/ambil {code}")  # taking over is allowed, never silent
    assert "sekarang ditangani Admin Koordinator" in pupr.unread_text()

    # A guided reply ends without the citizen's menu for the officer.
    await koor.say(f"/balas {code}")
    done = await koor.say("Tim kami ke lokasi besok.")
    assert "Balasan terkirim" in done and "Pengaduan / aspirasi" not in done

    await koor.say(f"/tanya {code} Bisa kirim nomor yang bisa dihubungi?")
    await warga.say("Ini wa saya 0812 3456 7890, NIK 7312041203850002")
    heard = koor.unread_text()
    assert "7312041203850002" not in heard and "0812 3456 7890" not in heard

    await koor.say(f"/selesai {code} Sudah ditambal.")
    warga.unread()
    await warga.say("sudah beres pak, terima kasih")
    assert (await _case(bot, code))["status"] == "ditutup"
    await warga.say("4 bintang")
    await warga.say("lewati")
    assert (await _case(bot, code))["rating"] == 4

    assert "tidak diizinkan" in await koor.say("/cari 7312041203850002")

    request = await file_request(bot, "pemohon")
    asked = await bot.citizen("ppid").say(f"/perpanjang {request} 7 hari")
    assert "alasan perpanjangan" in asked  # "hari" is not a reason
    pemohon = bot.citizen("pemohon")
    listed = await pemohon.say("keberatan")
    assert request in listed and "permohonan yang mana" in listed


async def test_a_volunteer_answers_a_question_about_a_case_they_filed(bot: TestBot) -> None:
    from tests.harness import COMPLAINT_SCRIPT, code_in, onboard

    await grant_role(bot, "relawan", "kim", area="lalabata/lapajung", kim_name="KIM Sipakatau")
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    relawan, pupr = bot.citizen("relawan"), bot.citizen("pupr")
    await onboard(relawan)
    for line in ("/laporwarga", "1", "Nenek Hasnah", "1", "tdk ada hp", "ya"):
        await relawan.say(line)
    for line in COMPLAINT_SCRIPT[1:8]:
        await relawan.say(line)
    receipt = await relawan.say("kirim")
    assert "Nenek Hasnah" in receipt
    code = code_in(receipt)
    await pupr.say(f"/tanya {code} Sejak kapan jalannya rusak?")
    await relawan.say("Sejak Agustus 2026 kata nenek")
    assert "Sejak Agustus 2026" in pupr.unread_text()


async def test_only_the_grounds_the_facts_allow_are_offered(bot: TestBot) -> None:
    """A request granted in full cannot be objected to on ground (a), a rejection: it is not
    offered, so the reason typed after the ground is never refused and lost."""
    from tests.harness import file_request

    await grant_role(bot, "ppid", "ppid_utama")
    code = await file_request(bot, "pemohon")
    await bot.citizen("ppid").say(f"/putus {code} diberikan Salinan dikirim lewat email")
    await bot.citizen("ppid").say("kirim")  # after the notice is shown
    pemohon = bot.citizen("pemohon")
    asked = await pemohon.say(f"/keberatan {code}")
    assert "Pasal 35" in asked and "a. " not in asked and "b. " in asked
    await pemohon.say("1")  # the first ground offered
    receipt = await pemohon.say("SK yang dikirim bukan SK yang saya minta")
    assert "Keberatan Anda sudah terdaftar" in receipt


async def test_the_objection_button_shows_only_while_the_law_allows_it(bot: TestBot) -> None:
    """Drift found in review: the status offered *Ajukan keberatan* long after the 30 working
    days in which the command accepts it."""
    from tests.harness import file_request

    await grant_role(bot, "ppid", "ppid_utama")
    code = await file_request(bot, "pemohon")
    await bot.citizen("ppid").say(f"/putus {code} diberikan Salinan dikirim lewat email")
    await bot.citizen("ppid").say("kirim")  # after the notice is shown
    pemohon = bot.citizen("pemohon")
    assert "Ajukan keberatan" in await pemohon.say(code)  # just answered: the window is open
    bot.clock.advance(days=60)  # over 30 working days later
    status = await pemohon.say(code)
    assert code in status and "Ajukan keberatan" not in status
    assert "tidak lagi dapat diajukan" in await pemohon.say(f"/keberatan {code}")


async def test_kembali_at_a_decisions_first_question_stays_there(bot: TestBot) -> None:
    from tests.harness import file_request

    await grant_role(bot, "ppid", "ppid_utama")
    code = await file_request(bot, "pemohon")
    ppid = bot.citizen("ppid")
    assert "Keputusan atas" in await ppid.say(f"/putus {code}")
    back = await ppid.say("kembali")
    assert "langkah pertama" in back and "Keputusan atas" in back
    assert "pertimbangan" not in back
