"""WhatsApp through Twilio: signed webhooks → `Inbound`, `Outbound` → the Messages API.

The only module that imports `twilio`. Every webhook is checked with Twilio's
`RequestValidator` against the public URL from configuration (behind a proxy the request's
own URL is wrong), over a body of bounded size, before anything else is done with it. The
delivery id is the `MessageSid`, so Twilio's retries never create a second case or a second
reply; a message the database refused is answered 503, and Twilio sends it again.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels.pacing import Pacer
from bot.channels.text import with_numbered_options
from bot.domain.contact import normalise_phone
from bot.engine.deliveries import DeliveryReport, apply_report
from bot.engine.dispatcher import SendResult
from bot.engine.engine import EngineUnavailableError
from bot.values.types import Inbound, Location, Media, Outbound
from bot.web import BodyRefusedError, read_body, refused

log = logging.getLogger(__name__)
CHANNEL = "whatsapp"
MAX_BODY = 1600  # Twilio refuses longer bodies (error 21617)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
# Twilio error codes that mean the number cannot be reached at all.
UNREACHABLE_CODES = {63003, 63024, 21211, 21614}
OUTSIDE_WINDOW = 63016  # free text outside the 24-hour window
RATE_LIMITED = 63018
QUICK_REPLY_BODY = 1024  # WhatsApp's limit for a quick-reply body
QUICK_REPLY_TITLE = 20  # and for a button title
WINDOW = timedelta(hours=24)
WINDOW_MARGIN = timedelta(minutes=10)
# Twilio's forms are small: a body of 1,600 characters (each escaped, at worst 12 bytes),
# ten media URLs and a few dozen short fields.
MAX_FORM_BYTES = 64 * 1024
MAX_FORM_FIELDS = 200

Submit = Callable[[Inbound], Awaitable[object]]


# --- webhook form → Inbound ---------------------------------------------------------------------


def form_to_inbound(form: Mapping[str, str], now: datetime | None = None) -> Inbound | None:
    """Twilio's inbound form as an `Inbound`; unknown fields are ignored (Twilio adds some)."""
    sid = form.get("MessageSid") or form.get("SmsMessageSid")
    sender = normalise_phone(form.get("From", "").removeprefix("whatsapp:"))
    if not sid or sender is None:
        return None
    base = Inbound(
        channel=CHANNEL,
        chat_id=sender,
        delivery_id=sid,
        at=now or datetime.now(UTC),
        profile_name=form.get("ProfileName") or None,
        phone=sender,  # on WhatsApp the chat is the number: offered for the request form
        # A swipe-reply to one of our messages (a case card): the engine finds its code.
        reply_to_message_id=form.get("OriginalRepliedMessageSid") or None,
    )
    payload = form.get("ButtonPayload")
    if payload:
        return replace(base, choice=payload)
    if form.get("Latitude") and form.get("Longitude"):
        try:
            location = Location(
                float(form["Latitude"]),
                float(form["Longitude"]),
                form.get("Address") or None,
                form.get("Label") or None,
            )
        except ValueError:
            location = None
        if location is not None:
            return replace(base, location=location)
    media = tuple(_media(form))
    body = form.get("Body") or None
    if media:
        return replace(base, text=body, media=media)
    if body is None:
        return replace(base, unsupported="empty")  # a sticker or reaction arrives without a body
    return replace(base, text=body)


def _media(form: Mapping[str, str]) -> list[Media]:
    try:
        count = int(form.get("NumMedia", "0") or 0)
    except ValueError:
        count = 0
    found = []
    for n in range(min(count, 10)):
        url = form.get(f"MediaUrl{n}")
        kind_type = form.get(f"MediaContentType{n}", "")
        if not url:
            continue
        kind = (
            "photo"
            if kind_type.startswith("image/") and "webp" not in kind_type
            else "voice"
            if kind_type.startswith("audio/")
            else "video"
            if kind_type.startswith("video/")
            else "sticker"
            if "webp" in kind_type
            else "document"
        )
        found.append(Media(kind, url, kind_type or None))
    return found


# --- endpoints ----------------------------------------------------------------------------------


