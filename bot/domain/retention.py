"""How long personal data is kept (UU 27/2022 Pasal 43–44: erased once no longer needed,
unless a law requires it kept; UU 43/2009 Kearsipan and the agency's Jadwal Retensi Arsip say
how long its records must be kept). The periods are the agency's, in its file; the scheduler
erases personal data when they end, and the counts of the reports stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.domain.cases import COMPLAINT_KINDS, Kind
from bot.values.messages import Msg, _


@dataclass(frozen=True)
class Retention:
    """Days each kind of record keeps its personal data after it is finished."""

    complaint_days: int = 730  # pengaduan and aspirasi, from closing
    information_days: int = 1825  # permohonan informasi and keberatan (the PPID's register)
    data_request_days: int = 365  # a data-subject request, from its answer
    chat_days: int = 365  # a chat with no case: from its last message
    message_days: int = 90  # the text of messages sent (the outbox), from sending

    def days_for(self, kind: str) -> int:
        if kind in COMPLAINT_KINDS:
            return self.complaint_days
        if kind == Kind.DATA:
            return self.data_request_days
        return self.information_days

    def kept_until(self, kind: str, finished_on: date) -> date:
        """The last day a finished case of `kind` keeps its personal data: whole years are
        calendar years ("2 tahun" from 27 Nov 2026 is 27 Nov 2028), as the notice says."""
        return after(finished_on, self.days_for(kind))


def after(day: date, days: int) -> date:
    years, rest = divmod(days, 365)
    if rest or not years:
        return day + timedelta(days=days)
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def cut_off(now: datetime, days: int) -> datetime:
    """The moment before which a record finished is past a period of `days` (`after`'s
    reverse, so the sweep erases on the day the notice promises)."""
    years, rest = divmod(days, 365)
    if rest or not years:
        return now - timedelta(days=days)
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def in_words(days: int) -> Msg:
    """A retention period in plain words: "2 tahun", "90 hari"."""
    if days % 365 == 0:
        return _("{n} tahun", n=days // 365)
    return _("{n} hari", n=days)
