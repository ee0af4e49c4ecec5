"""`suara-warga` (or `python -m bot`): chat, run, db upgrade.

Configuration problems end the program with one line naming the setting, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings
from bot.domain.agency import AgencyConfigError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="suara-warga", description="Suara Warga chatbot")
    sub = parser.add_subparsers(dest="command", required=True)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal (offline console channel)")
    chat.add_argument(
        "--user", default=None, help="who you are in the console (default: your login)"
    )
    sub.add_parser("run", help="start every channel that has credentials (console when none)")
    db = sub.add_parser("db", help="database tasks")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations")
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
        if args.command == "db":
            from bot.app import prepare_database

            prepare_database(settings)
            print("Database is up to date.")
            return 0
        if args.command == "run" and settings.telegram_bot_token is not None:
            return asyncio.run(_serve(settings))
        if args.command == "run":
            print(
                "No chat-platform credentials are set: starting the offline console channel.",
                file=sys.stderr,
            )
        user = getattr(args, "user", None) or _login()
        return asyncio.run(_console(settings, user))
    except (ConfigError, AgencyConfigError) as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "warga"


async def _console(settings: Settings, user: str) -> int:
    from bot.app import build_app, tune_gc
    from bot.channels.console import ConsoleSender, run_console
    from bot.logs import configure_logging

    configure_logging(settings.log_level)
    app = await build_app(settings, [ConsoleSender(sys.stdout)])
    tune_gc()
    try:
        await run_console(app, user)
    finally:
        await app.stop()
    return 0


async def _serve(settings: Settings) -> int:
    """Every channel that has credentials, until Ctrl+C or SIGTERM."""
    import secrets
    import signal
    from urllib.parse import urlparse

    import uvicorn

    from bot.app import build_app, tune_gc
    from bot.channels import telegram
    from bot.logs import configure_logging
    from bot.web import make_web_app

    configure_logging(settings.log_level)
    assert settings.telegram_bot_token is not None
    webhook_url = settings.telegram_webhook_url
    application = telegram.build_application(
        settings.telegram_bot_token.get_secret_value(),
        settings.telegram_api_base_url,
        webhook=webhook_url is not None,
    )
    await application.initialize()
    app = await build_app(settings, [telegram.TelegramSender(application)])
    server: uvicorn.Server | None = None
    if webhook_url is None:
        telegram.attach(application, app.engine.submit)
        await telegram.start_polling(application)
        mode = "polling"
    else:
        secret = (
            settings.telegram_webhook_secret.get_secret_value()
            if settings.telegram_webhook_secret
            else secrets.token_urlsafe(32)
        )
        path = urlparse(webhook_url).path or "/telegram/webhook"
        web = make_web_app(
            {path: telegram.webhook_endpoint(application, app.engine.submit, secret)}
        )
        config = uvicorn.Config(
            web, host=settings.http_host, port=settings.http_port, log_level="warning"
        )
        server = uvicorn.Server(config)
        await telegram.register_webhook(application, webhook_url, secret)
        mode = f"webhook on port {settings.http_port}"
    tune_gc()
    print(f"Suara Warga is serving Telegram ({mode}). Ctrl+C stops it.", file=sys.stderr)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    serving = asyncio.create_task(server.serve()) if server else None
    try:
        await stop.wait()
    finally:
        if server is not None and serving is not None:
            server.should_exit = True
            await serving
        await telegram.stop_receiving(application)
        await app.stop()  # drains the engine and delivers what it produced
        await telegram.shutdown(application)
    return 0
