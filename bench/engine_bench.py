"""Engine throughput and latency: simulated citizens filing complaints on a real SQLite file.

Every message goes through the whole engine (dedupe, state, flow, case rows, outbox) and is
committed before `submit` returns; a null sender then "delivers" the replies and the delivery
results are written back, as in production.

    python -m bench.engine_bench                 # full run (figures quoted in the README)
    python -m bench.engine_bench --small         # the CI run

Phases:
1. open-loop load at --rate msg/s for --seconds, with N citizens in mid-conversation at once
   (N from --open, each a separate run): msg/s achieved, p50/p99 latency of a committed step;
2. memory: RSS after 1,000 and after 20,000 finished conversations (--finished).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import os
import statistics
import sys
import tempfile
import time
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

import psutil

from bot.app import App, build_app, tune_gc
from bot.config import load_settings
from bot.engine.dispatcher import SendResult
from bot.values.types import Inbound, Outbound

AGENCY = Path(__file__).resolve().parent.parent / "config" / "agency.soppeng.toml"
ONBOARD = ["halo", "1"]
COMPLAINT = [
    "1",
    "1",
    "1",
    "Jalan di depan rumah saya berlubang besar sejak dua bulan, sudah ada yang jatuh",
    "lanjut",
    "lapajung",
    "lewati",
    "1",
    "Budi Santoso",
    "kirim",
]


# The same complaint typed in the citizen's own words: every step goes through the reader of
# free text (intent at the menu, the story at the type question, "iya" to the suggested
# category, "tdk ada foto" to the photo question). --free runs this one.
FREE_COMPLAINT = [
    "sy mau lapor pak",
    "jalan di depan rumah sy berlubang besar sdh 2 bulan pak, kemarin ada yg jatuh dr motor",
    "iya betul",
    "udah itu aja",
    "lapajung",
    "tdk ada foto",
    "1",
    "Budi Santoso",
    "kirim",
]


class NullSender:
    channel = "console"

    def __init__(self) -> None:
        self.count = 0

    async def send(self, message: Outbound) -> SendResult:
        self.count += 1
        return SendResult(True)


class Citizen:
    def __init__(self, n: int, complaint: list[str]) -> None:
        self.chat = f"bench-{n}"
        self.complaint = complaint  # what this citizen types, complaint after complaint
        self.script = iter(ONBOARD)
        self.finished = 0

    def next_text(self) -> str:
        text = next(self.script, None)
        if text is None:  # onboarding or a complaint done: start another complaint
            self.script = iter(self.complaint)
            text = next(self.script)
        return text

    def count_finish(self, text: str) -> None:
        if text == "kirim":
            self.finished += 1


_delivery = itertools.count()


async def step(app: App, citizen: Citizen, latencies: list[float] | None) -> None:
    text = citizen.next_text()
    inbound = Inbound(
        channel="console",
        chat_id=citizen.chat,
        delivery_id=f"b{next(_delivery)}",
        at=datetime.now(UTC),
        text=text,
    )
    started = time.perf_counter()
    await app.engine.submit(inbound)
    if latencies is not None:
        latencies.append(time.perf_counter() - started)
    citizen.count_finish(text)


async def warm_up(app: App, citizens: list[Citizen], steps: int) -> None:
    """Bring every citizen into the middle of a complaint (concurrently, not timed)."""

    async def walk(citizen: Citizen) -> None:
        for _ in range(steps):
            await step(app, citizen, None)

    for chunk in range(0, len(citizens), 500):
        await asyncio.gather(*(walk(c) for c in citizens[chunk : chunk + 500]))


async def open_loop(
    app: App, citizens: list[Citizen], rate: float, seconds: float
) -> dict[str, float]:
    """Messages arrive at a fixed rate from whichever citizen is not waiting for a reply."""
    idle: deque[Citizen] = deque(citizens)
    latencies: list[float] = []
    pending: set[asyncio.Task[None]] = set()
    total = int(rate * seconds)
    skipped = 0
    start = time.perf_counter()

    async def run(citizen: Citizen) -> None:
        await step(app, citizen, latencies)
        idle.append(citizen)

    for n in range(total):
        target = start + n / rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        if not idle:
            skipped += 1  # every citizen is waiting: the engine is saturated
            continue
        task = asyncio.create_task(run(idle.popleft()))
        pending.add(task)
        task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "offered": rate,
        "msg_s": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
        "max_ms": 1000 * latencies[-1],
        "skipped": skipped,
    }


async def closed_loop(app: App, citizens: list[Citizen], seconds: float) -> float:
    """Capacity: every citizen sends again as soon as answered."""
    done = 0
    stop_at = time.perf_counter() + seconds

    async def loop(citizen: Citizen) -> None:
        nonlocal done
        while time.perf_counter() < stop_at:
            await step(app, citizen, None)
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(loop(c) for c in citizens))
    return done / (time.perf_counter() - start)


async def make_app(folder: Path, sender: NullSender) -> App:
    settings = load_settings(
        environment=False,
        database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        agency_config=AGENCY,
    )
    return await build_app(settings, [sender])


def rss_mb() -> float:
    gc.collect()
    return psutil.Process(os.getpid()).memory_info().rss / 2**20


async def load_phase(
    open_count: int, rates: list[float], seconds: float, complaint: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = await make_app(Path(folder), NullSender())
        tune_gc()
        citizens = [Citizen(n, complaint) for n in range(open_count)]
        await warm_up(app, citizens, len(ONBOARD) + 3)
        for rate in rates:
            result = await open_loop(app, citizens, rate, seconds)
            print(
                f"open={open_count:>5}  offered={result['offered']:>5.0f}/s  "
                f"achieved={result['msg_s']:>5.0f} msg/s  "
                f"p50={result['p50_ms']:6.1f} ms  p99={result['p99_ms']:6.1f} ms  "
                f"max={result['max_ms']:6.1f} ms  unserved-offers={result['skipped']:.0f}",
                flush=True,
            )
        capacity = await closed_loop(app, citizens[: min(64, open_count)], min(seconds, 5))
        print(f"open={open_count:>5}  capacity (64 clients, closed loop) = {capacity:.0f} msg/s")
        await app.stop()


async def memory_phase(checkpoints: list[int], concurrency: int, complaint: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = await make_app(Path(folder), NullSender())
        citizens = [Citizen(n, complaint) for n in range(concurrency)]
        finished = 0
        started = time.perf_counter()
        messages = 0
        for checkpoint in checkpoints:
            while finished < checkpoint:
                await asyncio.gather(*(step(app, c, None) for c in citizens))
                messages += len(citizens)
                finished = sum(c.finished for c in citizens)
            print(
                f"finished conversations={finished:>6}  RSS={rss_mb():.1f} MB  "
                f"({messages / (time.perf_counter() - started):.0f} msg/s over the run)",
                flush=True,
            )
        await app.stop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", action="store_true", help="the quick CI run")
    parser.add_argument("--free", action="store_true", help="citizens type in their own words")
    parser.add_argument("--rate", type=float, nargs="*", default=[1000, 1500, 2000])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--open", type=int, nargs="*", default=[200, 5000])
    parser.add_argument("--finished", type=int, nargs="*", default=[1000, 20000, 40000])
    args = parser.parse_args()
    complaint = FREE_COMPLAINT if args.free else COMPLAINT
    if args.small:
        args.seconds, args.rate, args.open, args.finished = 2, [1000], [200], [100, 400]
    print(
        f"engine bench: python {sys.version.split()[0]}, {os.cpu_count()} cpu, SQLite WAL "
        f"synchronous=NORMAL"
    )
    for open_count in args.open:
        asyncio.run(load_phase(open_count, args.rate, args.seconds, complaint))
    asyncio.run(memory_phase(args.finished, concurrency=100, complaint=complaint))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
