"""Officers, from the walkthrough of issue 13: the card, the forward list, the queue, the menu."""

from __future__ import annotations

from bot.domain.agency import Agency
from tests.harness import Citizen, TestBot, file_complaint, grant_role, onboard


async def _officer_and_case(bot: TestBot) -> tuple[Citizen, str]:
    """The PUPR unit's officer, and a road complaint in their unit filed by "warga"."""
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    return bot.citizen("pupr"), await file_complaint(bot, "warga")


async def test_the_holder_is_not_offered_to_take_the_case_again(bot: TestBot) -> None:
    pupr, code = await _officer_and_case(bot)
    assert "Ambil" in pupr.unread_text()  # the new case's card, before anyone holds it
    await pupr.say(f"/ambil {code}")
    card = await pupr.say(f"/kasus {code}")
    assert "Ambil" not in card and f"/ambil {code}" not in card
    assert f"/selesai {code}" in card


async def test_forwarding_leaves_out_the_current_unit_and_suggests_for_a_typo(
    bot: TestBot,
) -> None:
    await grant_role(bot, "koor", "koordinator")
    koor = bot.citizen("koor")
    code = await file_complaint(bot, "warga")
    asked = await koor.say(f"/teruskan {code}")
    assert "ke unit mana" in asked
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" not in asked  # it is there already
    assert "Dinas Kesehatan" in asked
    suggested = await koor.say("dinsos")
    assert "Maksud Anda" in suggested and "Dinas Sosial" in suggested
    assert "Diteruskan ke *Dinas Sosial*. Tulis alasan penerusan" in await koor.say("Dinas Sosial")


async def test_queue_lines_name_the_category_and_the_first_words(bot: TestBot) -> None:
    pupr, code = await _officer_and_case(bot)
    queue = await pupr.say("/antrian")
    line = next(line for line in queue.splitlines() if code in line)
    assert "Jalan dan jembatan" in line
    assert "Jalan di depan rumah saya berlubang" in queue


async def test_officers_see_the_officer_menu(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr = bot.citizen("pupr")
    await file_complaint(bot, "warga")
    await onboard(pupr)
    menu = await pupr.say("menu")
    assert "Antrian kasus unit Anda" in menu and "Pengaduan / aspirasi" not in menu
    assert "Antrian unit Anda" in await pupr.say("1")
    # A citizen's service is still there in words
    assert "Apa yang ingin Anda sampaikan" in await pupr.say("saya mau lapor")


async def test_a_command_without_its_code_asks_which_case_then_the_rest(bot: TestBot) -> None:
    pupr, code = await _officer_and_case(bot)
    asked = await pupr.say("/balas")
    assert "kasus yang mana" in asked and code in asked and "Cara pakai" not in asked
    assert f"{code} · Jalan di depan rumah" in asked and "Raw(" not in asked
    assert f"balasan untuk pelapor *{code}*" in await pupr.say("1")
    await pupr.say("Besok petugas kami datang memeriksa.")
    assert "Besok petugas kami datang memeriksa" in bot.citizen("warga").unread_text()


async def test_a_typed_code_and_text_at_the_question_finish_the_command(bot: TestBot) -> None:
    pupr, code = await _officer_and_case(bot)
    assert "kasus yang mana" in await pupr.say("/catatan")
    assert "bukan kode kasus" in await pupr.say("yang jalan itu")
    done = await pupr.say(f"{code.lower()} sudah dicek ke lokasi")
    assert "Catatan" in done or "catatan" in done
    card = await pupr.say(f"/kasus {code}")
    assert "sudah dicek ke lokasi" in card


async def test_only_the_cases_the_action_fits_are_offered(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr = bot.citizen("pupr")
    first = await file_complaint(bot, "warga")
    second = await file_complaint(bot, "warga2")
    await pupr.say(f"/ambil {first}")
    asked = await pupr.say("/ambil")  # the first is already theirs
    assert second in asked and first not in asked
    await pupr.say("batal")
    assert "Cari kasus dengan kata apa" in await pupr.say("/cari")
    assert first in await pupr.say("jalan")
    shown = await pupr.say("/kasus")
    assert first in shown and second in shown
    top = first if shown.index(first) < shown.index(second) else second
    assert f"/catatan {top}" in await pupr.say("1")  # its card


async def test_a_citizen_typing_an_officer_command_alone_is_not_asked_for_a_case(
    bot: TestBot,
) -> None:
    code = await file_complaint(bot, "warga")
    answer = await bot.citizen("warga").say("/balas")
    assert "tidak dikenal" in answer and code not in answer


async def test_times_shown_to_officers_are_the_agencys_local_time(bot: TestBot) -> None:
    """07:00 WITA on Saturday is 23:00 UTC on Friday: a card's history and an invite's last
    day are said in the agency's time."""
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    await grant_role(bot, "admin", "admin")
    pupr, admin = bot.citizen("pupr"), bot.citizen("admin")
    code = await file_complaint(bot, "warga")
    bot.clock.advance(hours=22)  # START is 09:00 WITA on Friday 27 November
    await pupr.say(f"/balas {code} Petugas kami datang hari Senin.")
    assert "28/11 07:00" in await pupr.say(f"/kasus {code}")
    assert "berlaku sampai Sabtu, 5 Desember 2026" in await admin.say("/undang koordinator")


async def test_the_card_repeats_no_place_already_named(bot: TestBot) -> None:
    """The script answers the place with "lapajung": the card says the desa once."""
    pupr, code = await _officer_and_case(bot)
    card = await pupr.say(f"/kasus {code}")
    assert "Lokasi: Kelurahan Lapajung, Kecamatan Lalabata\n" in card
    assert "(lapajung)" not in card


def test_a_typed_place_is_kept_when_it_says_more_than_the_desa(agency: Agency) -> None:
    from bot.handlers.cards import adds_detail

    assert not adds_detail(agency, "lalabata/lapajung", "lapajung")
    assert not adds_detail(agency, "lalabata/lapajung", "Kelurahan Lapajung")
    assert adds_detail(agency, "lalabata/lapajung", "depan SD 4 Lapajung")
    assert adds_detail(agency, None, "dekat pasar")


async def test_back_at_a_commands_first_step_points_to_cancel(bot: TestBot) -> None:
    pupr, code = await _officer_and_case(bot)
    await pupr.say(f"/tanya {code}")
    assert "Ketik *batal* bila tidak jadi" in await pupr.say("kembali")
