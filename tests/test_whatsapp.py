"""WhatsApp through the real twilio client against a local fake REST server, with webhooks
signed exactly as Twilio signs them."""

from __future__ import annotations

import asyncio
import itertools
import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import App, build_app
from bot.channels import whatsapp
from bot.engine.clock import FakeClock
from bot.reports.files import download_endpoint
from bot.web import make_web_app
from tests.fake_twilio import ACCOUNT, TOKEN, FakeTwilio, signed_headers
from tests.harness import START, grant_on, make_settings

PUBLIC = "https://bot.example.id/whatsapp/inbound"
STATUS = "https://bot.example.id/whatsapp/status"
NUMBER = "+6281234567890"
_sids = itertools.count(1)


@dataclass
class Phone:
    twilio: FakeTwilio
    app: App
    client: httpx.AsyncClient

    async def post(self, form: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        headers = signed_headers(PUBLIC, form) if headers is None else headers
        response = await self.client.post("/whatsapp/inbound", data=form, headers=headers)
        return response.status_code

    async def say(
        self, text: str | None = None, sid: str | None = None, frm: str = NUMBER, **extra: str
    ) -> str:
        before = len(self.twilio.to(frm))
        form = {
            "MessageSid": sid or f"SM{next(_sids):032x}",
            "From": f"whatsapp:{frm}",
            "To": "whatsapp:+14155238886",
            "Body": text or "",
            "ProfileName": "Budi",
            "WaId": frm.lstrip("+"),
            **extra,
        }
        assert await self.post(form) == 200
        await self.app.dispatcher.wait_idle()
        return "\n".join(self.twilio.to(frm)[before:])


@pytest.fixture
async def phone(tmp_path: Path) -> AsyncIterator[Phone]:
    twilio = FakeTwilio()
    await twilio.start()
    clock = FakeClock(START)
    sender = whatsapp.WhatsAppSender(
        ACCOUNT, TOKEN, "+14155238886", api_base_url=twilio.url, clock=clock.now
    )
    app = await build_app(
        make_settings(tmp_path, public_base_url="https://bot.example.id"), [sender], clock
    )
    web = make_web_app(
        {
            "/whatsapp/inbound": whatsapp.inbound_endpoint(
                app.engine.submit, TOKEN, PUBLIC, clock.now
            ),
            "/whatsapp/status": whatsapp.status_endpoint(app.engine.write, TOKEN, STATUS),
        },
        {
            "/files/{token}/{name}": download_endpoint(
                app.files, lambda: app.clock.now().timestamp()
            )
        },
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web), base_url="https://bot.example.id"
    ) as client:
        yield Phone(twilio, app, client)
    await app.stop()
    await sender.close()
    await twilio.stop()


async def test_a_whole_complaint_over_whatsapp(phone: Phone) -> None:
    welcome = await phone.say("halo")
    assert "Selamat datang" in welcome and "1. Bahasa Indonesia" in welcome  # numbered options
    for line in [
        "1",
        "1",
        "1",
        "jembatan",
        "Jembatan kayu di dusun kami patah sejak minggu lalu",
        "lanjut",
        "lapajung",
        "lewati",
        "anonim",
    ]:
        await phone.say(line)
    receipt = await phone.say("kirim")
    assert re.search(r"\*P-[2-9A-Z]{4}-[2-9A-Z]{4}\*", receipt), receipt


async def test_the_chats_number_is_offered_for_an_information_request(phone: Phone) -> None:
    for line in [
        "halo",
        "1",
        "2",
        "1",
        "Siti Aminah",
        "7312015708850002",
        "Jl. Kemakmuran No. 5, Lapajung",
    ]:
        await phone.say(line)
    contact = await phone.say("ini nomor saya")  # not understood: the question comes again
    assert "0812****7890" in contact
    assert "Pekerjaan" in await phone.say("1")  # "Pakai nomor ini"


async def test_a_forged_signature_is_refused_and_nothing_processed(phone: Phone) -> None:
    form = {"MessageSid": "SMforged", "From": f"whatsapp:{NUMBER}", "Body": "halo"}
    assert await phone.post(form, headers={"X-Twilio-Signature": "bm90LXJpZ2h0"}) == 403
    assert await phone.post(form, headers={}) == 403
    tampered = signed_headers(PUBLIC, form)
    assert await phone.post({**form, "Body": "lain"}, headers=tampered) == 403
    await asyncio.sleep(0.1)
    assert phone.twilio.messages == []


