"""The case rules: one state machine per kind, who may act, and the legal lists.

A case moves only through `next_status`; anything else is refused with the actions its state
does allow. The tables follow DOMAIN.md: SP4N-LAPOR! for complaints and aspirations, UU KIP
(UU 14/2008) and Perki 1/2021 for information requests and objections.

```
pengaduan/aspirasi:
  diterima ─verify─► didisposisi ─take─► ditindaklanjuti ─resolve─► selesai ─confirm─► ditutup
     │ reply (first follow-up) ────────────────┘  ▲   │ ask            │ reopen ─┘(back)  ▲
     ├─ask─► ditunda ─answer─► (where it was) ────┘   ▼                └─auto_close───────┘
     ├─forward─► didisposisi (another unit)       ditunda
     ├─not_ours─► bukan_wewenang (named body)
     └─archive─► arsip
informasi:  diproses ─extend (once)─► diperpanjang ─decide─► diputus ─object─► new keberatan
                                                               └─deliver (once, granted)─► diputus
keberatan:  diproses ─decide (atasan PPID)─► diputus ─dispute─► diputus
               └─dispute, once the atasan PPID is late─► diproses
data_pribadi: diproses ─resolve (PPID, within 3×24 hours)─► ditutup
```
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.cases import Kind, Status
from bot.domain.roles import Role
from bot.values.messages import Msg, _


class Action(StrEnum):
    # officers
    VERIFY = "verify"
    TAKE = "take"
    REPLY = "reply"
    ASK = "ask"
    FORWARD = "forward"
    NOT_OURS = "not_ours"
    NOTE = "note"
    RESOLVE = "resolve"
    ARCHIVE = "archive"
    EXTEND = "extend"
    DECIDE = "decide"
    # the reporter (or the volunteer who filed)
    ANSWER = "answer"
    CONFIRM = "confirm"
    REOPEN = "reopen"
    RATE = "rate"
    OBJECT = "object"
    # the scheduler
    AUTO_CLOSE = "auto_close"
    # recorded by the PPID: the requester took the objection's answer to the Komisi Informasi
    DISPUTE = "dispute"
    # recorded by the PPID: the information granted was actually given (for the annual report)
    DELIVER = "deliver"


CITIZEN_ACTIONS = frozenset(
    {Action.ANSWER, Action.CONFIRM, Action.REOPEN, Action.RATE, Action.OBJECT}
)
PAUSED = "paused"  # target meaning "the status the case had before it waited"
STAY = "stay"  # allowed, status unchanged
S = Status
A = Action

_OPEN_COMPLAINT: dict[Action, str] = {
    A.TAKE: S.DITINDAKLANJUTI,
    A.REPLY: S.DITINDAKLANJUTI,  # a reply is the unit's follow-up
    A.ASK: S.DITUNDA,
    A.FORWARD: S.DIDISPOSISI,
    A.NOT_OURS: S.BUKAN_WEWENANG,
    A.ARCHIVE: S.ARSIP,
    A.NOTE: STAY,
}
COMPLAINT: dict[str, dict[Action, str]] = {
    S.DITERIMA: {A.VERIFY: S.DIDISPOSISI, **_OPEN_COMPLAINT},
    S.TERVERIFIKASI: dict(_OPEN_COMPLAINT),
    S.DIDISPOSISI: dict(_OPEN_COMPLAINT),
    S.DITINDAKLANJUTI: {
        A.TAKE: STAY,
        A.REPLY: STAY,
        A.ASK: S.DITUNDA,
        A.FORWARD: S.DIDISPOSISI,
        A.NOT_OURS: S.BUKAN_WEWENANG,
        A.RESOLVE: S.SELESAI,
        A.ARCHIVE: S.ARSIP,
        A.NOTE: STAY,
    },
    S.DITUNDA: {
        A.ANSWER: PAUSED,
        A.TAKE: STAY,
        A.REPLY: STAY,
        A.ASK: STAY,
        A.FORWARD: S.DIDISPOSISI,
        A.RESOLVE: S.SELESAI,
        A.ARCHIVE: S.ARSIP,
        A.NOTE: STAY,
    },
    S.SELESAI: {
        A.CONFIRM: S.DITUTUP,
        A.REOPEN: S.DITINDAKLANJUTI,
        A.RATE: STAY,
        A.AUTO_CLOSE: S.DITUTUP,
        A.NOTE: STAY,
    },
    S.DITUTUP: {A.RATE: STAY, A.NOTE: STAY},
    S.BUKAN_WEWENANG: {A.NOTE: STAY},
    S.ARSIP: {A.NOTE: STAY},
}
_OPEN_REQUEST: dict[Action, str] = {
    A.TAKE: STAY,
    A.REPLY: STAY,
    A.ASK: STAY,  # the UU KIP clock does not stop for a question
    A.ANSWER: STAY,
    A.FORWARD: STAY,  # to another unit's PPID pembantu; the request stays with the PPID
    A.DECIDE: S.DIPUTUS,
    A.NOTE: STAY,
    A.OBJECT: STAY,  # only once the answer is late (Pasal 35 c, g): checked with the dates
}
INFORMATION: dict[str, dict[Action, str]] = {
    S.DIPROSES: {A.EXTEND: S.DIPERPANJANG, **_OPEN_REQUEST},
    S.DIPERPANJANG: dict(_OPEN_REQUEST),
    # deliver: only a granted (or partly granted) request, once: checked with the decision
    S.DIPUTUS: {A.OBJECT: STAY, A.NOTE: STAY, A.DELIVER: STAY},
}
OBJECTION: dict[str, dict[Action, str]] = {
    S.DIPROSES: {
        **{k: v for k, v in _OPEN_REQUEST.items() if k not in (A.FORWARD, A.OBJECT)},
        A.DISPUTE: STAY,  # only once the atasan PPID is late (Pasal 37): checked with the dates
    },
    S.DIPUTUS: {A.DISPUTE: STAY, A.NOTE: STAY},
}
# A data-subject request (UU 27/2022) the bot could not settle by itself: the PPID answers,
# may ask, and closes it within 3×24 hours. (Access, and the corrections and deletions the
# bot can make, are settled at once and filed closed.)
DATA_REQUEST: dict[str, dict[Action, str]] = {
    S.DIPROSES: {
        A.TAKE: STAY,
        A.REPLY: STAY,
        A.ASK: STAY,
        A.ANSWER: STAY,
        A.NOTE: STAY,
        A.RESOLVE: S.DITUTUP,
    },
    S.DITUTUP: {A.NOTE: STAY},
}
MACHINES = {
    Kind.PENGADUAN: COMPLAINT,
    Kind.ASPIRASI: COMPLAINT,
    Kind.INFORMASI: INFORMATION,
    Kind.KEBERATAN: OBJECTION,
    Kind.DATA: DATA_REQUEST,
}

# Who may do what beyond "an officer who can see the case". Unlisted: any such officer.
_PPID = frozenset({Role.PPID_UTAMA, Role.PPID_PEMBANTU, Role.ADMIN})
_COORDINATION = frozenset({Role.KOORDINATOR, Role.ADMIN})  # DOMAIN: the coordinator verifies
# Actions a button may carry: the officers' and the reporter's, never the scheduler's.
BUTTON_ACTIONS = frozenset(a for a in Action if a is not Action.AUTO_CLOSE)


def roles_for(kind: str, action: Action) -> frozenset[Role] | None:
    """The roles that may take `action` on a case of `kind`; None means any officer in scope."""
    if action is A.VERIFY or action is A.ARCHIVE:
        return _COORDINATION
    if kind == Kind.KEBERATAN and action in (A.DECIDE, A.TAKE, A.REPLY, A.ASK):
        return frozenset({Role.ATASAN_PPID})  # Pasal 35–36: the PPID's superior decides
    if kind == Kind.INFORMASI and action in (A.DECIDE, A.EXTEND):
        return _PPID
    if action is A.DELIVER:
        return _PPID  # whoever holds the request gives what was granted
    if action is A.DISPUTE:
        return frozenset({Role.PPID_UTAMA, Role.ATASAN_PPID, Role.ADMIN})
    return None


def roles_for_any(action: Action) -> frozenset[Role] | None:
    """The roles that may take `action` on some kind of case (for command menus)."""
    found: set[Role] = set()
    for kind in Kind:
        roles = roles_for(kind, action)
        if roles is None:
            return None
        found |= roles
    return frozenset(found)


class NotAllowedError(Exception):
    """The case's state does not allow the action; `allowed` is what it does allow."""

    def __init__(self, status: str, allowed: list[Action]) -> None:
        super().__init__(status)
        self.status, self.allowed = status, allowed


