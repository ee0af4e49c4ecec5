from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.domain.quiet import quiet_until

WITA = ZoneInfo("Asia/Makassar")  # UTC+8
NIGHT = (time(21, 0), time(6, 0))


def at(hour: int, minute: int = 0, day: int = 27) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WITA).astimezone(UTC)


def test_overnight_quiet_hours() -> None:
    assert quiet_until(at(20, 59), WITA, NIGHT) is None
    assert quiet_until(at(21, 0), WITA, NIGHT) == at(6, 0, day=28)
    assert quiet_until(at(23, 30), WITA, NIGHT) == at(6, 0, day=28)
    assert quiet_until(at(2, 15), WITA, NIGHT) == at(6, 0)
    assert quiet_until(at(6, 0), WITA, NIGHT) is None


def test_a_daytime_window_and_none() -> None:
    lunch = (time(12, 0), time(13, 0))
    assert quiet_until(at(12, 30), WITA, lunch) == at(13, 0)
    assert quiet_until(at(13, 0), WITA, lunch) is None
    assert quiet_until(at(23, 0), WITA, None) is None
