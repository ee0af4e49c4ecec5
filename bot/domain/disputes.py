"""Information disputes after an objection: where they go, and how they end. The one home of
the dispute vocabulary (the PPID's `/sengketa`, its event data, the annual report's sheet).

UU 14/2008: a requester not satisfied with the atasan PPID's answer to an objection, or
left without one, may ask the Komisi Informasi to settle the dispute (Pasal 37), which tries
mediation first and, failing that, decides by ajudikasi nonlitigasi (Pasal 38–42; the
procedure is Perki 1/2013 Prosedur Penyelesaian Sengketa Informasi Publik). A party that
does not accept the ajudikasi's decision may take it to court: the PTUN when the body is a
state body, the Pengadilan Negeri otherwise (Pasal 47–49), and from there to the Mahkamah
Agung in kasasi (Pasal 50). A mediated settlement is final (Pasal 39).

Each step is one case event, action "dispute", data `{"stage": "filed" | "decided",
"venue": ..., "outcome": ... (decided only), "text": ..., "on": the local day recorded}`.

Outcomes are read *for the requester* at every venue, so a column of the report means the
same at the Komisi Informasi and in court: `granted` when the ruling leaves the information to
be given in full (at court: the requester's appeal upheld, or the body's appeal rejected),
`partial` in part, `rejected` when it need not be given. A failed mediation is a step, not an
outcome: the ajudikasi's decision that follows is recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from bot.values.messages import Msg, _


class Venue(StrEnum):
    KI = "ki"  # Komisi Informasi: mediasi, ajudikasi nonlitigasi (Pasal 37–42)
    COURT = "pengadilan"  # PTUN or Pengadilan Negeri (Pasal 47–49)
    SUPREME = "ma"  # kasasi to the Mahkamah Agung (Pasal 50)


class Stage(StrEnum):
    FILED = "filed"
    DECIDED = "decided"


class Outcome(StrEnum):
    SETTLED = "settled"  # mediasi berhasil: the parties' agreement (Pasal 39)
    GRANTED = "granted"  # mengabulkan seluruhnya
    PARTIAL = "partial"  # mengabulkan sebagian
    REJECTED = "rejected"  # menolak: the body need not give it
    INADMISSIBLE = "inadmissible"  # tidak dapat diterima (standing, time limit, jurisdiction)
    LAPSED = "lapsed"  # gugur: the applicant did not appear (Perki 1/2013, verify the article)
    WITHDRAWN = "withdrawn"  # dicabut by whoever brought it


OC = Outcome
# Mediation and lapsing are the Komisi Informasi's own procedure (Perki 1/2013).
OUTCOMES: dict[Venue, tuple[Outcome, ...]] = {
    Venue.KI: tuple(Outcome),
    Venue.COURT: (OC.GRANTED, OC.PARTIAL, OC.REJECTED, OC.INADMISSIBLE, OC.WITHDRAWN),
    Venue.SUPREME: (OC.GRANTED, OC.PARTIAL, OC.REJECTED, OC.INADMISSIBLE, OC.WITHDRAWN),
}
VENUE_LABELS: dict[Venue, Msg] = {
    Venue.KI: _("Komisi Informasi"),
    Venue.COURT: _("Pengadilan (PTUN/PN)"),
    Venue.SUPREME: _("Mahkamah Agung (kasasi)"),
}
OUTCOME_LABELS: dict[Outcome, Msg] = {
    OC.SETTLED: _("Mediasi berhasil"),
    OC.GRANTED: _("Dikabulkan seluruhnya"),
    OC.PARTIAL: _("Dikabulkan sebagian"),
    OC.REJECTED: _("Ditolak"),
    OC.INADMISSIBLE: _("Tidak dapat diterima"),
    OC.LAPSED: _("Gugur"),
    OC.WITHDRAWN: _("Dicabut"),
}
# What an officer may type (Indonesian first; the words of a putusan's amar work too).
VENUE_WORDS: dict[str, Venue] = {
    "ki": Venue.KI,
    "komisi": Venue.KI,
    "pengadilan": Venue.COURT,
    "ptun": Venue.COURT,
    "pn": Venue.COURT,
    "gugatan": Venue.COURT,
    "ma": Venue.SUPREME,
    "kasasi": Venue.SUPREME,
}
# Only these open a decision: a note may well begin with "Putusan ..." or "Selesai ...".
DECIDED_WORDS = frozenset({"putus", "diputus"})
OUTCOME_WORDS: dict[str, Outcome] = {
    "mediasi": OC.SETTLED,
    "damai": OC.SETTLED,
    "dikabulkan": OC.GRANTED,
    "mengabulkan": OC.GRANTED,
    "kabul": OC.GRANTED,
    "sebagian": OC.PARTIAL,
    "ditolak": OC.REJECTED,
    "menolak": OC.REJECTED,
    "tolak": OC.REJECTED,
    "tidakditerima": OC.INADMISSIBLE,
    "tidak_diterima": OC.INADMISSIBLE,
    "tidak-diterima": OC.INADMISSIBLE,
    "no": OC.INADMISSIBLE,  # niet ontvankelijk, as lawyers write it
    "gugur": OC.LAPSED,
    "dicabut": OC.WITHDRAWN,
    "cabut": OC.WITHDRAWN,
}
# Second words that only say the first again ("mediasi berhasil", "dikabulkan seluruhnya").
_ECHOES = frozenset({"berhasil", "seluruhnya"})


@dataclass(frozen=True)
class DisputeStep:
    stage: Stage
    venue: Venue
    outcome: Outcome | None = None
    text: str = ""


def usage() -> Msg:
    return _(
        "Cara pakai: /sengketa KODE [pengadilan | ma] catatan (sengketa diajukan), atau "
        "/sengketa KODE putus dikabulkan | sebagian | ditolak | tidakditerima | mediasi | "
        "gugur | dicabut [pengadilan | ma] catatan (hasilnya bagi pemohon). Tanpa "
        "pengadilan atau ma: di Komisi Informasi."
    )


def parse(text: str) -> DisputeStep | Msg:
    """`[VENUE] [putus OUTCOME [VENUE]] [note]`, as typed after the code; else why not."""
    words = text.split()
    lowered = [word.lower() for word in words]
    venue = VENUE_WORDS.get(lowered[0]) if words else None
    at = 1 if venue is not None else 0
    if at >= len(words) or lowered[at] not in DECIDED_WORDS:
        return DisputeStep(Stage.FILED, venue or Venue.KI, None, " ".join(words[at:]))
    outcome, at = _outcome(lowered, at + 1)
    if outcome is None:
        if lowered[at : at + 2] == ["mediasi", "gagal"]:
            return _(
                "Mediasi yang gagal belum mengakhiri sengketa: catat putusan ajudikasinya "
                "nanti, misalnya /sengketa KODE putus ditolak."
            )
        return usage()
    if venue is None and at < len(words) and lowered[at] in VENUE_WORDS:
        venue = VENUE_WORDS[lowered[at]]
        at += 1
    venue = venue or Venue.KI
    if outcome not in OUTCOMES[venue]:
        return _(
            "Hasil itu hanya ada di Komisi Informasi (mediasi, gugur). Untuk pengadilan "
            "dan Mahkamah Agung: dikabulkan, sebagian, ditolak, tidakditerima, atau dicabut."
        )
    return DisputeStep(Stage.DECIDED, venue, outcome, " ".join(words[at:]))


def _outcome(lowered: list[str], at: int) -> tuple[Outcome | None, int]:
    """The outcome at `at` (one word, or two: "tidak diterima", "dikabulkan sebagian",
    "mediasi berhasil") and where the rest begins."""
    first, second = lowered[at : at + 1], lowered[at + 1 : at + 2]
    if not first or first + second == ["mediasi", "gagal"]:
        return None, at
    if first + second == ["tidak", "diterima"]:
        return OC.INADMISSIBLE, at + 2
    outcome = OUTCOME_WORDS.get(first[0])
    if outcome is OC.GRANTED and second == ["sebagian"]:
        return OC.PARTIAL, at + 2
    if outcome is not None and second and second[0] in _ECHOES:
        return outcome, at + 2
    return outcome, at + 1 if outcome is not None else at


def event_data(step: DisputeStep, today: date) -> dict[str, Any]:
    """What the case event keeps: the local day too, so the annual report counts the step
    in the year it was recorded without knowing the server's time zone."""
    data: dict[str, Any] = {"stage": step.stage.value, "venue": step.venue.value}
    if step.outcome is not None:
        data["outcome"] = step.outcome.value
    if step.text.strip():
        data["text"] = step.text.strip()
    data["on"] = today.isoformat()
    return data


def read_event(data: Mapping[str, Any], recorded: date) -> tuple[DisputeStep, date] | None:
    """An event's step and day; None for a repeat that recorded nothing new. Events written
    before outcomes could be recorded (`{}` or `{"text": ...}`) are a filing at the Komisi
    Informasi, on the day they were written (`recorded`)."""
    if data.get("again"):
        return None
    try:
        stage = Stage(data.get("stage", Stage.FILED.value))
        venue = Venue(data.get("venue", Venue.KI.value))
        outcome = Outcome(data["outcome"]) if stage is Stage.DECIDED else None
        day = date.fromisoformat(data["on"]) if data.get("on") else recorded
    except (KeyError, ValueError):
        return None  # not ours to guess: an unreadable row is left out, never miscounted
    return DisputeStep(stage, venue, outcome, str(data.get("text", ""))), day
