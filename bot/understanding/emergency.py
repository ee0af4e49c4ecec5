"""Does a message describe a danger to life or safety happening now? The one home of that rule.

A complaint form is the wrong door for a fire, a flood with people trapped or a stabbing: the
citizen must be told to call 112 before anything else. This reader decides when, from chat
Indonesian as typed ("rmh trbakar di kel botto, api blm padam"), with the same normaliser as
the rest of `bot.understanding` and the word lists of `emergency.toml` (data, one list per
idea; this module holds only the rule).

The rule, in the order it is applied:
1. Names of services and things that contain danger words are set aside first ("pemadam
   kebakaran", "jalur evakuasi", "kembang api", "terjebak macet", "sampai sekarang").
2. A cue is a phrase that says danger. A *strong* cue says it alone ("terbakar", "dibacok",
   "tenggelam", "tidak sadarkan diri"); a *weak* one only with a sign that it is happening
   now ("banjir" + "sekarang", "tawuran" + "sedang"), because most floods, brawls and
   accidents people write about are complaints about something that keeps happening.
3. A cue does not count when the three words before it negate it ("tidak ada yang terluka"),
   make it a risk ("rawan longsor", "takut terjadi kebakaran") or a topic ("data kebakaran",
   "bantuan korban banjir", "laporan soal rumah terbakar").
4. The message as a whole: a danger said to be over ("sudah padam", "sudah surut") is no
   emergency; one placed in the past or said to recur ("tahun lalu", "kemarin", "tiap hujan")
   is none either, unless something says it is happening now ("sekarang", "sejak kemarin").
   A missing person stays missing whenever they went missing: only "sudah ditemukan" ends it.

Precision matters as much as recall (a false alarm on "lampu jalan mati" teaches people to
ignore the real one), so the lists lean to what people write when it is happening.
`tests/test_emergency.py` measures both on a labelled corpus with a held-out part.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from bot.understanding import lexicon
from bot.understanding.answers import NEGATORS
from bot.understanding.normalise import Normaliser

WORDS_FILE = Path(__file__).with_name("emergency.toml")

_WINDOW = 3  # words before a cue read for a negation, a risk or a topic
_MISSING_WINDOW = 5  # "anak sy umur 7 thn hilang"
_GAP = "·"  # what a set-aside phrase leaves: it joins nothing on either side


@dataclass(frozen=True)
class Danger:
    """What a message says of danger: the kinds found ("fire", "violence", …) and the
    phrases that said it (for tests and an officer's question "why did it say that?")."""

    kinds: frozenset[str] = frozenset()
    cues: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.kinds)


Phrase = tuple[str, ...]
# A phrase is matched without the fillers ("ada api di dapur" has "ada api"), unless a filler
# is part of it ("saat ini", "baru saja"): then on the words as typed, fillers and all.
Cue = tuple[Phrase, bool]  # (the phrase, matched on the words with their fillers)
# A list of cues by their first word, each with its kind ("" where kinds do not matter): a
# message is read against the few cues that start with one of its words, not all of them.
Group = Mapping[str, tuple[tuple[str, Cue], ...]]


@dataclass(frozen=True)
class _Lists:
    names: Group
    strong: Group
    weak: Group
    people: frozenset[str]
    missing: tuple[Cue, ...]
    blockers: frozenset[str]  # negations, risks and topics (`before_cue`)
    over: Group
    before: Group
    now: Group


def _group(items: Iterable[tuple[str, Cue]]) -> Group:
    index: dict[str, list[tuple[str, Cue]]] = {}
    for kind, cue in items:
        index.setdefault(cue[0][0], []).append((kind, cue))
    return {first: tuple(found) for first, found in index.items()}


def _groups(raw: Mapping[str, Any]) -> list[list[str]]:
    """Every list of phrases in the file, for the normaliser's vocabulary."""
    found: list[list[str]] = [raw["set_aside"]["phrases"]]
    for table in ("strong", "weak", "missing", "before_cue", "time"):
        found += list(raw[table].values())
    return found


