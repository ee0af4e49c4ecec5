"""The Telegram channel as production runs it, for tests: the real PTB Application against a
fake Bot API (PTB's BaseRequest seam), the engine on a real SQLite file, updates received by
our poller or posted to the webhook endpoint of the real Starlette app."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from telegram.ext import Application

from bot.app import App, build_app
from bot.channels import telegram, telegram_inbound
from bot.channels.pacing import Pacer
from bot.engine.clock import FakeClock
from bot.web import make_web_app
from tests.fake_telegram import TOKEN, FakeBotApi, text_update
from tests.harness import START, make_settings

CHAT = 555
SECRET = "s3cret-webhook-token"


@dataclass
class Running:
    api: FakeBotApi
    application: Application  # type: ignore[type-arg]
    app: App
    poller: telegram_inbound.Poller

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


@dataclass
class Hooked:
    api: FakeBotApi
    app: App
    client: httpx.AsyncClient

    async def post(self, update: Any, secret: str | None = SECRET) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
        response = await self.client.post("/telegram/webhook", json=update, headers=headers)
        return response.status_code

    async def say(self, text: str, chat: int = CHAT) -> str:
        before = len(self.api.messages_to(chat))
        assert await self.post(text_update(chat, text)) == 200
        await self.app.dispatcher.wait_idle()
        return "\n".join(m["text"] for m in self.api.messages_to(chat)[before:])


async def _started(
    tmp_path: Path, api: FakeBotApi, pacer: Pacer | None = None
) -> tuple[Application, App]:  # type: ignore[type-arg]
    """Unpaced unless a pacer is given (pacing has tests of its own)."""
    application = telegram.build_application(TOKEN, None, request=api)
    await application.initialize()
    app = await build_app(
        make_settings(tmp_path),
        [telegram.TelegramSender(application, pacer or Pacer(1000, 0.0))],
        FakeClock(START),
    )
    return application, app


@asynccontextmanager
async def polling(tmp_path: Path) -> AsyncIterator[Running]:
    api = FakeBotApi()
    application, app = await _started(tmp_path, api)
    poller = telegram_inbound.Poller(application, app.engine.submit)
    await poller.start()
    try:
        yield Running(api, application, app, poller)
    finally:
        await poller.stop()
        await app.stop()
        await application.shutdown()


@asynccontextmanager
async def webhook(tmp_path: Path, pacer: Pacer | None = None) -> AsyncIterator[Hooked]:
    api = FakeBotApi()
    application, app = await _started(tmp_path, api, pacer)
    await telegram_inbound.register_webhook(
        application, "https://bot.example.id/telegram/webhook", SECRET
    )
    endpoint = telegram_inbound.webhook_endpoint(application, app.engine.submit, SECRET)
    web = make_web_app({"/telegram/webhook": endpoint}, ready=app.engine.ready)
    transport = httpx.ASGITransport(app=web)
    try:
        async with httpx.AsyncClient(
            transport=transport, base_url="https://bot.example.id"
        ) as client:
            yield Hooked(api, app, client)
    finally:
        await app.stop()
        await application.shutdown()
