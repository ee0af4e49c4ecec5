"""How reports write dates, months, channels and numbers: as an Indonesian office writes them
("1 Januari 2026 s.d. 30 Juni 2026", "Jan 2026", "WhatsApp"), never ISO codes."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

CHANNELS = {"telegram": "Telegram", "whatsapp": "WhatsApp", "console": "Konsol (uji coba)"}


def day_text(day: date) -> str:
    return format_date(day, "d MMMM y", locale="id")


def span_text(start: date, end: date) -> str:
    if start == end:
        return day_text(start)
    return f"{day_text(start)} s.d. {day_text(end)}"


def month_text(year: int, month: int) -> str:
    return format_date(date(year, month, 1), "MMM y", locale="id")


def channel_text(code: str) -> str:
    return CHANNELS.get(code, code)
