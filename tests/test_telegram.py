"""The Telegram channel through the real python-telegram-bot Application, polling a fake Bot
API behind PTB's BaseRequest seam; engine and SQLite as in production."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from telegram.ext import Application

from bot.app import App, build_app
from bot.channels import telegram
from bot.channels.telegram import split_text, to_html
from tests.fake_telegram import TOKEN, FakeBotApi, button_update, sticker_update, text_update
from tests.harness import make_settings

CHAT = 555


@dataclass
class Running:
    api: FakeBotApi
    application: Application  # type: ignore[type-arg]
    app: App

    async def until(self, count: int, chat: int = CHAT, seconds: float = 5.0) -> list[dict]:  # type: ignore[type-arg]
        """Wait until `count` messages have been delivered to the chat."""
        for _ in range(int(seconds / 0.02)):
            sent = self.api.messages_to(chat)
            if len(sent) >= count:
                return sent
            await asyncio.sleep(0.02)
        raise AssertionError(f"only {len(self.api.messages_to(chat))} messages, wanted {count}")

    async def say(self, text: str, chat: int = CHAT) -> str:
        before = len(self.api.messages_to(chat))
        self.api.push(text_update(chat, text))
        await self.until(before + 1, chat)
        await asyncio.sleep(0.05)  # a reply may come in several messages
        return "\n".join(m["text"] for m in self.api.messages_to(chat)[before:])


@pytest.fixture
async def running(tmp_path: Path) -> AsyncIterator[Running]:
    api = FakeBotApi()
    application = telegram.build_application(TOKEN, None, request=api)
    await application.initialize()
    app = await build_app(
        make_settings(tmp_path),
        [telegram.TelegramSender(application, telegram.RateLimiter(1000, 0.0))],
    )
    telegram.attach(application, app.engine.submit)
    await telegram.start_polling(application)
    yield Running(api, application, app)
    await telegram.stop_receiving(application)
    await app.stop()
    await telegram.shutdown(application)


async def test_a_whole_complaint_by_polling(running: Running) -> None:
    welcome = await running.say("halo")
    assert "Selamat datang" in welcome
    first = running.api.messages_to(CHAT)[0]
    assert "inline_keyboard" in str(first.get("reply_markup"))  # buttons, not numbers
    for line in [
        "1",
        "1",
        "1",
        "1",
        "Jalan di depan rumah saya berlubang besar",
        "lanjut",
        "lapajung",
        "lewati",
        "1",
        "Budi Santoso",
    ]:
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
