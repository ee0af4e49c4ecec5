"""The Telegram channel through the real python-telegram-bot Application, polling a fake Bot
API behind PTB's BaseRequest seam; engine and SQLite as in production."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels import telegram
from bot.channels.pacing import Pacer
from bot.channels.telegram import split_text, to_html
from tests.fake_telegram import button_update, sticker_update, text_update
from tests.harness import COMPLAINT_SCRIPT, REQUEST_SCRIPT, grant_on
from tests.telegram_rig import CHAT, SECRET, Hooked, Running, polling, webhook

COMPLAINT = ["1", *COMPLAINT_SCRIPT]  # "1": Bahasa Indonesia, then the complaint
REQUEST = ["1", *REQUEST_SCRIPT]


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    async with polling(tmp_path) as rig:
        yield rig


async def test_a_whole_complaint_by_polling(running: Running) -> None:
    welcome = await running.say("halo")
    assert "Selamat datang" in welcome
    first = running.api.messages_to(CHAT)[0]
    assert "inline_keyboard" in str(first.get("reply_markup"))  # buttons, not numbers
    for line in COMPLAINT:
        await running.say(line)
    receipt = await running.say("kirim")
    assert re.search(r"<b>P-[2-9A-Z]{4}-[2-9A-Z]{4}</b>", receipt), receipt


async def test_buttons_pressed_are_answered_and_marked(running: Running) -> None:
    await running.say("halo")
    running.api.push(button_update(CHAT, "id"))
    await running.until(2)
    methods = [c.method for c in running.api.calls]
    assert "answerCallbackQuery" in methods
    assert "Silakan pilih layanan" in running.api.messages_to(CHAT)[-1]["text"]


async def test_the_same_update_twice_is_processed_once(running: Running) -> None:
    update = text_update(CHAT, "halo", update_id=9000)
    running.api.push(update)
    running.api.push(dict(update))
    await running.until(1)
    await asyncio.sleep(0.3)
    assert len(running.api.messages_to(CHAT)) == 1


async def test_a_sticker_at_a_text_step_gets_a_hint(running: Running) -> None:
    for line in ["halo", "1", "1", "1", "1"]:
        await running.say(line)
    before = len(running.api.messages_to(CHAT))
    running.api.push(sticker_update(CHAT))
    sent = await running.until(before + 1)
    assert "belum bisa kami baca" in sent[-1]["text"]


async def test_a_user_who_blocked_the_bot_is_marked_unreachable(running: Running) -> None:
    from sqlalchemy import select

    from storage.schema import identities, outbox

    running.api.blocked.add(777)
    running.api.push(text_update(777, "halo"))
    for _ in range(100):
        await asyncio.sleep(0.02)
        await running.app.engine.flush()
        async with running.app.db.connect() as conn:
            status = (await conn.execute(select(outbox.c.status))).scalars().all()
            reachable = (await conn.execute(select(identities.c.reachable))).scalars().all()
        if status == ["dead"]:
            break
    assert status == ["dead"] and reachable == [False]


async def test_a_429_is_retried_after_the_time_telegram_asks(running: Running) -> None:
    running.api.throttle_once = 1
    running.api.push(text_update(CHAT, "halo"))
    sent = await running.until(1, seconds=6.0)
    assert "Selamat datang" in sent[0]["text"]
    refusals = [c for c in running.api.calls if c.method == "sendMessage"]
    assert len(refusals) == 2  # one refused, one accepted after retry_after


def test_long_replies_are_split_under_the_limit_without_breaking_words_or_tags() -> None:
    text = to_html(("kata *tebal* " * 400 + "\n\n") * 2)  # about 6,000 characters
    pieces = split_text(text)
    assert len(pieces) >= 2 and all(len(p) <= 4096 for p in pieces)
    assert all(p.count("<b>") == p.count("</b>") for p in pieces)
    assert "".join(pieces).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace(
        "\n", ""
    )


def test_html_is_escaped_and_bold_converted() -> None:
    assert to_html("*Kode*: <script> & co") == "<b>Kode</b>: &lt;script&gt; &amp; co"


# --- webhook ------------------------------------------------------------------------------------


@pytest.fixture
async def hooked(tmp_path: Path) -> AsyncIterator[Hooked]:
    async with webhook(tmp_path) as rig:
        yield rig


async def test_the_webhook_is_registered_with_its_secret(hooked: Hooked) -> None:
    [registration] = [c for c in hooked.api.calls if c.method == "setWebhook"]
    assert registration.params["secret_token"] == SECRET
    assert registration.params["url"] == "https://bot.example.id/telegram/webhook"


async def test_a_forged_webhook_is_refused_and_not_processed(hooked: Hooked) -> None:
    assert await hooked.post(text_update(CHAT, "halo"), secret="wrong") == 403
    assert await hooked.post(text_update(CHAT, "halo"), secret=None) == 403
    await asyncio.sleep(0.1)
    assert hooked.api.messages_to(CHAT) == []
    assert (await hooked.client.get("/healthz")).json() == {"ok": True}


async def test_a_whole_information_request_by_webhook(hooked: Hooked) -> None:
    assert "Selamat datang" in await hooked.say("halo")
    for line in REQUEST[:-1]:  # up to the last choice, to look at the summary
        await hooked.say(line)
    summary = await hooked.say("1")
    assert "************0002" in summary and "7312015708850002" not in summary
    receipt = await hooked.say("kirim")
    assert re.search(r"\d{3}/PPID/[IVX]+/\d{4}", receipt), receipt


async def test_a_webhook_redelivery_is_processed_once(hooked: Hooked) -> None:
    update = text_update(CHAT, "halo", update_id=7777)
    assert await hooked.post(update) == 200
    assert await hooked.post(update) == 200  # Telegram retried: answered 200, nothing redone
    await hooked.app.dispatcher.wait_idle()
    assert len(hooked.api.messages_to(CHAT)) == 1


async def test_garbage_posted_with_the_secret_is_a_400(hooked: Hooked) -> None:
    response = await hooked.client.post(
        "/telegram/webhook",
        content=b"not json",
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 400


async def test_citizens_get_a_command_menu_in_both_languages(hooked: Hooked) -> None:
    menus = [c.params for c in hooked.api.calls if c.method == "setMyCommands"]
    assert {m.get("language_code") for m in menus} == {None, "en"}
    assert any("lapor" in str(m["commands"]) for m in menus)


async def test_a_whole_information_request_by_polling(running: Running) -> None:
    await running.say("halo")
    for line in REQUEST:
        await running.say(line)
    receipt = await running.say("kirim")
    assert re.search(r"\d{3}/PPID/[IVX]+/\d{4}", receipt), receipt


async def test_a_whole_complaint_by_webhook(hooked: Hooked) -> None:
    await hooked.say("halo")
    for line in COMPLAINT:
        await hooked.say(line)
    receipt = await hooked.say("kirim")
    assert re.search(r"<b>P-[2-9A-Z]{4}-[2-9A-Z]{4}</b>", receipt), receipt


async def test_in_a_group_the_bot_points_to_a_private_chat_once(hooked: Hooked) -> None:
    update = text_update(-100200, "halo bot")
    update["message"]["chat"] = {"id": -100200, "type": "group", "title": "KIM Lapajung"}
    for _ in range(3):  # Telegram delivered it three times
        assert await hooked.post(update) == 200
    await hooked.app.dispatcher.wait_idle()
    [note] = hooked.api.messages_to(-100200)
    assert "chat pribadi" in note["text"] and "private chats" in note["text"]
    async with hooked.app.db.connect() as conn:
        from sqlalchemy import select

        from storage.schema import identities, outbox

        kept = (await conn.execute(select(identities.c.address, identities.c.profile_name))).all()
        queued = (await conn.execute(select(outbox.c.status))).scalars().all()
    assert kept == [("-100200", None)]  # the group's chat only: nothing of its members
    assert queued == ["sent"]  # through the outbox, paced like any reply


async def test_a_6000_character_reply_arrives_in_pieces_with_the_buttons_last(
    running: Running,
) -> None:
    from bot.values.types import Outbound

    sender = telegram.TelegramSender(running.application, Pacer(1000, 0.0))
    text = ("Kalimat yang cukup panjang untuk diulang. " * 150).strip()  # ~6,300 characters
    result = await sender.send(Outbound(1, "telegram", "4242", text, (("a", "Ya"), ("b", "Tidak"))))
    assert result.ok
    pieces = running.api.messages_to(4242)
    assert len(pieces) == 2 and all(len(p["text"]) <= 4096 for p in pieces)
    assert "reply_markup" not in pieces[0] and "inline_keyboard" in str(pieces[1]["reply_markup"])
    assert " ".join(p["text"] for p in pieces).split() == text.split()


async def test_officers_get_their_menu_and_cards_and_answer_by_replying(hooked: Hooked) -> None:

    from tests.fake_telegram import photo_update, reply_update

    admin, officer = 777, 888
    await grant_on(hooked.app, "telegram", str(admin), "admin")
    made = await hooked.say("/undang ppid_pembantu dinas-pupr", chat=admin)
    invite = re.search(r"<b>([2-9A-Z]{4}-[2-9A-Z]{4})</b>", made)
    assert invite, made
    joined = await hooked.say(f"/start inv_{invite.group(1)}", chat=officer)
    assert "Selamat bergabung" in joined
    await hooked.app.dispatcher.wait_idle()
    menus = [
        c.params for c in hooked.api.calls if c.method == "setMyCommands" and "scope" in c.params
    ]
    assert {m.get("language_code") for m in menus} == {None, "en"}
    assert all(m["scope"]["chat_id"] == officer and m["scope"]["type"] == "chat" for m in menus)
    assert "antrian" in str(menus[0]["commands"]) and "undang" not in str(menus[0]["commands"])

    await hooked.say("halo")
    for line in COMPLAINT[:7]:  # up to the location
        await hooked.say(line)
    assert await hooked.post(photo_update(CHAT, "foto-lubang")) == 200
    for line in ("lanjut", "1", "Budi Santoso"):
        await hooked.say(line)
    receipt = await hooked.say("kirim")
    code = re.search(r"P-[2-9A-Z]{4}-[2-9A-Z]{4}", receipt).group(0)  # type: ignore[union-attr]
    await hooked.app.dispatcher.wait_idle()
    card = hooked.api.messages_to(officer)[-1]
    assert code in card["text"] and "berlubang" in card["text"]
    assert f"c:take:{code}" in str(card["reply_markup"])
    assert [p["photo"] for p in hooked.api.photos if int(p["chat_id"]) == officer] == [
        "foto-lubang"
    ]

    await hooked.app.engine.flush()  # the card's message id is recorded with its delivery
    before = len(hooked.api.messages_to(CHAT))
    assert await hooked.post(reply_update(officer, "Besok tim kami datang.", card)) == 200
    await hooked.app.dispatcher.wait_idle()
    told = hooked.api.messages_to(CHAT)[before:]
    assert any("Besok tim kami datang." in m["text"] for m in told)
    # A reply to anything else that names the case (here the confirmation of that reply) is
    # an ordinary message: nothing more reaches the citizen.
    confirmation = hooked.api.messages_to(officer)[-1]
    assert "Balasan terkirim" in confirmation["text"]
    await hooked.app.engine.flush()
    assert await hooked.post(reply_update(officer, "catatan pribadi", confirmation)) == 200
    await hooked.app.dispatcher.wait_idle()
    assert not any("catatan pribadi" in m["text"] for m in hooked.api.messages_to(CHAT)[before:])

    # A command typed without its code asks which case, with the case as an inline button
    assert "kasus yang mana" in await hooked.say("/catatan", chat=officer)
    asked = hooked.api.messages_to(officer)[-1]
    assert f'"callback_data": "{code}"' in json.dumps(asked["reply_markup"])
    assert await hooked.post(button_update(officer, code)) == 200
    await hooked.app.dispatcher.wait_idle()
    assert "catatan internal" in hooked.api.messages_to(officer)[-1]["text"]


async def test_rekap_arrives_with_its_charts_and_workbook_as_uploads(hooked: Hooked) -> None:

    coordinator = 999
    await grant_on(hooked.app, "telegram", str(coordinator), "koordinator")
    await hooked.say("halo")
    for line in [*COMPLAINT, "kirim"]:
        await hooked.say(line)
    assert "sedang disiapkan" in await hooked.say("/rekap", chat=coordinator)
    await hooked.app.recaps.wait_idle()
    await hooked.app.dispatcher.wait_idle()
    recap = hooked.api.messages_to(coordinator)[-1]["text"]
    assert "Pengaduan dan aspirasi: 1" in recap and "menyusul di bawah ini" in recap
    assert "rekap-" not in recap and ".xlsx" not in recap  # no server paths, no file names
    uploads = [u for u in hooked.api.uploads if u["chat_id"] == coordinator]
    assert [u["method"] for u in uploads] == ["sendPhoto", "sendDocument"]  # no requests yet
    chart, workbook = uploads
    assert chart["content"][:8] == b"\x89PNG\r\n\x1a\n"
    assert re.fullmatch(r"rekap-(\d{4})-01-01_\1-\d\d-\d\d\.xlsx", workbook["filename"])
    assert workbook["content"][:2] == b"PK"  # a zip: the XLSX container


async def test_one_chats_queue_does_not_hold_up_another_chats_reply(tmp_path: Path) -> None:
    """Paced as Telegram requires (one message a second per chat): a chat with a dozen
    replies waiting must not make another chat wait behind them."""
    async with webhook(tmp_path, Pacer(30.0, 1.0)) as rig:
        busy, other = 601, 602
        for text in ["halo", "1", *COMPLAINT_SCRIPT[:8]]:  # ten replies queue for `busy`
            assert await rig.post(text_update(busy, text)) == 200
        assert await rig.post(text_update(other, "halo")) == 200
        for _ in range(200):
            if rig.api.messages_to(other):
                break
            await asyncio.sleep(0.02)
        assert "Selamat datang" in rig.api.messages_to(other)[0]["text"]
        assert len(rig.api.messages_to(busy)) <= 3  # it did not wait for the busy chat's queue


async def test_a_redelivered_button_press_is_answered_once(hooked: Hooked) -> None:
    await hooked.say("halo")
    press = button_update(CHAT, "id")
    for _ in range(3):  # Telegram delivered the press three times
        assert await hooked.post(press) == 200
    await hooked.app.dispatcher.wait_idle()
    for _ in range(50):  # (the answer goes out beside the reply to Telegram)
        await asyncio.sleep(0.01)
    answered = [c for c in hooked.api.calls if c.method == "answerCallbackQuery"]
    menus = [m for m in hooked.api.messages_to(CHAT) if "Silakan pilih layanan" in m["text"]]
    assert len(answered) == 1 and len(menus) == 1
