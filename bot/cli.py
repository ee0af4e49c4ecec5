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
        if args.command == "run" and (settings.telegram_bot_token or settings.whatsapp_enabled):
            from bot.serve import check_channels, serve

            check_channels(settings)
            return asyncio.run(serve(settings))
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
