"""Citizens in their own words, through the whole engine: the menu, answers to questions,
and what a sentence already holds carried into the form."""

from __future__ import annotations

from sqlalchemy import select

from storage.schema import cases, conversations
from tests.harness import (
    COMPLAINT_SCRIPT,
    Citizen,
    TestBot,
    file_complaint,
    grant_role,
    onboard,
)


async def _case(bot: TestBot, code: str) -> dict[str, object]:
    async with bot.app.db.connect() as conn:
        row = (await conn.execute(select(cases).where(cases.c.tracking_code == code))).one()
    return dict(row._mapping)


async def _conversation(bot: TestBot) -> dict[str, object]:
    async with bot.app.db.connect() as conn:
        rows = (await conn.execute(select(conversations))).all()
    return dict(rows[-1]._mapping)


async def _resolved(bot: TestBot) -> tuple[str, Citizen]:
    """A complaint the unit marked done: the reporter was asked "Sudah beres?"."""
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr = bot.citizen("pupr")
    code = await file_complaint(bot, "warga")
    await pupr.say(f"/ambil {code}")
    await pupr.say(f"/selesai {code} Lubang sudah ditambal.")
    warga = bot.citizen("warga")
    assert "sudah beres" in warga.unread_text().lower()
    return code, warga


async def test_sudah_beres_in_words_closes_and_the_rating_follows_in_words(bot: TestBot) -> None:
    code, warga = await _resolved(bot)
    asked = await warga.say("sudah mi pak, terima kasih banyak 🙏")
    assert "Seberapa puas" in asked
    assert (await _case(bot, code))["status"] == "ditutup"
    await warga.say("puas sekali")
    await warga.say("tdk ada")  # no further comment
    assert (await _case(bot, code))["rating"] == 5


async def test_belum_beres_with_its_reason_reopens_at_once(bot: TestBot) -> None:
    code, warga = await _resolved(bot)
    reply = await warga.say("blm pak, lubangnya masih ada di sisi kiri")
    assert "dibuka kembali" in reply  # nothing more is asked: the reason came with it
    row = await _case(bot, code)
    assert row["status"] == "ditindaklanjuti" and row["reopened"] == 1
    assert "lubangnya masih ada di sisi kiri" in bot.citizen("pupr").unread_text()


async def test_a_bare_belum_asks_what_is_still_wrong(bot: TestBot) -> None:
    code, warga = await _resolved(bot)
    assert "Apa yang belum beres" in await warga.say("belum pi")
    assert "dibuka kembali" in await warga.say("air masih menggenang")
    assert (await _case(bot, code))["reopened"] == 1


async def test_a_request_for_information_is_never_started_as_a_complaint(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    started = await citizen.say("bisa minta salinan SK kepala desa tahun 2025?")
    assert "Permintaan Anda kami catat sebagai informasi yang diminta" in started
    assert "salinan SK kepala desa" in started
    assert "Anda mengajukan sebagai" in started


async def test_minta_data_at_the_menu_starts_a_request(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    reply = await citizen.say("minta data")
    assert "Permohonan informasi publik" in reply and "Pesan Anda sudah kami catat" not in reply


async def test_intent_alone_starts_the_form(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    assert "Apa yang ingin Anda sampaikan" in await citizen.say("mo ngelapor pak")


async def test_a_story_at_the_type_question_is_kept_and_answers_it(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    await citizen.say("1")  # pengaduan / aspirasi
    story = "jalan di depan rumah sy rusak parah pak, bnyk lubang, sdh 3 bulan"
    reply = await citizen.say(story)
    assert "Sepertinya ini tentang *Jalan dan jembatan*" in reply
    shown = await citizen.say("ya")
    assert story in shown  # not asked to type it again
    data = (await _conversation(bot))["data"]
    assert data["type"] == "pengaduan" and data["category"] == "jalan-jembatan"  # type: ignore[index]


async def test_unsure_at_the_menu_asks_one_short_question(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    story = "kemarin sore ada pohon besar di samping sd 3 yg sdh miring ke arah kelas"
    asked = await citizen.say(story)
    assert "Maksud Bapak/Ibu ingin menyampaikan *pengaduan*?" in asked
    assert "Silakan pilih layanan" not in asked  # not the whole menu
    assert "Cerita Anda sudah kami catat" in await citizen.say("iya")


async def test_a_status_question_with_a_code_inside_a_sentence(bot: TestBot) -> None:
    code = await file_complaint(bot, "warga")
    warga = bot.citizen("warga")
    warga.unread()
    reply = await warga.say(f"pak sdh sampai mana laporan sy {code.lower()}?")
    assert code in reply and "Status: *Diterima" in reply


async def test_skipping_photos_and_cancelling_in_chat_words(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:6]:  # up to the photo question
        await citizen.say(line)
    assert "Bagaimana identitas" in await citizen.say("tdk ada foto pak")
    assert "Batalkan dan hapus isian" in await citizen.say("batal")
    assert "Dibatalkan" in await citizen.say("gk jd aja")


async def test_more_story_at_the_photo_question_is_added(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in COMPLAINT_SCRIPT[:6]:
        await citizen.say(line)
    extra = "oh iya, kemarin sdh ada 2 org jatuh dr motor disitu"
    assert "Tambahan cerita sudah kami catat" in await citizen.say(extra)
    data = (await _conversation(bot))["data"]
    assert extra in data["description"]  # type: ignore[index]


async def test_kim_consent_and_no_phone_in_words(bot: TestBot) -> None:
    await grant_role(bot, "relawan", "kim", area="lalabata/lapajung", kim_name="KIM Sipakatau")
    relawan = bot.citizen("relawan")
    await onboard(relawan)
    await relawan.say("lapor untuk warga")
    await relawan.say("1")
    await relawan.say("Ibu Hasnah")
    assert "Nomor WhatsApp warga" in await relawan.say("1")
    assert "sudah setuju" in await relawan.say("gk punya hp dia pak")
    assert "Apa yang ingin disampaikan warga" in await relawan.say("iya sdh setuju")


async def test_the_benchmarks_free_text_complaint_files_a_case(bot: TestBot) -> None:
    """The script `bench.engine_bench --free` types really ends in a filed case."""
    from bench.engine_bench import FREE_COMPLAINT

    citizen = bot.citizen()
    await onboard(citizen)
    replies = [await citizen.say(line) for line in FREE_COMPLAINT]
    assert "Kode pelacakan" in replies[-1], replies


async def test_a_status_question_in_the_middle_of_a_form_is_answered_and_the_form_waits(
    bot: TestBot,
) -> None:
    code = await file_complaint(bot, "warga")
    warga = bot.citizen("warga")
    warga.unread()
    for line in ["menu", *COMPLAINT_SCRIPT[:6]]:  # a second complaint, up to the photos
        await warga.say(line)
    reply = await warga.say(f"eh pak, laporan sy {code} yg kemarin sdh sampai mana ya?")
    assert code in reply and "Status:" in reply
    assert "Isian Anda tetap tersimpan" in reply and "foto" in reply.lower()
    assert "Bagaimana identitas" in await warga.say("lewati")  # the form went on from there
