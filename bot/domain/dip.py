"""The Daftar Informasi Publik (DIP): what the agency has already published, kept as data it
edits (`config/dip.<agency>.toml`, next to the agency file), and the search a request is held
against before it is filed.

UU 14/2008 Pasal 9-11 and Perki 1/2021 sort a body's information into *berkala* (published at
least every six months), *serta-merta* (published at once: threats to life and public order)
and *setiap saat* (available at any time). A good PPID answers from this list before a formal
request is needed; the request can still be filed.

The search is small and explainable: the requester's words against each entry's keywords
(strong), title and description (weaker), exact or one slip of the finger apart, ranked by how
much overlaps. `Match.words` says which of the requester's words made the offer.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from bot.domain.agency import AgencyConfigError


class DipConfigError(AgencyConfigError):
    """The DIP file contradicts itself or the agency file (one line per problem). A kind of
    agency-file error: it stops start-up the same way, with the same one-line report."""


class DipClass(StrEnum):
    BERKALA = "berkala"
    SERTA_MERTA = "serta_merta"
    SETIAP_SAAT = "setiap_saat"


@dataclass(frozen=True)
class DipEntry:
    id: str  # a stable slug, typed by the PPID to push a serta-merta entry
    klass: DipClass
    title: str
    summary: str  # a short description
    unit: str  # the code of the agency's unit that holds it
    link: str | None = None
    file: str | None = None  # a file at the PPID's desk or on its portal, when there is no link
    keywords: tuple[str, ...] = ()  # what people type for it ("apbd", "anggaran")

    @property
    def where(self) -> str:
        """Where to find it: the link, or the file."""
        return self.link or self.file or ""


@dataclass(frozen=True)
class Match:
    entry: DipEntry
    score: float
    words: tuple[str, ...]  # the requester's words that matched: why it was offered


# Words of any request, or of a complaint ("pengaduan"), that say nothing about which
# information: never a reason to offer an entry on their own (in the forms the reader's
# normaliser gives them: "thn" is "tahun"). "perangkat" is a desa's or the regency's.
_GENERIC_WORDS = """
    ada adu apa atau bagaimana berapa bikin bisa buat bupati butuh cara cari copy
    daerah daftar dan dapat dari data desa dinas dokumen fotokopi info informasi ingin
    kab kabupaten kami kantor keluhan lapor laporan lihat mau mengenai minta mohon
    pemda pemerintah pengaduan per perangkat perlu permintaan publik rincian salinan
    saya soal soppeng tahun tentang terkait thn untuk yang
