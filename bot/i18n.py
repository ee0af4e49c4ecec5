"""Translations through Babel catalogs, applied at the edge.

Flows and handlers never translate: they build `Msg` values (`bot.values.messages`). The
engine renders them here, in the reader's locale, just before a reply is written to the
outbox. Source strings are Indonesian, the default.
"""

from __future__ import annotations

import gettext
import io
from datetime import date
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from bot.values.messages import Localized, Msg, Param, Raw

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LOCALES = ("id", "en")
DOMAIN = "messages"


_GAPS = {"\0join": "\n\n", "\0lines": "\n", "\0list": ", "}  # see bot.values.messages


@lru_cache(maxsize=8)
def translations(locale: str, locales_dir: Path = LOCALES_DIR) -> gettext.NullTranslations:
    """Catalog for a locale, compiled in memory from its .po so a stale .mo can never win."""
    po_path = locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def render(message: Msg | Localized | Raw | str, locale: str) -> str:
    if not isinstance(message, Msg):
        return _render_param(message, locale)
    if message.msgid in _GAPS:
        gap = _GAPS[message.msgid]
        return gap.join(render(part, locale) for part in message.params.values())  # type: ignore[arg-type]
    template = translations(locale).gettext(message.msgid)
    if not message.params:
        return template
    values = {key: _render_param(value, locale) for key, value in message.params.items()}
    return template.format(**values)


def _render_param(value: Param, locale: str) -> str:
    if isinstance(value, Msg):
        return render(value, locale)
    if isinstance(value, Localized):
        return value.pick(locale)
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, date):
        # "Senin, 17 Agustus 2026": CLDR's "full" pads the day ("02") in Indonesian.
        return format_date(value, "EEEE, d MMMM y", locale=locale)
    if isinstance(value, float):  # one decimal, the locale's sign: 4,5 / 4.5
        return format_decimal(value, format="#,##0.0", locale=locale)
    if isinstance(value, int):
        return f"{value:,}".replace(",", "." if locale == "id" else ",")
    return value
