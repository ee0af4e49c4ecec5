"""The pacer every sender waits on: platform limits overall and per chat, replies first."""

from __future__ import annotations

import asyncio

from bot.channels.pacing import Pacer


class FakeTime:
    """A clock that sleeping moves; `lag` makes every sleep overshoot, as a busy loop does."""

    def __init__(self, lag: float = 0.0) -> None:
        self.now, self.lag = 0.0, lag

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(0)  # whoever was let through runs first, at the time it was
        self.now += seconds + self.lag


def most_in_one_second(times: list[float]) -> int:
    # (a nanosecond of slack for the sums of floating-point intervals)
    return max(sum(1 for t in times if start <= t < start + 1.0 - 1e-9) for start in times)


async def test_one_message_a_second_per_chat_and_thirty_overall() -> None:
    t = FakeTime()
    pacer = Pacer(30.0, 1.0, clock=t.clock, sleep=t.sleep)
    one_chat = []
    for _ in range(3):
        await pacer.wait("a")
        one_chat.append(t.now)
    assert one_chat == [0.0, 1.0, 2.0]
    start = t.now
    others: list[float] = []

    async def one(n: int) -> None:
        await pacer.wait(f"chat-{n}")
        others.append(t.now)

    await asyncio.gather(*(one(n) for n in range(60)))
    assert max(others) - start >= 59 / 30 - 1e-9  # never faster than 30 a second overall
    assert most_in_one_second(others) <= 30


async def test_a_lagging_loop_never_puts_more_than_the_limit_into_a_second() -> None:
    t = FakeTime(lag=0.7)
    pacer = Pacer(2.0, 0.0, clock=t.clock, sleep=t.sleep)
    released: list[float] = []

    async def one(n: int) -> None:
        await pacer.wait(f"c{n}")
        released.append(t.now)

    await asyncio.gather(*(one(n) for n in range(12)))
    assert len(released) == 12 and most_in_one_second(released) <= 2


async def test_a_reply_goes_ahead_of_a_backlog() -> None:
    t = FakeTime()
    pacer = Pacer(10.0, 1.0, clock=t.clock, sleep=t.sleep)
    order: list[str] = []

    async def one(name: str, urgent: bool = False) -> None:
        await pacer.wait(name, urgent=urgent)
        order.append(name)

    backlog = [asyncio.create_task(one(f"old-{n}")) for n in range(50)]
    await asyncio.sleep(0)  # the backlog is waiting
    await one("citizen", urgent=True)
    assert order.index("citizen") <= 1  # at most the one already let through went first
    await asyncio.gather(*backlog)
    assert len(order) == 51
