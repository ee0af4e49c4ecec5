"""Understanding what citizens type: the one place that reads free text.

A small pure interface: the text and what the step expects go in; an intent, the values the
text holds, and a confidence come out. Flows and command routing call `Reader.read`; nothing
here knows about conversations, storage or channels.

```
reader = Reader.for_agency(categories={"jalan-jembatan": ["jalan", "jembatan"], ...})
reader.read("blm pak, masih bocor", Expect.CLOSING)
    → Reading(intent="no", confidence=0.9, values={"reason": "blm pak, masih bocor"})
```

The design is rules over word lists (`lexicon.toml`), with typo tolerance from rapidfuzz,
not a trained model: the lists are data an agency can read and extend with its region's
words, every decision can be explained to an officer, and it costs well under a millisecond.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from typing import Any

from bot.domain.codes import find_code
from bot.understanding import answers, lexicon
from bot.understanding.intent import complaint_type, read_intent
from bot.understanding.normalise import Normaliser, Words
from bot.understanding.topics import Topics


class Expect(StrEnum):
    """What the step asked, and so which readings the answer may have."""

    MENU = "menu"  # which service: complaint, information, status, ... (or small talk)
    YES_NO = "yes_no"  # consent, cancel confirmations, "is this right?"
    CLOSING = "closing"  # "Sudah beres?": yes, or no with what is still wrong
    RATING = "rating"  # 1 to 5
    SKIP = "skip"  # an optional step (photos, a phone number): skip, or something else
    DONE = "done"  # "Ada tambahan?": done, or more of the story
    SUMMARY = "summary"  # send, edit or cancel
    CANCEL = "cancel"  # "Batalkan isian?": yes (cancel) or no (go on)
    TYPE = "type"  # pengaduan or aspirasi (a story may come instead)


# Below this a reading is a guess: the flow asks one short question instead of acting.
SURE = 0.5


@dataclass(frozen=True)
class Reading:
    intent: str | None  # None: the text does not answer what was asked
    confidence: float = 0.0  # 0 to 1
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def sure(self) -> bool:
        return self.intent is not None and self.confidence >= SURE


_SUMMARY_WORDS = {
    "send": frozenset(
        {("kirim",), ("kirimkan",), ("send",), ("iya",), ("oke",), ("benar",), ("lanjut",)}
        | {("sudah", "benar"), ("kirim", "sekarang"), ("setuju",), ("siap",), ("sudah",)}
    ),
    "edit": frozenset(
        {("ubah",), ("edit",), ("ganti",), ("perbaiki",), ("koreksi",), ("salah",), ("revisi",)}
        | {("keliru",), ("diubah",), ("diganti",), ("dibetulkan",), ("betulkan",)}
        | {("mau", "ubah"), ("ada", "yang", "salah"), ("belum", "benar"), ("tambah",)}
    ),
    "cancel": frozenset(
        {("batal",), ("batalkan",), ("cancel",), ("tidak", "jadi"), ("hapus",), ("jangan",)}
        | {("tidak", "usah"), ("tidak", "kirim"), ("jangan", "kirim")}
    ),
}


_KEEP_GOING = frozenset(
    {("lanjut",), ("lanjutkan",), ("jangan",), ("tidak", "jadi", "batal"), ("teruskan",)}
    | {("jangan", "hapus"), ("tidak", "usah", "batal"), ("masih", "mau"), ("tidak", "batal")}
    | {("belum",), ("simpan",), ("jangan", "dulu"), ("tidak", "usah", "hapus")}
)
_STOP = frozenset(
    {("tidak", "jadi"), ("hapus",), ("batal",), ("batalkan",), ("buang",), ("tidak", "usah")}
)


class Reader:
    def __init__(
        self, words: lexicon.Lexicon, categories: Mapping[str, Sequence[str]] | None = None
    ) -> None:
        plain = Normaliser(words)
        topics = Topics(categories or {}, plain)
        whole = frozenset(p[0] for p in topics.phrases() if len(p) == 1)
        self.normalise = Normaliser(words, frozenset(topics.words()), whole)
        # The lists as the normaliser sees them, so that both sides meet in one form.
        self.lexicon = words.mapped(lambda phrase: self.normalise(" ".join(phrase)).words)
        self.topics = Topics(categories or {}, self.normalise)
        thanks = self.lexicon.intents["thanks"].strong
        self._answer_words = frozenset(
            w for p in self.lexicon.answers["yes"] | thanks for w in p if len(p) == 1
        ) | {"terima", "kasih"}

    @classmethod
    def for_agency(
        cls,
        categories: Mapping[str, Sequence[str]] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> Reader:
        return cls(lexicon.extended(extra or {}), categories)

    def words(self, text: str) -> Words:
        return self.normalise(text)

    def read(self, text: str, expects: Expect) -> Reading:
        message = self.normalise(text)
        match expects:
            case Expect.MENU:
                return self._menu(text, message)
            case Expect.CLOSING | Expect.YES_NO:
                closing = expects is Expect.CLOSING
                answer, confidence, reason = answers.yes_no(
                    message, self.lexicon, still_wrong_means_no=closing
                )
                values = {"reason": text.strip()} if reason else {}
                return Reading(answer, confidence, values)
            case Expect.CANCEL:
                return self._cancel(message)
            case Expect.RATING:
                stars, confidence = answers.stars(message, self.lexicon)
                return Reading(str(stars) if stars else None, confidence)
            case Expect.SKIP:
                if sum(ch.isdigit() for ch in text) >= 8:
                    return Reading(None)  # a phone number given is an answer, never a skip
                if answers.picks(message, self.lexicon.answers["skip"]):
                    return Reading("skip", 0.8)
                return Reading(None)
            case Expect.DONE:
                if answers.picks(message, self.lexicon.answers["done"], strict=True):
                    return Reading("done", 0.8)
                return Reading(None)
            case Expect.SUMMARY:
                return self._summary(message)
            case Expect.TYPE:
                kind = complaint_type(message, self.lexicon)
                story = read_intent(message, self.lexicon, has_code=False).story
                values = {"story": text.strip()} if story else {}
                return Reading(kind, 0.7 if kind else 0.0, values)

    def content_words(self, text: str) -> list[str]:
        """The words that say something beyond yes, ok, thanks and politeness."""
        answering = self._answer_words
        return [w for w in self.normalise(text).core if w not in answering]

    def number(self, text: str, count: int) -> int | None:
        """Which of `count` numbered options the text picks (1-based), if it picks one.
        Look-alike digits ("²", "١") pick nothing: a person typing the option types 2."""
        if any(ch.isdigit() and not ch.isascii() for ch in text):
            return None
        return answers.number(self.normalise(text), count)

    def category(self, text: str) -> list[tuple[str, float]]:
        """The agency's categories the story is probably about, best first."""
        return self.topics.rank(self.normalise(text))

    def _menu(self, text: str, message: Words) -> Reading:
        code = find_code(text)
        marks = "?" if "?" in text else ""
        reading = read_intent(message, self.lexicon, has_code=code is not None, text_marks=marks)
        values: dict[str, str] = {}
        if code is not None:
            values["code"] = code
        if reading.story:
            values["story"] = text.strip()
        if reading.intent in ("complaint", "aspiration") and reading.story:
            # Only a story says which ("mau lapor" alone may be either)
            kind = complaint_type(message, self.lexicon)
            if kind is not None:
                values["type"] = kind
        return Reading(reading.intent, reading.confidence, values)

    def _cancel(self, message: Words) -> Reading:
        """ "gk jd" to "Batalkan?" is yes (not going ahead); "jangan", "lanjut" are no."""
        grams = message.grams
        if grams & _KEEP_GOING:
            return Reading("no", 0.8)
        if grams & _STOP:
            return Reading("yes", 0.8)
        answer, confidence, _reason = answers.yes_no(message, self.lexicon)
        return Reading(answer, confidence)

    def _summary(self, message: Words) -> Reading:
        """The first of send, edit or cancel named; a cancel anywhere outweighs a send ("iya
        batal aja")."""
        words = message.words
        for start in range(len(words)):
            for intent, phrases in _SUMMARY_WORDS.items():
                named = any(words[start : start + size] in phrases for size in (3, 2, 1))
                if named and not (intent == "send" and message.grams & _SUMMARY_WORDS["cancel"]):
                    return Reading(intent, 0.8)
        return Reading(None)


@cache
def plain_reader() -> Reader:
    """Our word lists without an agency's categories (for flows tested without an agency)."""
    return Reader(lexicon.default())
