"""Time as a dependency, so tests can move it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class StartedClock:
    """Real time, but starting from a chosen instant (CLOCK_START): it moves with the
    machine's monotonic clock, so timers and deadlines behave as they would from then on."""

    def __init__(self, start: datetime) -> None:
        self._start, self._origin = start, time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


def make_clock(start: datetime | None) -> Clock:
    return StartedClock(start) if start is not None else SystemClock()


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)
