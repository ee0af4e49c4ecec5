"""The written notice's arguments in a typed command, and the check that each is stated.

`/putus KODE diberikan [HARI] [BIAYA] keterangan` and `/putus KODE sebagian 17h [HARI]
[BIAYA] uji konsekuensi | kepentingan publik | yang diberikan`: the words the PPID writes are
given apart with "|", in the order the guided form asks them (`bot.domain.arguments`). What a
typed line does not say is asked, except what has a default the preview then shows: the
request as the requester wrote it, the form they asked for, and today. A cost is never
defaulted: a printed or posted copy's cost is asked unless stated (`gratis` for none).
"""

from __future__ import annotations

from datetime import date

from bot.domain.agency import Agency
from bot.domain.arguments import WRITTEN, Arg, needed
from bot.domain.case import Case
from bot.domain.cases import Kind
from bot.domain.lifecycle import EXEMPTING, PASAL_17, Action, Decision
from bot.domain.notice import (
    AS_ASKED,
    COST_TOKEN,
    DAY_TOKEN,
    GIVING,
    cost_problem,
    day_problem,
    free_by_rule,
    valid_form,
)
from bot.handlers.casework.base import CaseArgs
from bot.values.messages import Msg, Raw, _

MIN_WRITTEN = 3  # characters: the consequence test and the public interest are sentences


def parse_terms(outcome: Decision | None, rest: list[str], args: CaseArgs) -> None:
    """The day and the cost typed before the words, taken from `rest` into `args`."""
    if outcome not in GIVING:
        return
    while rest:
        word = rest[0].lower()
        if DAY_TOKEN.fullmatch(word) and "when" not in args:
            args["when"] = rest.pop(0)
        elif COST_TOKEN.fullmatch(word) and "cost" not in args:
            args["cost"] = rest.pop(0)
        elif word == "biaya" and len(rest) > 1 and "cost" not in args:
            rest.pop(0)
            args["cost"] = rest.pop(0)
        else:
            return


def written_parts(outcome: Decision | None, text: str, args: CaseArgs) -> None:
    """The words after the terms, split at "|" into the arguments written in words, in the
    order they are asked; one part alone is the first (a rejection's consequence test, as
    before the public interest had its own field). An empty part is asked."""
    names = [a for a in needed(Action.DECIDE, Kind.INFORMASI, outcome) if a in WRITTEN]
    parts = [part.strip() for part in text.split("|")]
    if len(parts) > len(names):  # a "|" inside the last words stays part of them
        parts = [*parts[: len(names) - 1], " | ".join(parts[len(names) - 1 :])]
    for name, part in zip(names, parts, strict=False):
        if part:
            args[name.value] = part
    if outcome in GIVING:  # given whole in one line: the form the requester asked, today
        args.setdefault("form", AS_ASKED)
        args.setdefault("when", "segera")


def notice_problem(args: CaseArgs, agency: Agency, today: date) -> Msg | None:
    """Pasal 22 ayat 7: every term the notice states is stated, and stated rightly."""
    outcome = args.get("outcome")
    if outcome in EXEMPTING:
        if args.get("ground") not in PASAL_17:
            return _(
                "Sebutkan huruf Pasal 17 (a sampai j), misalnya: /putus KODE ditolak 17h alasan."
            )
        if len(str(args.get("consequence", "")).strip()) < MIN_WRITTEN:
            return _("Tuliskan hasil uji konsekuensi untuk pengecualian ini.")
        if len(str(args.get("public_interest", "")).strip()) < MIN_WRITTEN:
            return _("Tuliskan pertimbangan kepentingan publik untuk pengecualian ini.")
    if outcome not in GIVING:
        return None
    form = args.get("form")
    if not valid_form(form):
        return _("Pilih bentuk dan cara penyerahan informasi. Tekan tombol *Putuskan*.")
    when = day_problem(str(args.get("when", "")), today, agency.calendar)
    if when is not None:
        return when
    assert isinstance(form, str)  # valid_form
    return None if free_by_rule(form) else cost_problem(str(args.get("cost", "")), agency)


def delivery_problem(case: Case) -> Msg | None:
    """Information is given only under a grant, and its delivery is recorded once."""
    if case.decision not in GIVING:
        return _(
            "Penyerahan hanya dicatat untuk permohonan yang dikabulkan (seluruhnya atau "
            "sebagian); *{code}* tidak.",
            code=Raw(case.tracking_code),
        )
    if case.delivered_on is not None:
        return _(
            "Penyerahan informasi *{code}* sudah dicatat pada {day}.",
            code=Raw(case.tracking_code),
            day=case.delivered_on,
        )
    return None


def text_needed(case: Case, action: Action, args: CaseArgs) -> bool:
    """Whether this action on this case, with these arguments, carries words of its own."""
    return Arg.TEXT in needed(action, case.kind, args.get("outcome"), args.get("form"))
