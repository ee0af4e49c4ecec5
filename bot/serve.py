"""`suara-warga run` with credentials: every configured channel on one engine, one HTTP app.

Shutdown order matters: stop taking updates, let the engine drain and the dispatcher deliver
what that produced, then close the platform clients.
"""

from __future__ import annotations

import asyncio
import secrets
import signal
import sys
from urllib.parse import urlparse

from bot.app import build_app, tune_gc
from bot.channels import telegram, telegram_inbound, whatsapp
from bot.config import ConfigError, Settings
from bot.engine.clock import make_clock
from bot.engine.dispatcher import Sender
from bot.http_server import Limits, connection_cap, make_server, raise_open_file_limit
from bot.logs import configure_logging
from bot.reports.files import download_endpoint
from bot.web import Endpoint, make_web_app


def check_channels(settings: Settings) -> None:
    """Refuse half a configuration with one line, before anything starts."""
    if settings.whatsapp_enabled and not settings.public_base_url:
        raise ConfigError(
            "PUBLIC_BASE_URL is missing: WhatsApp webhooks are signed over the public URL "
            "Twilio calls, like https://bot.example.go.id."
        )
    if settings.whatsapp_enabled and not (
        settings.twilio_whatsapp_from or settings.twilio_messaging_service_sid
    ):
        raise ConfigError("TWILIO_WHATSAPP_FROM or TWILIO_MESSAGING_SERVICE_SID is needed to send.")


async def serve(settings: Settings) -> int:
    configure_logging(settings.log_level)
    clock = make_clock(settings.clock_start)  # one clock for the engine and the channels
    senders: list[Sender] = []
    endpoints: dict[str, Endpoint] = {}
    bot_app: telegram.BotApp | None = None
    poller: telegram_inbound.Poller | None = None
    if settings.telegram_bot_token is not None:
        bot_app = telegram.build_application(
            settings.telegram_bot_token.get_secret_value(), settings.telegram_api_base_url
        )
        await bot_app.initialize()
        senders.append(telegram.TelegramSender(bot_app))
    wa_sender: whatsapp.WhatsAppSender | None = None
    if settings.whatsapp_enabled:
        assert settings.twilio_account_sid and settings.twilio_auth_token
        wa_sender = whatsapp.WhatsAppSender(
            settings.twilio_account_sid,
            settings.twilio_auth_token.get_secret_value(),
            settings.twilio_whatsapp_from,
            settings.twilio_messaging_service_sid,
            settings.twilio_api_base_url,
            status_callback=f"{settings.public_base_url}/whatsapp/status",
            templates=settings.whatsapp_templates,
            quick_replies=settings.whatsapp_quick_replies,
            per_second=settings.whatsapp_sends_per_second,
            clock=clock.now,
        )
        senders.append(wa_sender)
    app = await build_app(settings, senders, clock)
    app.start_scheduler()
    modes = []
    if bot_app is not None:
        if settings.telegram_webhook_url is None:
            poller = telegram_inbound.Poller(bot_app, app.engine.submit)
            await poller.start()
            modes.append("Telegram (polling)")
        else:
            secret = (
                settings.telegram_webhook_secret.get_secret_value()
                if settings.telegram_webhook_secret
                else secrets.token_urlsafe(32)
            )
            path = urlparse(settings.telegram_webhook_url).path or "/telegram/webhook"
            endpoints[path] = telegram_inbound.webhook_endpoint(bot_app, app.engine.submit, secret)
            await telegram_inbound.register_webhook(bot_app, settings.telegram_webhook_url, secret)
            modes.append("Telegram (webhook)")
    if wa_sender is not None:
        assert settings.twilio_auth_token and settings.public_base_url
        endpoints["/whatsapp/inbound"] = whatsapp.inbound_endpoint(
            app.engine.submit,
            settings.twilio_auth_token.get_secret_value(),
            f"{settings.public_base_url}/whatsapp/inbound",
            clock.now,
        )
        endpoints["/whatsapp/status"] = whatsapp.status_endpoint(
            app.engine.write,
            settings.twilio_auth_token.get_secret_value(),
            f"{settings.public_base_url}/whatsapp/status",
            templates=settings.whatsapp_templates,
            resend=app.dispatcher.resend,
        )
        modes.append("WhatsApp")
    server = None
    downloads: dict[str, Endpoint] = {}
    if settings.public_base_url:  # signed links to /rekap files (WhatsApp) point here
        downloads["/files/{token}/{name}"] = download_endpoint(
            app.files, lambda: app.clock.now().timestamp()
        )
    if endpoints or downloads:
        cap = connection_cap(settings.http_max_connections, raise_open_file_limit())
        server = make_server(
            make_web_app(endpoints, downloads, app.engine.ready),
            settings.http_host,
            settings.http_port,
            Limits(max_connections=cap),
        )
    tune_gc()
    print(f"Suara Warga is serving {', '.join(modes)}. Ctrl+C stops it.", file=sys.stderr)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    serving = asyncio.create_task(server.serve()) if server is not None else None
    try:
        await stop.wait()
    finally:
        if server is not None and serving is not None:
            server.should_exit = True
            await serving
        if poller is not None:
            await poller.stop()
        await app.stop()  # drains the engine and delivers what it produced
        if bot_app is not None:
            await bot_app.shutdown()
        if wa_sender is not None:
            await wa_sender.close()
    return 0
