"""Official register numbers (nomor pendaftaran): sequential per year, in the agency's format."""

from __future__ import annotations

from datetime import date

_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def format_register_number(template: str, seq: int, on: date) -> str:
    """`{seq:03d}/PPID/{month_roman}/{year}` with seq 12 in November 2026 → `012/PPID/XI/2026`."""
    return template.format(seq=seq, year=on.year, month=on.month, month_roman=_ROMAN[on.month - 1])