async def test_a_replayed_message_sid_is_processed_once(phone: Phone) -> None:
    assert "Selamat datang" in await phone.say("halo", sid="SMreplayed")
    assert await phone.say("halo", sid="SMreplayed") == ""
    assert len(phone.twilio.to(NUMBER)) == 1


async def test_a_photo_with_a_caption_and_a_shared_location(phone: Phone) -> None:
    for line in ["halo", "1", "1", "1", "1"]:
        await phone.say(line)
    reply = await phone.say(
        "Jalan berlubang di depan sekolah",
        NumMedia="1",
        MediaUrl0="https://api.twilio.com/media/ME1",
        MediaContentType0="image/jpeg",
    )
    assert "Ada tambahan" in reply
    await phone.say("lanjut")
    located = await phone.say("", Latitude="-4.3519", Longitude="119.8866", Address="Watansoppeng")
    assert "Lokasi diterima" in located


async def test_a_2500_character_reply_is_split_under_1600(phone: Phone) -> None:
    sender = whatsapp.WhatsAppSender(
        ACCOUNT, TOKEN, "+14155238886", api_base_url=phone.twilio.url, clock=lambda: START
    )
    from bot.values.types import Outbound

    text = ("Kalimat panjang untuk pengujian pemecahan pesan. " * 52).strip()
    now = START
    result = await sender.send(
        Outbound(1, "whatsapp", "+6289999999999", text, (("a", "Ya"),), last_inbound_at=now)
    )
    await sender.close()
    pieces = phone.twilio.to("+6289999999999")
    assert result.ok and len(pieces) == 2 and all(len(p) <= 1600 for p in pieces)
    assert pieces[-1].endswith("1. Ya")


def test_numbers_are_normalised_and_unknown_fields_ignored() -> None:
    for sender in ("whatsapp:+6281234567890", "whatsapp:6281234567890", "whatsapp:081234567890"):
        inbound = whatsapp.form_to_inbound(
            {"MessageSid": "SM1", "From": sender, "Body": "x", "NewField": "?"}
        )
        assert inbound is not None and inbound.chat_id == "+6281234567890"
    quick = whatsapp.form_to_inbound(
        {
            "MessageSid": "SM2",
            "From": "whatsapp:+6281234567890",
            "ButtonPayload": "send",
            "ButtonText": "Kirim",
        }
    )
    assert quick is not None and quick.choice == "send"


async def status(phone: Phone, sid: str, state: str, code: str | None = None) -> int:
    form = {"MessageSid": sid, "MessageStatus": state, **({"ErrorCode": code} if code else {})}
    response = await phone.client.post(
        "/whatsapp/status", data=form, headers=signed_headers(STATUS, form)
    )
    return response.status_code


async def outbox_row(phone: Phone) -> Any:
    from sqlalchemy import select

    from storage.schema import identities, outbox

    async with phone.app.db.connect() as conn:
        row = (
            await conn.execute(
                select(
                    outbox.c.provider_message_id,
                    outbox.c.delivery_status,
                    outbox.c.status,
                    outbox.c.last_error,
                )
            )
        ).first()
        reachable = (await conn.execute(select(identities.c.reachable))).scalar_one()
    return row, reachable


async def test_status_callbacks_apply_in_order_whatever_order_they_come(phone: Phone) -> None:
    await phone.say("halo")
    await phone.app.engine.flush()
    (sid, _state, _status, _err), _ = await outbox_row(phone)
    assert await status(phone, sid, "delivered") == 204
    assert await status(phone, sid, "sent") == 204  # late: ignored
    assert (await outbox_row(phone))[0][1] == "delivered"
    assert await status(phone, sid, "read") == 204
    assert (await outbox_row(phone))[0][1] == "read"


async def test_a_permanent_failure_marks_the_number_unreachable(phone: Phone) -> None:
    await phone.say("halo")
    await phone.app.engine.flush()
    (sid, *_), _ = await outbox_row(phone)
    assert await status(phone, sid, "failed", "63024") == 204
    (_, state, row_status, error), reachable = await outbox_row(phone)
    assert (state, row_status, error, reachable) == ("failed", "dead", "Twilio63024", False)


