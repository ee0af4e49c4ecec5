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
        return {w for topic in self._topics for phrase in topic.phrases for w in phrase}

    def rank(self, message: Words) -> list[tuple[str, float]]:
        """Categories by score, best first; only those with any of their words."""
        grams = message.grams()
        scored = []
        for topic in self._topics:
            score = sum(len(phrase) ** 1.5 for phrase in topic.phrases if phrase in grams)
            if score:
                scored.append((topic.code, score))
        return sorted(scored, key=lambda item: -item[1])
