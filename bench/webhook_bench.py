"""Telegram webhook ingest through uvicorn on loopback.

Simulated chats post updates to the real Starlette app served by uvicorn on 127.0.0.1, with
the secret header, over keep-alive HTTP/1.1 connections. The webhook answers only after the
engine has committed the update, so every answered request is an update accepted and fully
processed. Replies go to a Bot API stand-in behind PTB's BaseRequest seam (no network).

    python -m bench.webhook_bench            # full run
    python -m bench.webhook_bench --small    # the CI run
"""

from __future__ import annotations

import asyncio
import itertools
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram.request import BaseRequest, RequestData

from bench import loopback
from bench.engine_bench import COMPLAINT, ONBOARD
from bot.app import build_app, tune_gc
from bot.channels import telegram, telegram_inbound
from bot.channels.pacing import Pacer
from bot.config import load_settings
from bot.web import make_web_app

AGENCY = Path(__file__).resolve().parent.parent / "config" / "agency.soppeng.toml"
SECRET = "bench-secret"
SCRIPT = [*ONBOARD, *COMPLAINT]  # the engine benchmark's complaint, as webhooks


class NullBotApi(BaseRequest):
    """Answers every Bot API call at once: sends succeed, nothing leaves the machine."""

    def __init__(self) -> None:
        self.sent = 0
        self._ids = itertools.count(1)

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        api = url.rsplit("/", 1)[-1]
        if api == "sendMessage":
            self.sent += 1
            chat = request_data.parameters["chat_id"] if request_data else 0
            result: Any = {
                "message_id": next(self._ids),
                "date": 0,
                "chat": {"id": chat, "type": "private"},
                "text": "x",
            }
        elif api == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


_update_ids = itertools.count(1)


def update(chat: int, text: str) -> dict[str, Any]:
    user = {"id": chat, "is_bot": False, "first_name": "Warga"}
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": next(_update_ids),
            "date": int(time.time()),
            "chat": {"id": chat, "type": "private"},
            "from": user,
            "text": text,
        },
    }


async def run(chats: int, concurrency: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            environment=False,
            database_url=f"sqlite+aiosqlite:///{folder}/bench.db",
            agency_config=AGENCY,
        )
        api = NullBotApi()
        application = telegram.build_application("1:BENCH", None, request=api)
        await application.initialize()
        # The stand-in has no limits to respect (pacing has its own tests); measure ingest.
        unpaced = Pacer(per_second=100_000, per_chat_interval=0.0)
        app = await build_app(settings, [telegram.TelegramSender(application, unpaced)])
        await telegram_inbound.register_webhook(
            application, "https://bench.invalid/telegram/webhook", SECRET
        )
        web = make_web_app(
            {
                "/telegram/webhook": telegram_inbound.webhook_endpoint(
                    application, app.engine.submit, SECRET
                )
            }
        )
        server, serving, port = await loopback.serve(web)
        tune_gc()
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        prepared = {
            chat: [
                loopback.request(
                    "/telegram/webhook",
                    "application/json",
                    headers,
                    json.dumps(update(chat, text)).encode(),
                )
                for text in SCRIPT
            ]
            for chat in range(1, chats + 1)
        }
        latencies, elapsed = await loopback.drive(port, prepared, concurrency)
        await app.dispatcher.wait_idle()
        await loopback.stop(server, serving)
        await app.stop()
        await application.shutdown()
    print(
        f"webhook: {len(latencies)} updates from {chats} chats, {concurrency} connections: "
        f"accepted and committed {loopback.summary(latencies, elapsed)}, "
        f"replies sent={api.sent}",
        flush=True,
    )


def main() -> int:
    args = loopback.arguments(__doc__)
    asyncio.run(run(args.chats, args.concurrency))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