"""
GENERIC = frozenset(_GENERIC_WORDS.split())
KEYWORD = 2.0  # one of the entry's keywords, whole (a phrase: every word of it)
TITLE, SUMMARY = 1.0, 0.5  # a word of its title; of its description
SLIP = 0.8  # a word one slip of the finger away counts a little less than the word itself
ENOUGH = KEYWORD * SLIP  # one keyword (even mistyped), or two title words of its own
YEAR_BONUS = 0.5  # the year asked for, in the entry: a tie-breaker, never a reason alone
# What a typed word may carry beyond the entry's word and still be it ("keuangannya").
_SUFFIXES = ("nya", "an", "kan", "lah", "ku", "mu")
_YEAR = re.compile(r"^(19|20)\d\d$")


def plain_words(text: str) -> tuple[str, ...]:
    """Lower-case words without punctuation: the words as typed."""
    return tuple(re.findall(r"[a-z0-9]+", text.lower()))


def closeness(typed: str, word: str) -> float:
    """How near a typed word is to an entry's word: 1 for the word itself; `SLIP` for one
    slip of the finger in a longer word ("anggran", "keuagan"; in a word of four or five
    letters only two letters swapped, "apdb", as "pagi" is no "pagu" and "kamis" no
    "kadis"), the start of a long word ("keuang"), or the word with a suffix
    ("keuangannya"); 0 otherwise. Shorter words only as they are ("sk", "rt"), and an
    abbreviation grown by letters is another one ("apbdes" is no "apbd")."""
    if typed == word:
        return 1.0
    if len(typed) < 4 or len(word) < 4 or typed[0] != word[0]:
        return 0.0
    if OSA.distance(typed, word, score_cutoff=1) <= 1:
        return SLIP if len(typed) >= 6 or sorted(typed) == sorted(word) else 0.0
    if len(typed) >= 6 and word.startswith(typed):
        return SLIP
    return SLIP if any(typed == word + suffix for suffix in _SUFFIXES) else 0.0


# A typed word, with the forms it is matched in: itself, and what the reader's normaliser
# makes of it ("thn" → "tahun", "dijadwalkan" → "jadwal", "keuagan" → "keuangan"). The
# entries' own words are matched as the PPID wrote them, never stemmed: "Keuangan" in a title
# is about finances, and must not answer a request that mentions "uang".
Typed = tuple[str, frozenset[str]]


def _typed(text: str, words: Callable[[str], Sequence[str]]) -> list[Typed]:
    """The text's words and their forms; the normaliser's fillers ("di", "pak", "dong")
    left out: they say nothing."""
    found: list[Typed] = []
    for raw in plain_words(text):
        normal = words(raw)
        if normal:
            found.append((raw, frozenset({raw, *normal})))
    return found


def _generic(word: Typed) -> bool:
    raw, forms = word
    return bool(forms & GENERIC) or raw.isdigit() or len(raw) < 2


def _nearest(word: str, typed: Sequence[Typed], exact: Sequence[Typed]) -> tuple[float, str]:
    """How near the nearest typed word comes to an entry's word, and which it is: `typed`
    by `closeness`, `exact` (the words of any request) only as they are."""
    best, which = 0.0, ""
    for raw, forms in typed:
        near = max(closeness(form, word) for form in forms)
        if near > best:
            best, which = near, raw
    if best < 1.0:
        for raw, forms in exact:
            if word in forms:
                return 1.0, raw
    return best, which


@dataclass(frozen=True)
class _Shape:
    """An entry's words as the search sees them."""

    keywords: tuple[tuple[str, ...], ...]
    title: tuple[str, ...]
    summary: tuple[str, ...]

    @property
    def words(self) -> set[str]:
        return {*self.title, *self.summary, *(w for k in self.keywords for w in k)}

    @staticmethod
    def of(entry: DipEntry) -> _Shape:
        keywords = tuple(p for p in (plain_words(k) for k in entry.keywords) if p)
        return _Shape(
            keywords,
            tuple(dict.fromkeys(plain_words(entry.title))),
            tuple(dict.fromkeys(plain_words(entry.summary))),
        )


@dataclass(frozen=True)
class Dip:
    entries: tuple[DipEntry, ...] = ()

    def get(self, entry_id: str) -> DipEntry | None:
        wanted = entry_id.strip().lower()
        return next((e for e in self.entries if e.id == wanted), None)

    def search(
        self,
        text: str,
        words: Callable[[str], Sequence[str]] = plain_words,
        limit: int = 3,
    ) -> list[Match]:
        """The entries the text asks for, best first (at most `limit`). `words` is the
        reader's normaliser (chat spellings, affixes), applied to the typed words.

        An entry scores for each of its keywords the text holds whole (every word of it),
        and for each title and description word it shares with the text; a word that many
        entries share ("jadwal", "anggaran") says less, by the square root of how many.
        Words of any request ("minta", "data", "desa") never count on their own, and only
        as typed inside a keyword ("dana desa")."""
        said = _typed(text, words)
        asked = [w for w in said if not _generic(w)]
        if not asked:
            return []
        common = [w for w in said if _generic(w)]
        years = {raw for raw, _forms in said if _YEAR.match(raw)}
        shapes = [_Shape.of(entry) for entry in self.entries]
        shared = Counter(word for shape in shapes for word in shape.words)
        found: list[tuple[float, int, Match]] = []
        for order, (entry, shape) in enumerate(zip(self.entries, shapes, strict=True)):
            score, hits = 0.0, set[str]()
            for phrase in shape.keywords:
                if all(word in GENERIC for word in phrase):
                    continue  # "informasi publik" would fit every request
                nearest = [_nearest(word, asked, common) for word in phrase]
                if all(near for near, _which in nearest):
                    score += KEYWORD * min(near for near, _which in nearest)
                    hits |= {which for _near, which in nearest}
            for weight, part in ((TITLE, shape.title), (SUMMARY, shape.summary)):
                for word in part:
                    near, which = _nearest(word, asked, ())
                    if near:
                        score += weight * near / math.sqrt(shared[word])
                        hits.add(which)
            if score < ENOUGH:
                continue
            entry_years = {word for word in shape.words if _YEAR.match(word)}
            if years and entry_years and not years & entry_years:
                continue  # APBD 2019 asked: the published APBD 2026 is not it
            if years & shape.words:
                score += YEAR_BONUS
            kept = tuple(raw for raw, _forms in said if raw in hits)
            found.append((score, order, Match(entry, round(score, 2), kept)))
        found.sort(key=lambda item: (-item[0], item[1]))
        if not found:
            return []
        best = found[0][0]
        # Far weaker ones beside a clear match are noise: "APBD 2026" is not about the RPJMD.
        return [match for score, _order, match in found if score >= best / 2][:limit]


