"""Builds the `/rekap` requests queued in the chat, outside the single writer.

Counting 200,000 cases takes seconds. Inside the writer's turn every other chat would wait
that long, so the turn only queues a row. Here the counting runs on a read-only connection
(a WAL snapshot, beside the writer), the workbook and the charts are drawn in a worker thread,
and only the answer goes back through the writer: the row is marked done and the message
written to the outbox in one transaction. A request that fails is tried again on the next
round, and after `MAX_ATTEMPTS` the officer gets an apology instead. A restart builds what
was still queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.domain.agency import Agency
from bot.engine.clock import Clock
from bot.engine.engine import Engine
from bot.handlers.casework.actor import load_actor
from bot.handlers.recap import summary
from bot.reports.complaints import complaint_report
from bot.reports.files import ReportFiles
from bot.reports.personal_export import write_file
from bot.reports.ppid import ppid_period_report
from bot.reports.tables import EmptyPeriodError, Report
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Notice, Reply
from storage import repo, report_requests
from storage.report_requests import MAX_ATTEMPTS, ReportRequest

log = logging.getLogger(__name__)
BUILD_TIMEOUT = 600.0  # seconds: a build that takes longer counts as failed


@dataclass(frozen=True)
class Built:
    complaints: Report | None
    requests: Report | None
    files: list[dict[str, Any]]  # {"path", "name", "kind": photo|document, "url"?}


class RecapWorker:
    def __init__(
        self,
        reader: AsyncEngine,
        engine: Engine,
        agency: Agency,
        files: ReportFiles,
        clock: Clock,
        zone: ZoneInfo,
    ) -> None:
        self._reader = reader
        self._engine = engine
        self._agency = agency
        self._files = files
        self._clock = clock
        self._zone = zone
        self._task: asyncio.Task[None] | None = None
        self._again = False
        self._stopped = False
        self._building = False  # inside a build (which a stop cancels), not just looking

    def kick(self) -> None:
        """Build what is queued, soon (called by the turn that queued a request, at start,
        and by each sweep for requests that failed before)."""
        if self._stopped:
            return  # shutting down: what is queued waits for the next start
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        else:
            self._again = True  # a request came in while building: look again after

    async def wait_idle(self) -> None:
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    def stopping(self) -> bool:
        return self._stopped

    async def stop(self) -> None:
        """A build under way is cancelled (its request stays queued for the next start); a
        round that is only looking for requests is let finish: cancelled in the middle of a
        read, its connection would be closed later, after the event loop it belongs to."""
        self._stopped = True
        if self._task is not None and not self._task.done():
            if self._building:
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task = None

    async def _run(self) -> None:
        after = 0  # each request once per round: one that fails waits for the next kick
        while not self.stopping():
            self._again = False
            # A request is queued inside a turn that commits after the kick: a flush goes
            # through the writer behind it, so the read below sees it.
            await self._engine.flush()
            async with self._reader.connect() as conn:
                waiting = await report_requests.queued(conn, after)
            for request in waiting:
                if self.stopping():  # (read again: a stop may come during any await)
                    return  # shutting down: the rest waits for the next start
                self._building = True
                try:
                    await self._build_one(request)
                except Exception as exc:  # one bad request must not stop the others
                    log.error("recap %s not delivered: %s", request.id, type(exc).__name__)
                finally:
                    self._building = False
                after = request.id
            if not waiting and not self._again:
                return

    async def _build_one(self, request: ReportRequest) -> None:
        # The attempt is counted before the work: a build that crashes or hangs the process
        # every time still ends in an apology instead of being retried forever.
        attempt = await self._engine.write(
            lambda conn: report_requests.count_attempt(conn, request.id)
        )
        now = self._clock.now()
        if attempt > MAX_ATTEMPTS:
            await self._give_up(request, now)
            return
        if request.kind == "data":
            await self._export(request, now)
            return
        async with self._reader.connect() as conn:
            actor = await load_actor(conn, request.person_id)
        if not actor.officer:  # the role was withdrawn while the request waited
            log.info("recap %s dropped: no officer role any more", request.id)
            await self._engine.write(
                lambda conn: report_requests.finish(conn, request.id, "failed", now)
            )
            return
        try:
            built = await asyncio.wait_for(self._build(request, actor.units, now), BUILD_TIMEOUT)
        except Exception as exc:
            log.error("recap %s failed: %s", request.id, type(exc).__name__)
            if attempt >= MAX_ATTEMPTS:
                await self._give_up(request, now)
            return
        text = self._message(request, built, agency_wide=actor.units is None)
        notice = Notice(
            request.person_id,
            Reply(text),
            kind="report",
            prefer_channel=request.channel,
            data={"files": built.files} if built.files else {},
        )

        async def deliver(conn: AsyncConnection) -> list[Notice]:
            done = await report_requests.finish(conn, request.id, "done", now)
            return [notice] if done else []

        await self._engine.notify(deliver)
        log.info("recap %s sent with %d files", request.id, len(built.files))

    async def _export(self, request: ReportRequest, now: datetime) -> None:
        """A person's own data, their right of access (UU 27/2022 Pasal 32): the file is
        written here, beside the writer, like a recap; the summary went to the chat at once."""
        async with self._reader.connect() as conn:
            record = await repo.person_record(conn, request.person_id)
        token, folder = self._files.new_folder()
        path = await asyncio.to_thread(write_file, record, folder, "data-saya.json")
        entry: dict[str, Any] = {"path": str(path), "name": path.name, "kind": "document"}
        link = self._files.link(token, path.name, now)
        if link is not None:
            entry["url"], entry["expires"] = link[0], link[1].isoformat()
        text = join(
            _("📎 Berkas lengkap data Anda (JSON, NIK tersamar)."),
            self._handover(request.channel, entry) or _("Berkas tersedia di kantor PPID."),
        )
        notice = Notice(
            request.person_id,
            Reply(text),
            kind="report",
            prefer_channel=request.channel,
            data={"files": [entry]},
        )

        async def deliver(conn: AsyncConnection) -> list[Notice]:
            done = await report_requests.finish(conn, request.id, "done", now)
            return [notice] if done else []

        await self._engine.notify(deliver)
        log.info("data export %s sent", request.id)

    def _handover(self, channel: str, entry: dict[str, Any]) -> Msg | None:
        """How a file reaches this chat: uploaded (Telegram), a link that expires
        (WhatsApp), a path on the server (the offline console); None: no way here."""
        if channel == "whatsapp" and "url" in entry:
            until = datetime.fromisoformat(entry["expires"]).astimezone(self._zone)
            return _(
                "Unduh hingga {day} pukul {time} {zone}:\n{link}",
                day=until.date(),
                time=Raw(f"{until:%H.%M}"),
                zone=Raw(until.tzname() or ""),
                link=Raw(entry["url"]),
            )
        if channel == "telegram":
            return _("Berkasnya menyusul di bawah ini.")
        if channel == "console":  # the offline console runs on the server itself
            return _("Berkas: {path}", path=Raw(entry["path"]))
        return None

    async def _give_up(self, request: ReportRequest, now: datetime) -> None:
        sorry = _(
            "Maaf, rekap {start} s.d. {end} gagal dibuat. Silakan coba lagi nanti dengan "
            "/rekap; bila tetap gagal, hubungi admin.",
            start=request.start_on,
            end=request.end_on,
        )
        if request.kind == "data":
            sorry = _(
                "Maaf, berkas data Anda gagal dibuat. Ringkasannya sudah kami kirim. Silakan "
                "coba lagi dengan mengetik *data saya*; bila tetap gagal, hubungi PPID."
            )
        notice = Notice(
            request.person_id, Reply(sorry), kind="report", prefer_channel=request.channel
        )

        async def fail(conn: AsyncConnection) -> list[Notice]:
            done = await report_requests.finish(conn, request.id, "failed", now)
            return [notice] if done else []

        await self._engine.notify(fail)

    async def _build(
        self, request: ReportRequest, visible: list[str] | None, now: datetime
    ) -> Built:
        """`visible`: the asker's units as they are now (None: the whole agency)."""
        today = now.astimezone(self._zone).date()
        units = list(visible) if visible is not None else None
        complaints: Report | None = None
        requests: Report | None = None
        async with self._reader.connect() as conn:
            with contextlib.suppress(EmptyPeriodError):  # none in the period: said in text
                complaints = await complaint_report(
                    conn, self._agency, request.start_on, request.end_on, units, today=today
                )
            if units is None:  # the PPID's figures are the agency's
                with contextlib.suppress(EmptyPeriodError):
                    requests = await ppid_period_report(
                        conn, self._agency, request.start_on, request.end_on, today
                    )
        reports = [r for r in (complaints, requests) if r is not None]
        files: list[dict[str, Any]] = []
        if reports:
            token, folder = self._files.new_folder()
            stem = f"rekap-{request.start_on}_{request.end_on}"
            # Drawing and writing are CPU work: a thread keeps the event loop answering chats.
            written = await asyncio.to_thread(_write, reports, folder, stem)
            for path, kind in written:
                entry: dict[str, Any] = {"path": str(path), "name": path.name, "kind": kind}
                link = self._files.link(token, path.name, now)
                if link is not None:
                    entry["url"], entry["expires"] = link[0], link[1].isoformat()
                files.append(entry)
        return Built(complaints, requests, files)

    def _message(self, request: ReportRequest, built: Built, *, agency_wide: bool) -> Msg:
        text = summary(
            request.start_on, request.end_on, built.complaints, built.requests, agency_wide
        )
        if not built.files:
            return text
        workbook = next(f for f in built.files if f["kind"] == "document")
        if request.channel == "whatsapp" and "url" in workbook:
            until = datetime.fromisoformat(workbook["expires"]).astimezone(self._zone)
            return join(
                text,
                _(
                    "Grafik menyusul. File Excel dapat diunduh hingga {day} pukul {time} "
                    "{zone}:\n{link}",
                    day=until.date(),
                    time=Raw(f"{until:%H.%M}"),
                    zone=Raw(until.tzname() or ""),
                    link=Raw(workbook["url"]),
                ),
            )
        if request.channel == "telegram":
            return join(text, _("Grafik dan file Excel menyusul di bawah ini."))
        if request.channel == "console":  # the offline console runs on the server itself
            paths = "\n".join(f["path"] for f in built.files)
            return join(text, _("File rekap:\n{paths}", paths=Raw(paths)))
        return text  # no way to hand the files over here (no public address): figures only


def _write(reports: list[Report], folder: Path, stem: str) -> list[tuple[Path, str]]:
    """Charts first (they show in the chat), then the workbook."""
    # Imported here, in the worker thread: matplotlib costs half a second of start-up
    # that a bot which never draws a chart should not pay.
    from bot.reports.output import write_chart, write_workbook

    # Each report's headline chart only: a chat is not the place for every figure.
    written = [
        (write_chart(report.charts[0], folder / f"{stem}-{report.charts[0].name}.png"), "photo")
        for report in reports
    ]
    written.append((write_workbook(reports, folder / f"{stem}.xlsx"), "document"))
    return written
