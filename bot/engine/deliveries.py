"""What a delivery report means for the outbox: the policy, so that channels only parse.

A channel reads its provider's callback into a `DeliveryReport` (which message, its status,
and what the provider's error code means); this module records it and acts on it inside the
engine's writer, where every write to the outbox happens.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncConnection

from storage import repo

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryReport:
    provider_id: str  # the provider's id of the message we sent
    status: str  # queued | sent | delivered | read | failed | undelivered …
    error: str | None = None  # the provider's error, recorded as given ("Twilio63016")
    unreachable: bool = False  # the number cannot be reached at all
    outside_window: bool = False  # free text refused outside the 24-hour window


async def apply_report(
    conn: AsyncConnection, report: DeliveryReport, kinds_with_template: frozenset[str]
) -> list[int]:
    """Record the status (monotonically: a late "sent" never undoes "delivered"). A failure
    for a number that cannot be reached marks it so; a message refused outside the window is
    re-planned as its kind's template, or held. Returns the outbox ids to send again."""
    failed = await repo.record_delivery_status(
        conn, report.provider_id, report.status, report.error
    )
    if failed is None:
        return []
    if report.unreachable:
        await repo.mark_unreachable(conn, [(failed.channel, failed.address)])
        # For the operators until admins get their dead-letter list (no number logged).
        log.warning("recipient unreachable: outbox=%s error=%s", failed.id, report.error)
    if report.outside_window and failed.kind in kinds_with_template:
        await repo.replan_as_template(conn, failed)
        return [failed.id]
    return []
