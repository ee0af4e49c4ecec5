"""The Telegram Bot API and Twilio's Messages API as a local HTTP server, for the bot run as a
real process (kill -9, hostile clients): it points TELEGRAM_API_BASE_URL and
TWILIO_API_BASE_URL here. Every accepted send is recorded with the time it arrived."""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

BOT = {"id": 4242, "is_bot": True, "first_name": "Suara Warga", "username": "suarawarga_bot"}


@dataclass
class Arrival:
    chat: str
    text: str
    at: float  # time.monotonic() when it arrived
    message_id: str  # what the platform answered (the bot records it as provider id)


@dataclass
class FakePlatforms:
    sent: list[Arrival] = field(default_factory=list)  # sendMessage and Twilio bodies
    calls: list[str] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    server: uvicorn.Server | None = None
    port: int = 0

    @property
    def telegram_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def twilio_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def to(self, chat: str) -> list[str]:
        return [a.text for a in self.sent if a.chat == chat]

    async def bot_api(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        self.calls.append(method)
        params = await _params(request)
        if method == "getMe":
            return _ok(BOT)
        if method == "getUpdates":
            await asyncio.sleep(min(float(params.get("timeout") or 0), 0.2))
            return _ok([])
        if method in ("sendMessage", "sendPhoto", "sendDocument"):
            chat = str(params.get("chat_id"))
            message_id = next(self._ids)
            if method == "sendMessage":
                text = str(params.get("text", ""))
                self.sent.append(Arrival(chat, text, time.monotonic(), str(message_id)))
            return _ok(
                {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": int(chat), "type": "private"},
                    "text": params.get("text", ""),
                }
            )
        return _ok(True)  # setWebhook, deleteWebhook, setMyCommands, answerCallbackQuery…

    async def twilio(self, request: Request) -> JSONResponse:
        form = {k: str(v) for k, v in (await request.form()).items()}
        to = form.get("To", "").removeprefix("whatsapp:")
        sid = f"SM{next(self._ids):032d}"
        self.sent.append(Arrival(to, form.get("Body", ""), time.monotonic(), sid))
        return JSONResponse({"sid": sid, "status": "queued", "to": form.get("To")}, 201)

    async def start(self) -> None:
        app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self.bot_api, methods=["GET", "POST"]),
                Route(
                    "/2010-04-01/Accounts/{account}/Messages.json", self.twilio, methods=["POST"]
                ),
            ]
        )
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self._task = asyncio.create_task(self.server.serve())
        for _ in range(1000):  # uvicorn offers no event for "listening"
            if self.server.started:
                break
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
            await self._task


async def _params(request: Request) -> dict[str, Any]:
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await request.body()
        return json.loads(body) if body else {}
    return {k: v for k, v in (await request.form()).items()}


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})