async def signed_form(
    request: Request, validator: RequestValidator, url: str
) -> dict[str, str] | Response:
    """The form of a request Twilio signed, or the answer to give: 403 without a signature
    (nothing read), 413 above the size Twilio sends, 403 when the signature is wrong."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return refused(403)
    try:
        body = await read_body(request, MAX_FORM_BYTES)
        pairs = parse_qsl(
            body.decode("latin-1"),
            keep_blank_values=True,
            encoding="utf-8",
            errors="replace",
            max_num_fields=MAX_FORM_FIELDS,
        )
    except BodyRefusedError as exc:
        return refused(exc.status)
    except ValueError:  # more fields than any Twilio form has
        return refused(400)
    form = dict(pairs)
    if not validator.validate(url, form, signature):
        return refused(403)
    return form


def inbound_endpoint(
    submit: Submit,
    auth_token: str,
    public_url: str,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Callable[[Request], Awaitable[Response]]:
    """POST /whatsapp/inbound. Answers after the commit with empty TwiML: replies go out
    through the outbox and the REST API (rate-limited, retried, recorded), not in TwiML.
    `clock` is the bot's: the time a message arrived opens WhatsApp's 24-hour window."""
    validator = RequestValidator(auth_token)

    async def endpoint(request: Request) -> Response:
        form = await signed_form(request, validator, public_url)
        if isinstance(form, Response):
            return form
        inbound = form_to_inbound(form, clock())
        if inbound is not None:
            if (
                inbound.media
                and any(m.kind == "sticker" for m in inbound.media)
                and not inbound.text
            ):
                inbound = replace(inbound, media=(), unsupported="sticker")
            try:
                await submit(inbound)
            except EngineUnavailableError:
                return refused(503)  # not committed: Twilio must send it again
        return Response(EMPTY_TWIML, media_type="text/xml")

    return endpoint


def status_endpoint(
    write: Callable[[Callable[[Any], Awaitable[Any]]], Awaitable[Any]],
    auth_token: str,
    public_url: str,
    templates: Mapping[str, str] | None = None,
    resend: Callable[[list[int]], Awaitable[None]] | None = None,
) -> Callable[[Request], Awaitable[Response]]:
    """POST /whatsapp/status: Twilio's delivery callbacks, applied monotonically through the
    engine's single writer. A failure for a number that cannot be reached marks it so; 63016
    (outside the window) re-plans the message as its kind's template, or holds it."""
    kinds_with_template = frozenset(templates or {})
    validator = RequestValidator(auth_token)

    async def endpoint(request: Request) -> Response:
        form = await signed_form(request, validator, public_url)
        if isinstance(form, Response):
            return form
        sid, status = form.get("MessageSid", ""), form.get("MessageStatus", "").lower()
        code = form.get("ErrorCode") or None

        known = code is not None and code.isascii() and code.isdigit()
        report = DeliveryReport(
            sid,
            status,
            f"Twilio{code}" if code else None,
            unreachable=known and int(code or 0) in UNREACHABLE_CODES,
            outside_window=known and int(code or 0) == OUTSIDE_WINDOW,
        )

        async def apply(conn: Any) -> list[int]:
            return await apply_report(conn, report, kinds_with_template)

        if sid and status:
            try:
                replanned = await write(apply)
            except EngineUnavailableError:
                return refused(503)  # Twilio retries a status callback that failed
            if replanned and resend is not None:
                await resend(replanned)
        return Response(status_code=204)

    return endpoint


# --- sending ------------------------------------------------------------------------------------


def quick_reply_variables(message: Outbound) -> str:
    """{{1}} the body, {{2}}.. the button titles, then the ids (what ButtonPayload returns)."""
    values = {"1": message.text}
    count = len(message.buttons)
    for n, (button_id, label) in enumerate(message.buttons):
        values[str(2 + n)] = label[:QUICK_REPLY_TITLE]
        values[str(2 + count + n)] = button_id
    return json.dumps(values, ensure_ascii=False)


def split_body(text: str, limit: int = MAX_BODY) -> list[str]:
    pieces, rest = [], text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return [p for p in pieces if p]


