"""The labelled corpus of citizens' messages (tests/corpus/, described in its README) and how
a reading is scored against a label, for the test and the benchmark alike.

Three files, written by different hands:
- `tune.jsonl`: used to build and tune the word lists;
- `second.jsonl`: measured once as a held-out set, then used for tuning too;
- `heldout.jsonl`: never used to tune; the figure we report.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.agency import Agency, load_agency
from bot.domain.contact import phone_in
from bot.flows.base import substantial
from bot.understanding import Expect, Reader

CORPUS = Path(__file__).with_name("corpus")
AGENCY = Path(__file__).parents[1] / "config" / "agency.soppeng.toml"
SERVICES = frozenset({"complaint", "aspiration", "information", "status", "mine", "objection"})
# A request taken as a complaint (or the reverse) files the wrong kind of case: the worst
# mistake. Complaint and aspiration share one form, so mixing those two is not a wrong route.
_SAME_FORM = {"complaint": "report", "aspiration": "report"}


def rows(name: str) -> list[dict[str, Any]]:
    with (CORPUS / f"{name}.jsonl").open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def agency() -> Agency:
    return load_agency(AGENCY)


def reader_for(agency: Agency) -> Reader:
    return Reader.for_agency(agency.topic_words(), agency.understanding)


def predict(reader: Reader, agency: Agency, step: str, text: str) -> tuple[str, bool]:
    """(the label the reader gives, whether it is sure of it)."""
    match step:
        case "menu":
            reading = reader.read(text, Expect.MENU)
            if reading.intent is None and substantial(text):
                # As the menu does: a story it cannot place is offered as a complaint, with
                # one short question ("Maksud Bapak/Ibu ingin menyampaikan pengaduan?")
                return "complaint", False
            return reading.intent or "unclear", reading.sure
        case "closing" | "consent":
            reading = reader.read(text, Expect.CLOSING if step == "closing" else Expect.YES_NO)
            return reading.intent or "?", reading.sure
        case "cancel":
            reading = reader.read(text, Expect.CANCEL)
            return reading.intent or "?", reading.sure
        case "rating":
            reading = reader.read(text, Expect.RATING)
            return reading.intent or "?", reading.sure
        case "photos":
            reading = reader.read(text, Expect.SKIP)
            return reading.intent or "more", True
        case "resident_phone":
            # As the flow does: "skip" in words first, else a number
            reading = reader.read(text, Expect.SKIP)
            if reading.intent:
                return reading.intent, True
            return ("phone" if phone_in(text) else "?"), True
        case "more":
            reading = reader.read(text, Expect.DONE)
            return reading.intent or "more", True
        case "summary":
            picked = reader.number(text, 3)  # as the engine does first, from the numbers shown
            if picked:
                return ("send", "edit", "cancel")[picked - 1], True
            reading = reader.read(text, Expect.SUMMARY)
            return reading.intent or "?", reading.sure
        case "type":
            picked = reader.number(text, 2)
            if picked:
                return ("pengaduan", "aspirasi")[picked - 1], True
            reading = reader.read(text, Expect.TYPE)
            return reading.intent or "?", reading.sure
        case "category":
            ranked = reader.category(text)
            return (ranked[0][0] if ranked else "lainnya"), bool(ranked)
        case "info_unit":
            ranked = reader.category(text)
            unit = agency.unit_for_request(ranked[0][0] if ranked else None)
            return unit, bool(ranked)
    raise ValueError(step)


@dataclass
class Score:
    right: Counter[str] = field(default_factory=Counter)
    total: Counter[str] = field(default_factory=Counter)
    by_label: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    wrong_routes: int = 0
    services: int = 0
    asked: int = 0  # menu readings not sure: the bot asks one short question first
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)

    def accuracy(self, step: str | None = None) -> float:
        right = self.right[step] if step else sum(self.right.values())
        total = self.total[step] if step else sum(self.total.values())
        return right / total if total else 0.0


def score(reader: Reader, agency: Agency, corpus: list[dict[str, Any]]) -> Score:
    result = Score()
    for row in corpus:
        step, label, text = row["step"], row["label"], row["text"]
        got, sure = predict(reader, agency, step, text)
        ok = got == label
        result.total[step] += 1
        result.by_label[step][f"{label} total"] += 1
        if ok:
            result.right[step] += 1
            result.by_label[step][f"{label} right"] += 1
        else:
            result.misses.append((step, label, got, text))
        if step == "menu":
            result.services += 1
            result.asked += not sure
            routed = _SAME_FORM.get(got, got)
            if sure and got in SERVICES and routed != _SAME_FORM.get(label, label):
                result.wrong_routes += 1
    return result
