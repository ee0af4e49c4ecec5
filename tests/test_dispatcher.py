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
