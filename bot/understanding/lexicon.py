"""The word lists, loaded once from `lexicon.toml` and extended by an agency's own.

Words are kept as data so that an agency can add its region's words without touching code;
this module only reads them into typed, pre-normalised sets the readers can match quickly.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

LEXICON_FILE = Path(__file__).with_name("lexicon.toml")
INTENTS = (
    "complaint",
    "aspiration",
    "information",
    "status",
    "mine",
    "help",
    "privacy",
    "language",
    "objection",
    "greeting",
    "thanks",
)


@dataclass(frozen=True)
class Cues:
    strong: frozenset[tuple[str, ...]]
    weak: frozenset[tuple[str, ...]]
    # When given, the weak cues count only alongside one of these (a status question's
    # "belum" and "lama" only when the message points at a report already made).
    refers: frozenset[tuple[str, ...]] = frozenset()
    referred: frozenset[tuple[str, ...]] = frozenset()  # strong, but only with `refers`


@dataclass(frozen=True)
class Lexicon:
    spelling: Mapping[str, tuple[str, ...]]
    fillers: frozenset[str]
    answers: Mapping[str, frozenset[tuple[str, ...]]]  # yes, no, still_wrong, skip, done
    rating: Mapping[int, frozenset[tuple[str, ...]]]
    intents: Mapping[str, Cues]
    vocabulary: frozenset[str]  # every single word the lists know: the stemmer's targets
    # Words the lists name on their own ("laporan", "dilaporkan"): kept whole, never stemmed,
    # because the derived word means something of its own (a report, not to report).
    whole: frozenset[str] = frozenset()

    def mapped(self, normal: Callable[[tuple[str, ...]], tuple[str, ...]]) -> Lexicon:
        """The same lists with every phrase put through `normal` (the message normaliser),
        so that lists and messages meet in the same form ("melaporkan" → "lapor")."""

        def each(group: frozenset[tuple[str, ...]]) -> frozenset[tuple[str, ...]]:
            return frozenset(p for p in map(normal, group) if p)

        return replace(
            self,
            answers={name: each(group) for name, group in self.answers.items()},
            rating={stars: each(group) for stars, group in self.rating.items()},
            intents={
                name: Cues(each(c.strong), each(c.weak), each(c.refers), each(c.referred))
                for name, c in self.intents.items()
            },
        )

    def phrases(self) -> set[tuple[str, ...]]:
        found: set[tuple[str, ...]] = set()
        for group in (*self.answers.values(), *self.rating.values()):
            found |= group
        for cues in self.intents.values():
            found |= cues.strong | cues.weak | cues.refers | cues.referred
        return found


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(text.lower().split())


def _merge(base: dict[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge, lists add up: an agency extends, it never has to repeat ours."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = [*merged[key], *value]
        else:
            merged[key] = value
    return merged


def build(raw: Mapping[str, Any]) -> Lexicon:
    spelling = {
        word.lower(): _phrase(str(standard)) for word, standard in raw.get("spelling", {}).items()
    }
    fillers = frozenset(w.lower() for w in raw.get("fillers", {}).get("words", []))
    answers = {name: frozenset(_phrase(w) for w in words) for name, words in raw["answers"].items()}
    rating = {
        int(stars): frozenset(_phrase(w) for w in words) for stars, words in raw["rating"].items()
    }
    intents = {
        name: Cues(
            frozenset(_phrase(w) for w in raw["intent"][name].get("strong", [])),
            frozenset(_phrase(w) for w in raw["intent"][name].get("weak", [])),
            frozenset(_phrase(w) for w in raw["intent"][name].get("refers", [])),
            frozenset(_phrase(w) for w in raw["intent"][name].get("referred", [])),
        )
        for name in INTENTS
    }
    lexicon = Lexicon(spelling, fillers, answers, rating, intents, frozenset())
    phrases = lexicon.phrases()
    words = {word for phrase in phrases for word in phrase}
    words |= {word for standard in spelling.values() for word in standard}
    whole = {phrase[0] for phrase in phrases if len(phrase) == 1}
    return replace(lexicon, vocabulary=frozenset(words), whole=frozenset(whole))


@cache
def base_raw() -> dict[str, Any]:
    return tomllib.loads(LEXICON_FILE.read_text(encoding="utf-8"))


@cache
def default() -> Lexicon:
    return build(base_raw())


def extended(extra: Mapping[str, Any]) -> Lexicon:
    """Ours plus an agency's [understanding] table."""
    return build(_merge(base_raw(), extra)) if extra else default()
