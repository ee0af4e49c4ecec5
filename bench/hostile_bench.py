"""Hostile clients against the bot as a real process (`python -m bot run`, Telegram webhook and
WhatsApp on, fake platforms on loopback):

1. Unsigned forms of 270 MB and 810 MB posted to /whatsapp/inbound, once with their length
   declared and once chunked: the answer, and the bot's RSS before and at its peak.
2. 1,000 slow or idle connections (half send nothing, half a header byte every few seconds,
   each reconnecting when dropped) with the bot limited to 1,024 open files, while /healthz is
   asked every 100 ms: its worst answer time, how many checks failed, and how much the bot's
   log grew.

    python -m bench.hostile_bench            # the figures quoted in the README
    python -m bench.hostile_bench --small    # the CI run: 27 MB forms, 300 connections, 10 s
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

import psutil

from tests.bot_process import BotProcess
from tests.fake_platforms import FakePlatforms

CHUNK = b"Body=" + b"x" * (65536 - 5)


async def _post_huge(port: int, megabytes: int, declared: bool, forged: bool) -> str:
    """Post an unsigned form of that size (no signature, or a forged one); returns the status
    line (or what happened)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    size = megabytes * 2**20
    head = [
        "POST /whatsapp/inbound HTTP/1.1",
        "Host: bot.example.id",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {size}" if declared else "Transfer-Encoding: chunked",
        *(["X-Twilio-Signature: Zm9yZ2VkIHNpZ25hdHVyZQ=="] if forged else []),
    ]
    writer.write(("\r\n".join(head) + "\r\n\r\n").encode())
    answer = asyncio.ensure_future(reader.readline())
    sent = 0
    with contextlib.suppress(ConnectionError):
        while sent < size and not answer.done():
            piece = CHUNK if declared else b"%x\r\n%s\r\n" % (len(CHUNK), CHUNK)
            writer.write(piece)
            await writer.drain()
            sent += len(CHUNK)
    try:
        status = (await asyncio.wait_for(answer, 30)).decode().strip()
    except (TimeoutError, ConnectionError):
        status = "no answer"
    writer.close()
    return f"{status} after {sent / 2**20:.1f} MB sent"


async def _peak_rss(bot: BotProcess, stop: asyncio.Event) -> float:
    assert bot.process is not None
    process = psutil.Process(bot.process.pid)
    peak = 0.0
    while not stop.is_set():
        peak = max(peak, process.memory_info().rss / 1e6)
        await asyncio.sleep(0.02)
    return peak


async def forms(bot: BotProcess, sizes: list[int]) -> None:
    for megabytes in sizes:
        for declared, forged in ((True, False), (False, False), (True, True), (False, True)):
            await asyncio.sleep(1.0)
            before = bot.rss_mb
            stop = asyncio.Event()
            sampling = asyncio.create_task(_peak_rss(bot, stop))
            status = await _post_huge(bot.port, megabytes, declared, forged)
            await asyncio.sleep(0.5)
            stop.set()
            peak = await sampling
            how = ("length declared" if declared else "chunked") + (
                ", forged signature" if forged else ", no signature"
            )
            print(
                f"unsigned {megabytes} MB form ({how}): {status}; RSS {before:.1f} MB before, "
                f"peak {peak:.1f} MB (+{peak - before:.1f} MB)"
            )


async def _slow_client(
    port: int, trickle: bool, stop: asyncio.Event, counts: dict[str, int]
) -> None:
    """Holds a connection open, sending nothing or a header byte every few seconds; opens a
    new one whenever the server drops it (as an attacker would)."""
    while not stop.is_set():
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            counts["refused"] += 1
            await asyncio.sleep(0.5)
            continue
        counts["opened"] += 1
        try:
            for byte in b"POST /telegram/webhook HTTP/1.1\r\nHost: x\r\n" * 100:
                if stop.is_set():
                    break
                if trickle:
                    writer.write(bytes([byte]))
                    await writer.drain()
                with contextlib.suppress(TimeoutError):
                    if await asyncio.wait_for(reader.read(1), 3.0) == b"":
                        break  # dropped by the server
        except OSError:
            pass
        finally:
            writer.close()
            counts["dropped"] += 1


async def _healthz(port: int) -> float | None:
    began = time.monotonic()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 1.0)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        line = await asyncio.wait_for(reader.readline(), 1.0)
        writer.close()
    except (OSError, TimeoutError):
        return None
    return time.monotonic() - began if line.startswith(b"HTTP/1.1 200") else None


async def slow_connections(bot: BotProcess, connections: int, seconds: float) -> None:
    log_before = bot.log.stat().st_size
    stop = asyncio.Event()
    counts = {"opened": 0, "dropped": 0, "refused": 0}
    clients = [
        asyncio.create_task(_slow_client(bot.port, n % 2 == 1, stop, counts))
        for n in range(connections)
    ]
    await asyncio.sleep(2.0)  # all of them connected
    answers: list[float | None] = []
    ended = time.monotonic() + seconds
    while time.monotonic() < ended:
        answers.append(await _healthz(bot.port))
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.gather(*clients, return_exceptions=True)
    good = sorted(a for a in answers if a is not None)
    failed = len(answers) - len(good)
    grown = (bot.log.stat().st_size - log_before) / 1e3
    print(
        f"{connections} slow/idle connections at 1,024 open files for {seconds:.0f} s: "
        f"/healthz asked {len(answers)} times, {failed} failed or over 1 s; answered in "
        f"p50 {1000 * statistics.median(good):.0f} ms, max {1000 * good[-1]:.0f} ms; "
        f"attacker connections opened {counts['opened']}, dropped by the bot "
        f"{counts['dropped']}; the bot's log grew {grown:.1f} kB"
    )


async def run(small: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        platforms = FakePlatforms()
        await platforms.start()
        bot = BotProcess(Path(folder), platforms, open_files=1024)
        await bot.start()
        await forms(bot, [27] if small else [270, 810])
        await slow_connections(bot, 300 if small else 1000, 10.0 if small else 40.0)
        await bot.stop()
        await platforms.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--small", action="store_true")
    asyncio.run(run(parser.parse_args().small))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
