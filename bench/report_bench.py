"""Both reports over many cases on a real SQLite file: time and peak memory.

    python -m bench.report_bench                 # 200,000 cases (figures quoted in the README)
    python -m bench.report_bench --small         # the CI run (20,000)

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
from sqlalchemy import insert

from bot.app import build_app
from bot.config import load_settings
from bot.engine.clock import FakeClock
from bot.reports.complaints import complaint_report
from bot.reports.output import write_report
from bot.reports.ppid import ppid_report
from storage.schema import cases, persons, request_details

AGENCY = Path(__file__).resolve().parent.parent / "config" / "agency.soppeng.toml"


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", action="store_true")
    args = parser.parse_args()
    total = 20_000 if args.small else 200_000
    print(f"report bench: python {sys.version.split()[0]}, {os.cpu_count()} cpu, {total:,} cases")
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            database_url=f"sqlite+aiosqlite:///{Path(tmp) / 'r.db'}", agency_config=AGENCY
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
            async with app.db.connect() as conn:
                report = await run(conn)
            counted = time.perf_counter() - started
            write_report(report, Path(tmp) / "out", name.replace(" ", "-"))
            written = time.perf_counter() - started
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            rss = psutil.Process(os.getpid()).memory_info().rss / 1e6
            print(
                f"{name}: counted in {counted * 1000:.0f} ms, with XLSX, CSV and chart "
                f"{written * 1000:.0f} ms; Python peak {peak / 1e6:.1f} MB, RSS {rss:.0f} MB"
            )
        await app.stop()


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
