"""Messages as values: a msgid and its parameters, translated only at the edge.

Flows, the domain and the handlers build `Msg` values, which `pybabel extract` finds through
the `_` marker; `bot.i18n` renders them in the reader's locale just before a reply is written
to the outbox. Nothing here loads Babel, so the innermost modules can use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Union


@dataclass(frozen=True)
class Localized:
    """Agency data that comes with its own translations (category names...)."""

    id: str
    en: str

    def pick(self, locale: str) -> str:
        return self.en if locale == "en" else self.id


@dataclass(frozen=True)
class Raw:
    """Text shown as typed (a citizen's own words, a code); never translated."""

    text: str


Param = Union[str, int, float, date, "Msg", Localized, Raw]


@dataclass(frozen=True)
class Msg:
    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)


def _(msgid: str, **params: Param) -> Msg:
    """Mark a string for extraction and carry its parameters; translated later."""
    return Msg(msgid, params)


def join(*parts: Msg) -> Msg:
    """Several messages shown as one, separated by blank lines."""
    return Msg("\0join", {str(i): part for i, part in enumerate(parts)})


def lines(*parts: Msg) -> Msg:
    """Several messages shown as one, a line each (a list)."""
    return Msg("\0lines", {str(i): part for i, part in enumerate(parts)})


def listed(*parts: Msg) -> Msg:
    """Several short messages shown as one, separated by commas ("nama, NIK, nomor HP")."""
    return Msg("\0list", {str(i): part for i, part in enumerate(parts)})
