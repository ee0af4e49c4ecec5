"""The dispatcher with a backlog: it reads the outbox a page at a time, and reads on only
when the lanes are nearly through what they hold (memory stays flat for any backlog)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import insert

from storage import repo
from storage.schema import identities, outbox, persons
from tests.harness import START
from tests.telegram_rig import webhook

BACKLOG = 6 * repo.OUTBOX_PAGE  # more pages than are ever in hand at once


async def test_a_backlog_is_read_a_few_pages_at_a_time(tmp_path: Path) -> None:
    async with webhook(tmp_path) as rig:
        async with rig.app.db.begin() as conn:
            await conn.execute(
                insert(persons), [{"id": n, "created_at": START} for n in range(1, BACKLOG + 1)]
            )
            await conn.execute(
                insert(identities),
                [
                    {"id": n, "person_id": n, "channel": "telegram", "address": str(900_000 + n)}
                    | {"created_at": START}
                    for n in range(1, BACKLOG + 1)
                ],
            )
            await conn.execute(
                insert(outbox),
                [
                    {
                        "identity_id": n,
                        "channel": "telegram",
                        "kind": "status_update",
                        "payload": {"text": f"kabar {n}", "buttons": []},
                        "status": "pending",
                        "not_before": START,
                        "created_at": START,
                    }
                    for n in range(1, BACKLOG + 1)
                ],
            )
        rig.api.gate = asyncio.Event()  # nothing gets through yet
        reading = asyncio.ensure_future(rig.app.dispatcher.recover())
        try:
            with pytest.raises(TimeoutError):  # it waits for room, not reading everything
                await asyncio.wait_for(asyncio.shield(reading), 1.0)
        finally:
            rig.api.gate.set()
        await reading
        await rig.app.dispatcher.wait_idle()
        assert len(rig.api.delivered) == BACKLOG  # each once
        assert len({m["chat_id"] for m in rig.api.delivered}) == BACKLOG


async def test_a_clock_that_stepped_back_does_not_strand_pending_messages(
    tmp_path: Path,
) -> None:
    """Written just before a restart whose clock starts earlier (an NTP step back, or
    CLOCK_START): pending means send now, whatever the time says."""
    from datetime import timedelta

    async with webhook(tmp_path) as rig:
        later = START + timedelta(hours=1)  # as written by the clock before the step back
        async with rig.app.db.begin() as conn:
            await conn.execute(insert(persons), [{"id": 1, "created_at": later}])
            await conn.execute(
                insert(identities),
                [
                    {"id": 1, "person_id": 1, "channel": "telegram", "address": "4444"}
                    | {"created_at": later}
                ],
            )
            await conn.execute(
                insert(outbox),
                [
                    {
                        "identity_id": 1,
                        "channel": "telegram",
                        "kind": "reply",
                        "payload": {"text": "Balasan sebelum restart", "buttons": []},
                        "status": "pending",
                        "not_before": later,
                        "created_at": later,
                    }
                ],
            )
        await rig.app.dispatcher.recover()
        await rig.app.dispatcher.wait_idle()
        assert [m["text"] for m in rig.api.messages_to(4444)] == ["Balasan sebelum restart"]
