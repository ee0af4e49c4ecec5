"""The case as the rules see it: one typed value, read from its row and changed in memory.

Actions never write to storage. They return the changes they want, `Case.changed` applies
them to a copy, and the service writes the copy once, with the action's event. Reading the
case through this type (instead of a database row) is what lets every action be tested as a
plain function, and lets mypy check the fields the rules depend on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any

from bot.domain.cases import COMPLAINT_KINDS, Deadlines, Identity, Kind, Status
from bot.domain.lifecycle import Decision


@dataclass(frozen=True)
class Case:
    id: int
    kind: Kind
    tracking_code: str
    status: Status
    unit_code: str
    reporter_person_id: int
    submitter_person_id: int
    channel: str
    received_on: date
    created_at: datetime
    updated_at: datetime
    register_number: str | None = None
    register_year: int | None = None
    register_seq: int | None = None
    anonymous: bool = False
    confidential: bool = False
    category_code: str | None = None
    area_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    location_text: str | None = None
    reporter_name: str | None = None
    description: str | None = None
    related_case_id: int | None = None
    verify_due: date | None = None
    followup_due: date | None = None
    response_due: date | None = None
    resolution_due: date | None = None
    extended: bool = False
    assignee_person_id: int | None = None
    paused_status: Status | None = None
    decision: Decision | None = None
    decision_ground: str | None = None
    objection_ground: str | None = None
    decided_on: date | None = None
    delivered_on: date | None = None  # the information granted was actually given (`deliver`)
    confirm_due: date | None = None
    rating: int | None = None
    reopened: int = 0
    followed_up_on: date | None = None
    due_on: date | None = None
    next_update_on: date | None = None
    alerted_on: date | None = None
    closed_at: datetime | None = None

    @classmethod
    def from_row(cls, row: Any) -> Case:
        """From a `cases` row (or any mapping of its columns); unknown columns are ignored,
        so a migration that adds one does not break reading."""
        values: Mapping[str, Any] = row._mapping if hasattr(row, "_mapping") else row
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in values.items() if k in known}
        data["kind"] = Kind(data["kind"])
        data["status"] = Status(data["status"])
        for name, enum in (("paused_status", Status), ("decision", Decision)):
            if data.get(name) is not None:
                data[name] = enum(data[name])
        for name in ("anonymous", "confidential", "extended"):
            data[name] = bool(data.get(name))
        data["reopened"] = int(data.get("reopened") or 0)
        return cls(**data)

    def changed(self, changes: Mapping[str, Any]) -> Case:
        """A copy with `changes` applied; a name that is not a field is a programming error
        (it would be silently lost on the way to the database)."""
        return replace(self, **changes)

    @property
    def complaint(self) -> bool:
        """Complaints and aspirations share one state machine and one clock (SP4N-LAPOR!)."""
        return self.kind in COMPLAINT_KINDS

    @property
    def identity(self) -> Identity:
        if self.anonymous:
            return Identity.ANONIM
        return Identity.RAHASIA if self.confidential else Identity.BIASA

    def columns(self, names: Mapping[str, Any] | set[str]) -> dict[str, Any]:
        """The stored values of the named fields (enums as their text), for the one write."""
        return {name: _stored(getattr(self, name)) for name in names}


def _stored(value: Any) -> Any:
    return value.value if isinstance(value, Kind | Status | Decision) else value


@dataclass(frozen=True)
class NewCase:
    """A case just filed, as its receipt tells it."""

    kind: str
    code: str
    register_number: str | None
    unit_name: str
    received_on: date
    deadlines: Deadlines
    requester_type: str | None = None
    cites: str | None = None  # an objection: the request's register number
