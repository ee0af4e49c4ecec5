"""Property: whatever is posted to a webhook, the answer is never a 5xx and nothing breaks.

A few hundred payloads per endpoint here (run small in CI); `python -m bench.fuzz_bench`
posts thousands and prints the tally."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.channels import whatsapp
from tests.fake_twilio import TOKEN, FakeTwilio, signed_headers
from tests.harness import make_settings
from tests.payloads import telegram_bodies, twilio_forms
from tests.telegram_rig import SECRET, Hooked, webhook

PUBLIC = "https://bot.example.id/whatsapp/inbound"
# One rig takes every example (that is the point: the same running bot, payload after
# payload), so Hypothesis is told the function-scoped fixture is shared on purpose.
FUZZ = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
async def hooked(tmp_path: Path) -> AsyncIterator[Hooked]:
    async with webhook(tmp_path) as rig:
        yield rig


@FUZZ
@given(body=telegram_bodies)
async def test_no_telegram_payload_gets_a_5xx(hooked: Hooked, body: Any) -> None:
    response = await hooked.client.post(
        "/telegram/webhook",
        content=json.dumps(body).encode(),
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"},
    )
    assert response.status_code in (200, 400), body


@pytest.mark.parametrize(
    "body",
    [
        b"true",
        b"1",
        b'{"update_id": 1, "message": "str"}',
        b'{"update_id": 2, "callback_query": {"id": "x", "from": {"id": 5, "is_bot": false, '
        b'"first_name": "A"}, "chat_instance": "c", "data": 12345}}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"update_id": 3, "message": {"message_id": 1, "date": 0, "chat": {"id": 1, '
        b'"type": "private"}, "from": {"id": 1, "is_bot": false, "first_name": "A"}, '
        b'"text": {"nested": []}}}',
        "\ud800".encode("utf-8", "surrogatepass"),
        b'{"update_id": 4, "message": {"message_id": 1, "date": 9223372036854775808}}',
        b'{"update_id": 5, "message": {"message_id": 1, "date": 67768036191676800}}',
    ],
)
async def test_known_bad_telegram_payloads_are_400(hooked: Hooked, body: bytes) -> None:
    response = await hooked.client.post(
        "/telegram/webhook",
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code in (200, 400)
    assert (await hooked.client.get("/healthz")).status_code == 200


async def test_a_body_larger_than_any_update_is_413_before_it_is_read(hooked: Hooked) -> None:
    async def endless() -> AsyncIterator[bytes]:
        for _ in range(10_000):  # 640 MB if it were all read; chunked, no length given
            yield b"x" * 65536

    secret = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    streamed = await hooked.client.post("/telegram/webhook", content=endless(), headers=secret)
    assert streamed.status_code == 413
    declared = {**secret, "Content-Length": str(300 * 2**20)}
    told = await hooked.client.post("/telegram/webhook", content=b"{}", headers=declared)
    assert told.status_code == 413


@pytest.fixture
async def phone(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    from bot.app import build_app
    from bot.engine.clock import FakeClock
    from bot.web import make_web_app
    from tests.harness import START

    twilio = FakeTwilio()
    await twilio.start()
    clock = FakeClock(START)
    sender = whatsapp.WhatsAppSender("AC" + "0" * 32, TOKEN, "+1415", api_base_url=twilio.url)
    app = await build_app(make_settings(tmp_path), [sender], clock)
    web = make_web_app(
        {"/whatsapp/inbound": whatsapp.inbound_endpoint(app.engine.submit, TOKEN, PUBLIC)}
    )
    transport = httpx.ASGITransport(app=web)
    async with httpx.AsyncClient(transport=transport, base_url="https://bot.example.id") as c:
        yield c
    await app.stop()
    await sender.close()
    await twilio.stop()


@FUZZ
@given(form=twilio_forms, signed=st.booleans())
async def test_no_twilio_form_gets_a_5xx(
    phone: httpx.AsyncClient, form: dict[str, str], signed: bool
) -> None:
    headers = signed_headers(PUBLIC, form) if signed else {"X-Twilio-Signature": "Zm9yZ2Vk"}
    response = await phone.post("/whatsapp/inbound", data=form, headers=headers)
    assert response.status_code in ((200, 400) if signed else (403,)), form


async def test_an_unsigned_form_of_any_size_is_refused_unread(phone: httpx.AsyncClient) -> None:
    async def endless() -> AsyncIterator[bytes]:
        for _ in range(10_000):
            yield b"Body=" + b"x" * 65531

    unsigned = await phone.post("/whatsapp/inbound", content=endless())
    assert unsigned.status_code == 403  # no signature header: nothing is read
    forged = {"X-Twilio-Signature": "Zm9yZ2Vk"}
    big = await phone.post("/whatsapp/inbound", content=endless(), headers=forged)
    assert big.status_code == 413  # a signature to check, but more than Twilio ever sends
