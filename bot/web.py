"""The one HTTP app (Starlette, served by uvicorn): health, the Telegram webhook, the WhatsApp
endpoints and signed report downloads. Channels hand in their endpoints; this module knows
none of them, only what every endpoint needs: a bounded body and honest answers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Endpoint = Callable[[Request], Awaitable[Response]]
Ready = Callable[[], Awaitable[str | None]]  # None when the database takes writes, else why
BODY_SECONDS = 10.0  # a body that takes longer to arrive is a slow client, not a platform
RETRY_AFTER = "5"  # seconds: a platform redelivers what we could not commit


class BodyRefusedError(Exception):
    """The request's body is not read: too large, too slow, or cut off."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


async def read_body(request: Request, limit: int, seconds: float = BODY_SECONDS) -> bytes:
    """The body, at most `limit` bytes and within `seconds`. A declared length above the
    limit is refused before a byte is read, so a huge upload costs nothing."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not (declared.isascii() and declared.isdigit()):
            raise BodyRefusedError(400)
        if int(declared) > limit:
            raise BodyRefusedError(413)
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:  # (chunked, or a length that lied)
                    raise BodyRefusedError(413)
                chunks.append(chunk)
    except TimeoutError:
        raise BodyRefusedError(408) from None
    except ClientDisconnect:
        raise BodyRefusedError(400) from None
    return b"".join(chunks)


def refused(status: int) -> Response:
    """An answer with no body worth reading; 503 tells the platform to deliver again."""
    headers = {"Retry-After": RETRY_AFTER} if status == 503 else None
    return Response(status_code=status, headers=headers)


def make_web_app(
    endpoints: dict[str, Endpoint],
    downloads: dict[str, Endpoint] | None = None,
    ready: Ready | None = None,
) -> Starlette:
    """endpoints: POST path → handler, e.g. {"/telegram/webhook": …}; downloads: GET path
    pattern → handler, e.g. {"/files/{token}/{name}": …} for signed report links; ready: the
    engine's readiness, which /healthz reports (a load balancer stops sending while not)."""

    async def healthz(_request: Request) -> Response:
        reason = await ready() if ready is not None else None
        if reason is None:
            return JSONResponse({"ok": True})
        return JSONResponse({"ok": False, "database": reason}, status_code=503)

    routes = [Route("/healthz", healthz, methods=["GET"])]
    routes += [Route(path, handler, methods=["POST"]) for path, handler in endpoints.items()]
    routes += [Route(path, handler, methods=["GET"]) for path, handler in (downloads or {}).items()]
    return Starlette(routes=routes)
