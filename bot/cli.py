"""`suara-warga` (or `python -m bot`): chat, run, staff, db, report, keys.

Configuration problems end the program with one line naming the setting, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from bot.config import ConfigError, Settings, load_settings
from bot.domain.agency import AgencyConfigError
from bot.domain.roles import RoleError
from storage.place import StorageError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="suara-warga", description="Suara Warga chatbot")
    sub = parser.add_subparsers(dest="command", required=True)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal (offline console channel)")
    chat.add_argument(
        "--user", default=None, help="who you are in the console (default: your login)"
    )
    sub.add_parser("run", help="start every channel that has credentials (console when none)")
    staff = sub.add_parser("staff", help="staff roles: add, remove, list")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True)
    for name in ("add", "remove"):
        cmd = staff_sub.add_parser(name, help=f"{name} a role")
        cmd.add_argument("--channel", required=True, choices=["telegram", "whatsapp", "console"])
        cmd.add_argument("--address", required=True, help="Telegram user id or WhatsApp number")
        cmd.add_argument("--role", required=True)
        if name == "add":
            cmd.add_argument("--unit", help="unit code (PPID pembantu / pejabat penghubung)")
            cmd.add_argument("--area", help="desa/kelurahan code (KIM volunteers)")
            cmd.add_argument("--kim-name", help="the KIM's name (KIM volunteers)")
    staff_sub.add_parser("list", help="who has which role")
    db = sub.add_parser("db", help="database tasks")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    db_sub.add_parser("upgrade", help="apply migrations")
    backup = db_sub.add_parser("backup", help="a consistent copy, also while the bot runs")
    backup.add_argument("path", help="a file, or a folder (existing, or ending with /)")
    restore = db_sub.add_parser("restore", help="put a backup in place (the bot stopped)")
    restore.add_argument("backup", type=Path, help="the backup file")
    keys = sub.add_parser("keys", help="the keys that seal personal data at rest")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    keys_sub.add_parser("new", help="print a new data key and lookup key")
    keys_sub.add_parser(
        "rotate", help="seal everything with the newest keys (the bot stopped; README, Privacy)"
    )
    report = sub.add_parser("report", help="reports the law requires, from the bot's own data")
    report_sub = report.add_subparsers(dest="report_command", required=True)
    ppid = report_sub.add_parser("ppid", help="the PPID annual report (Perki 1/2021)")
    ppid.add_argument("--year", type=_year, required=True)
    ppid.add_argument("--out", type=Path, default=Path("reports"), help="folder for the files")
    complaints = report_sub.add_parser("pengaduan", help="complaint and aspiration statistics")
    complaints.add_argument("--from", dest="start", type=_day, required=True)
    complaints.add_argument("--to", dest="end", type=_day, required=True)
    complaints.add_argument(
        "--out", type=Path, default=Path("reports"), help="folder for the files"
    )
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
        if args.command == "staff":
            return asyncio.run(_staff(settings, args))
        if args.command == "report":
            return asyncio.run(_report(settings, args))
        if args.command == "db":
            return _db(settings, args)
        if args.command == "keys":
            return _keys(settings, args)
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
    except RoleError as exc:
        print(f"Not done: {exc}.", file=sys.stderr)
        return 2
    except (ConfigError, AgencyConfigError) as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except StorageError as exc:
        print(f"Storage error: {exc}.", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


async def _report(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import prepare_database
    from bot.domain.agency import load_agency
    from bot.engine.clock import make_clock
    from bot.handlers.recap import FIRST_YEAR
    from bot.reports.complaints import COMPLAINT_CHARTS, COMPLAINT_TABLES, complaint_report
    from bot.reports.output import write_report
    from bot.reports.ppid import PPID_CHARTS, PPID_TABLES, ppid_report
    from bot.reports.progress import Bar
    from bot.reports.tables import EmptyPeriodError
    from storage.db import make_reader

    today = make_clock(settings.clock_start).now().astimezone(settings.zone).date()
    ppid = args.report_command == "ppid"
    first, last = FIRST_YEAR, today.year + 1  # no case is older; nothing is later
    years = [args.year] if ppid else [args.start.year, args.end.year]
    if not all(first <= year <= last for year in years):
        print(f"Tahun harus antara {first} dan {last}, misalnya 2026.", file=sys.stderr)
        return 2
    if not ppid and args.end < args.start:
        print("Tanggal --to sebelum tanggal --from.", file=sys.stderr)
        return 2
    prepare_database(settings)
    agency = load_agency(settings.agency_config)
    # A reader: counting on a live server must not hold the bot's write lock (storage.db).
    db = make_reader(settings.database_url)
    tables, charts = (PPID_TABLES, PPID_CHARTS) if ppid else (COMPLAINT_TABLES, COMPLAINT_CHARTS)
    bar = Bar(2 * tables + 1 + charts)  # count each table; write the XLSX, each CSV and chart
    try:
        async with db.connect() as conn:
            if ppid:  # a year without requests still gets its (nil) annual report
                report = await ppid_report(conn, agency, args.year, today, bar, nil=True)
            else:
                report = await complaint_report(
                    conn, agency, args.start, args.end, step=bar, today=today
                )
    except EmptyPeriodError as exc:
        print(("\n" if bar.done else "") + str(exc), file=sys.stderr)
        return 1
    finally:
        await db.dispose()
    stem = f"laporan-ppid-{args.year}" if ppid else f"statistik-pengaduan-{args.start}-{args.end}"
    written = write_report(report, args.out, stem, bar)
    bar.close()
    for path in written:
        print(path)
    headline = report.tables[0]
    print(f"\n{report.title}\n{headline.title}:", file=sys.stderr)
    print("  " + " | ".join(headline.headers), file=sys.stderr)
    for row in headline.rows[:10]:
        print("  " + " | ".join(str(v) for v in row), file=sys.stderr)
    if report.nil:  # no request, objection or dispute at all: only then is it nil
        print(
            f"Tidak ada permohonan informasi, keberatan, maupun sengketa pada tahun "
            f"{args.year}: laporan nihil.",
            file=sys.stderr,
        )
    return 0


def _db(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import prepare_database
    from storage import backup
    from storage.db import sqlite_path

    database = sqlite_path(settings.database_url)
    if args.db_command == "upgrade":
        prepare_database(settings)
        print("Database is up to date.")
    elif database is None:
        raise StorageError("backups are for a SQLite file; DATABASE_URL names none")
    elif args.db_command == "backup":
        target = Path(args.path)
        folder = args.path.endswith("/") or target.is_dir()
        written = (
            backup.backup_into(database, target) if folder else backup.backup(database, target)
        )
        print(f"Backup written: {written}")
    else:
        kept = backup.restore(args.backup, database)
        print(f"Restored {args.backup} to {database}.")
        if kept is not None:
            print(f"The database it replaced is kept as {kept}.")
        prepare_database(settings)  # an older backup gets today's schema
        print("Start the bot again: make run (or suara-warga run).")
    return 0


def _keys(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import prepare_database
    from storage import backup, keys, sealing
    from storage.db import sqlite_path

    if args.keys_command == "new":
        print(f"DATA_KEYS={keys.new_data_key()}\nLOOKUP_KEYS={keys.new_lookup_key()}")
        print(
            "To rotate: put each first in its setting (DATA_KEYS=new,old and LOOKUP_KEYS=new,"
            "old), restart the bot, stop it, run `suara-warga keys rotate`, then remove the old "
            "keys. Keep a copy of the keys apart from the backups.",
            file=sys.stderr,
        )
        return 0
    prepare_database(settings)  # the keys given must open the database, old ones included
    ring = keys.current()
    database = sqlite_path(settings.database_url)
    # A bot running meanwhile could still be sealing with a key this retires.
    with backup.run_lock(database) if database else contextlib.nullcontext():
        counts = sealing.rotate(settings.database_url, ring, _progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for table, count in counts.items():
        print(f"{table}: {count} rows sealed again")
    print(
        f"Everything is sealed with data key {ring.primary} and every chat indexed with lookup "
        f"key {ring.lookup_primary}. The older keys can now be removed from DATA_KEYS and "
        "LOOKUP_KEYS (or the key file)."
    )
    return 0


def _progress(table: str, rows: int) -> None:
    if sys.stderr.isatty():  # a long rotation shows it is moving; a log gets the totals
        print(f"\r{table}: {rows} rows", end="", file=sys.stderr, flush=True)


def _year(text: str) -> int:
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} bukan tahun; tulis 4 angka, misalnya 2026")
    return int(text)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} bukan tanggal; contoh: 2026-01-31") from None


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "warga"


async def _console(settings: Settings, user: str) -> int:
    from bot.app import build_app, tune_gc
    from bot.channels.console import ConsoleSender, run_console
    from bot.logs import configure_logging

    # The console shares the terminal with the conversation: only warnings and errors show
    # there, unless LOG_LEVEL is set on purpose.
    explicit = "log_level" in settings.model_fields_set
    configure_logging(settings.log_level if explicit else "WARNING")
    sender = ConsoleSender(sys.stdout)
    app = await build_app(settings, [sender])
    app.start_scheduler()
    tune_gc()
    try:
        await run_console(app, user, sender=sender)
    finally:
        await app.stop()
    return 0


async def _staff(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app import prepare_database
    from bot.domain.agency import load_agency
    from bot.engine.agency_sync import sync_agency
    from bot.engine.clock import make_clock
    from bot.grants import Grant, grant, never_written, revoke
    from storage import repo
    from storage.db import make_engine

    prepare_database(settings)
    agency = load_agency(settings.agency_config)
    db = make_engine(settings.database_url)
    now = make_clock(settings.clock_start).now()
    try:
        async with db.begin() as conn:
            await sync_agency(conn, agency)  # units and areas a grant may name
            if args.staff_command == "add":
                item = Grant(
                    args.channel, args.address, args.role, args.unit, args.area, args.kim_name
                )
                changed = await grant(conn, agency, item, locale=settings.default_locale, now=now)
                print("Role granted." if changed else "That role was already granted.")
                if await never_written(conn, args.channel, args.address):
                    print(
                        "Warning: this officer has never written to the bot, so it cannot "
                        "reach them yet. Ask them to send /start on Telegram, or any message "
                        "on WhatsApp."
                    )
            elif args.staff_command == "remove":
                count = await revoke(conn, args.channel, args.address, args.role, now)
                print("Role removed." if count else "No such active role.")
            else:
                rows = await repo.active_roles(conn)
                for row in rows:
                    where = row.unit_code or row.area_code or "-"
                    print(f"{row.role:14} {row.channel:9} {row.address:16} {where}")
                if not rows:
                    print("No staff yet.")
    finally:
        await db.dispose()
    return 0
