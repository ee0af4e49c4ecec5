"""Who to call when a message describes a danger to life: the agency file's [emergency] table.

The national emergency number first (112: free, every operator, 24 hours), then the agency's
own lines, each with who answers. Read once with the agency file and shown, before anything
else, to a citizen whose message reads as an emergency (`bot.understanding.emergency`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_DIALLED = re.compile(r"^\+?\d(?:[\d -]*\d)?$")  # "112", "0484 21234", "+62 811-1129-129"


@dataclass(frozen=True)
class EmergencyLine:
    label: str  # who answers, as the agency writes it: "Ambulans (PSC)"
    number: str  # as dialled: "119", "0484 21234"
    label_en: str = ""


@dataclass(frozen=True)
class Emergency:
    number: str = "112"
    lines: tuple[EmergencyLine, ...] = ()


def parse_emergency(values: object, fail: Callable[[str], Exception]) -> Emergency:
    """[emergency] as written, or one readable line about what is wrong with it."""
    if not isinstance(values, dict):
        raise fail("[emergency] must be a table (number = ..., lines = [...])")
    unknown = set(values) - {"number", "lines"}
    if unknown:
        raise fail(f"unknown [emergency] entries: {', '.join(sorted(unknown))}")
    number = values.get("number", "112")
    if not isinstance(number, str) or not _DIALLED.match(number):
        raise fail(f"[emergency] number {number!r} is not a number to dial (digits, spaces, -)")
    raw_lines = values.get("lines", [])
    if not isinstance(raw_lines, list):
        raise fail("[emergency] lines must be a list of { label = ..., number = ... }")
    lines: list[EmergencyLine] = []
    for place, line in enumerate(raw_lines, 1):
        where = f"[emergency] line {place}"
        if not isinstance(line, dict):
            raise fail(f"{where} must be {{ label = ..., number = ... }}")
        extra = set(line) - {"label", "label_en", "number"}
        if extra:
            raise fail(f"{where}: unknown entries {', '.join(sorted(extra))}")
        label, dialled = line.get("label"), line.get("number")
        if not isinstance(label, str) or not label.strip():
            raise fail(f'{where} needs a label (who answers, e.g. "Ambulans (PSC)")')
        if not isinstance(dialled, str) or not _DIALLED.match(dialled):
            raise fail(f"{where} ({label}): number {dialled!r} is not a number to dial")
        if dialled in (number, *(known.number for known in lines)):
            raise fail(f"{where} ({label}): number {dialled} is listed twice")
        lines.append(EmergencyLine(label.strip(), dialled, str(line.get("label_en", "")).strip()))
    return Emergency(number, tuple(lines))