def next_status(kind: str, status: str, action: Action, paused: str | None = None) -> str:
    machine = MACHINES[Kind(kind)]
    target = machine.get(status, {}).get(action)
    if target is None:
        raise NotAllowedError(status, allowed_actions(kind, status))
    if target == STAY:
        return status
    if target == PAUSED:
        return paused or S.DITINDAKLANJUTI
    return target


def allowed_actions(kind: str, status: str) -> list[Action]:
    return list(MACHINES[Kind(kind)].get(status, {}))


# --- the legal lists --------------------------------------------------------------------------

# UU 14/2008 Pasal 17: information exempt from disclosure (a–j).
PASAL_17: dict[str, Msg] = {
    "a": _("menghambat proses penegakan hukum"),
    "b": _("mengganggu perlindungan hak kekayaan intelektual dan persaingan usaha sehat"),
    "c": _("membahayakan pertahanan dan keamanan negara"),
    "d": _("mengungkapkan kekayaan alam Indonesia"),
    "e": _("merugikan ketahanan ekonomi nasional"),
    "f": _("merugikan kepentingan hubungan luar negeri"),
    "g": _("mengungkapkan isi akta otentik yang bersifat pribadi atau wasiat"),
    "h": _("mengungkap rahasia pribadi"),
    "i": _("memorandum atau surat antar/intra badan publik yang dirahasiakan"),
    "j": _("informasi yang tidak boleh diungkapkan berdasarkan undang-undang"),
}
# UU 14/2008 Pasal 35 ayat (1): grounds for an objection (a–g).
PASAL_35: dict[str, Msg] = {
    "a": _("permohonan ditolak dengan alasan pengecualian Pasal 17"),
    "b": _("informasi berkala tidak disediakan"),
    "c": _("permohonan tidak ditanggapi"),
    "d": _("permohonan ditanggapi tidak sebagaimana yang diminta"),
    "e": _("permohonan tidak dipenuhi"),
    "f": _("biaya yang dikenakan tidak wajar"),
    "g": _("informasi disampaikan melebihi waktu yang diatur"),
}


