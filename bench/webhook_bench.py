"""Telegram webhook ingest through uvicorn on loopback.

Simulated chats post updates to the real Starlette app served by uvicorn on 127.0.0.1, with
the secret header, over keep-alive HTTP/1.1 connections. The webhook answers only after the
engine has committed the update, so every answered request is an update accepted and fully
processed. Replies go to a Bot API stand-in behind PTB's BaseRequest seam (no network).

    python -m bench.webhook_bench            # full run
    python -m bench.webhook_bench --small    # the CI run
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import socket
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import uvicorn
from telegram.request import BaseRequest, RequestData

from bot.app import build_app, tune_gc
from bot.channels import telegram
from bot.config import load_settings
from bot.web import make_web_app

AGENCY = Path(__file__).resolve().parent.parent / "config" / "agency.soppeng.toml"
SECRET = "bench-secret"
SCRIPT = [
    "halo",
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
    "kirim",
]


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


async def post(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, body: dict[str, Any]
) -> int:
    payload = json.dumps(body).encode()
    writer.write(
        b"POST /telegram/webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\n"
        + f"X-Telegram-Bot-Api-Secret-Token: {SECRET}\r\n".encode()
        + f"Content-Length: {len(payload)}\r\n\r\n".encode()
        + payload
    )
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return status


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
            database_url=f"sqlite+aiosqlite:///{folder}/bench.db", agency_config=AGENCY
        )
        api = NullBotApi()
        application = telegram.build_application("1:BENCH", None, request=api, webhook=True)
        await application.initialize()
        # The stand-in has no limits to respect (pacing has its own tests); measure ingest.
        unpaced = telegram.RateLimiter(per_second=100_000, per_chat_interval=0.0)
        app = await build_app(settings, [telegram.TelegramSender(application, unpaced)])
        await telegram.register_webhook(
            application, "https://bench.invalid/telegram/webhook", SECRET
        )
        web = make_web_app(
            {"/telegram/webhook": telegram.webhook_endpoint(application, app.engine.submit, SECRET)}
        )
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning")
        )
        serving = asyncio.create_task(server.serve())
        for _ in range(1000):  # uvicorn offers no event for "listening"
            if server.started:
                break
            await asyncio.sleep(0.01)
        tune_gc()
        latencies: list[float] = []
        queue: asyncio.Queue[int] = asyncio.Queue()
        for chat in range(1, chats + 1):
            queue.put_nowait(chat)

        async def worker() -> None:
            # A keep-alive HTTP/1.1 connection written by hand: httpx's connection pool cost
            # more CPU than the bot itself and would have measured the load generator.
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            while not queue.empty():
                chat = queue.get_nowait()
                for text in SCRIPT:  # one chat's messages in order, as a phone sends them
                    started = time.perf_counter()
                    status = await post(reader, writer, update(chat, text))
                    latencies.append(time.perf_counter() - started)
                    assert status == 200, status
            writer.close()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        await app.dispatcher.wait_idle()
        server.should_exit = True
        await serving
        await telegram.stop_receiving(application)
        await app.stop()
        await telegram.shutdown(application)
    latencies.sort()
    print(
        f"webhook: {len(latencies)} updates from {chats} chats, {concurrency} connections: "
        f"{len(latencies) / elapsed:.0f} updates/s accepted and committed, "
        f"p50={1000 * statistics.median(latencies):.1f} ms, "
        f"p99={1000 * latencies[int(0.99 * (len(latencies) - 1))]:.1f} ms, "
        f"replies sent={api.sent}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    if args.small:
        args.chats, args.concurrency = 50, 8
    asyncio.run(run(args.chats, args.concurrency))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
