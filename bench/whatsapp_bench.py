"""WhatsApp inbound through uvicorn on loopback: signed Twilio webhooks, fully processed.

Simulated citizens post form-encoded Twilio webhooks, each signed with `RequestValidator`
exactly as Twilio signs them, to the real Starlette app under uvicorn on 127.0.0.1, over
keep-alive HTTP/1.1 connections. The endpoint answers after the engine's commit, so every
answered request is a message accepted and fully processed. Replies go to a null sender
(sending through Twilio is not what this measures).

    python -m bench.whatsapp_bench            # full run
    python -m bench.whatsapp_bench --small    # the CI run
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import uvicorn
from twilio.request_validator import RequestValidator

from bench.webhook_bench import free_port
from bot.app import build_app, tune_gc
from bot.channels import whatsapp
from bot.config import load_settings
from bot.engine.dispatcher import SendResult
from bot.engine.types import Outbound
from bot.web import make_web_app

AGENCY = Path(__file__).resolve().parent.parent / "config" / "agency.soppeng.toml"
TOKEN = "bench-auth-token"
PUBLIC = "https://bench.invalid/whatsapp/inbound"
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


class NullWhatsApp:
    channel = "whatsapp"

    async def send(self, message: Outbound) -> SendResult:
        return SendResult(True, provider_id=f"SM{message.outbox_id}")


def requests_for(chats: int) -> dict[int, list[bytes]]:
    """Every chat's signed requests, built before the clock starts."""
    validator = RequestValidator(TOKEN)
    prepared: dict[int, list[bytes]] = {}
    sid = 0
    for chat in range(chats):
        number = f"+62812{chat:08d}"
        prepared[chat] = []
        for text in SCRIPT:
            sid += 1
            form = {
                "MessageSid": f"SM{sid:032d}",
                "From": f"whatsapp:{number}",
                "To": "whatsapp:+14155238886",
                "Body": text,
                "ProfileName": "Warga",
                "NumMedia": "0",
            }
            body = urlencode(form).encode()
            signature = validator.compute_signature(PUBLIC, form)
            prepared[chat].append(
                b"POST /whatsapp/inbound HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                + f"X-Twilio-Signature: {signature}\r\nContent-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
    return prepared


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def run(chats: int, concurrency: int) -> None:
    prepared = requests_for(chats)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{folder}/bench.db", agency_config=AGENCY
        )
        app = await build_app(settings, [NullWhatsApp()])
        web = make_web_app(
            {"/whatsapp/inbound": whatsapp.inbound_endpoint(app.engine.submit, TOKEN, PUBLIC)}
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
        queue = list(prepared)

        async def worker() -> None:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            while queue:
                for request in prepared[queue.pop()]:  # one chat's messages in order
                    started = time.perf_counter()
                    writer.write(request)
                    status = await read_response(reader)
                    latencies.append(time.perf_counter() - started)
                    assert status == 200, status
            writer.close()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
        server.should_exit = True
        await serving
        await app.stop()
    latencies.sort()
    print(
        f"whatsapp: {len(latencies)} signed messages from {chats} numbers, {concurrency} "
        f"connections: {len(latencies) / elapsed:.0f} msg/s fully processed, "
        f"p50={1000 * statistics.median(latencies):.1f} ms, "
        f"p99={1000 * latencies[int(0.99 * (len(latencies) - 1))]:.1f} ms",
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