class Decision(StrEnum):
    """The outcome of a written notice (UU 14/2008 Pasal 22 ayat 7) or of an objection."""

    GRANTED = "granted"
    PARTIAL = "partial"
    REJECTED = "rejected"
    NOT_HELD = "not_held"
    UPHELD = "upheld"
    DISMISSED = "dismissed"


D = Decision
DECISIONS_INFO = (D.GRANTED, D.PARTIAL, D.REJECTED, D.NOT_HELD)
DECISIONS_OBJECTION = (D.UPHELD, D.DISMISSED)
EXEMPTING = (D.PARTIAL, D.REJECTED)  # decisions that rest on a Pasal 17 ground
DECISION_LABELS: dict[str, Msg] = {
    D.GRANTED: _("Permohonan dikabulkan seluruhnya"),
    D.PARTIAL: _("Permohonan dikabulkan sebagian"),
    D.REJECTED: _("Permohonan ditolak"),
    D.NOT_HELD: _("Informasi tidak dikuasai badan publik ini"),
    D.UPHELD: _("Keberatan diterima"),
    D.DISMISSED: _("Keberatan ditolak"),
}
# Words an officer may type for each decision (Indonesian first, English too).
DECISION_WORDS = {
    "diberikan": D.GRANTED,
    "dikabulkan": D.GRANTED,
    "granted": D.GRANTED,
    "sebagian": D.PARTIAL,
    "partial": D.PARTIAL,
    "ditolak": D.REJECTED,
    "rejected": D.REJECTED,
    "tidakdikuasai": D.NOT_HELD,
    "tidak_dikuasai": D.NOT_HELD,
    "not_held": D.NOT_HELD,
    "diterima": D.UPHELD,
    "upheld": D.UPHELD,
    "dismissed": D.DISMISSED,
}
