"""Whether the database takes writes now: what `/healthz` reports.

The writer records every commit and every refusal here. When it has committed lately and
nothing was refused since, the answer is at hand; otherwise a probe commits a message-sized
row through the writer (storage.repo.probe_write), so a disk that filled up, a file that
turned read-only or a lock held by another process shows as not ready, and as ready again as
soon as a write goes through.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

FRESH_SECONDS = 10.0  # a commit this recent answers for the database without a probe
PROBE_WAIT = 0.8  # seconds /healthz waits for a probe (it must answer within a second)


@dataclass
class WriteHealth:
    clock: Callable[[], float] = time.monotonic
    last_commit: float | None = None
    refused: str | None = None  # why the last write failed, until one commits again
    _probe: asyncio.Task[object] | None = field(default=None, repr=False)

    def committed(self) -> None:
        self.last_commit, self.refused = self.clock(), None

    def refusing(self, reason: str) -> None:
        self.refused = reason

    def fresh(self) -> bool:
        return (
            self.refused is None
            and self.last_commit is not None
            and self.clock() - self.last_commit < FRESH_SECONDS
        )

    async def check(self, probe: Callable[[], Awaitable[object]]) -> str | None:
        """None when writes commit, else the reason. One probe at a time, however many ask;
        a probe still waiting for a busy writer leaves the last known answer."""
        if self.fresh():
            return None
        if self._probe is None or self._probe.done():
            self._probe = asyncio.ensure_future(probe())
            # Its outcome is in `refused` either way; a probe nobody waited for to the end
            # must not be reported as an unretrieved exception.
            self._probe.add_done_callback(lambda t: t.cancelled() or t.exception())
        with contextlib.suppress(Exception):  # a refusal is recorded by the writer itself
            await asyncio.wait_for(asyncio.shield(self._probe), PROBE_WAIT)
        return self.refused
