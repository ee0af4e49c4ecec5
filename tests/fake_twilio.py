"""A fake Twilio REST API served by uvicorn on loopback, for the real async twilio client."""

from __future__ import annotations

import asyncio
import itertools
import socket
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

ACCOUNT = "AC" + "0" * 32
TOKEN = "twilio-auth-token"


@dataclass
class FakeTwilio:
    messages: list[dict[str, str]] = field(default_factory=list)
    fail_with: tuple[int, int] | None = None  # (HTTP status, Twilio error code) for the next send
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    server: uvicorn.Server | None = None
    url: str = ""

    def to(self, number: str) -> list[str]:
        return [m.get("Body", "") for m in self.messages if m["To"] == f"whatsapp:{number}"]

    def media_to(self, number: str) -> list[str]:
        """The MediaUrl of each media message to a number."""
        return [
            m["MediaUrl"]
            for m in self.messages
            if m["To"] == f"whatsapp:{number}" and "MediaUrl" in m
        ]

    async def create(self, request: Request) -> JSONResponse:
        form = {k: str(v) for k, v in (await request.form()).items()}
        if self.fail_with is not None:
            status, code = self.fail_with
            self.fail_with = None
            return JSONResponse({"code": code, "message": "refused", "status": status}, status)
        sid = f"SM{next(self._ids):032d}"
        self.messages.append({**form, "Sid": sid})
        return JSONResponse(
            {"sid": sid, "status": "queued", "to": form.get("To"), "body": form.get("Body")}, 201
        )

    async def start(self) -> None:
        app = Starlette(
            routes=[
                Route("/2010-04-01/Accounts/{account}/Messages.json", self.create, methods=["POST"])
            ]
        )
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        )
        self._task = asyncio.create_task(self.server.serve())
        for _ in range(500):
            if self.server.started:
                break
            await asyncio.sleep(0.01)
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self.server is not None:
            self.server.should_exit = True
            await self._task


def signed_headers(url: str, form: dict[str, Any], token: str = TOKEN) -> dict[str, str]:
    from twilio.request_validator import RequestValidator

    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, form)}
