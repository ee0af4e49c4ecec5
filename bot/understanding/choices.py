"""Turn typed text into a button choice: the number, the label, an alias or a close match.

Channels without buttons (console, WhatsApp) show numbered options; Telegram users may type too.
Matching is strict enough that free text at a step with a shortcut button stays free text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from bot.understanding import Expect, Reader

_STRIP = re.compile(r"[^\w\s]+", re.UNICODE)


# Politeness and filler that carry no choice: "sudah pak", "ya bu", "itu aja".
_PARTICLES = re.compile(
    r"\b(pak|bu|bapak|ibu|kak|dek|mas|mbak|bang|aja|deh|dong|nih|kok|min|sih)\b"
)


_THANKS_TAIL = re.compile(
    r"\b(terima ?kasih|trima ?kasih|makasih|makasi|trims|thanks|thank you)( banyak)?( ya)?\b"
)


@lru_cache(maxsize=8192)  # the same labels and aliases are matched against every message
def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", _STRIP.sub(" ", text.lower())).strip()


def core_words(text: str) -> str:
    return re.sub(r"\s+", " ", _PARTICLES.sub(" ", normalise(text))).strip()


def match_choice(text: str, options: Sequence[Sequence[object]]) -> str | None:
    """options are [id, label, aliases...] as stored with the conversation."""
    if text.strip().isascii() and text.strip().isdigit():  # "-1" and "²" are not option 1
        index = int(text.strip()) - 1
        return str(options[index][0]) if 0 <= index < len(options) else None
    typed = core_words(text) or normalise(text)
    if not typed or not options or typed.isdigit():
        return None
    by_word = _whole_word_match(typed, options) or _phrase_inside(typed, options)
    if by_word is not None:
        return by_word
    polite = _THANKS_TAIL.sub(" ", typed).strip()
    if polite and polite != typed:  # "sudah beres, terima kasih": the thanks picks nothing
        return match_choice(polite, options)
    best_id, best_score = None, 0.0
    for option in options:
        option_id = str(option[0])
        words = [normalise(str(w)) for w in option[1:]]
        if typed in words:
            return option_id
        for word in words:
            score = fuzz.ratio(typed, word)
            if score > best_score:
                best_id, best_score = option_id, score
    return best_id if best_score >= 82 else None


def _phrase_inside(typed: str, options: Sequence[Sequence[object]]) -> str | None:
    """ "diambil sendiri di kantor" holds the phrase "diambil sendiri": a phrase of two words
    or more that one option alone has, said inside a longer answer, picks that option."""
    hits = {
        str(option[0])
        for option in options
        for word in option[2:]
        if " " in (phrase := normalise(str(word))) and f" {phrase} " in f" {typed} "
    }
    return hits.pop() if len(hits) == 1 else None


def _whole_word_match(typed: str, options: Sequence[Sequence[object]]) -> str | None:
    """ "jembatan" picks "Jalan dan jembatan" when no other option has that word."""
    if len(typed) < 3:
        return None
    hits = {
        str(option[0])
        for option in options
        if any(f" {typed} " in f" {normalise(str(word))} " for word in option[1:])
    }
    if len(hits) == 1:
        return hits.pop()
    # Several options mention it ("jalan": "Jalan dan jembatan", "lampu jalan"): the one
    # whose label begins with the word is what people mean.
    leading = {
        str(option[0])
        for option in options
        if str(option[0]) in hits and f"{normalise(str(option[1]))} ".startswith(f"{typed} ")
    }
    return leading.pop() if len(leading) == 1 else None


def understood_choice(
    reader: Reader, text: str, ids: Sequence[str], flow: str
) -> tuple[str | None, str | None]:
    """The button a free answer means, when no label or alias matched: "yg nomor 2", "sudah
    mi pak, terima kasih" to "Sudah beres?", "puas sekali" to a rating, "tdk ada foto" to
    "Lewati". Returns (button id, the reason given with a "belum beres", if any)."""
    picked = reader.number(text, len(ids))
    if picked is not None:
        return ids[picked - 1], None
    found = set(ids)
    confirm = next((i for i in ids if i.startswith("c:confirm:")), None)
    reopen = next((i for i in ids if i.startswith("c:reopen:")), None)
    if confirm and reopen:
        closing = reader.read(text, Expect.CLOSING)
        if not closing.sure:
            return None, None
        if closing.intent == "yes":
            return confirm, None
        return reopen, closing.values.get("reason")
    stars = [i for i in ids if i.startswith("c:rate:")] or (
        list(ids) if found == {"1", "2", "3", "4", "5"} else []
    )
    if stars:
        rating = reader.read(text, Expect.RATING)
        chosen = [i for i in stars if rating.intent and i.rsplit(":", 1)[-1] == rating.intent]
        return (chosen[0] if chosen else None), None
    for yes, no in (("yes", "no"), ("resume", "new")):
        if {yes, no} <= found:
            expects = Expect.CANCEL if flow == "cancel_confirm" else Expect.YES_NO
            answer = reader.read(text, expects)
            if answer.sure:
                return (yes if answer.intent == "yes" else no), None
            return None, None
    if {"send", "edit", "cancel"} <= found:
        return reader.read(text, Expect.SUMMARY).intent, None
    if {"pengaduan", "aspirasi"} <= found:
        return reader.read(text, Expect.TYPE).intent, None
    if "other" in found and len(ids) == 2:  # "Sepertinya ini tentang X. Benar?"
        answer = reader.read(text, Expect.YES_NO)
        if answer.sure and not substantial_text(text):
            return (ids[0] if answer.intent == "yes" else "other"), None
        return None, None
    if "next" in found and reader.read(text, Expect.DONE).intent == "done":
        return "next", None
    if "skip" in found and reader.read(text, Expect.SKIP).intent == "skip":
        return "skip", None
    return None, None


def substantial_text(text: str) -> bool:
    """More than a short answer: a sentence that tells something."""
    return len(normalise(text).split()) > 4
