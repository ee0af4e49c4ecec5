"""Nothing is acknowledged before it is committed: a database that fills up, turns read-only
or stays locked makes every channel say so, and nothing a platform was told is lost."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.app import App
from bot.engine import send_results
from storage.schema import outbox, processed_deliveries
from tests.fake_telegram import text_update
from tests.refusal import Refusal
from tests.telegram_rig import polling, webhook

_chats = itertools.count(7000)


async def committed(app: App, channel: str, delivery_ids: list[str]) -> set[str]:
    """Which of these deliveries the database holds as processed."""
    pd = processed_deliveries
    async with app.db.connect() as conn:
        rows = await conn.execute(
            select(pd.c.delivery_id).where(
                pd.c.channel == channel, pd.c.delivery_id.in_(delivery_ids)
            )
        )
        return {r.delivery_id for r in rows}


async def pending_outbox(app: App) -> int:
    async with app.db.connect() as conn:
        query = select(func.count()).select_from(outbox).where(outbox.c.status != "sent")
        return int((await conn.execute(query)).scalar_one())


async def test_a_full_database_acknowledges_nothing_it_did_not_commit(tmp_path: Path) -> None:
    async with webhook(tmp_path) as hooked:
        refusal = Refusal(hooked.app)
        await refusal.fill(spare_pages=12)
        # Citizens keep writing as the disk fills: many new chats, each a new identity,
        # conversation and reply, until the last pages are used and SQLite refuses.
        updates = [text_update(next(_chats), "halo " + "x" * 2000) for _ in range(80)]
        answers = []
        for wave in range(0, 80, 8):  # eight at a time: each wave one batch, one commit
            answers += await asyncio.gather(*(hooked.post(u) for u in updates[wave : wave + 8]))
        assert set(answers) == {200, 503}  # some taken while there was room, then refused
        ids = [str(u["update_id"]) for u in updates]
        acknowledged = {i for i, a in zip(ids, answers, strict=True) if a == 200}
        lost = acknowledged - await committed(hooked.app, "telegram", ids)
        print(
            f"full disk: {len(updates)} updates, {len(acknowledged)} acknowledged (200), "
            f"{answers.count(503)} refused (503), {len(lost)} acknowledged but lost"
        )
        assert not lost
        health = await hooked.client.get("/healthz")
        assert health.status_code == 503 and health.json() == {"ok": False, "database": "full"}

        await refusal.clear()
        # Telegram delivers again what was not acknowledged, and now it is taken.
        again = [u for u, a in zip(updates, answers, strict=True) if a != 200]
        assert set(await asyncio.gather(*(hooked.post(u) for u in again))) == {200}
        assert await committed(hooked.app, "telegram", ids) == set(ids)
        assert (await hooked.client.get("/healthz")).json() == {"ok": True}
        await hooked.app.dispatcher.wait_idle()
        await hooked.app.engine.flush()
        for update in updates:  # everyone got exactly one welcome
            welcomes = hooked.api.messages_to(update["message"]["chat"]["id"])
            assert len(welcomes) == 1 and "Selamat datang" in welcomes[0]["text"]
        for _ in range(100):  # results refused while full are written on the next try
            if await pending_outbox(hooked.app) == 0:
                break
            await asyncio.sleep(0.1)
        assert await pending_outbox(hooked.app) == 0


async def test_a_read_only_database_is_refused_and_the_poller_fetches_again(
    tmp_path: Path,
) -> None:
    async with polling(tmp_path) as running:
        await running.say("halo")  # before: all well
        refusal = Refusal(running.app)
        await refusal.read_only()
        running.api.push(text_update(555, "1"))
        await asyncio.sleep(0.5)  # polled, refused, not confirmed
        assert len(running.api.messages_to(555)) == 1
        fetched = [c for c in running.api.calls if c.method == "getUpdates"]
        await refusal.clear()
        # Nothing was pushed again: the poller asked for the same update, and now it is taken.
        menu = await running.until(2, seconds=10.0)
        assert "Silakan pilih layanan" in menu[-1]["text"]
        assert len([c for c in running.api.calls if c.method == "getUpdates"]) > len(fetched)


async def test_replies_sent_while_their_results_cannot_be_recorded_are_not_sent_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(send_results, "RECORD_RETRY", 3600.0)  # kept results wait for the stop
    async with webhook(tmp_path) as hooked:
        refusal = Refusal(hooked.app)
        hooked.api.gate = asyncio.Event()  # the Bot API answers only when the gate opens
        assert await hooked.post(text_update(556, "halo")) == 200  # committed, then...
        await refusal.read_only()  # ...the disk goes read-only while the reply goes out
        hooked.api.gate.set()
        await hooked.app.dispatcher.wait_idle()
        assert len(hooked.api.messages_to(556)) == 1
        await refusal.clear()
        # The result is kept in memory; the row still reads as pending. A recovery (or a
        # release) finds it, and must not send it a second time.
        assert await pending_outbox(hooked.app) == 1
        await hooked.app.dispatcher.recover()
        await hooked.app.dispatcher.wait_idle()
        assert len(hooked.api.messages_to(556)) == 1
    # Stopping writes what was kept: the next start has nothing to resend.
    with sqlite3.connect(tmp_path / "bot.db") as conn:
        assert conn.execute("SELECT status FROM outbox").fetchall() == [("sent",)]


async def test_a_lock_held_by_another_process_past_the_timeout_is_a_503(tmp_path: Path) -> None:
    async with webhook(tmp_path) as hooked:
        other = sqlite3.connect(tmp_path / "bot.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # e.g. a careless manual session with the file
        try:
            assert await hooked.post(text_update(557, "halo")) == 503
            assert (await hooked.client.get("/healthz")).json() == {
                "ok": False,
                "database": "locked",
            }
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert await hooked.post(text_update(557, "halo")) == 200
        await hooked.app.dispatcher.wait_idle()
        assert "Selamat datang" in hooked.api.messages_to(557)[0]["text"]


async def test_the_console_says_a_message_was_not_saved_and_goes_on(tmp_path: Path) -> None:
    import io

    from bot.app import build_app
    from bot.channels.console import ConsoleSender, run_console
    from bot.engine.clock import FakeClock
    from tests.harness import START, make_settings

    out = io.StringIO()
    app = await build_app(make_settings(tmp_path), [ConsoleSender(out)], FakeClock(START))
    refusal = Refusal(app)
    await refusal.read_only()
    await run_console(app, "budi", stdin=io.StringIO("halo\n"), out=out)
    assert "belum tersimpan" in out.getvalue() and "Selamat datang" not in out.getvalue()
    await refusal.clear()
    await run_console(app, "budi", stdin=io.StringIO("halo\n"), out=out)
    assert "Selamat datang" in out.getvalue()
    await app.stop()
