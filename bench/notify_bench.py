"""Notifications: draining the outbox through the Telegram sender, and the deadline sweep.

    python -m bench.notify_bench                 # full run (figures quoted in the README)
    python -m bench.notify_bench --small         # the CI run

1. Drain: N queued notifications to C Telegram chats go through the real dispatcher and the
   real `TelegramSender` (PTB's Bot, our `Pacer`) to a local fake Bot API behind PTB's
   `BaseRequest` seam that records when each message arrives. Reported: achieved rate as a
   share of the configured overall limit, limit violations (any 1-second window over the
   overall limit; any chat receiving two messages less than the per-chat interval apart),
   and RSS before and after.
2. Cross-chat delay: while a backlog waits in the outbox (one chat with 12 replies; 2,000
   notifications to 1,000 chats, as after a restart), new citizens write; reported is how
   long each waited from its commit to its first reply arriving at the fake Bot API, with
   Telegram's own limits (30/s overall, 1/s per chat).
3. Sweep: the deadline sweep (reminders, escalation, progress updates) over 50,000, 100,000
   and 200,000 open cases on a real SQLite file: time per run and notices made, to show how
   it grows with the number of open cases (it reads indexed date windows, not every case).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from bisect import bisect_left
from collections import deque
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import func, insert, select
from telegram.request import BaseRequest, RequestData

from bot.app import build_app
from bot.channels import telegram
from bot.channels.pacing import Pacer
from bot.config import load_settings
from bot.engine.clock import FakeClock
from storage import repo
from storage.schema import cases, identities, outbox, persons, staff_roles

AGENCY = Path(__file__).resolve().parent.parent / "config" / "agency.soppeng.toml"
BOT = {"id": 1, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}


class RecordingBotApi(BaseRequest):
    """Enforces the limits as Telegram does: a sendMessage that would make more than the
    overall limit (plus one, for timer rounding) in the last second, or reach a chat sooner
    than the per-chat interval, is refused with 429 and counted. Accepted messages are noted
    with their arrival time (monotonic seconds) and chat."""

    def __init__(self, per_second: float, per_chat: float) -> None:
        self.arrivals: list[tuple[float, int]] = []
        self.refused = 0
        self._limit, self._per_chat = int(per_second) + 1, per_chat
        self._window: deque[float] = deque()
        self._last: dict[int, float] = {}
        self._ids = 0
        self.news = asyncio.Event()  # set at every accepted message

    @property
    def read_timeout(self) -> float | None:
        return 5.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        api = url.rsplit("/", 1)[-1]
        if api == "getMe":
            return 200, json.dumps({"ok": True, "result": BOT}).encode()
        params = dict(request_data.parameters) if request_data else {}
        chat = int(params.get("chat_id", 0))
        now = time.monotonic()
        while self._window and now - self._window[0] >= 1.0:
            self._window.popleft()
        too_soon = chat in self._last and now - self._last[chat] < self._per_chat - 0.005
        if len(self._window) >= self._limit or too_soon:
            self.refused += 1
            body = {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            }
            return 429, json.dumps(body).encode()
        self._window.append(now)
        self._last[chat] = now
        self.arrivals.append((now, chat))
        self.news.set()
        self._ids += 1
        result = {
            "message_id": self._ids,
            "date": 1764205200,
            "chat": {"id": chat, "type": "private"},
            "text": "ok",
        }
        return 200, json.dumps({"ok": True, "result": result}).encode()


def violations(
    arrivals: list[tuple[float, int]], per_second: float, per_chat: float
) -> tuple[int, int]:
    """(overall, per chat): windows of one second holding more than the overall limit allows
    (one message of slack for timer rounding), and chats hit twice within the interval."""
    times = sorted(t for t, _c in arrivals)
    allowed = int(per_second) + 1
    overall = sum(1 for i, t in enumerate(times) if bisect_left(times, t + 1.0) - i > allowed)
    last: dict[int, float] = {}
    chat = 0
    for t, c in sorted(arrivals):
        if c in last and t - last[c] < per_chat - 0.005:
            chat += 1
        last[c] = t
    return overall, chat


def rss_mb() -> float:
    return psutil.Process(os.getpid()).memory_info().rss / 1e6


async def drain(messages: int, chats: int, per_second: float, db: Path) -> None:
    api = RecordingBotApi(per_second, 1.0)
    application = telegram.build_application("1:bench", None, request=api)
    await application.initialize()
    limiter = Pacer(per_second, 1.0)
    settings = load_settings(
        environment=False, database_url=f"sqlite+aiosqlite:///{db}", agency_config=AGENCY
    )
    app = await build_app(settings, [telegram.TelegramSender(application, limiter)])
    await seed(app, [messages // chats] * chats)
    before = rss_mb()
    peak = before
    started = time.monotonic()
    recovery = asyncio.create_task(app.dispatcher.recover())
    while not recovery.done() or len(api.arrivals) < messages:
        await asyncio.sleep(0.5)
        peak = max(peak, rss_mb())
        if recovery.done() and time.monotonic() - started > 10 * messages / per_second + 60:
            break  # (never expected: every message arrives)
    await app.dispatcher.wait_idle()
    elapsed = time.monotonic() - started
    after = rss_mb()
    first, last = api.arrivals[0][0], api.arrivals[-1][0]
    rate = (len(api.arrivals) - 1) / (last - first) if last > first else float("inf")
    over, per_chat = violations(api.arrivals, per_second, 1.0)
    ceiling = min(per_second, chats / 1.0)  # N chats at 1/s each cannot take more than N/s
    print(
        f"drain: {len(api.arrivals):,} of {messages:,} messages to {chats:,} chats in "
        f"{elapsed:.1f} s; limits {per_second:.0f}/s overall and 1/s per chat (ceiling "
        f"{ceiling:.0f}/s); achieved {rate:.1f}/s = {100 * rate / ceiling:.1f}% of the "
        f"ceiling; refused by the fake (429): {api.refused}; violations among accepted: "
        f"overall {over}, per chat {per_chat}; RSS {before:.1f} MB before, peak "
        f"{peak:.1f} MB, {after:.1f} MB after"
    )
    await app.stop()
    await application.shutdown()


FIRST_CHAT = 10_000_000  # Telegram chat id of the first seeded chat


async def seed(app: Any, rows_per_chat: list[int]) -> datetime:
    """Chats FIRST_CHAT + i, each with its pending notifications, written a round at a time
    (every chat's first, then every chat's second...), as a backlog builds up."""
    now = datetime.now(UTC)
    chats = len(rows_per_chat)
    async with app.db.begin() as conn:
        await conn.execute(
            insert(persons),
            [{"id": i + 1, "locale": "id", "created_at": now} for i in range(chats)],
        )
        await conn.execute(
            insert(identities),
            [
                {
                    "id": i + 1,
                    "person_id": i + 1,
                    "channel": "telegram",
                    "address": str(FIRST_CHAT + i),
                    "created_at": now,
                }
                for i in range(chats)
            ],
        )
        rows = [
            {
                "identity_id": chat + 1,
                "channel": "telegram",
                "kind": "status_update",
                "payload": {"text": f"Laporan P-XXXX: kabar ke-{n + 1}", "buttons": []},
                "status": "pending",
                "not_before": now,
                "created_at": now,
            }
            for n in range(max(rows_per_chat, default=0))
            for chat, count in enumerate(rows_per_chat)
            if n < count
        ]
        for start in range(0, len(rows), 5000):
            await conn.execute(insert(outbox), rows[start : start + 5000])
    return now


async def _backlogged_app(
    rows_per_chat: list[int], db: Path
) -> tuple[Any, RecordingBotApi, Any, datetime]:
    """An app at Telegram's limits with a backlog of pending rows (chats 1..N)."""
    api = RecordingBotApi(30.0, 1.0)
    application = telegram.build_application("1:bench", None, request=api)
    await application.initialize()
    settings = load_settings(
        environment=False, database_url=f"sqlite+aiosqlite:///{db}", agency_config=AGENCY
    )
    app = await build_app(settings, [telegram.TelegramSender(application, Pacer(30.0, 1.0))])
    now = await seed(app, rows_per_chat)
    return app, api, application, now


