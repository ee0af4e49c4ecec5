"""What the writer queues: a message or a write job, and the future its caller awaits."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.values.types import Inbound, Outbound

Job = Callable[[AsyncConnection], Awaitable[Any]]


@dataclass
class Item:
    """A queued message or write job and the future its caller awaits."""

    inbound: Inbound | None
    job: Job | None
    future: asyncio.Future[Any]
    outbound: list[Outbound] = field(default_factory=list)
    notifies: bool = False  # the job returns notices to address and send (a sweep)
    fresh: bool = False  # an inbound message seen for the first time