class WhatsAppSender:
    """Sends through the Messages API with the real async twilio client."""

    channel = CHANNEL

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        from_number: str | None,
        messaging_service_sid: str | None = None,
        api_base_url: str | None = None,
        status_callback: str | None = None,
        *,
        templates: Mapping[str, str] | None = None,
        quick_replies: Mapping[str, str] | None = None,
        per_second: float = 20.0,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._templates = dict(templates or {})
        # Content API twilio/quick-reply templates by number of buttons ("1", "2", "3"), with
        # variables: {{1}} body, then the titles, then the ids.
        self._quick = dict(quick_replies or {})
        self._clock = clock
        self._pace = Pacer(per_second, 0.0)  # Twilio's limit is per sender, not per chat
        self._args = (account_sid, auth_token)
        self._from = f"whatsapp:{from_number}" if from_number else None
        self._service = messaging_service_sid
        self._base = api_base_url
        self._callback = status_callback
        self._client: Client | None = None

    def _twilio(self) -> Client:
        # The async HTTP client must be created inside the running loop.
        if self._client is None:
            self._client = Client(*self._args, http_client=AsyncTwilioHttpClient())
            if self._base:
                self._client.api.base_url = self._base
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            http = self._client.http_client
            if isinstance(http, AsyncTwilioHttpClient):
                await http.close()
            self._client = None

    def window_open(self, message: Outbound) -> bool:
        """Free text only within 24 hours of the person's last message (a margin keeps us
        clear of the edge; the last-seen time may also be a minute early)."""
        last = message.last_inbound_at
        return last is not None and self._clock() - last < WINDOW - WINDOW_MARGIN

    async def send(self, message: Outbound) -> SendResult:
        text = with_numbered_options(message.text, message.buttons)
        if not self.window_open(message) or message.extra.get("force_template"):
            template = self._templates.get(message.kind)
            if template is None:
                # No approved template for this kind: keep it until the person writes.
                return SendResult(False, error="OutsideWindow", hold=True)
            return await self._create(
                {"content_sid": template, "content_variables": json.dumps({"1": text[:1000]})},
                message,
            )
        quick = self._quick.get(str(len(message.buttons)))
        if quick and len(message.text) <= QUICK_REPLY_BODY:
            return await self._create(
                {"content_sid": quick, "content_variables": quick_reply_variables(message)}, message
            )
        last = SendResult(True)
        for piece in split_body(text):
            last = await self._create({"body": piece}, message)
            if not last.ok:
                return last
        await self._send_charts(message)
        return last

    async def _send_charts(self, message: Outbound) -> None:
        """A recap's charts, after its text: Twilio fetches each from our signed link (the
        workbook's link is in the text). One that fails is logged, never a resend."""
        for file in message.extra.get("files", []):
            if file.get("kind") != "photo" or not file.get("url"):
                continue
            result = await self._create({"media_url": [file["url"]]}, message)
            if not result.ok:
                log.warning("whatsapp refused a chart: %s", result.error)

    async def _create(self, content: dict[str, Any], message: Outbound) -> SendResult:
        params: dict[str, Any] = {"to": f"whatsapp:{message.address}", **content}
        if self._service:
            params["messaging_service_sid"] = self._service
        else:
            params["from_"] = self._from
        if self._callback:
            params["status_callback"] = self._callback
        # Stay under the configured sends per second (Twilio: ~80/s per sender, 63018).
        await self._pace.wait(message.address, urgent=message.urgent)
        try:
            sent = await self._twilio().messages.create_async(**params)
        except TwilioRestException as exc:
            code = exc.code or 0
            if code == OUTSIDE_WINDOW:
                return SendResult(False, error=f"Twilio{code}", hold=True)
            return SendResult(
                False,
                error=f"Twilio{code}",
                permanent=code in UNREACHABLE_CODES or exc.status in (400, 401, 403, 404),
                unreachable=code in UNREACHABLE_CODES,
                retry_after=5.0 if code == RATE_LIMITED or exc.status == 429 else None,
            )
        except Exception as exc:  # network trouble: try again later
            return SendResult(False, error=type(exc).__name__)
        return SendResult(True, provider_id=sent.sid)
