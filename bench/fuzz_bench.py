"""Fuzzing both webhooks with Hypothesis, in numbers: how many payloads were posted and how
many got a 5xx (the target is none). The same strategies as tests/test_fuzz.py, many more
examples, against the real Starlette app with the engine on a SQLite file.

    python -m bench.fuzz_bench            # 10,500 payloads: 6,000 Telegram, 4,500 WhatsApp
    python -m bench.fuzz_bench --small    # the CI run: 600
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import build_app
from bot.channels import whatsapp
from bot.engine.clock import FakeClock
from bot.web import make_web_app
from tests.fake_twilio import TOKEN, FakeTwilio, signed_headers
from tests.harness import START, make_settings
from tests.payloads import telegram_bodies, twilio_forms
from tests.telegram_rig import SECRET, webhook

PUBLIC = "https://bot.example.id/whatsapp/inbound"


def _fuzz(count: int) -> settings:
    return settings(
        max_examples=count,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _status(loop: asyncio.AbstractEventLoop, request: Any) -> int:
    """The answer's status; an exception the app let out is what a server makes a 500."""
    try:
        return int(loop.run_until_complete(request).status_code)
    except Exception:
        return 500


def telegram(loop: asyncio.AbstractEventLoop, folder: Path, count: int) -> Counter[int]:
    statuses: Counter[int] = Counter()
    rig = webhook(folder / "telegram")
    hooked = loop.run_until_complete(rig.__aenter__())
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}

    @_fuzz(count)
    @given(body=telegram_bodies)
    def post(body: Any) -> None:
        request = hooked.client.post(
            "/telegram/webhook", content=json.dumps(body).encode(), headers=headers
        )
        statuses[_status(loop, request)] += 1

    post()
    loop.run_until_complete(rig.__aexit__(None, None, None))
    return statuses


def twilio(loop: asyncio.AbstractEventLoop, folder: Path, count: int) -> Counter[int]:
    statuses: Counter[int] = Counter()

    async def start() -> tuple[Any, ...]:
        fake = FakeTwilio()
        await fake.start()
        sender = whatsapp.WhatsAppSender("AC" + "0" * 32, TOKEN, "+1415", api_base_url=fake.url)
        app = await build_app(make_settings(folder), [sender], FakeClock(START))
        endpoint = whatsapp.inbound_endpoint(app.engine.submit, TOKEN, PUBLIC)
        web = make_web_app({"/whatsapp/inbound": endpoint})
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=web), base_url="https://bot.example.id"
        )
        return fake, sender, app, client

    fake, sender, app, client = loop.run_until_complete(start())

    @_fuzz(count)
    @given(form=twilio_forms, signed=st.booleans())
    def post(form: dict[str, str], signed: bool) -> None:
        headers = signed_headers(PUBLIC, form) if signed else {"X-Twilio-Signature": "Zm9yZ2Vk"}
        request = client.post("/whatsapp/inbound", data=form, headers=headers)
        statuses[_status(loop, request)] += 1

    post()

    async def stop() -> None:
        await client.aclose()
        await app.stop()
        await sender.close()
        await fake.stop()

    loop.run_until_complete(stop())
    return statuses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true")
    small = parser.parse_args().small
    loop = asyncio.new_event_loop()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "telegram").mkdir()
        results = {
            "Telegram webhook": telegram(loop, folder, 300 if small else 6_000),
            "WhatsApp inbound": twilio(loop, folder, 300 if small else 4_500),
        }
    loop.close()
    failures = 0
    for name, statuses in results.items():
        errors = sum(n for status, n in statuses.items() if status >= 500)
        failures += errors
        answers = ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        print(f"fuzz {name}: {sum(statuses.values()):,} payloads, {errors} got a 5xx ({answers})")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
