"""Both reports over many cases on a real SQLite file: time and peak memory; then `/rekap` in
the chat, and what it costs the other chats while it is built.

    python -m bench.report_bench                 # 200,000 cases (figures quoted in the README)
    python -m bench.report_bench --small         # the CI run (20,000)

The chat part sends a steady stream of messages from other citizens (CHATTER_RATE a second)
and records each one's latency through the engine: first with nothing else going on, then
while a coordinator's `/rekap` for the year is built (outside the writer), then while the same
counting runs inside the writer (how `/rekap` worked before; for comparison only).

Half the cases are information requests (decided in various ways, some extended, some with
objections), half complaints and aspirations over the year, across units, desa and channels.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import insert, select

from bot.app import build_app
from bot.config import load_settings
from bot.engine.clock import FakeClock
from bot.grants import Grant, grant
from bot.reports.complaints import complaint_report
from bot.reports.output import write_report
from bot.reports.ppid import ppid_report
from bot.values.types import Inbound
from storage.schema import cases, persons, report_requests, request_details

AGENCY = Path(__file__).resolve().parent.parent / "config" / "agency.soppeng.toml"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    total = 20_000 if args.small else 200_000
    print(f"report bench: python {sys.version.split()[0]}, {os.cpu_count()} cpu, {total:,} cases")
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            environment=False,
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'r.db'}",
            agency_config=AGENCY,
        )
        now = datetime(2027, 1, 15, 1, tzinfo=UTC)
        app = await build_app(settings, [], FakeClock(now))
        agency = app.agency
        await _seed(app, total)
        for name, run in (
            ("ppid 2026", lambda conn: ppid_report(conn, agency, 2026, date(2027, 1, 15))),
            (
                "pengaduan 2026",
                lambda conn: complaint_report(conn, agency, date(2026, 1, 1), date(2026, 12, 31)),
            ),
        ):
            tracemalloc.start()
            started = time.perf_counter()
            async with app.reader.connect() as conn:
                report = await run(conn)
            counted = time.perf_counter() - started
            write_report(report, Path(tmp) / "out", name.replace(" ", "-"))
            written = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rss = psutil.Process(os.getpid()).memory_info().rss / 1e6
            print(
                f"{name}: counted in {counted * 1000:.0f} ms, with XLSX, CSV and charts "
                f"{written * 1000:.0f} ms; Python peak {peak / 1e6:.1f} MB, RSS {rss:.0f} MB"
            )
        await _chat(app)
        await app.stop()


CHATTER_RATE = 20.0  # messages a second from other citizens while a recap is built


async def _chat(app: Any) -> None:
    async with app.db.begin() as conn:
        await grant(
            conn,
            app.agency,
            Grant("console", "koor", "koordinator"),
            locale="id",
            now=app.clock.now(),
        )
    quiet = await _chatter(app, "quiet", _sleep(3.0))
    started = time.perf_counter()
    ready: list[float] = []

    async def recap() -> None:
        await app.engine.submit(_message(app, "koor", "rekap", "/rekap 2026-01-01 2026-12-31"))
        await asyncio.sleep(0)
        await app.recaps.wait_idle()
        ready.append(time.perf_counter() - started)

    beside = await _chatter(app, "beside", recap())
    async with app.db.connect() as conn:
        done = (await conn.execute(select(report_requests.c.status))).scalars().all()
    agency = app.agency

    async def inside() -> None:
        async def count(conn: Any) -> None:
            await complaint_report(conn, agency, date(2026, 1, 1), date(2026, 12, 31))
            await ppid_report(conn, agency, 2026, date(2027, 1, 15))

        await app.engine.write(count)

    held = await _chatter(app, "inside", inside())
    print(f"/rekap 2026 in the chat: ready in the outbox after {ready[0] * 1000:.0f} ms ({done})")
    for label, latencies in (
        ("other chats, nothing else running", quiet),
        ("other chats while /rekap is built", beside),
        ("other chats, counting inside the writer", held),
    ):
        ordered = sorted(latencies)
        p50 = ordered[len(ordered) // 2]
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(
            f"  {label}: {len(ordered)} messages, p50 {p50 * 1000:.0f} ms, "
            f"p99 {p99 * 1000:.0f} ms, max {ordered[-1] * 1000:.0f} ms"
        )


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def _message(app: Any, chat: str, tag: str, text: str) -> Inbound:
    return Inbound("console", chat, f"{tag}-{time.perf_counter_ns()}", app.clock.now(), text=text)


async def _chatter(app: Any, tag: str, work: Any) -> list[float]:
    """Messages from 200 citizens at CHATTER_RATE until `work` is done; each one's latency."""
    latencies: list[float] = []
    pending: list[asyncio.Task[Any]] = []
    job = asyncio.create_task(work)
    n = 0
    while not job.done():
        n += 1
        sent = time.perf_counter()
        task = asyncio.create_task(app.engine.submit(_message(app, f"w{n % 200}", tag, "halo")))
        task.add_done_callback(lambda _t, at=sent: latencies.append(time.perf_counter() - at))
        pending.append(task)
        await asyncio.sleep(1 / CHATTER_RATE)
    await job
    await asyncio.gather(*pending)
    return latencies


