"""Chat Indonesian as typed → the words we match on.

"Tolonggg pak, jln2 di dsa sy rusak😡" becomes `tolong jalan jalan desa saya rusak` (with
the fillers `pak` and `di` kept aside): lower case, emoji and punctuation gone, stretched
letters folded, reduplication with 2 spread, chat spellings replaced, and affixes stripped
where that reaches a word the lexicon knows ("dilaporkan" → "lapor", "ngadu" → "adu").

We strip affixes ourselves, guided by the lexicon, rather than run a full stemmer: the
well-known one (Sastrawi) stems formal Indonesian and misses the chat prefixes (nge-, ng-,
ny-) and the Betawi -in, and we only ever need to reach the words our lists hold.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.understanding.lexicon import Lexicon

_STARS = re.compile("[⭐★🌟]")
_REDUPLICATED = re.compile(r"\b([a-z]{2,})2\b")  # anak2 → anak anak
_GLUED_NUMBER = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")  # bintang4 → bintang 4
_STRETCH = re.compile(r"(\w)\1{2,}")
_DOUBLE = re.compile(r"(\w)\1")
_NOT_WORD = re.compile(r"[^\w\s]|_", re.UNICODE)

# -nyo: Palembang; -ke: Javanese (-kan); -ku, -mu: "laporanku" (my report)
_SUFFIXES = ("nya", "nyo", "lah", "kah", "kan", "ke", "an", "in", "i", "ku", "mu")
_PREFIXES = (
    ("meng", ("", "k")),
    ("meny", ("s",)),
    ("mem", ("", "p")),
    ("men", ("", "t")),
    ("me", ("",)),
    ("peng", ("", "k")),
    ("peny", ("s",)),
    ("pem", ("", "p")),
    ("pen", ("", "t")),
    ("per", ("",)),
    ("pe", ("",)),
    ("nge", ("",)),
    ("ng", ("", "k")),
    ("ny", ("s",)),
    ("ber", ("",)),
    ("be", ("",)),
    ("ter", ("",)),
    ("di", ("",)),
    ("ke", ("",)),
    ("se", ("",)),
)


@dataclass(frozen=True)
class Words:
    """A message as matched: `words` keep the fillers (for phrases like "itu saja"); `core`
    drops them (for counting what a message says)."""

    words: tuple[str, ...]
    core: tuple[str, ...]
    stars: int  # ⭐ typed or pasted: a rating

    @cached_property
    def grams(self) -> frozenset[tuple[str, ...]]:
        """Every run of up to five words, with and without the fillers (read by several
        readers in one turn, so made once)."""
        return grams_of(self.words) | grams_of(self.core)


def grams_of(tokens: tuple[str, ...], longest: int = 5) -> frozenset[tuple[str, ...]]:
    return frozenset(
        tokens[start : start + size]
        for size in range(1, longest + 1)
        for start in range(len(tokens) - size + 1)
    )


class Normaliser:
    def __init__(
        self,
        lexicon: Lexicon,
        more_words: frozenset[str] = frozenset(),
        more_whole: frozenset[str] = frozenset(),
    ) -> None:
        self.lexicon = lexicon
        self.vocabulary = lexicon.vocabulary | more_words
        self._whole = lexicon.whole | more_whole
        self._known = self.vocabulary | set(lexicon.spelling)
        self._choices = sorted(self.vocabulary)
        self.token = lru_cache(maxsize=20_000)(self._token)
        # One message is read by several readers in a turn (the flow, the engine's choice
        # matching, the category): normalised once.
        self._cached = lru_cache(maxsize=512)(self._normalise)

    def __call__(self, text: str) -> Words:
        return self._cached(text)

    def forget(self) -> None:
        """Empty the caches (a benchmark's cold start)."""
        self.token.cache_clear()
        self._cached.cache_clear()

    def _normalise(self, text: str) -> Words:
        stars = len(_STARS.findall(text))
        flat = unicodedata.normalize("NFKC", text).lower()
        flat = _NOT_WORD.sub(" ", flat)
        flat = _REDUPLICATED.sub(r"\1 \1", flat)
        flat = _GLUED_NUMBER.sub(" ", flat)
        words: list[str] = []
        for raw in flat.split():
            words.extend(self.token(raw))
        fillers = self.lexicon.fillers
        core = tuple(w for w in words if w not in fillers)
        return Words(tuple(words), core, stars)

    def _token(self, raw: str) -> tuple[str, ...]:
        word = self._unstretch(raw)
        standard = self.lexicon.spelling.get(word)
        if standard is not None:
            return standard
        if word in self._whole or word.isdigit() or len(word) < 4:
            return (word,)
        root = self._root(word)
        if root is not None:
            found = self.lexicon.spelling.get(root, (root,))
            # "laporanku" is "laporan saya": the owner matters ("laporan saya" is a status)
            return (*found, "saya") if word.endswith("ku") and not root.endswith("ku") else found
        if word in self.vocabulary:
            return (word,)
        return (self._typo(word) or word,)

    def _unstretch(self, word: str) -> str:
        """tolonggg → tolong, pakkk → pak, maaaf → maaf: letters held down are folded to
        whichever of one or two the lexicon knows."""
        if not _STRETCH.search(word) and not _DOUBLE.search(word):
            return word
        two = _STRETCH.sub(r"\1\1", word)
        one = _DOUBLE.sub(r"\1", two)
        for candidate in (word, two, one):
            if candidate in self._known:
                return candidate
        return two if _STRETCH.search(word) else word

    def _root(self, word: str) -> str | None:
        """The lexicon word under the affixes: dilaporkan → lapor, pengaduannya → adu.
        Only words of the lists are targets (not chat spellings: "ternak" is no "ter-nak")."""
        known = self.vocabulary
        stems = [word]
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                stems.append(word[: -len(suffix)])
        for stem in list(stems):
            for suffix in ("kan", "an", "i"):  # -kannya, -annya
                if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                    stems.append(stem[: -len(suffix)])
        for stem in stems:
            if stem != word and stem in known:
                return stem
        for stem in stems:
            for prefix, restore in _PREFIXES:
                if not stem.startswith(prefix) or len(stem) - len(prefix) < 3:
                    continue
                bare = stem[len(prefix) :]
                for start in restore:
                    if start + bare in known:
                        return start + bare
                    # two prefixes: diper-, memper-, keber-
                    for inner, inner_restore in _PREFIXES:
                        if bare.startswith(inner) and len(bare) - len(inner) >= 3:
                            for again in inner_restore:
                                if again + bare[len(inner) :] in known:
                                    return again + bare[len(inner) :]
        return None

    def _typo(self, word: str) -> str | None:
        """One slip of the finger in a longer word: "pengaduan" for "pengadun"."""
        if len(word) < 6:  # shorter words are too near each other ("pemda", "perda")
            return None
        found = process.extractOne(
            word,
            self._choices,
            scorer=Levenshtein.distance,
            score_cutoff=1,  # two slips reach other real words ("pemakaman", "pembakaran")
        )
        if found is None:
            return None
        candidate = str(found[0])
        return candidate if candidate[0] == word[0] and len(candidate) >= 6 else None