async def crosschat(rows_per_chat: list[int], newcomers: int, db: Path, label: str) -> None:
    """New citizens write while a backlog drains: how long until their first reply?"""
    from bot.values.types import Inbound

    app, api, application, _now = await _backlogged_app(rows_per_chat, db)
    recovery = asyncio.create_task(app.dispatcher.recover())
    await asyncio.sleep(0.5)  # the backlog is being sent
    delays = []
    for n in range(newcomers):
        chat = 2 * FIRST_CHAT + n  # a new citizen, none of the backlog's chats
        wrote = time.monotonic()  # from the hand-over: the commit is part of the wait
        inbound = Inbound("telegram", str(chat), f"new-{n}", datetime.now(UTC), text="halo")
        await app.engine.submit(inbound)
        while not any(c == chat for _t, c in api.arrivals[-200:]):
            api.news.clear()
            await api.news.wait()
        arrived = next(t for t, c in reversed(api.arrivals) if c == chat)
        delays.append(arrived - wrote)
        await asyncio.sleep(0.5)
    backlog = sum(rows_per_chat)
    sent_meanwhile = sum(1 for _t, c in api.arrivals if c < 2 * FIRST_CHAT)
    await recovery
    await app.stop()
    await application.shutdown()
    delays.sort()
    print(
        f"cross-chat: {label} ({backlog:,} waiting in {len(rows_per_chat):,} chats, 30/s "
        f"and 1/s per chat): {newcomers} new citizens' first replies after "
        f"p50 {1000 * delays[len(delays) // 2]:.0f} ms, max {1000 * delays[-1]:.0f} ms "
        f"({sent_meanwhile:,} backlog messages sent meanwhile)"
    )


