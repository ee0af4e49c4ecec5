"""Turn a finished intake flow into a case: code, register number, routing, clocks, events.

Runs inside the batch transaction, so the case, its events and the receipt commit together.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.case import NewCase
from bot.domain.cases import Identity, Kind, Status, initial_status, intake_deadlines
from bot.domain.codes import new_code
from bot.domain.register import format_register_number
from bot.engine.pending import PendingCases
from storage import repo


async def create_case(
    conn: AsyncConnection,
    pending: PendingCases,
    agency: Agency,
    *,
    kind: str,
    data: dict[str, Any],
    reporter_person_id: int,
    submitter_person_id: int,
    channel: str,
    now: datetime,
    today: date,
    progress_days: int = 0,
) -> NewCase:
    # 31^7 random codes: a clash is rare but possible. The unique constraint catches it; the
    # engine then retries the message alone, which draws a new code.
    code = new_code(kind)
    category = data.get("category")
    area = data.get("area")
    route = agency.route(kind, category, area)
    deadlines = intake_deadlines(agency, kind, category, today)
    register_number, register_seq = None, None
    if kind == Kind.INFORMASI:
        register_seq = await repo.next_register_seq(conn, "ppid", today.year)
        register_number = format_register_number(agency.register_format, register_seq, today)
    elif kind == Kind.KEBERATAN:  # its own register number (Perki 1/2021)
        register_seq = await repo.next_register_seq(conn, Kind.KEBERATAN, today.year)
        register_number = format_register_number(
            agency.objection_register_format, register_seq, today
        )
    identity = data.get("identity", "biasa")
    location = data.get("location") or {}
    status = initial_status(kind)
    # A data-subject request the bot settled itself is filed already closed (its record).
    settled = bool(data.get("settled"))
    if settled:
        status = Status.DITUTUP
    ref = pending.add_case(
        {
            "kind": kind,
            "tracking_code": code,
            "register_number": register_number,
            "register_year": today.year if register_seq else None,
            "register_seq": register_seq,
            "status": status,
            "unit_code": route.unit,
            "reporter_person_id": reporter_person_id,
            "submitter_person_id": submitter_person_id,
            "channel": channel,
            "anonymous": identity == Identity.ANONIM,
            "confidential": identity == Identity.RAHASIA,
            "category_code": category,
            "area_code": area,
            "latitude": location.get("lat"),
            "longitude": location.get("lon"),
            "location_text": location.get("address") or data.get("location_text"),
            "reporter_name": data.get("name") if identity != Identity.ANONIM else None,
            "description": data.get("description") or data.get("information"),
            "related_case_id": data.get("related_case_id"),
            "objection_ground": data.get("objection_ground"),
            "subject_right": data.get("subject_right"),
            "received_on": today,
            "verify_due": deadlines.verify_due,
            "followup_due": deadlines.followup_due,
            "resolution_due": deadlines.resolution_due,
            "response_due": deadlines.response_due,
            # The first step's due date: verification, or the answer to a request.
            "due_on": None if settled else deadlines.verify_due or deadlines.response_due,
            # (a data request is answered within 3×24 hours: no "still being handled")
            "next_update_on": None
            if kind == Kind.DATA
            else calendar_next(agency, today, progress_days),
            "created_at": now,
            "updated_at": now,
            "closed_at": now if settled else None,
        },
    )
    if kind == Kind.INFORMASI:
        pending.details.append(
            (
                ref,
                {
                    "requester_type": data["requester_type"],
                    "requester_name": data["name"],
                    "nik": data.get("nik"),
                    "legal_entity_number": data.get("legal_entity_number"),
                    "address": data["address"],
                    "phone": data.get("phone"),
                    "email": data.get("email"),
                    "occupation": data["occupation"],
                    "information_requested": data["information"],
                    "purpose": data["purpose"],
                    "obtain_method": data["obtain_method"],
                    "delivery_method": data["delivery_method"],
                    # A kuasa's principal (the surat kuasa is among the attachments)
                    "principal_type": data.get("principal_type"),
                    "principal_name": data.get("principal_name"),
                    "principal_number": data.get("principal_number"),
                },
            )
        )
    pending.attachments.extend(
        (
            ref,
            {
                "channel": channel,
                "kind": item["kind"],
                "file_ref": item["ref"],
                "content_type": item.get("type"),
                "caption": item.get("caption"),  # "surat_kuasa" for a kuasa's letter
                "created_at": now,
            },
        )
        for item in data.get("attachments", [])
    )
    actor_role = "citizen" if reporter_person_id == submitter_person_id else "kim"
    pending.events.extend(
        [
            (
                ref,
                {
                    "at": now,
                    "actor_person_id": submitter_person_id,
                    "actor_role": actor_role,
                    "action": "received",
                    "from_status": None,
                    "to_status": status,
                    "data": {
                        "channel": channel,
                        "register_number": register_number,
                        **on_behalf(data),
                        # what the DIP already had, offered before the request was filed
                        **({"dip_offered": data["published"]} if data.get("published") else {}),
                    },
                },
            ),
            (
                ref,
                {
                    "at": now,
                    "actor_person_id": None,
                    "actor_role": "system",
                    "action": "routed",
                    "from_status": status,
                    "to_status": status,
                    "data": {"unit": route.unit, "reason": route.reason},
                },
            ),
        ]
    )
    if settled:  # what the bot did about it, as the case's closing event
        pending.events.append(
            (
                ref,
                {
                    "at": now,
                    "actor_person_id": None,
                    "actor_role": "system",
                    "action": "settled",
                    "from_status": initial_status(kind),
                    "to_status": status,
                    "data": dict(data.get("settled_event") or {}),
                },
            )
        )
    return NewCase(
        kind=kind,
        code=code,
        register_number=register_number,
        unit_name=agency.units[route.unit].name,
        received_on=today,
        deadlines=deadlines,
        requester_type=data.get("requester_type"),
        cites=data.get("cites"),
    )


def calendar_next(agency: Agency, day: date, working_days: int) -> date | None:
    """The day of the next "still being handled" message; None when they are switched off."""
    return agency.calendar.add_working_days(day, working_days) if working_days else None


def on_behalf(data: dict[str, Any]) -> dict[str, Any]:
    """For a case a KIM volunteer filed: the resident's consent and desa, for the record."""
    resident = data.get("resident")
    if not resident:
        return {}
    return {
        "on_behalf": True,
        "consent_at": resident["consent_at"],
        "resident_area": resident["area"],
        "resident_has_phone": bool(resident.get("phone")),
    }
