"""kill -9 under load: citizens file complaints by Telegram webhook while the bot process is
killed at random moments and started again, as a power cut or an OOM kill would do it.

Every update is posted until it is answered 200, as Telegram does. At the end the database
and the fake Bot API are compared:
- lost updates: posted, answered 200, never processed (must be 0);
- cases: each citizen must have exactly one;
- lost replies: outbox rows never sent (must be 0);
- duplicate sends: messages the platform received whose send was never recorded (the row
  was then sent again), attributed to the kill that cut them off; the target is at most one
  per chat in flight per kill;
- reordered: a chat's recorded messages arriving out of outbox order.
Run small by `tests/test_crash.py`, in full by `python -m bench.crash_bench`.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from storage.keys import KEY_FILE, read_key_file
from tests.bot_process import SECRET, BotProcess
from tests.fake_platforms import FakePlatforms
from tests.harness import COMPLAINT_SCRIPT

SCRIPT = ["halo", "1", *COMPLAINT_SCRIPT, "kirim"]  # 12 messages: language, form, send


@dataclass
class DrillResult:
    citizens: int
    kills: int
    updates: int
    lost_updates: int
    cases: Counter[int]  # cases per citizen → how many citizens
    lost_replies: int
    sent: int
    duplicates: int
    duplicates_per_kill: list[int]
    worst_chat_per_kill: int  # the most duplicates one chat got from one kill
    without_a_kill: int  # duplicates no kill explains (a bug if ever more than 0)
    reordered: int
    seconds: float
    restarts_s: list[float] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"kill -9 drill: {self.citizens} citizens, {self.updates} updates, {self.kills} "
            f"kills in {self.seconds:.0f} s; lost updates {self.lost_updates}; cases per "
            f"citizen {dict(sorted(self.cases.items()))}; replies {self.sent} sent, "
            f"{self.lost_replies} lost, {self.reordered} reordered; duplicate sends "
            f"{self.duplicates} ({self.duplicates_per_kill} per kill, at most "
            f"{self.worst_chat_per_kill} for one chat in one kill, {self.without_a_kill} "
            f"without a kill); restarts "
            f"{min(self.restarts_s, default=0):.1f}-{max(self.restarts_s, default=0):.1f} s"
        )


def _update(update_id: int, chat: int, text: str) -> dict[str, Any]:
    user = {"id": chat, "is_bot": False, "first_name": "Warga"}
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": chat, "type": "private"},
        "from": user,
        "text": text,
    }
    return {"update_id": update_id, "message": message}


async def drill(workdir: Path, citizens: int, kills: int, seed: int = 1) -> DrillResult:
    rng = random.Random(seed)
    platforms = FakePlatforms()
    await platforms.start()
    bot = BotProcess(workdir, platforms)
    await bot.start()
    chats = [100_000 + n for n in range(citizens)]
    ids = iter(range(1, 10**9))
    scripts = {chat: [_update(next(ids), chat, text) for text in SCRIPT] for chat in chats}
    kill_times: list[float] = []
    restarts: list[float] = []
    running = asyncio.Event()
    running.set()
    started = time.monotonic()

    async def citizen(client: httpx.AsyncClient, chat: int) -> None:
        for update in scripts[chat]:
            while True:
                await running.wait()
                try:
                    response = await client.post(
                        f"{bot.url}/telegram/webhook",
                        json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                        timeout=10.0,
                    )
                    if response.status_code == 200:
                        break
                except httpx.HTTPError:
                    pass  # killed mid-request: Telegram delivers it again
                await asyncio.sleep(0.2)
            await asyncio.sleep(rng.uniform(0.0, 0.3))  # a person types

    async def killer() -> None:
        budget = len(SCRIPT) * 0.15 * 1.5  # spread the kills over the expected run
        for _ in range(kills):
            await asyncio.sleep(rng.uniform(0.3, budget / max(kills, 1)))
            await bot.kill()
            kill_times.append(time.monotonic())
            running.clear()
            began = time.monotonic()
            await bot.start()
            restarts.append(time.monotonic() - began)
            running.set()

    limits = httpx.Limits(max_connections=64)
    async with httpx.AsyncClient(limits=limits) as client:
        await asyncio.gather(killer(), *(citizen(client, chat) for chat in chats))
    await _drained(bot.database)
    await bot.stop()
    await platforms.stop()
    return _compare(bot.database, scripts, platforms, kill_times, started, restarts, kills)


async def _drained(database: Path, seconds: float = 120.0) -> None:
    """Until nothing is left to send (pacing is one message a second per chat)."""
    for _ in range(int(seconds / 0.25)):
        with sqlite3.connect(database, timeout=10) as db:
            (left,) = db.execute(
                "SELECT count(*) FROM outbox WHERE status IN ('pending', 'scheduled')"
            ).fetchone()
        if left == 0:
            await asyncio.sleep(1.0)  # the last results are written through the writer
            return
        await asyncio.sleep(0.25)


def _compare(
    database: Path,
    scripts: dict[int, list[dict[str, Any]]],
    platforms: FakePlatforms,
    kill_times: list[float],
    started: float,
    restarts: list[float],
    kills: int,
) -> DrillResult:
    # Addresses are sealed at rest, with the key file the bot made beside its database.
    ring = read_key_file(database.parent / KEY_FILE)
    assert ring is not None
    with sqlite3.connect(database) as db:
        processed = {
            r[0]
            for r in db.execute(
                "SELECT delivery_id FROM processed_deliveries WHERE channel = 'telegram'"
            )
        }
        counted = db.execute(
            "SELECT i.address, count(c.id) FROM identities i "
            "LEFT JOIN cases c ON c.reporter_person_id = i.person_id GROUP BY i.id"
        )
        per_chat = {ring.open(address): count for address, count in counted}
        rows = db.execute(
            "SELECT o.id, i.address, o.status, o.provider_message_id FROM outbox o "
            "JOIN identities i ON i.id = o.identity_id ORDER BY o.id"
        ).fetchall()
    posted = [str(u["update_id"]) for updates in scripts.values() for u in updates]
    recorded = {r[3]: r[0] for r in rows if r[3] is not None}
    lost_replies = sum(1 for r in rows if r[2] in ("pending", "scheduled", "dead"))
    duplicates = [a for a in platforms.sent if a.message_id not in recorded]
    per_kill: Counter[int] = Counter()
    per_kill_chat: Counter[tuple[int, str]] = Counter()
    for arrival in duplicates:  # cut off by the first kill after it arrived
        kill = next((n for n, t in enumerate(kill_times) if t >= arrival.at), len(kill_times))
        per_kill[kill] += 1
        per_kill_chat[(kill, arrival.chat)] += 1
    reordered = 0
    for chat in {str(c) for c in scripts}:
        found = [recorded.get(a.message_id) for a in platforms.sent if a.chat == chat]
        order = [o for o in found if o is not None]
        reordered += sum(1 for a, b in itertools.pairwise(order) if b < a)
    return DrillResult(
        citizens=len(scripts),
        kills=kills,
        updates=len(posted),
        lost_updates=len(set(posted) - processed),
        cases=Counter(per_chat.get(str(chat), 0) for chat in scripts),
        lost_replies=lost_replies,
        sent=len(platforms.sent),
        duplicates=len(duplicates),
        duplicates_per_kill=[per_kill[n] for n in range(len(kill_times))],
        worst_chat_per_kill=max(per_kill_chat.values(), default=0),
        without_a_kill=per_kill[len(kill_times)],
        reordered=reordered,
        seconds=time.monotonic() - started,
        restarts_s=restarts,
    )