async def test_a_forged_status_callback_is_refused(phone: Phone) -> None:
    form = {"MessageSid": "SMx", "MessageStatus": "failed", "ErrorCode": "63024"}
    response = await phone.client.post(
        "/whatsapp/status", data=form, headers={"X-Twilio-Signature": "x"}
    )
    assert response.status_code == 403


async def _queue_update(phone: Phone, text: str, kind: str = "status_update") -> None:
    """A pushed notification (the scheduler's job, issue 6) for the person behind NUMBER."""
    from sqlalchemy import insert, select

    from storage.schema import identities, outbox

    async with phone.app.db.begin() as conn:
        identity = (await conn.execute(select(identities.c.id))).scalar_one()
        now = phone.app.clock.now()
        await conn.execute(
            insert(outbox).values(
                identity_id=identity,
                channel="whatsapp",
                kind=kind,
                status="pending",
                payload={"text": text, "buttons": []},
                not_before=now,
                created_at=now,
            )
        )


async def _age_the_window(phone: Phone, hours: float) -> None:
    from sqlalchemy import update

    from storage.schema import identities

    async with phone.app.db.begin() as conn:
        old = phone.app.clock.now() - timedelta(hours=hours)
        await conn.execute(update(identities).values(last_inbound_at=old))


async def test_outside_the_window_without_a_template_the_message_waits_for_the_person(
    phone: Phone,
) -> None:
    await phone.say("halo")
    await _age_the_window(phone, 30)
    await _queue_update(phone, "Laporan Anda sedang ditindaklanjuti.")
    await phone.app.dispatcher.recover()
    await phone.app.dispatcher.wait_idle()
    await phone.app.engine.flush()
    assert not any("ditindaklanjuti" in m for m in phone.twilio.to(NUMBER))  # held, not sent
    later = await phone.say("halo lagi")  # the person writes: the window opens again
    assert "Laporan Anda sedang ditindaklanjuti." in later


async def test_outside_the_window_with_a_template_it_goes_as_the_template(phone: Phone) -> None:
    sender = whatsapp.WhatsAppSender(
        ACCOUNT,
        TOKEN,
        "+14155238886",
        api_base_url=phone.twilio.url,
        templates={"status_update": "HX" + "1" * 32},
        clock=lambda: START,
    )
    from bot.values.types import Outbound

    old = START - timedelta(hours=30)
    result = await sender.send(
        Outbound(
            9,
            "whatsapp",
            "+6287777777777",
            "Kabar laporan Anda",
            kind="status_update",
            last_inbound_at=old,
        )
    )
    await sender.close()
    [sent] = [m for m in phone.twilio.messages if m["To"] == "whatsapp:+6287777777777"]
    assert result.ok and sent["ContentSid"] == "HX" + "1" * 32
    assert "Kabar laporan Anda" in sent["ContentVariables"] and "Body" not in sent


async def test_a_63016_callback_holds_the_message_until_the_person_writes(phone: Phone) -> None:
    await phone.say("halo")
    await phone.app.engine.flush()
    (sid, *_), _ = await outbox_row(phone)
    assert await status(phone, sid, "failed", "63016") == 204
    (_, state, row_status, error), reachable = await outbox_row(phone)
    assert (state, row_status, error, reachable) == ("failed", "held", "Twilio63016", True)
    again = await phone.say("halo?")
    assert "Selamat datang" in again  # the held welcome went out again, first


async def test_a_whole_information_request_over_whatsapp(phone: Phone) -> None:
    for line in [
        "halo",
        "1",
        "2",
        "1",
        "Siti Aminah",
        "7312015708850002",
        "Jl. Kemakmuran No. 5, Lapajung",
        "1",
        "Guru",
        "Dokumen APBDes Lapajung 2025",
        "Bahan diskusi warga",
        "2",
        "1",
    ]:
        await phone.say(line)
    receipt = await phone.say("kirim")
    assert re.search(r"\d{3}/PPID/[IVX]+/\d{4}", receipt), receipt
    from sqlalchemy import select

    from storage.schema import request_details

    async with phone.app.db.connect() as conn:
        details = (await conn.execute(select(request_details))).one()
    assert details.phone == NUMBER  # "Pakai nomor ini": the chat's own number


