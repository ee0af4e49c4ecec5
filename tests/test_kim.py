"""KIM volunteers filing for residents: consent, the resident's own number, following cases."""

from __future__ import annotations

from sqlalchemy import select

from storage.schema import case_events, cases, identities, outbox
from tests.harness import COMPLAINT_SCRIPT, TestBot, code_in, grant_role, onboard


async def _volunteer(bot: TestBot, chat_id: str = "relawan") -> None:
    await grant_role(bot, chat_id, "kim", area="lalabata/lapajung", kim_name="KIM Sipakatau")


async def test_a_volunteer_files_for_a_resident_who_then_hears_too(bot: TestBot) -> None:
    await _volunteer(bot)
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    relawan, pupr = bot.citizen("relawan"), bot.citizen("pupr")
    await onboard(relawan)
    menu = await relawan.say("menu")
    assert "Lapor untuk warga" in menu
    assert "Apa yang ingin disampaikan warga" in await relawan.say("lapor untuk warga")
    await relawan.say("1")  # pengaduan / aspirasi
    assert "desa/kelurahan" in await relawan.say("Ibu Hasnah")
    assert "WhatsApp warga" in await relawan.say("1")  # the volunteer's own desa
    consent = await relawan.say("0812 9999 1111")
    assert "Ibu Hasnah" in consent and "setuju" in consent and "1111" in consent
    # The questions are about the resident, and the desa is not asked a second time
    assert "Apa yang ingin disampaikan warga" in await relawan.say("ya")
    assert "Tentang apa laporan warga" in await relawan.say("1")  # pengaduan
    await relawan.say("1")  # jalan dan jembatan
    await relawan.say(COMPLAINT_SCRIPT[3])  # the story
    assert "foto" in await relawan.say("lanjut")  # no "Di mana lokasinya?"
    assert "nama warga terlihat" in await relawan.say("lewati")
    checked = await relawan.say("1")  # biasa; the name is already known
    assert "Periksa laporan warga" in checked
    assert "Lokasi: Kelurahan Lapajung, Kecamatan Lalabata" in checked
    receipt = await relawan.say("kirim")
    code = code_in(receipt)
    async with bot.app.db.connect() as conn:
        row = (await conn.execute(select(cases).where(cases.c.tracking_code == code))).one()
        assert row.reporter_person_id != row.submitter_person_id
        assert row.reporter_name == "Ibu Hasnah"
        resident = (
            await conn.execute(
                select(identities).where(identities.c.person_id == row.reporter_person_id)
            )
        ).one()
        assert (resident.channel, resident.address) == ("whatsapp", "+6281299991111")
        received = (
            await conn.execute(
                select(case_events.c.data).where(
                    (case_events.c.case_id == row.id) & (case_events.c.action == "received")
                )
            )
        ).scalar_one()
        assert received["on_behalf"] and received["resident_area"] == "lalabata/lapajung"
        assert received["consent_at"]
        to_resident = (
            (
                await conn.execute(
                    select(outbox.c.payload).where(outbox.c.identity_id == resident.id)
                )
            )
            .scalars()
            .all()
        )
    assert any(code in p["text"] and "relawan KIM Sipakatau" in p["text"] for p in to_resident)
    assert "dilaporkan oleh relawan KIM Sipakatau, Kelurahan Lapajung" in pupr.unread_text()

    relawan.unread()
    await pupr.say(f"/balas {code} Akan kami perbaiki minggu depan.")
    assert "Akan kami perbaiki minggu depan." in relawan.unread_text()  # the volunteer hears
    assert code in await relawan.say("/laporan")  # and follows the cases they filed


async def test_consent_is_required_and_only_volunteers_report_for_others(bot: TestBot) -> None:
    await _volunteer(bot)
    relawan, warga = bot.citizen("relawan"), bot.citizen("warga")
    await onboard(relawan)
    await relawan.say("/laporwarga")
    await relawan.say("2")  # permohonan informasi
    await relawan.say("Pak Lamusu")
    await relawan.say("Lapajung")  # typed desa
    await relawan.say("lewati")  # no phone
    stopped = await relawan.say("belum")
    assert "persetujuan warga" in stopped
    await onboard(warga)
    assert "Lapor untuk warga" not in await warga.say("menu")
    assert "Perintah itu tidak dikenal" in await warga.say("/laporwarga")


async def test_a_request_for_a_resident_asks_about_the_resident_and_the_desa_once(
    bot: TestBot,
) -> None:
    await _volunteer(bot)
    await grant_role(bot, "ppid", "ppid_utama")
    relawan, ppid = bot.citizen("relawan"), bot.citizen("ppid")
    await onboard(relawan)
    await relawan.say("/laporwarga")
    await relawan.say("2")  # permohonan informasi
    await relawan.say("Pak Lamusu")
    await relawan.say("1")  # the volunteer's own desa
    consent = await relawan.say("lewati")  # no phone
    assert "nama, NIK, alamat, pekerjaan" in consent  # all that the request will take
    assert "Warga mengajukan sebagai" in await relawan.say("ya")
    assert "NIK warga" in await relawan.say("1")  # perorangan; the name is known
    asked = await relawan.say("7312015708850002")
    assert "Alamat warga di Kelurahan Lapajung" in asked  # the desa is not asked again
    await relawan.say("Dusun II")
    assert "Pekerjaan warga" in await relawan.say("lewat relawan")
    assert "Informasi apa yang diminta warga" in await relawan.say("Petani")
    await relawan.say("Data penerima pupuk subsidi 2026")
    await relawan.say("Untuk mengecek nama kelompok tani")
    await relawan.say("2")  # softcopy
    checked = await relawan.say("diambil sendiri di kantor")  # ambil langsung, in words
    assert "Periksa permohonan warga" in checked
    assert "Kontak: lewat relawan KIM" in checked
    assert "Alamat: Dusun II, Kelurahan Lapajung, Kecamatan Lalabata" in checked
    await relawan.say("kirim")
    assert "Diajukan lewat relawan KIM Sipakatau, Kelurahan Lapajung" in ppid.unread_text()