async def sweep_over(open_cases: int, workdir: Path) -> None:
    settings = load_settings(
        environment=False,
        database_url=f"sqlite+aiosqlite:///{workdir / f'sweep{open_cases}.db'}",
        agency_config=AGENCY,
    )
    today = date(2026, 12, 1)
    now = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 09:00 WITA, outside quiet hours
    app = await build_app(settings, [], FakeClock(now))
    agency = app.agency
    units = [u for u in agency.units if u not in (agency.triage_unit, agency.ppid_unit)]
    rng = random.Random(7)
    async with app.db.begin() as conn:
        await conn.execute(insert(persons), [{"id": 1, "locale": "id", "created_at": now}])
        await conn.execute(
            insert(identities),
            [{"person_id": 1, "channel": "telegram", "address": "42", "created_at": now}],
        )
        await conn.execute(
            insert(staff_roles),
            [
                {"person_id": 1, "role": "ppid_pembantu", "unit_code": u, "granted_at": now}
                for u in units
            ]
            + [{"person_id": 1, "role": "koordinator", "unit_code": None, "granted_at": now}],
        )
        batch: list[dict[str, Any]] = []
        for n in range(open_cases):
            # Open cases spread over 60 days of deadlines, about 5% already late.
            due = today + timedelta(days=rng.randint(-3, 60))
            batch.append(
                {
                    "kind": "pengaduan",
                    "tracking_code": f"P-{n:08d}",
                    "status": "ditindaklanjuti",
                    "unit_code": rng.choice(units),
                    "reporter_person_id": 1,
                    "submitter_person_id": 1,
                    "channel": "console",
                    "received_on": today - timedelta(days=30),
                    "resolution_due": due,
                    "due_on": due,
                    "next_update_on": today + timedelta(days=rng.randint(0, 20)),
                    "followed_up_on": today,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if len(batch) == 10_000:
                await conn.execute(insert(cases), batch)
                batch = []
        if batch:
            await conn.execute(insert(cases), batch)
    timings = []
    for _round in range(2):  # the second run goes on with cases the first did not reach
        started = time.perf_counter()
        written = await _sweep_rows(app)
        timings.append((time.perf_counter() - started, written))
    (first, rows), (second, again) = timings
    print(
        f"sweep: {open_cases:,} open cases: {first * 1000:.0f} ms, {rows:,} notifications "
        f"written (each date window capped at {repo.SWEEP_LIMIT:,} cases a run); the next "
        f"sweep, which goes on where it stopped: {second * 1000:.0f} ms, {again:,} written"
    )
    await app.stop()


async def _sweep_rows(app: Any) -> int:
    """One full sweep through the engine (dedupe, outbox rows); rows written."""

    async def count(conn: Any) -> int:
        return int((await conn.execute(select(func.count()).select_from(outbox))).scalar())

    before = await app.engine.write(count)
    await app.sweep()
    return int(await app.engine.write(count)) - int(before)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--only", choices=["drain", "crosschat", "sweep"], default=None)
    args = parser.parse_args()
    print(f"notify bench: python {sys.version.split()[0]}, {os.cpu_count()} cpu")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.small:
            await drain(2_000, 400, 500.0, workdir / "a.db")
            await drain(150, 150, 30.0, workdir / "b.db")
            await crosschat([12], 3, workdir / "c.db", "one chat with 12 replies waiting")
            await crosschat([2] * 200, 3, workdir / "d.db", "a backlog after a restart")
            for size in (5_000, 20_000):
                await sweep_over(size, workdir)
        else:
            if args.only in (None, "drain"):
                await drain(50_000, 10_000, 200.0, workdir / "a.db")
                await drain(1_500, 1_500, 30.0, workdir / "b.db")  # Telegram's own limit
            if args.only in (None, "crosschat"):
                await crosschat([12], 10, workdir / "c.db", "one chat with 12 replies waiting")
                await crosschat([2] * 1000, 10, workdir / "d.db", "a backlog after a restart")
            if args.only in (None, "sweep"):
                for size in (50_000, 100_000, 200_000):
                    await sweep_over(size, workdir)


if __name__ == "__main__":
    asyncio.run(main())
