"""An action's arguments: read from a typed command, and checked before anything changes.

The guided flow (`bot.flows.case_action`) asks for the same arguments one at a time; both end in
`check_args`, so a typed command and a tapped one are held to one rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from bot.domain import disputes
from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.cases import Kind
from bot.domain.codes import kind_of, looks_like_code
from bot.domain.lifecycle import (
    DECISION_WORDS,
    DECISIONS_INFO,
    DECISIONS_OBJECTION,
    EXEMPTING,
    PASAL_35,
    Action,
    Decision,
)
from bot.flows.case_action import MAX_TEXT
from bot.handlers.casework.base import CaseArgs
from bot.handlers.casework.notice_args import (
    delivery_problem,
    notice_problem,
    parse_terms,
    text_needed,
    written_parts,
)
from bot.values.messages import Msg, _

A = Action
DIGITS = re.compile(r"[0-9]{1,3}")  # ASCII only: "²".isdigit() is true, int("²") fails
STARS = {"1", "2", "3", "4", "5"}
_GROUND = re.compile(r"^(?:17|35)?[.(]?([a-j])\)?$", re.IGNORECASE)


def check_args(
    case: Case, action: Action, args: CaseArgs, agency: Agency, today: date
) -> Msg | None:
    """What is missing or wrong in the arguments; None when the action may run."""
    problem = _problem_of(case, action, args, agency, today)
    if problem is not None:
        return problem
    text = str(args.get("text", "")).strip()
    if text_needed(case, action, args) and len(text) < 2:
        return _("Mohon sertakan keterangannya.")
    longest = max(len(str(args.get(name, ""))) for name in _WORDS)
    if longest > MAX_TEXT:
        return _(
            "Teks terlalu panjang ({length} karakter). Mohon ringkas menjadi paling banyak "
            "{limit} karakter.",
            length=longest,
            limit=MAX_TEXT,
        )
    return None


_WORDS = ("text", "comment", "consequence", "public_interest")  # written by the person


def _problem_of(
    case: Case, action: Action, args: CaseArgs, agency: Agency, today: date
) -> Msg | None:
    if action is A.FORWARD:
        if args.get("unit") not in agency.units:
            return _("Kode unit tidak dikenal. Tekan tombol *Teruskan* untuk memilih dari daftar.")
        if args["unit"] == case.unit_code:
            return _("Kasus ini sudah ada di unit itu.")
    if action is A.EXTEND:
        return extension_problem(case, today) or _days_problem(args, agency)
    if action is A.DECIDE:
        valid = DECISIONS_OBJECTION if case.kind == Kind.KEBERATAN else DECISIONS_INFO
        if args.get("outcome") not in valid:
            return _("Keputusan tidak dikenal. Tekan tombol *Putuskan* untuk memilih.")
        if case.kind != Kind.KEBERATAN:
            return notice_problem(args, agency, today)
    if action is A.DELIVER:
        return delivery_problem(case)
    if action is A.RATE and str(args.get("stars", "")) not in STARS:
        return _("Nilai 1 sampai 5.")
    if action is A.OBJECT:
        return objection_ground_problem(args.get("ground35"))
    if action is A.DISPUTE:  # the stage, venue and outcome ride in the words
        step = disputes.parse(str(args.get("text", "")))
        return step if isinstance(step, Msg) else None
    return None


def extension_problem(case: Case, today: date) -> Msg | None:
    """UU 14/2008 Pasal 22 (8): one extension, notified within the first 10 working days."""
    if case.extended:
        return _("Permohonan ini sudah pernah diperpanjang; UU 14/2008 hanya membolehkan sekali.")
    if case.response_due is not None and case.response_due < today:
        return _("Batas waktu jawaban sudah lewat; perpanjangan tidak dapat diberikan lagi.")
    return None


def _days_problem(args: CaseArgs, agency: Agency) -> Msg | None:
    days = DIGITS.fullmatch(str(args.get("days", "")))
    if days is None or not 1 <= int(days.group(0)) <= agency.clocks.info_extension:
        return _(
            "Jumlah hari perpanjangan 1 sampai {most} hari kerja.",
            most=agency.clocks.info_extension,
        )
    return None


def objection_ground_problem(ground: Any) -> Msg | None:
    """A Pasal 35 letter at all; whether the facts open it today is `bot.domain.objections`
    (checked with the objections already filed, in `casework.objections`)."""
    if ground not in PASAL_35:
        return _("Pilih alasan keberatan huruf a sampai g.")
    return None


_TEXTS = (
    *("text", "unit", "days", "outcome", "ground", "restate", "ground35", "stars", "comment"),
    *("consequence", "public_interest", "form", "when", "cost"),
)


def case_args(raw: Mapping[str, Any]) -> CaseArgs:
    """The arguments as the conversation stored them (JSON), read into their types; anything
    else in the mapping is left behind."""
    args: CaseArgs = {}
    for name in _TEXTS:
        if raw.get(name) is not None:
            args[name] = str(raw[name])  # type: ignore[literal-required]
    if raw.get("channel"):
        args["channel"] = str(raw["channel"])
    if raw.get("media"):
        args["media"] = [str(ref) for ref in raw["media"]]
    return args


def parse_args(action: Action, code_text: str, words: list[str]) -> CaseArgs:
    """Arguments a typed command carries after the code; what is missing is asked for."""
    args: CaseArgs = {}
    rest = list(words)
    objection = looks_like_code(code_text) and kind_of(code_text) == Kind.KEBERATAN
    if action is A.FORWARD and rest:
        args["unit"] = rest.pop(0).lower()
    elif action is A.EXTEND and rest and DIGITS.fullmatch(rest[0]):
        args["days"] = rest.pop(0)
        while rest and rest[0].lower() in ("hari", "hk", "kerja"):  # "7 hari kerja"
            rest.pop(0)
    elif action is A.DECIDE and rest:
        word = rest.pop(0).lower()
        outcome = DECISION_WORDS.get(word)
        if objection and word in ("ditolak", "tolak"):
            outcome = Decision.DISMISSED
        if outcome is not None:
            args["outcome"] = outcome.value
        ground = _GROUND.match(rest[0]) if outcome in EXEMPTING and rest else None
        if ground is not None:
            rest.pop(0)
            args["ground"] = ground.group(1).lower()
        if not objection:
            parse_terms(outcome, rest, args)
    elif action is A.OBJECT and rest and _GROUND.match(rest[0]):
        letter = _GROUND.match(rest.pop(0)).group(1).lower()  # type: ignore[union-attr]
        if letter in PASAL_35:
            args["ground35"] = letter
    if action is A.RATE and rest and rest[0] in STARS:
        args["stars"] = rest.pop(0)
    if rest:
        if action is A.RATE:
            args["comment"] = " ".join(rest)
        elif action is A.DECIDE and not objection:  # a request's notice: its written parts
            outcome = Decision(args["outcome"]) if "outcome" in args else None
            written_parts(outcome, " ".join(rest), args)
        else:
            args["text"] = " ".join(rest)
        if action is A.DECIDE:  # given whole in one line: the notice quotes the request
            args.setdefault("restate", "")
    return args
