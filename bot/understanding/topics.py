"""Which of an agency's categories a story is about, from the category's own words.

The words live with the categories in the agency file (`keywords`), where the agency keeps
them; here they are normalised like messages, so "jln", "jalan2" and "jalanan" all find
"jalan". A phrase found scores by its length (so "lampu jalan" beats "jalan"); a word met
with a different affix still counts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.understanding.normalise import Words


@dataclass(frozen=True)
class Topic:
    code: str
    phrases: tuple[tuple[str, ...], ...]


class Topics:
    def __init__(
        self, topics: Mapping[str, Sequence[str]], normalise: Callable[[str], Words]
    ) -> None:
        self._topics = tuple(
            Topic(code, tuple(p for p in (normalise(w).core for w in words) if p))
            for code, words in topics.items()
        )

    def words(self) -> set[str]:
        return {w for phrase in self.phrases() for w in phrase}

    def phrases(self) -> set[tuple[str, ...]]:
        return {phrase for topic in self._topics for phrase in topic.phrases}

    def rank(self, message: Words) -> list[tuple[str, float]]:
        """Categories by score, best first; only those with any of their words."""
        grams = message.grams
        words = message.words
        scored = []
        for topic in self._topics:
            score, first = 0.0, len(words)
            for phrase in topic.phrases:
                if phrase in grams:
                    weight, at = _place_weight(words, phrase)
                    score += len(phrase) ** 1.5 * weight if weight == 1.0 else weight
                    first = min(first, at)
            if score:
                scored.append((topic.code, score, first))
        # a tie goes to what was named first: people start with what is wrong
        scored.sort(key=lambda item: (-item[1], item[2]))
        return [(code, score) for code, score, _first in scored]


# "lampu PJU di depan kantor camat padam": the office only says where; what is wrong is the
# lamp. A place named right after one of these weighs less. (An institution is different:
# "di RSUD sy nunggu 4 jam" is about the hospital.)
_LOCATIVE = frozenset({"di", "ke", "dari", "sampai"})
# A position word makes whatever follows a landmark, institution or not: "jalan rusak depan
# puskesmas" is about the road, "sampah di samping sekolah" about the rubbish.
_POSITION = frozenset(
    {"depan", "dekat", "samping", "belakang", "sebelah", "seberang", "pinggir", "tepi"}
    | {"sekitar", "ujung", "dekatnya", "depannya", "sampingnya", "belakangnya"}
)
_PLACES = frozenset(
    {"kantor", "jalan", "kelurahan", "desa", "dusun", "pasar", "terminal", "lorong", "masjid"}
    | {"lahan", "sawah", "kebun"}
)


def _place_weight(words: tuple[str, ...], phrase: tuple[str, ...]) -> tuple[float, int]:
    """(weight, where the phrase starts). A place weighs less than any named thing, and
    less again when it follows "di", "depan"…: it says where, not what."""
    size = len(phrase)
    for start in range(len(words) - size + 1):
        if words[start : start + size] == phrase:
            before = set(words[max(0, start - 2) : start])
            if _POSITION & before:
                return 0.4, start
            if phrase[0] not in _PLACES:
                return 1.0, start
            return (0.4 if _LOCATIVE & before else 0.8), start
    return 1.0, len(words)  # found only without the fillers
