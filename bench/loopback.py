"""What the webhook benchmarks share: a uvicorn server on 127.0.0.1, hand-written keep-alive
HTTP/1.1 clients (httpx's connection pool cost more CPU than the bot and would have measured
the load generator), and the summary line."""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import time

import uvicorn
from starlette.applications import Starlette

from bot.http_server import Limits, make_server

Prepared = dict[int, list[bytes]]  # each chat's raw requests, in the order a phone sends them


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def serve(web: Starlette) -> tuple[uvicorn.Server, asyncio.Task[None], int]:
    port = free_port()
    server = make_server(web, "127.0.0.1", port, Limits(max_connections=1000))  # as served
    serving = asyncio.create_task(server.serve())
    for _ in range(1000):  # uvicorn offers no event for "listening"
        if server.started:
            break
        await asyncio.sleep(0.01)
    return server, serving, port


async def stop(server: uvicorn.Server, serving: asyncio.Task[None]) -> None:
    server.should_exit = True
    await serving


def request(path: str, content_type: str, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Type: {content_type}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    if length:
        await reader.readexactly(length)
    return int(head.split(b" ", 2)[1])


async def drive(port: int, prepared: Prepared, concurrency: int) -> tuple[list[float], float]:
    """Post every chat's requests, each chat in order, `concurrency` connections at once.
    Returns the sorted latencies and the elapsed seconds."""
    latencies: list[float] = []
    queue = list(prepared)

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while queue:
            for raw in prepared[queue.pop()]:
                started = time.perf_counter()
                writer.write(raw)
                status = await read_response(reader)
                latencies.append(time.perf_counter() - started)
                assert status == 200, status
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return latencies, elapsed


def summary(latencies: list[float], elapsed: float) -> str:
    return (
        f"{len(latencies) / elapsed:.0f}/s, p50={1000 * statistics.median(latencies):.1f} ms, "
        f"p99={1000 * latencies[int(0.99 * (len(latencies) - 1))]:.1f} ms"
    )


def arguments(doc: str | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", action="store_true", help="the quick CI run")
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    if args.small:
        args.chats, args.concurrency = 50, 8
    return args
