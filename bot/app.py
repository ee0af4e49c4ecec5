"""Wiring: settings → database → engine → dispatcher → channels. The only place that knows
all the parts."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.config import Settings
from bot.domain.agency import Agency, load_agency
from bot.domain.dip import Dip, load_dip
from bot.engine.agency_sync import sync_agency
from bot.engine.clock import Clock, make_clock
from bot.engine.dispatcher import Dispatcher, Sender
from bot.engine.engine import Engine
from bot.engine.state import Services
from bot.grants import bootstrap_admins
from bot.handlers import recalendar, schedule
from bot.handlers.retention import erase_expired
from bot.handlers.schedule import Rules
from bot.report_worker import RecapWorker
from bot.reports.files import ReportFiles, load_secret
from bot.values.types import Notice
from storage import backup, place, sealing
from storage.db import make_engine, make_reader, sqlite_path
from storage.errors import refusal
from storage.keys import KEY_FILE
from storage.migrate import upgrade

log = logging.getLogger(__name__)
RETENTION_HOUR = 2  # local time: the quietest hour for a day's erasure
SWEEP_EVERY = 300.0  # seconds between sweeps of time-driven case rules


@dataclass
class App:
    settings: Settings
    agency: Agency
    db: AsyncEngine
    engine: Engine
    dispatcher: Dispatcher
    clock: Clock
    reader: AsyncEngine  # read-only connections for reports, beside the writer
    files: ReportFiles
    recaps: RecapWorker
    scheduler: AsyncIOScheduler | None = None
    # Held while the app runs: the SQLite file's run lock (storage.backup.run_lock).
    held: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    # --- what the scheduler runs (tests call these directly, with a fake clock) -----------

    @property
    def rules(self) -> Rules:
        s = self.settings
        return Rules(
            remind_days_before=s.remind_days_before,
            escalate_every_days=s.escalate_every_days,
            progress_every_days=s.progress_every_days,
            draft_retention_days=s.draft_retention_days,
            delivery_ids_days=s.delivery_ids_days,
            conversation_ttl_hours=s.conversation_ttl_hours,
            quiet=s.quiet,
            zone=s.zone,
        )

    def _today(self) -> tuple[datetime, date]:
        now = self.clock.now()
        return now, now.astimezone(self.settings.zone).date()

    async def sweep(self) -> int:
        """Time-driven case rules: auto-close, reminders, escalation, progress updates,
        nudges for abandoned forms, housekeeping. Returns how many messages went out now
        (others wait out quiet hours)."""
        now, today = self._today()

        async def job(conn: AsyncConnection) -> list[Notice]:
            return await schedule.sweep(conn, self.agency, self.rules, now, today)

        sent = len(await self.engine.notify(job))
        # Report files whose links have expired; recaps that failed before get another try.
        await asyncio.to_thread(self.files.prune, time.time())
        self.recaps.kick()
        return sent

    async def recalendar(self) -> int:
        """At start: move the open cases' dates if the working calendar changed since they
        were computed (`handlers.recalendar`), through the single writer like a sweep.
        Returns how many messages that sent now (others wait out quiet hours)."""
        now, today = self._today()

        async def job(conn: AsyncConnection) -> list[Notice]:
            return await recalendar.recalendar(conn, self.agency, now, today)

        return len(await self.engine.notify(job))

    async def retention(self) -> int:
        """Once a day, not in every sweep: erasing what its retention period has ended reads
        the whole outbox and every idle chat, work the single writer should not repeat every
        few minutes (`handlers.retention`). Returns how many rows were erased or blanked."""
        now, _today = self._today()
        erased = 0

        async def job(conn: AsyncConnection) -> list[Notice]:
            nonlocal erased
            erased = await erase_expired(conn, self.agency.retention, now)
            return []

        await self.engine.notify(job)
        return erased

    async def summary(self) -> int:
        """The officers' morning summary, on working days."""
        _now, today = self._today()
        if not self.agency.calendar.is_working_day(today):
            return 0

        async def job(conn: AsyncConnection) -> list[Notice]:
            return await schedule.daily_summary(conn, self.agency, today)

        return len(await self.engine.notify(job))

    async def release(self) -> int:
        """Hand over scheduled messages that are due (quiet hours over)."""
        return await self.dispatcher.release_due()

    async def daily_backup(self) -> int:
        """Today's copy of the database into BACKUP_DIR (once), then the oldest dropped."""
        folder = self.settings.backup_dir
        path = sqlite_path(self.settings.database_url)
        if folder is None or path is None:
            return 0
        _now, today = self._today()
        target = folder / backup.dated_name(today.isoformat())
        if target.exists():
            return 0
        await asyncio.to_thread(backup.backup, path, target)
        await asyncio.to_thread(backup.rotate, folder, self.settings.backup_keep)
        log.info("backup written: %s", target.name)
        return 1

    def _backup_overdue(self) -> bool:
        """No backup yet, or the newest is more than a day old (the bot was down at the
        hour): one is made at start, so no more than a day is ever at risk."""
        folder = self.settings.backup_dir
        last = backup.newest(folder) if folder is not None else None
        return folder is not None and (last is None or time.time() - last.stat().st_mtime > 86400)

    def start_scheduler(self) -> None:
        """APScheduler only ticks: every schedule, attempt and result is a row, so a restart
        or a missed tick loses and repeats nothing (PLATFORMS.md: its own job store pickles
        jobs and cannot be shared; its 1 s misfire grace would drop jobs after a stall)."""
        scheduler = AsyncIOScheduler(
            timezone=self.settings.zone,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        )
        soon = self.clock.now() + timedelta(seconds=5)
        scheduler.add_job(
            _guarded(self.release),
            IntervalTrigger(seconds=self.settings.tick_seconds),
            id="release",
            next_run_time=soon,
        )
        scheduler.add_job(
            _guarded(self.sweep),
            IntervalTrigger(seconds=SWEEP_EVERY),
            id="sweep",
            next_run_time=soon,
        )
        scheduler.add_job(
            _guarded(self.retention),
            CronTrigger(hour=RETENTION_HOUR, minute=30),
            id="retention",
        )
        scheduler.add_job(
            _guarded(self.summary),
            CronTrigger(hour=self.settings.daily_summary_hour, minute=0),
            id="summary",
        )
        if self.settings.backup_dir is not None:
            # (APScheduler reads an explicit next_run_time=None as "paused": only when due.)
            first = {"next_run_time": soon} if self._backup_overdue() else {}
            scheduler.add_job(
                _guarded(self.daily_backup),
                CronTrigger(hour=self.settings.backup_hour, minute=0),
                id="backup",
                **first,
            )
        scheduler.start()
        self.scheduler = scheduler

    async def stop(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=False)
            self.scheduler = None
        # Order matters: commit what is queued, deliver what that produced, record the
        # deliveries, then close. (Channels stop feeding the engine before this is called.)
        await self.recaps.stop()  # a recap being built stays queued for the next start
        await self.engine.flush()
        await self.dispatcher.stop()
        await self.engine.stop()
        await self.reader.dispose()
        await self.db.dispose()
        self.held.close()


