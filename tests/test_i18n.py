"""Every user-facing string must be in both catalogs; placeholders must survive translation."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot.i18n import LOCALES, LOCALES_DIR, render, translations
from bot.values.messages import Localized, Raw, _

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"{(\w+)}")


def source_msgids() -> set[str]:
    found = extract_from_dir(
        str(ROOT / "bot"), method_map=[("**.py", "python")], keywords={"_": None}
    )
    return {message for _file, _line, message, _comments, _ctx in found if isinstance(message, str)}


def catalog(locale: str) -> dict[str, str]:
    with (LOCALES_DIR / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {m.id: m.string for m in read_po(handle) if m.id and "fuzzy" not in m.flags}


def test_source_has_strings() -> None:
    assert len(source_msgids()) > 100


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_is_translated(locale: str) -> None:
    entries = catalog(locale)
    missing = sorted(m for m in source_msgids() if not entries.get(m))
    assert missing == [], (
        f"{len(missing)} untranslated in {locale} (run `make i18n`): {missing[:3]}"
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_survive_translation(locale: str) -> None:
    for msgid, msgstr in catalog(locale).items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(msgstr)), msgid


def test_english_is_really_english() -> None:
    entries = catalog("en")
    ids = source_msgids()

    def has_words(msgid: str) -> bool:
        return bool(re.sub(r"{\w+}|[^A-Za-z]", "", msgid))

    same_in_both = {"Email"}
    same = [
        m
        for m in ids
        if entries.get(m) == m and has_words(m) and "/" not in m and m not in same_in_both
    ]
    assert same == []


def test_catalogs_load_from_the_po_files() -> None:
    # gettext silently falls back to the msgid when a catalog is missing: prove it is not.
    assert translations("en").gettext("Silakan pilih layanan:") != "Silakan pilih layanan:"


def test_render_formats_dates_numbers_and_agency_names() -> None:
    message = _("Batas waktu jawaban: {due}", due=date(2026, 8, 17))
    assert render(message, "id") == "Batas waktu jawaban: Senin, 17 Agustus 2026"
    assert "Monday, 17 August 2026" in render(message, "en")
    name = Localized("Jalan dan jembatan", "Roads and bridges")
    assert render(name, "en") == "Roads and bridges"
    assert render(Raw("{not a placeholder}"), "id") == "{not a placeholder}"
