"""Tracking codes: short, unambiguous, checkable and not guessable.

`P-7KX4M9Q-R`-style codes: a kind prefix, seven random symbols and one check symbol, from a
31-symbol alphabet without 0/O, 1/I/L. 31 is prime, so a weighted sum modulo 31 catches every
single mistyped symbol and every swap of two neighbours. Randomness (not a sequence) means
nobody can walk through other people's codes.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from enum import Enum

from bot.domain.cases import Kind

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
BODY_LENGTH = 7
PREFIXES: dict[str, str] = {
    Kind.PENGADUAN: "P",
    Kind.ASPIRASI: "A",
    Kind.INFORMASI: "I",
    Kind.KEBERATAN: "K",
    Kind.DATA: "D",  # last: the check symbol weighs a prefix by its position
}
_KINDS = {prefix: kind for kind, prefix in PREFIXES.items()}
_PREFIX_VALUE = {prefix: i for i, prefix in enumerate(PREFIXES.values())}


class CodeProblem(Enum):
    NOT_A_CODE = "not_a_code"  # wrong length or unknown prefix
    BAD_SYMBOL = "bad_symbol"  # contains 0, O, 1, I, L or punctuation
    BAD_CHECK = "bad_check"  # one symbol mistyped or two swapped


@dataclass(frozen=True)
class ParsedCode:
    code: str | None  # canonical form, when valid
    problem: CodeProblem | None


def _check_symbol(symbols: str) -> str:
    """symbols: prefix + body. The prefix letters are not all in the alphabet (I is not), so
    the prefix weighs in by its own index."""
    total = (_PREFIX_VALUE[symbols[0]] + 1) * 7
    total += sum((position + 2) * _VALUE[ch] for position, ch in enumerate(symbols[1:]))
    return ALPHABET[total % len(ALPHABET)]


def new_code(kind: str) -> str:
    prefix = PREFIXES[kind]
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return format_code(prefix + body + _check_symbol(prefix + body))


def format_code(raw: str) -> str:
    """Canonical display form: `P-7KX4-M9QR`."""
    return f"{raw[0]}-{raw[1:5]}-{raw[5:]}"


def normalise(text: str) -> str:
    raw = "".join(ch for ch in text.upper() if ch not in " -._/#")
    # "1-…" for "I-…": the prefix is always a letter, so this one lookalike is safe to fix.
    return "I" + raw[1:] if raw.startswith(("1", "L")) else raw


def looks_like_code(text: str) -> bool:
    """Free text that is meant as a code (typos included): a dash or a digit, right length.
    Plain words of nine letters ("pak tolong") are not codes."""
    stripped = text.strip()
    if len(stripped) > 14 or not any(ch == "-" or ch.isdigit() for ch in stripped):
        return False
    raw = normalise(stripped)
    return len(raw) == BODY_LENGTH + 2 and raw[0] in _KINDS


_PREFIX_CHARS = "".join(p + p.lower() for p in PREFIXES.values())
_IN_TEXT = re.compile(
    rf"(?<![A-Za-z0-9])[{_PREFIX_CHARS}1][ -]?[0-9A-Za-z]{{4}}[ -]?[0-9A-Za-z]{{4}}(?![A-Za-z0-9])"
)


_REDUPLICATED = re.compile(r"^[A-Za-z]+2[A-Za-z]{0,4}$")  # "diangkut2", "puing2nya"


def find_code(text: str) -> str | None:
    """A code inside a sentence ("cek status P-7KX4-M9QR", "*P-7KX4-M9QR*" copied from a
    receipt), typos included; None when nothing there is meant as a code."""
    for match in _IN_TEXT.finditer(text):
        found = match.group(0)
        if not looks_like_code(found):
            continue
        if parse_code(found).code is None and (" " in found or _REDUPLICATED.match(found)):
            # Typed with spaces, a code must be whole and right: words with a digit are
            # not codes ("ikan2 mati", "anak2 cuma"), and neither is one word doubled with
            # a 2 ("diangkut2", "dibentak2"). Typos are still caught when the code is typed
            # as one piece or with dashes.
            continue
        return found
    return None


def example_code(kind: str = Kind.PENGADUAN) -> str:
    """A valid code for examples in messages (an invalid example would fail its own check)."""
    body = PREFIXES[kind] + "7KX4M9Q"
    return format_code(body + _check_symbol(body))


def parse_code(text: str) -> ParsedCode:
    raw = normalise(text)
    if len(raw) != BODY_LENGTH + 2 or raw[0] not in _KINDS:
        return ParsedCode(None, CodeProblem.NOT_A_CODE)
    if any(ch not in _VALUE for ch in raw[1:]):
        return ParsedCode(None, CodeProblem.BAD_SYMBOL)
    if _check_symbol(raw[:-1]) != raw[-1]:
        return ParsedCode(None, CodeProblem.BAD_CHECK)
    return ParsedCode(format_code(raw), None)


def kind_of(code: str) -> str:
    return _KINDS[normalise(code)[0]]
