"""Short answers to a question: yes or no (with the reason given alongside), skip, done,
and a rating in numbers, stars or words.

People answer first and explain after ("blm, masih bocor"), so the first decisive word
wins; a no-word just before a yes-word turns it ("tidak setuju", "belum beres"); and "sudah,
tapi rusak lagi" is a no, because what follows "tapi" is what the person means.
"""

from __future__ import annotations

from bot.understanding.lexicon import Lexicon
from bot.understanding.normalise import Words

NEGATORS = frozenset({"tidak", "belum", "bukan", "jangan"})
CONTRAST = frozenset({"tapi", "namun", "cuma", "hanya", "sayangnya", "sayang", "padahal"})
# Words that say nothing beyond the answer itself: a "no" with only these has no reason.
_BARE = frozenset(
    {
        "beres",
        "selesai",
        "sudah",
        "belum",
        "tidak",
        "iya",
        "oke",
        "terima",
        "kasih",
        "masih",
        "ada",
        "saya",
        "apa",
        "yang",
        "jadi",
        "juga",
        "sama",
        "lagi",
    }
)


def _hits(words: tuple[str, ...], phrases: frozenset[tuple[str, ...]]) -> list[tuple[int, int]]:
    """(start, length) of every listed phrase in the words, longest first at each place."""
    found = []
    for start in range(len(words)):
        for size in range(min(5, len(words) - start), 0, -1):
            if words[start : start + size] in phrases:
                found.append((start, size))
                break
    return found


def yes_no(
    message: Words, lexicon: Lexicon, *, still_wrong_means_no: bool = False
) -> tuple[str | None, float, bool]:
    """("yes" | "no" | None, confidence, whether a no carries its reason)."""
    words = message.words
    yes_words, no_words = lexicon.answers["yes"], lexicon.answers["no"]
    polar: list[tuple[int, int, str]] = []
    for start, size in _hits(words, yes_words | no_words):
        phrase = words[start : start + size]
        polar.append((start, size, "yes" if phrase in yes_words else "no"))
    # "tidak setuju", "belum beres", "bukan itu": a negator right before a yes-word
    merged: list[tuple[int, int, str]] = []
    for start, size, kind in polar:
        if (
            merged
            and kind == "yes"
            and merged[-1][2] == "no"
            and words[merged[-1][0]] in NEGATORS
            and merged[-1][0] + merged[-1][1] >= start - 1
        ):
            merged[-1] = (merged[-1][0], start + size - merged[-1][0], "no")
            continue
        merged.append((start, size, kind))
    wrong = _hits(words, lexicon.answers["still_wrong"])
    answer: str | None = merged[0][2] if merged else None
    confidence = 0.9 if merged else 0.0
    if answer == "yes" and still_wrong_means_no:
        contrast = next((i for i, w in enumerate(words) if w in CONTRAST), None)
        if contrast is not None and any(start > contrast for start, _size in wrong):
            answer, confidence = "no", 0.8  # "sudah, tapi rusak lagi"
        elif any(kind == "no" for _s, _z, kind in merged[1:]) and wrong:
            answer, confidence = "no", 0.6  # "sudah diperbaiki, skrg rusak lagi"
    if answer is None and still_wrong_means_no and wrong:
        answer, confidence = "no", 0.75  # "masih gelap pak"
    if answer is None:
        return None, 0.0, False
    if len({kind for _s, _z, kind in merged}) > 1 and confidence > 0.7:
        confidence = 0.7  # both said: the first wins, less surely
    reason = answer == "no" and _has_reason(message, merged, lexicon)
    return answer, confidence, reason


def _has_reason(message: Words, merged: list[tuple[int, int, str]], lexicon: Lexicon) -> bool:
    covered = {i for start, size, _k in merged[:1] for i in range(start, start + size)}
    rest = [
        w
        for i, w in enumerate(message.words)
        if i not in covered and w not in lexicon.fillers and w not in _BARE
    ]
    return bool(rest)


