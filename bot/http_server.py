"""The HTTP server (uvicorn), hardened for the open internet.

uvicorn bounds an idle keep-alive connection, but not a new connection that sends nothing, nor
headers or a body that trickle in a byte at a time: a thousand such connections used to hold
every file descriptor, so `/healthz` and the platforms' webhooks went unanswered. Here each
connection must deliver its request headers within `HEADER_SECONDS` and its body within
`BODY_SECONDS`, and the number of connections is capped below the open-file limit. When the
cap is reached, the connection that has waited longest on its client gives way to the new
one: a platform's webhook (or a health check) sends its request at once and is served, while
a slow client is the one dropped. A reverse proxy in front (README) is the first line; this is
the second.
"""

from __future__ import annotations

import asyncio
import logging
import resource
from dataclasses import dataclass
from typing import Any

import h11
import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.h11_impl import H11Protocol

log = logging.getLogger(__name__)
HEADER_SECONDS = 10.0  # from connecting (or the last response) to the end of the headers
BODY_SECONDS = 20.0  # from the headers to the end of the body
KEEP_ALIVE_SECONDS = 5  # an idle connection between requests
FD_RESERVE = 128  # files kept for the database, the platforms' HTTP clients, reports, logs


@dataclass(frozen=True)
class Limits:
    max_connections: int
    header_seconds: float = HEADER_SECONDS
    body_seconds: float = BODY_SECONDS


def raise_open_file_limit() -> int:
    """Raise the soft limit on open files to the hard one (a default of 1,024 is small for a
    server); returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            log.warning("could not raise the open-file limit above %d", soft)
    return soft


def connection_cap(configured: int, open_files: int) -> int:
    """Connections allowed at once: what is configured, but always under the open-file limit
    with room to spare for everything else the bot keeps open."""
    return max(16, min(configured, open_files - FD_RESERVE))


def guarded_protocol(limits: Limits) -> type[H11Protocol]:
    """uvicorn's h11 protocol with a deadline on every request and a cap on connections."""

    class GuardedProtocol(H11Protocol):
        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._deadline: asyncio.TimerHandle | None = None
            self._waiting_since = self.loop.time()
            self._expect(limits.header_seconds)
            if len(self.connections) > limits.max_connections:
                self._make_room()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.transport.is_closing():
                return
            state = self.conn.their_state
            if state is h11.SEND_BODY and self._expecting != "body":
                self._expect(limits.body_seconds, "body")
            elif state is h11.DONE:  # the whole request is here: the app has it now
                self._clear()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._waiting_since = self.loop.time()
                self._expect(limits.header_seconds)  # the next request, if any, in time

        def connection_lost(self, exc: Exception | None) -> None:
            self._clear()
            super().connection_lost(exc)

        # --- deadlines ---

        def _expect(self, seconds: float, what: str = "headers") -> None:
            self._clear()
            self._expecting = what
            self._deadline = self.loop.call_later(seconds, self._too_slow)

        def _clear(self) -> None:
            deadline = getattr(self, "_deadline", None)
            if deadline is not None:
                deadline.cancel()
            self._deadline, self._expecting = None, ""

        def _too_slow(self) -> None:
            self._deadline = None
            if self._waiting_on_client():
                self.transport.abort()

        def _waiting_on_client(self) -> bool:
            """True while the client owes us its request: headers not all here (and no app
            busy answering the one before), or a body still coming (whoever waits for it)."""
            if self.conn.their_state is h11.SEND_BODY:
                return True
            busy = self.cycle is not None and not self.cycle.response_complete
            return self.conn.their_state is h11.IDLE and not busy

        # --- the cap ---

        def _make_room(self) -> None:
            """Over the cap: the connection waiting longest on its client gives way; if every
            one is busy in the app, this new one is refused."""
            waiting = [
                c
                for c in self.connections
                if isinstance(c, GuardedProtocol) and c is not self and c._waiting_on_client()
            ]
            victim: Any = min(waiting, key=lambda c: c._waiting_since, default=self)
            victim.transport.abort()

    return GuardedProtocol


def make_server(app: Starlette, host: str, port: int, limits: Limits) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        http=guarded_protocol(limits),
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        backlog=2048,  # connections the kernel holds until we accept (and maybe evict) them
        log_level="warning",
        access_log=False,
        server_header=False,
    )
    return uvicorn.Server(config)
