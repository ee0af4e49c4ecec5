"""Officers, from the walkthrough of issue 13: the card, the forward list, the queue, the menu."""

from __future__ import annotations

from tests.harness import TestBot, file_complaint, grant_role, onboard


async def test_the_holder_is_not_offered_to_take_the_case_again(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr = bot.citizen("pupr")
    code = await file_complaint(bot, "warga")
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
    assert "alasan penerusan" in await koor.say("Dinas Sosial")


async def test_queue_lines_name_the_category_and_the_first_words(bot: TestBot) -> None:
    await grant_role(bot, "pupr", "ppid_pembantu", "dinas-pupr")
    pupr = bot.citizen("pupr")
    code = await file_complaint(bot, "warga")
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