async def _seed(app: Any, total: int) -> None:
    rng = random.Random(11)
    agency = app.agency
    units = list(agency.units)
    desa = [a for a, area in agency.areas.items() if area.parent is not None]
    categories = list(agency.categories)
    now = datetime(2026, 12, 31, tzinfo=UTC)
    async with app.db.begin() as conn:
        await conn.execute(
            insert(persons),
            [{"id": i, "locale": "id", "created_at": now} for i in (1, 2)],
        )
        batch: list[dict[str, Any]] = []
        details: list[dict[str, Any]] = []
        for n in range(total):
            received = date(2026, 1, 1) + timedelta(days=rng.randint(0, 364))
            info = n % 2 == 0
            row: dict[str, Any] = {
                "id": n + 1,
                "kind": "informasi" if info else rng.choice(("pengaduan", "aspirasi")),
                "tracking_code": f"X-{n:09d}",
                "unit_code": rng.choice(units),
                "reporter_person_id": 1,
                "submitter_person_id": 2 if rng.random() < 0.1 else 1,
                "channel": rng.choice(("telegram", "whatsapp", "console")),
                "received_on": received,
                "created_at": now,
                "updated_at": now,
                "extended": False,
                "reopened": 0,
            }
            if info:
                decided = received + timedelta(days=rng.randint(0, 25))
                decision = rng.choice(("granted", "partial", "rejected", "not_held", None))
                row.update(
                    status="diputus" if decision else "diproses",
                    response_due=agency.calendar.add_working_days(received, 10),
                    decision=decision,
                    decision_ground=rng.choice("abcdefghij")
                    if decision in ("partial", "rejected")
                    else None,
                    decided_on=decided if decision else None,
                    extended=rng.random() < 0.2,
                )
                details.append(
                    {
                        "case_id": n + 1,
                        "requester_type": rng.choice(("perorangan", "badan_hukum", "kuasa")),
                        "requester_name": "X",
                        "address": "X",
                        "occupation": "X",
                        "information_requested": "X",
                        "purpose": "X",
                        "obtain_method": "softcopy",
                        "delivery_method": "email",
                    }
                )
            else:
                followup = agency.calendar.add_working_days(received, 8)
                row.update(
                    status=rng.choice(("diterima", "ditindaklanjuti", "selesai", "ditutup")),
                    category_code=rng.choice(categories),
                    area_code=rng.choice(desa),
                    followup_due=followup,
                    resolution_due=received + timedelta(days=20),
                    followed_up_on=received + timedelta(days=rng.randint(0, 15)),
                    rating=rng.choice((None, 3, 4, 5)),
                    reopened=1 if rng.random() < 0.05 else 0,
                )
            batch.append(row)
            if len(batch) == 10_000:
                await conn.execute(insert(cases), _same_keys(batch))
                if details:
                    await conn.execute(insert(request_details), details)
                batch, details = [], []
        if batch:
            await conn.execute(insert(cases), _same_keys(batch))
            if details:
                await conn.execute(insert(request_details), details)


def _same_keys(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """executemany needs every row to name the same columns."""
    keys = {k for row in rows for k in row}
    return [{k: row.get(k) for k in keys} for row in rows]


if __name__ == "__main__":
    asyncio.run(main())