async def test_several_held_messages_go_out_as_one(phone: Phone) -> None:
    await phone.say("halo")
    await _age_the_window(phone, 30)
    await _queue_update(phone, "Kabar pertama.")
    await _queue_update(phone, "Kabar kedua.")
    await phone.app.dispatcher.recover()
    await phone.app.dispatcher.wait_idle()
    await phone.app.engine.flush()
    before = len(phone.twilio.to(NUMBER))
    await phone.say("halo lagi")
    new = phone.twilio.to(NUMBER)[before:]
    bundled = [m for m in new if "Kabar pertama." in m]
    assert len(bundled) == 1 and "Kabar kedua." in bundled[0]


async def test_a_63016_with_a_template_is_sent_again_as_the_template(tmp_path: Path) -> None:
    twilio = FakeTwilio()
    await twilio.start()
    template = "HX" + "2" * 32
    clock = FakeClock(START)
    sender = whatsapp.WhatsAppSender(
        ACCOUNT,
        TOKEN,
        "+14155238886",
        api_base_url=twilio.url,
        templates={"reply": template},
        clock=clock.now,
    )
    app = await build_app(make_settings(tmp_path), [sender], clock)
    web = make_web_app(
        {
            "/whatsapp/inbound": whatsapp.inbound_endpoint(
                app.engine.submit, TOKEN, PUBLIC, clock.now
            ),
            "/whatsapp/status": whatsapp.status_endpoint(
                app.engine.write,
                TOKEN,
                STATUS,
                templates={"reply": template},
                resend=app.dispatcher.resend,
            ),
        }
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=web), base_url="https://bot.example.id"
    ) as client:
        phone = Phone(twilio, app, client)
        await phone.say("halo")
        await app.engine.flush()
        (sid, *_), _ = await outbox_row(phone)
        assert await status(phone, sid, "failed", "63016") == 204
        await app.dispatcher.wait_idle()
        again = [m for m in twilio.messages if m.get("ContentSid") == template]
        assert len(again) == 1 and "Selamat datang" in again[0]["ContentVariables"]
    await app.stop()
    await sender.close()
    await twilio.stop()


async def test_quick_reply_buttons_where_configured(phone: Phone) -> None:
    from bot.values.types import Outbound

    sids = {"2": "HX" + "3" * 32}
    sender = whatsapp.WhatsAppSender(
        ACCOUNT,
        TOKEN,
        "+14155238886",
        api_base_url=phone.twilio.url,
        quick_replies=sids,
        clock=lambda: START,
    )
    now = START
    two = Outbound(
        5,
        "whatsapp",
        "+6286666666666",
        "Kirim sekarang?",
        (("send", "✅ Kirim"), ("edit", "✏️ Ubah")),
        last_inbound_at=now,
    )
    three = Outbound(
        6,
        "whatsapp",
        "+6286666666666",
        "Pilih:",
        (("a", "A"), ("b", "B"), ("c", "C")),
        last_inbound_at=now,
    )
    assert (await sender.send(two)).ok and (await sender.send(three)).ok
    await sender.close()
    first, second = [m for m in phone.twilio.messages if m["To"] == "whatsapp:+6286666666666"]
    assert first["ContentSid"] == sids["2"]
    assert json.loads(first["ContentVariables"]) == {
        "1": "Kirim sekarang?",
        "2": "✅ Kirim",
        "3": "✏️ Ubah",
        "4": "send",
        "5": "edit",
    }
    assert "ContentSid" not in second and second["Body"].endswith("3. C")  # none for 3: numbered
    # The tap comes back as ButtonPayload, which the engine takes as the choice.
    tapped = whatsapp.form_to_inbound(
        {
            "MessageSid": "SMq",
            "From": "whatsapp:+6286666666666",
            "ButtonPayload": "send",
            "ButtonText": "✅ Kirim",
        }
    )
    assert tapped is not None and tapped.choice == "send"


