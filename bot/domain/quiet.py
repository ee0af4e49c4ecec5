"""Quiet hours: when pushes to citizens wait (local time, working or not)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


def quiet_until(now: datetime, zone: ZoneInfo, quiet: tuple[time, time] | None) -> datetime | None:
    """The end of the quiet period `now` falls in (UTC), or None when it is not quiet.

    Windows may cross midnight (21:00-06:00) or not (12:00-13:00)."""
    if quiet is None:
        return None
    start, end = quiet
    local = now.astimezone(zone)
    clock = local.time().replace(tzinfo=None)
    if start <= end:
        inside = start <= clock < end
        ends = local.date()
    else:
        inside = clock >= start or clock < end
        ends = local.date() + timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return None
    return datetime.combine(ends, end, tzinfo=zone).astimezone(UTC)


# Someone who wrote this recently is in a live conversation: quiet hours do not hold what is
# for them (they are plainly awake, and a reply held till morning would break the exchange).
LIVE_FOR = timedelta(minutes=30)


def live(last_inbound: datetime | None, now: datetime) -> bool:
    return last_inbound is not None and now - last_inbound <= LIVE_FOR