def picks(message: Words, phrases: frozenset[tuple[str, ...]], *, strict: bool = False) -> bool:
    """The message gives one of these answers ("tdk ada foto pak", "udah itu aja"): one of
    them opens it, or little else is said besides ("nanti sy kirim, skrg blm ada").
    strict: only the answer and a word or two more (where any more words are more story:
    "sudah 3 bulan begini" adds to a report, it does not end it)."""
    hits = _hits(message.words, phrases)
    if not hits:
        return False
    rest = [w for w in message.core if w not in _ANSWER_PADDING]
    if strict:
        covered = {i for start, size in hits for i in range(start, start + size)}
        extra = [
            w for i, w in enumerate(message.words) if i not in covered and w not in _ANSWER_PADDING
        ]
        return len(extra) <= 1
    if all(size == 1 and message.words[start] in NEGATORS for start, size in hits):
        # a bare "tidak" answers only alone: "tdk ramah petugasnya" is more of the story
        return len(rest) <= 1
    opening = [i for i, w in enumerate(message.words) if w not in _ANSWER_PADDING][:2]
    if any(start in opening or start == 0 for start, _size in hits):
        return True
    covered = {i for start, size in hits for i in range(start, start + size)}
    extra = [
        w for i, w in enumerate(message.words) if i not in covered and w not in _ANSWER_PADDING
    ]
    return len(extra) <= 3


_ANSWER_PADDING = frozenset(
    {
        "pak",
        "bu",
        "kak",
        "min",
        "mi",
        "ji",
        "pi",
        "ki",
        "ta",
        "iya",
        "oke",
        "saja",
        "dulu",
        "deh",
        "dong",
        "terima",
        "kasih",
        "maaf",
        "tabe",
        "ya",
        "sih",
        "nih",
        "yang",
        "itu",
        "ini",
        "saya",
        "sudah",
        "lah",
        "sangat",
        "banyak",
    }
)


_RATING_NOUNS = frozenset({"bintang", "nilai", "nilainya", "skor", "rating", "kasih", "beri"})


_ORDINAL_LEAD = frozenset({"nomor", "no", "pilih", "pilihan", "angka", "opsi", "yang", "option"})


def number(message: Words, count: int) -> int | None:
    """Which of `count` numbered options: "2", "yg nomor 1 pak", "pilih dua", "yang pertama"
    (the normaliser has turned number words into digits)."""
    core = [w for w in message.core if w not in _ORDINAL_LEAD and w not in _ANSWER_PADDING]
    if len(core) != 1 or not core[0].isdigit():
        return None
    chosen = int(core[0])
    return chosen if 1 <= chosen <= count else None


def stars(message: Words, lexicon: Lexicon) -> tuple[int | None, float]:
    """1 to 5 from "5", "bintang 4", "⭐⭐⭐", "puas sekali", "kurang", "tdk puas"."""
    words = message.words
    numbers = [
        int(w)
        for i, w in enumerate(words)
        if w.isdigit()
        and 1 <= int(w) <= 5
        # a number is the rating when it is (nearly) all that was said, or named as one;
        # "kurang, sdh 2 minggu baru ditangani" rates with its words
        and (
            len(message.core) <= 5
            or w in message.core[:2]
            or (i > 0 and words[i - 1] in _RATING_NOUNS)
        )
    ]
    if len(set(numbers)) == 1:
        return numbers[0], 0.95
    if 1 <= message.stars <= 5:
        return message.stars, 0.95
    best: tuple[int, int, int] | None = None  # (length, -start, stars): longest, then first
    for count, phrases in lexicon.rating.items():
        for start, size in _hits(words, phrases):
            negated = start > 0 and words[start - 1] in NEGATORS
            value = 1 if negated and count >= 3 else count
            key = (size + (1 if negated else 0), -start, value)
            if best is None or key[:2] > best[:2]:
                best = key
    if best is None:
        return None, 0.0
    return best[2], 0.8