async def test_an_officer_on_whatsapp_works_a_case_by_number_and_command(phone: Phone) -> None:
    from tests.harness import COMPLAINT_SCRIPT, code_in

    officer = "+6281311112222"
    await grant_on(phone.app, "whatsapp", officer, "ppid_pembantu", "dinas-pupr")
    await phone.say("halo", frm=officer)
    await phone.say("1", frm=officer)  # inside the 24-hour window from now on
    await phone.say("halo")
    await phone.say("1")
    for line in COMPLAINT_SCRIPT:
        await phone.say(line)
    code = code_in(await phone.say("kirim"))
    card = phone.twilio.to(officer)[-1]
    assert code in card and "1. ✋ Ambil" in card and "Verifikasi" not in card
    assert "Anda menangani" in await phone.say("1", frm=officer)  # the card's first option
    assert "sedang ditindaklanjuti" in phone.twilio.to(NUMBER)[-1]
    await phone.say(f"/balas {code} Petugas datang besok pagi.", frm=officer)
    assert "Petugas datang besok pagi." in phone.twilio.to(NUMBER)[-1]
    # A swipe-reply to the card is a reply to the citizen too.
    card_sid = next(
        m["Sid"]
        for m in phone.twilio.messages
        if m["To"] == f"whatsapp:{officer}" and code in m["Body"] and "Kasus baru" in m["Body"]
    )
    await phone.app.engine.flush()  # the card's provider id is recorded
    await phone.say("Kami bawa alat berat.", frm=officer, OriginalRepliedMessageSid=card_sid)
    assert "Kami bawa alat berat." in phone.twilio.to(NUMBER)[-1]


async def test_rekap_on_whatsapp_comes_as_signed_links_the_app_serves(phone: Phone) -> None:
    coordinator = "+6281399998888"
    await grant_on(phone.app, "whatsapp", coordinator, "koordinator")
    from tests.harness import COMPLAINT_SCRIPT

    for line in ["halo", "1", *COMPLAINT_SCRIPT, "kirim"]:
        await phone.say(line)
    await phone.say("halo", frm=coordinator)
    await phone.say("1", frm=coordinator)
    assert "sedang disiapkan" in await phone.say("/rekap", frm=coordinator)
    await phone.app.recaps.wait_idle()
    await phone.app.dispatcher.wait_idle()
    recap = phone.twilio.to(coordinator)[-2]  # the text, then the chart as media
    assert "Pengaduan dan aspirasi: 1" in recap and "dapat diunduh hingga" in recap
    workbook = re.search(r"https://bot\.example\.id(/files/\S+\.xlsx\?exp=\d+&sig=\w+)", recap)
    assert workbook, recap
    [chart] = phone.twilio.media_to(coordinator)  # Twilio fetches it from the signed link
    assert chart.startswith("https://bot.example.id/files/") and ".png?exp=" in chart

    got = await phone.client.get(workbook.group(1))
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert got.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert got.headers["cache-control"] == "private, no-store"
    assert "attachment" in got.headers["content-disposition"]
    image = await phone.client.get(chart.removeprefix("https://bot.example.id"))
    assert image.status_code == 200 and image.content[:4] == b"\x89PNG"

    forged = workbook.group(1)[:-4] + "0000"
    assert (await phone.client.get(forged)).status_code == 404
    later = make_web_app(
        {},
        {
            "/files/{token}/{name}": download_endpoint(
                phone.app.files, lambda: phone.app.clock.now().timestamp() + 25 * 3600
            )
        },
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=later), base_url="https://bot.example.id"
    ) as client:
        expired = await client.get(workbook.group(1))
    assert expired.status_code == 410 and "kedaluwarsa" in expired.text


async def test_a_message_the_database_refused_is_a_503_and_taken_when_twilio_retries(
    phone: Phone,
) -> None:
    from tests.refusal import Refusal

    assert "Selamat datang" in await phone.say("halo")
    refusal = Refusal(phone.app)
    await refusal.read_only()
    form = {
        "MessageSid": "SM" + "7" * 32,
        "From": f"whatsapp:{NUMBER}",
        "To": "whatsapp:+14155238886",
        "Body": "1",
    }
    assert await phone.post(form) == 503  # Twilio retries (rp=5xx) what was not taken
    status = {"MessageSid": "SMx", "MessageStatus": "delivered"}
    refused_status = await phone.client.post(
        "/whatsapp/status", data=status, headers=signed_headers(STATUS, status)
    )
    assert refused_status.status_code == 503
    await refusal.clear()
    assert await phone.post(form) == 200
    await phone.app.dispatcher.wait_idle()
    assert "Silakan pilih layanan" in phone.twilio.to(NUMBER)[-1]
    assert await phone.post(form) == 200  # and once taken, a retry is only a redelivery
    await phone.app.dispatcher.wait_idle()
    assert sum("Silakan pilih layanan" in m for m in phone.twilio.to(NUMBER)) == 1
