"""NIK (Nomor Induk Kependudukan): validation with a reason, and masking for display."""

from __future__ import annotations

import unicodedata
from enum import Enum

from stdnum.exceptions import InvalidComponent, InvalidFormat, InvalidLength
from stdnum.id import nik as stdnum_nik


class NikProblem(Enum):
    LENGTH = "length"  # not 16 digits
    REGION = "region"  # province code does not exist
    BIRTH_DATE = "birth_date"  # the DDMMYY part is not a date


def check_nik(text: str) -> tuple[str | None, NikProblem | None]:
    # NFKC turns full-width and other look-alike digits into ASCII ones; anything else that
    # str.isdigit() accepts ("²") would pass the check and break int() later.
    plain = unicodedata.normalize("NFKC", text)
    digits = "".join(ch for ch in plain if not ch.isspace() and ch not in ".-")
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 16:
        return None, NikProblem.LENGTH
    try:
        stdnum_nik.validate(digits)
    except InvalidLength:
        return None, NikProblem.LENGTH
    except InvalidFormat:
        return None, NikProblem.LENGTH
    except InvalidComponent:
        try:
            stdnum_nik.get_birth_date(digits)
        except InvalidComponent:
            return None, NikProblem.BIRTH_DATE
        return None, NikProblem.REGION
    # python-stdnum reads the day modulo 40, so days 81-99 pass; and serial 0000 is never issued.
    day = int(digits[6:8])
    if not (1 <= day <= 31 or 41 <= day <= 71):
        return None, NikProblem.BIRTH_DATE
    if digits[12:] == "0000":
        return None, NikProblem.LENGTH
    return digits, None


def mask_nik(nik: str) -> str:
    """Only the last four digits stay visible: `************0001`."""
    return "*" * (len(nik) - 4) + nik[-4:]
