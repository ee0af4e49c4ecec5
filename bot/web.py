"""The one HTTP app (Starlette, served by uvicorn): health, the Telegram webhook, and later
the WhatsApp endpoints. Channels hand in their endpoints; this module knows none of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Endpoint = Callable[[Request], Awaitable[Response]]


async def healthz(_request: Request) -> Response:
    return JSONResponse({"ok": True})


def make_web_app(endpoints: dict[str, Endpoint]) -> Starlette:
    """endpoints: POST path → handler, e.g. {"/telegram/webhook": …}."""
    routes = [Route("/healthz", healthz, methods=["GET"])]
    routes += [Route(path, handler, methods=["POST"]) for path, handler in endpoints.items()]
    return Starlette(routes=routes)