@cache
def _reader() -> tuple[Normaliser, _Lists]:
    raw = tomllib.loads(WORDS_FILE.read_text(encoding="utf-8"))
    words = lexicon.extended({"spelling": raw["spelling"]})
    known = frozenset(w for group in _groups(raw) for phrase in group for w in phrase.split())
    # A cue said as one word is kept whole ("dibakar" is not "bakar sampah"), as `Reader`
    # keeps the category words.
    cues = [*raw["strong"].values(), *raw["weak"].values()]
    whole = frozenset(p for group in cues for p in group if " " not in p)
    normalise = Normaliser(words, known, whole)

    def phrases(group: Iterable[str]) -> tuple[Cue, ...]:
        found = []
        for text in group:
            read = normalise(text)
            on_words = read.words != read.core
            found.append((read.words if on_words else read.core, on_words))
        return tuple(cue for cue in found if cue[0])

    def kinded(table: Mapping[str, list[str]]) -> Group:
        return _group((kind, cue) for kind, group in table.items() for cue in phrases(group))

    def plain(group: Iterable[str]) -> Group:
        return _group(("", cue) for cue in phrases(group))

    def single(*groups: Iterable[str]) -> frozenset[str]:
        return frozenset(w for group in groups for p, _ in phrases(group) for w in p)

    before_cue, time = raw["before_cue"], raw["time"]
    lists = _Lists(
        names=plain(raw["set_aside"]["phrases"]),
        strong=kinded(raw["strong"]),
        weak=kinded(raw["weak"]),
        people=single(raw["missing"]["people"]),
        missing=phrases(raw["missing"]["signs"]),
        blockers=single(NEGATORS, *before_cue.values()),
        over=plain(time["over"]),
        before=plain(time["before"]),
        now=plain(time["now"]),
    )
    return normalise, lists


def _starts(tokens: tuple[str, ...], phrase: Phrase) -> list[int]:
    size = len(phrase)
    return [i for i in range(len(tokens) - size + 1) if tokens[i : i + size] == phrase]


class _Message:
    def __init__(self, core: tuple[str, ...], words: tuple[str, ...]) -> None:
        self.core, self.words = core, words  # without the fillers; as typed
        self._said = tuple(dict.fromkeys((*core, *words)))  # each word once, in order

    def tokens(self, cue: Cue) -> tuple[str, ...]:
        return self.words if cue[1] else self.core

    def present(self, group: Group) -> list[tuple[str, Cue]]:
        """The group's cues that start with a word of the message (whether they are in it
        is for `starts`)."""
        return [item for word in self._said for item in group.get(word, ())]

    def starts(self, cue: Cue) -> list[int]:
        return _starts(self.tokens(cue), cue[0])

    def has(self, group: Group) -> bool:
        return any(self.starts(cue) for _kind, cue in self.present(group))

    def without(self, names: Group) -> _Message:
        """The message with the group's phrases set aside (each leaves a gap)."""
        hits = [cue for _kind, cue in self.present(names)]
        return _Message(_masked(self.core, hits), _masked(self.words, hits))


def _masked(tokens: tuple[str, ...], names: Iterable[Cue]) -> tuple[str, ...]:
    out = list(tokens)
    for phrase, _on_words in names:
        for start in _starts(tokens, phrase):
            out[start : start + len(phrase)] = [_GAP] * len(phrase)
    return tuple(out)


def _names_a_year(tokens: tuple[str, ...]) -> bool:
    """ "kebakaran tahun 2023": a year named is a time gone by (or a plan), not now."""
    return any(
        word == "tahun" and ahead.isdigit() and len(ahead) == 4 for word, ahead in pairwise(tokens)
    )


def read_danger(text: str) -> Danger:
    """The danger a message describes as happening now; empty (falsy) when none."""
    normalise, lists = _reader()
    read = normalise(text)
    message = _Message(read.core, read.words).without(lists.names)
    if not message.core or message.has(lists.over):
        return Danger()
    now = message.has(lists.now)
    before = message.has(lists.before) or _names_a_year(message.core)
    found: dict[str, str] = {}  # cue → kind

    def counts(cue: Cue, start: int) -> bool:
        ahead = message.tokens(cue)[max(0, start - _WINDOW) : start]
        return not lists.blockers.intersection(ahead)

    def look(group: Group) -> None:
        for kind, cue in message.present(group):
            if any(counts(cue, at) for at in message.starts(cue)):
                found.setdefault(" ".join(cue[0]), kind)

    if now or not before:
        look(lists.strong)
    if now and not before:
        look(lists.weak)
    for at, token in enumerate(message.core):
        if token in lists.people and counts(((token,), False), at):
            near = message.core[at + 1 : at + 1 + _MISSING_WINDOW]
            if any(_starts(near, phrase) for phrase, _on_words in lists.missing):
                found.setdefault(f"{token} … hilang", "missing")
    return Danger(frozenset(found.values()), tuple(found))


def is_emergency(text: str) -> bool:
    return bool(read_danger(text))
