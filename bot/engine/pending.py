"""Case rows gathered during a batch and written together at its end.

Each awaited statement is a hop to SQLite's thread; writing a batch's new cases, details,
attachments and events as four multi-row statements keeps the cost per batch, not per case.
Rows refer to their case by position until the database gives ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import repo


@dataclass
class PendingCases:
    cases: list[dict[str, Any]] = field(default_factory=list)
    details: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    attachments: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    events: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def add_case(self, values: dict[str, Any]) -> int:
        self.cases.append(values)
        return len(self.cases) - 1

    async def flush(self, conn: AsyncConnection) -> list[int]:
        if not self.cases:
            return []
        ids = await repo.insert_cases(conn, self.cases)

        def resolve(rows: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
            return [{**row, "case_id": ids[ref]} for ref, row in rows]

        await repo.insert_request_details(conn, resolve(self.details))
        await repo.insert_attachments(conn, resolve(self.attachments))
        await repo.insert_events(conn, resolve(self.events))
        self.cases, self.details, self.attachments, self.events = [], [], [], []
        return ids