def _guarded(job: Callable[[], Awaitable[int]]) -> Callable[[], Awaitable[None]]:
    """A failed round is logged (type only: no personal data) and the next tick tries again."""

    async def run() -> None:
        try:
            await job()
        except Exception as exc:
            log.error(
                "scheduled %s failed: %s", getattr(job, "__name__", "job"), type(exc).__name__
            )

    return run


def tune_gc() -> None:
    """A long-running server keeps its start-up objects forever: move them out of the cyclic
    collector's sight and collect young objects less often. In the engine benchmark at
    2,000 msg/s this cut p99 latency by about a third (full collections stalled the loop)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def prepare_database(settings: Settings) -> None:
    """Check the data's place (private, writable), then run the migrations, synchronously,
    before the event loop starts serving. Raises StorageError with one line."""
    for warning in place.prepare(settings.database_url):
        print(warning, file=sys.stderr)
    place.private_dir(settings.reports_dir)
    try:
        upgrade(settings.database_url)
        # The keys must open what is stored (or the bot would fail mid-message): checked,
        # values still in clear sealed, and the ring installed, before anything is served.
        opened = sealing.open_database(settings.database_url, settings.key_ring, key_file(settings))
    except (SQLAlchemyError, OSError) as exc:  # e.g. the disk filled up during a migration
        reason = refusal(exc) or type(exc).__name__
        raise place.StorageError(f"cannot update the database: {reason}") from None
    for note in key_notes(settings, opened):
        print(note, file=sys.stderr)


def key_file(settings: Settings) -> Path:
    """Where the keys are kept when configuration has none: beside the database."""
    path = sqlite_path(settings.database_url)
    return (path.parent if path is not None else Path("data")) / KEY_FILE


def key_notes(settings: Settings, opened: sealing.Opened) -> list[str]:
    notes = []
    if sum(opened.sealed.values()):
        done = ", ".join(f"{n} in {table}" for table, n in opened.sealed.items() if n)
        notes.append(f"Personal data stored in clear is now sealed: {done}.")
    production = settings.telegram_bot_token is not None or settings.whatsapp_enabled
    if opened.key_file is not None and production:  # (the console's first start: silent)
        notes.append(
            f"Warning: the keys that seal personal data are in {opened.key_file}, beside the "
            "database; in production set DATA_KEYS and LOOKUP_KEYS instead, and keep a copy "
            "apart from the backups (README, Privacy)."
        )
    return notes


async def build_app(
    settings: Settings, senders: list[Sender], clock: Clock | None = None, *, migrate: bool = True
) -> App:
    if migrate:
        prepare_database(settings)
    agency = load_agency(settings.agency_config)
    dip_file = settings.dip_path  # an agency without a DIP file yet offers nothing
    dip = load_dip(dip_file, agency.units) if dip_file else Dip()
    clock = clock or make_clock(settings.clock_start)
    this_year = clock.now().astimezone(settings.zone).year
    agency.calendar.warm(this_year, this_year + 1)
    held = contextlib.ExitStack()
    path = sqlite_path(settings.database_url)
    if path is not None:  # one bot per SQLite file: two would send each other's messages
        held.enter_context(backup.run_lock(path))
    db = make_engine(settings.database_url, synchronous=settings.sqlite_synchronous)
    async with db.begin() as conn:
        await sync_agency(conn, agency)
    telegram_admins, whatsapp_admins = settings.admins
    if telegram_admins or whatsapp_admins:
        await bootstrap_admins(
            db, agency, telegram_admins, whatsapp_admins, settings.default_locale, clock.now()
        )
    services = Services(
        agency=agency,
        ttl=timedelta(hours=settings.conversation_ttl_hours),
        zone=settings.zone,
        default_locale=settings.default_locale,
        progress_days=settings.progress_every_days,
        quiet=settings.quiet,
        dip=dip,
    )
    holder: list[Dispatcher] = []
    engine = Engine(db, services, clock, on_committed=lambda rows: holder[0].notify(rows))
    dispatcher = Dispatcher(engine, clock, senders)
    holder.append(dispatcher)
    await engine.start()
    await dispatcher.start()
    reader = make_reader(settings.database_url)
    files = ReportFiles(
        settings.reports_dir,
        load_secret(
            settings.reports_dir,
            settings.link_secret.get_secret_value() if settings.link_secret else None,
        ),
        timedelta(hours=settings.report_link_hours),
        settings.public_base_url,
    )
    recaps = RecapWorker(reader, engine, agency, files, clock, settings.zone)
    app = App(settings, agency, db, engine, dispatcher, clock, reader, files, recaps, held=held)

    def recap_queued() -> None:  # looked up at call time: the App's worker, whichever it is
        app.recaps.kick()

    services.recap_queued = recap_queued
    recaps.kick()  # what was queued before a restart
    # Where the calendar can change (the agency file was just read, the holiday tables just
    # imported), before any channel feeds the writer: its notices go out like a sweep's.
    try:
        await app.recalendar()
    except Exception as exc:  # the old dates stay, as before; the next start tries again
        log.error("recalendar at start failed: %s", type(exc).__name__)
    return app
