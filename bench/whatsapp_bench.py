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

import asyncio
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from twilio.request_validator import RequestValidator

from bench import loopback
from bench.engine_bench import COMPLAINT, ONBOARD
from bot.app import build_app, tune_gc
from bot.channels import whatsapp
from bot.config import load_settings
from bot.engine.dispatcher import SendResult
from bot.values.types import Outbound
from bot.web import make_web_app

AGENCY = Path(__file__).resolve().parent.parent / "config" / "agency.soppeng.toml"
TOKEN = "bench-auth-token"
PUBLIC = "https://bench.invalid/whatsapp/inbound"
SCRIPT = [*ONBOARD, *COMPLAINT]  # the engine benchmark's complaint, as webhooks


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
                loopback.request(
                    "/whatsapp/inbound",
                    "application/x-www-form-urlencoded",
                    {"X-Twilio-Signature": signature},
                    body,
                )
            )
    return prepared


async def run(chats: int, concurrency: int) -> None:
    prepared = requests_for(chats)
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(
            environment=False,
            database_url=f"sqlite+aiosqlite:///{folder}/bench.db",
            agency_config=AGENCY,
        )
        app = await build_app(settings, [NullWhatsApp()])
        web = make_web_app(
            {"/whatsapp/inbound": whatsapp.inbound_endpoint(app.engine.submit, TOKEN, PUBLIC)}
        )
        server, serving, port = await loopback.serve(web)
        tune_gc()
        latencies, elapsed = await loopback.drive(port, prepared, concurrency)
        await loopback.stop(server, serving)
        await app.stop()
    print(
        f"whatsapp: {len(latencies)} signed messages from {chats} numbers, {concurrency} "
        f"connections: fully processed {loopback.summary(latencies, elapsed)}",
        flush=True,
    )


def main() -> int:
    args = loopback.arguments(__doc__)
    asyncio.run(run(args.chats, args.concurrency))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