# --- loading ------------------------------------------------------------------------------------

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
CLASSES = tuple(c.value for c in DipClass)


def load_dip(path: Path, units: Collection[str]) -> Dip:
    """The DIP file at `path`, checked against the agency's unit codes."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DipConfigError(f"{path}: {exc}") from None
    return parse_dip(raw, units, source=str(path))


def parse_dip(raw: dict[str, Any], units: Collection[str], source: str = "dip") -> Dip:
    """Every entry checked; all problems reported at once, one line each."""
    problems: list[str] = []
    entries: list[DipEntry] = []
    seen: set[str] = set()
    for number, item in enumerate(raw.get("entries", []), 1):
        entry_id = str(item.get("id", ""))
        where = f"{source}: entry {number} ({entry_id or 'no id'})"
        found = _entry_problems(item, entry_id, seen, units)
        problems.extend(f"{where}: {problem}" for problem in found)
        seen.add(entry_id)
        if not found:
            entries.append(
                DipEntry(
                    id=entry_id,
                    klass=DipClass(item["class"]),
                    title=str(item["title"]).strip(),
                    summary=str(item["summary"]).strip(),
                    unit=str(item["unit"]),
                    link=str(item["link"]).strip() if item.get("link") else None,
                    file=str(item["file"]).strip() if item.get("file") else None,
                    keywords=tuple(str(k) for k in item.get("keywords", ())),
                )
            )
    unknown = set(raw) - {"entries"}
    if unknown:
        problems.append(f"{source}: unknown tables {', '.join(sorted(unknown))} (only [[entries]])")
    if problems:
        raise DipConfigError("\n".join(problems))
    return Dip(tuple(entries))


def _entry_problems(
    item: dict[str, Any], entry_id: str, seen: set[str], units: Collection[str]
) -> list[str]:
    found: list[str] = []
    if not _ID.match(entry_id):
        found.append("id must be lowercase letters, digits and hyphens")
    elif entry_id in seen:
        found.append("id is used by an earlier entry")
    if item.get("class") not in CLASSES:
        found.append(f"class {item.get('class')!r} must be one of {', '.join(CLASSES)}")
    for key in ("title", "summary"):
        if not str(item.get(key, "")).strip():
            found.append(f"{key} is missing")
    if item.get("unit") not in units:
        found.append(f"unit {item.get('unit')!r} is not a unit of the agency file")
    if not (item.get("link") or item.get("file")):
        found.append("needs a link or a file")
    link = str(item.get("link") or "")
    if link and not link.startswith(("https://", "http://")):
        found.append(f"link {link!r} must start with https://")
    keywords = item.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        found.append("keywords must be a list of words")
    return found
