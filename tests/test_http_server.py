"""The HTTP server against slow and idle clients: every connection has a deadline, and when
the connections are full the slowest client gives way to one that asks at once."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette

from bot.http_server import Limits, connection_cap, make_server
from bot.web import make_web_app

LIMITS = Limits(max_connections=20, header_seconds=0.4, body_seconds=0.4)


@pytest.fixture
async def port() -> AsyncIterator[int]:
    async def echo(request: object) -> object:
        from starlette.requests import Request
        from starlette.responses import Response

        assert isinstance(request, Request)
        await request.body()
        return Response(b"ok")

    web: Starlette = make_web_app({"/echo": echo})  # type: ignore[dict-item]
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = make_server(web, "127.0.0.1", 0, LIMITS)
    serving = asyncio.create_task(server.serve(sockets=[sock]))
    for _ in range(1000):  # uvicorn offers no event for "listening"
        if server.started:
            break
        await asyncio.sleep(0.01)
    yield sock.getsockname()[1]
    server.should_exit = True
    await serving


async def closed_within(reader: asyncio.StreamReader, seconds: float) -> bool:
    try:
        return await asyncio.wait_for(reader.read(), seconds) == b""
    except TimeoutError:
        return False


async def healthz(port: int) -> bytes:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer = await asyncio.wait_for(reader.read(), 2.0)
    writer.close()
    return answer


async def test_a_connection_that_sends_nothing_is_closed(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    assert await closed_within(reader, 2.0)
    writer.close()


async def test_headers_sent_a_byte_at_a_time_are_cut_off(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\n":
        if writer.is_closing() or reader.at_eof():
            break
        writer.write(bytes([byte]))
        await asyncio.sleep(0.05)
    assert await closed_within(reader, 2.0)
    writer.close()


async def test_a_body_that_trickles_is_cut_off(port: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc")
    assert await closed_within(reader, 2.0)
    writer.close()


async def test_when_full_the_slowest_client_gives_way_to_a_health_check(port: int) -> None:
    idle = [await asyncio.open_connection("127.0.0.1", port) for _ in range(LIMITS.max_connections)]
    await asyncio.sleep(0.05)
    for _ in range(5):  # each check needs a place: an idle connection is dropped for it
        assert (await healthz(port)).startswith(b"HTTP/1.1 200")
    dropped = sum([await closed_within(reader, 0.1) for reader, _w in idle])
    assert dropped >= 5
    for _reader, writer in idle:
        writer.close()


def test_the_cap_stays_under_the_open_file_limit() -> None:
    assert connection_cap(1000, 1024) == 1024 - 128
    assert connection_cap(1000, 65536) == 1000
