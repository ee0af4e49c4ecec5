"""Phone numbers and e-mail addresses as Indonesians type them."""

from __future__ import annotations

import re
import unicodedata

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")


def normalise_phone(text: str) -> str | None:
    """`0812-3456-789`, `62812…` and `+62 812…` are one person: `+62812…` (E.164)."""
    digits = re.sub(r"[\s\-().]", "", unicodedata.normalize("NFKC", text).strip())
    if digits.startswith("+"):
        digits = digits[1:]
    if not (digits.isascii() and digits.isdigit()):
        return None
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    if not digits.startswith("62"):
        return None
    national = digits[2:]
    # Indonesian mobile and fixed numbers have 8 to 12 digits after the country code.
    if not 8 <= len(national) <= 12 or national.startswith("0"):
        return None
    return "+" + digits


def mask_phone(e164: str) -> str:
    """`+6281234567890` → `0812****7890`: enough to recognise, not enough to misuse."""
    national = "0" + e164[3:] if e164.startswith("+62") else e164
    return national[:4] + "*" * max(len(national) - 8, 2) + national[-4:]


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip())) and len(text.strip()) <= 200


def phone_in(text: str) -> str | None:
    """The phone number inside what people write ("ini nomornya 0812-3456-7890", "wa nya
    +62 812 …"), as E.164; other words around it are ignored."""
    digits = "".join(re.findall(r"[+\d]", text))
    return normalise_phone(digits) if digits else None
