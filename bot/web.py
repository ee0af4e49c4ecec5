"""The one HTTP app (Starlette, served by uvicorn): health, the Telegram webhook, the WhatsApp
endpoints and signed report downloads. Channels hand in their endpoints; this module knows
none of them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

Endpoint = Callable[[Request], Awaitable[Response]]


async def healthz(_request: Request) -> Response:
    return JSONResponse({"ok": True})


def make_web_app(
    endpoints: dict[str, Endpoint], downloads: dict[str, Endpoint] | None = None
) -> Starlette:
    """endpoints: POST path → handler, e.g. {"/telegram/webhook": …}; downloads: GET path
    pattern → handler, e.g. {"/files/{token}/{name}": …} for signed report links."""
    routes = [Route("/healthz", healthz, methods=["GET"])]
    routes += [Route(path, handler, methods=["POST"]) for path, handler in endpoints.items()]
    routes += [Route(path, handler, methods=["GET"]) for path, handler in (downloads or {}).items()]
    return Starlette(routes=routes)
