"""The lifecycle as a table: every kind × status × action, allowed or not, and where it goes.

The expected table is written by hand from the state diagram in `bot.domain.lifecycle` and
DOMAIN.md (SP4N-LAPOR! for complaints, UU 14/2008 for requests and objections); it is not
read from `MACHINES`. Where the code and the law disagree, the cell holds what the law says
and is listed in `DISAGREEMENTS` (a strict xfail: it fails loudly once the code is mended).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.cases import Kind, Status
from bot.domain.lifecycle import Action, NotAllowedError, next_status, roles_for
from bot.domain.roles import Role

S, A, K = Status, Action, Kind
PAUSED = "(where it was before the question)"

COMPLAINT: dict[Status, dict[Action, str]] = {
    S.DITERIMA: {
        A.VERIFY: S.DIDISPOSISI,  # verification and dispatch are one step
        A.TAKE: S.DITINDAKLANJUTI,
        A.REPLY: S.DITINDAKLANJUTI,  # the unit's first follow-up
        A.ASK: S.DITUNDA,
        A.FORWARD: S.DIDISPOSISI,
        A.NOT_OURS: S.BUKAN_WEWENANG,
        A.ARCHIVE: S.ARSIP,
        A.NOTE: S.DITERIMA,
    },
    S.TERVERIFIKASI: {
        A.TAKE: S.DITINDAKLANJUTI,
        A.REPLY: S.DITINDAKLANJUTI,
        A.ASK: S.DITUNDA,
        A.FORWARD: S.DIDISPOSISI,
        A.NOT_OURS: S.BUKAN_WEWENANG,
        A.ARCHIVE: S.ARSIP,
        A.NOTE: S.TERVERIFIKASI,
    },
    S.DIDISPOSISI: {
        A.TAKE: S.DITINDAKLANJUTI,
        A.REPLY: S.DITINDAKLANJUTI,
        A.ASK: S.DITUNDA,
        A.FORWARD: S.DIDISPOSISI,  # to another unit
        A.NOT_OURS: S.BUKAN_WEWENANG,
        A.ARCHIVE: S.ARSIP,
        A.NOTE: S.DIDISPOSISI,
    },
    S.DITINDAKLANJUTI: {
        A.TAKE: S.DITINDAKLANJUTI,
        A.REPLY: S.DITINDAKLANJUTI,
        A.ASK: S.DITUNDA,
        A.FORWARD: S.DIDISPOSISI,
        A.NOT_OURS: S.BUKAN_WEWENANG,
        A.RESOLVE: S.SELESAI,
        A.ARCHIVE: S.ARSIP,
        A.NOTE: S.DITINDAKLANJUTI,
    },
    S.DITUNDA: {
        A.ANSWER: PAUSED,
        A.TAKE: S.DITUNDA,
        A.REPLY: S.DITUNDA,
        A.ASK: S.DITUNDA,
        A.FORWARD: S.DIDISPOSISI,
        A.NOT_OURS: S.BUKAN_WEWENANG,  # no wrong door: see DISAGREEMENTS
        A.RESOLVE: S.SELESAI,
        A.ARCHIVE: S.ARSIP,
        A.NOTE: S.DITUNDA,
    },
    S.SELESAI: {
        A.CONFIRM: S.DITUTUP,
        A.REOPEN: S.DITINDAKLANJUTI,
        A.RATE: S.SELESAI,
        A.AUTO_CLOSE: S.DITUTUP,
        A.NOTE: S.SELESAI,
    },
    S.DITUTUP: {A.RATE: S.DITUTUP, A.NOTE: S.DITUTUP},
    S.BUKAN_WEWENANG: {A.NOTE: S.BUKAN_WEWENANG},
    S.ARSIP: {A.NOTE: S.ARSIP},
}
EXPECTED: dict[Kind, dict[Status, dict[Action, str]]] = {
    K.PENGADUAN: COMPLAINT,
    K.ASPIRASI: COMPLAINT,
    K.INFORMASI: {
        S.DIPROSES: {
            A.EXTEND: S.DIPERPANJANG,
            A.TAKE: S.DIPROSES,
            A.REPLY: S.DIPROSES,
            A.ASK: S.DIPROSES,  # the UU KIP clock never stops
            A.ANSWER: S.DIPROSES,
            A.FORWARD: S.DIPROSES,
            A.DECIDE: S.DIPUTUS,
            A.NOTE: S.DIPROSES,
            A.OBJECT: S.DIPROSES,  # Pasal 35 (c), (g): a late answer may be objected to
        },
        S.DIPERPANJANG: {  # extended once: no second extension (Pasal 22 ayat 8)
            A.TAKE: S.DIPERPANJANG,
            A.REPLY: S.DIPERPANJANG,
            A.ASK: S.DIPERPANJANG,
            A.ANSWER: S.DIPERPANJANG,
            A.FORWARD: S.DIPERPANJANG,
            A.DECIDE: S.DIPUTUS,
            A.NOTE: S.DIPERPANJANG,
            A.OBJECT: S.DIPERPANJANG,
        },
        # the information granted was given: recorded once, only for a grant (the decision
        # and the day are checked by the action's arguments, not the state)
        S.DIPUTUS: {A.OBJECT: S.DIPUTUS, A.NOTE: S.DIPUTUS, A.DELIVER: S.DIPUTUS},
    },
    K.KEBERATAN: {
        S.DIPROSES: {
            A.TAKE: S.DIPROSES,
            A.REPLY: S.DIPROSES,
            A.ASK: S.DIPROSES,
            A.ANSWER: S.DIPROSES,
            A.DECIDE: S.DIPUTUS,  # the atasan PPID, within 30 working days (Pasal 36)
            A.NOTE: S.DIPROSES,
            A.DISPUTE: S.DIPROSES,  # unanswered in 30 working days (Pasal 37), dates checked
        },
        S.DIPUTUS: {A.DISPUTE: S.DIPUTUS, A.NOTE: S.DIPUTUS},
    },
    # UU 27/2022: what the bot cannot settle itself, the PPID answers within 3×24 hours
    K.DATA: {
        S.DIPROSES: {
            A.TAKE: S.DIPROSES,
            A.REPLY: S.DIPROSES,
            A.ASK: S.DIPROSES,
            A.ANSWER: S.DIPROSES,
            A.NOTE: S.DIPROSES,
            A.RESOLVE: S.DITUTUP,  # the answer closes it: nothing for the person to confirm
        },
        S.DITUTUP: {A.NOTE: S.DITUTUP},
    },
}
# Cells where the code does not do what the law says (reported, not mended here).
DISAGREEMENTS: dict[tuple[Kind, Status, Action], str] = {
    **{
        (kind, S.DITUNDA, A.NOT_OURS): (
            "no wrong door: a paused complaint may be forwarded, resolved or archived but not "
            "sent to the authorised body (not_ours)"
        )
        for kind in (K.PENGADUAN, K.ASPIRASI)
    },
}


def _cells() -> list[Any]:
    cells = []
    for kind in Kind:
        for status in Status:
            for action in Action:
                key = (kind, status, action)
                marks = []
                if key in DISAGREEMENTS:
                    marks.append(pytest.mark.xfail(strict=True, reason=DISAGREEMENTS[key]))
                cells.append(pytest.param(*key, marks=marks, id=f"{kind}-{status}-{action}"))
    return cells


def _allowed(kind: Kind, status: Status) -> set[Action]:
    row = EXPECTED[kind].get(status, {})
    return {a for a in row if (kind, status, a) not in DISAGREEMENTS}


@pytest.mark.parametrize(("kind", "status", "action"), _cells())
def test_next_status(kind: Kind, status: Status, action: Action) -> None:
    target = EXPECTED[kind].get(status, {}).get(action)
    if target is None:
        with pytest.raises(NotAllowedError) as refused:
            next_status(kind, status, action)
        assert refused.value.status == status
        assert action not in refused.value.allowed
        assert set(refused.value.allowed) == _allowed(kind, status)
    elif target == PAUSED:
        assert next_status(kind, status, action, S.DIDISPOSISI) == S.DIDISPOSISI
    else:
        assert next_status(kind, status, action) == target


# The SP4N-LAPOR! statuses of a complaint, written out by hand.
COMPLAINT_STATES = {
    S.DITERIMA,
    S.TERVERIFIKASI,
    S.DIDISPOSISI,
    S.DITINDAKLANJUTI,
    S.DITUNDA,
    S.SELESAI,
    S.DITUTUP,
    S.BUKAN_WEWENANG,
    S.ARSIP,
}


def test_the_table_covers_every_status_a_kind_uses() -> None:
    assert set(EXPECTED[K.PENGADUAN]) == COMPLAINT_STATES
    assert set(EXPECTED[K.INFORMASI]) == {S.DIPROSES, S.DIPERPANJANG, S.DIPUTUS}
    assert set(EXPECTED[K.KEBERATAN]) == {S.DIPROSES, S.DIPUTUS}


@pytest.mark.parametrize(
    ("paused", "back_to"),
    [
        (S.DITERIMA, S.DITERIMA),
        (S.TERVERIFIKASI, S.TERVERIFIKASI),
        (S.DIDISPOSISI, S.DIDISPOSISI),
        (S.DITINDAKLANJUTI, S.DITINDAKLANJUTI),
        (None, S.DITINDAKLANJUTI),  # nothing recorded: back to handling
    ],
)
@pytest.mark.parametrize("kind", [K.PENGADUAN, K.ASPIRASI])
def test_an_answer_returns_the_case_where_it_was(
    kind: Kind, paused: Status | None, back_to: Status
) -> None:
    assert next_status(kind, S.DITUNDA, A.ANSWER, paused) == back_to


def test_a_request_question_does_not_pause_it() -> None:
    assert next_status(K.INFORMASI, S.DIPROSES, A.ASK) == S.DIPROSES
    assert next_status(K.INFORMASI, S.DIPROSES, A.ANSWER, S.DITINDAKLANJUTI) == S.DIPROSES


def _reachable(kind: Kind, start: Status) -> set[Status]:
    seen, todo = {start}, [start]
    while todo:
        status = todo.pop()
        for action in Action:
            try:
                found = Status(next_status(kind, status, action, S.DITINDAKLANJUTI))
            except NotAllowedError:
                continue
            if found not in seen:
                seen.add(found)
                todo.append(found)
    return seen


def test_statuses_reachable_from_intake() -> None:
    # TERVERIFIKASI has a row but nothing leads to it: verify goes straight to didisposisi.
    assert _reachable(K.PENGADUAN, S.DITERIMA) == COMPLAINT_STATES - {S.TERVERIFIKASI}
    assert _reachable(K.INFORMASI, S.DIPROSES) == {S.DIPROSES, S.DIPERPANJANG, S.DIPUTUS}
    assert _reachable(K.KEBERATAN, S.DIPROSES) == {S.DIPROSES, S.DIPUTUS}
    assert _reachable(K.DATA, S.DIPROSES) == {S.DIPROSES, S.DITUTUP}


# --- who may act ---------------------------------------------------------------------------------

COORDINATION = frozenset({Role.KOORDINATOR, Role.ADMIN})
PPID = frozenset({Role.PPID_UTAMA, Role.PPID_PEMBANTU, Role.ADMIN})
ATASAN = frozenset({Role.ATASAN_PPID})
DISPUTE = frozenset({Role.PPID_UTAMA, Role.ATASAN_PPID, Role.ADMIN})
ROLES: dict[tuple[Kind, Action], frozenset[Role]] = {
    **{(kind, A.VERIFY): COORDINATION for kind in Kind},
    **{(kind, A.ARCHIVE): COORDINATION for kind in Kind},
    **{(kind, A.DISPUTE): DISPUTE for kind in Kind},
    **{(kind, A.DELIVER): PPID for kind in Kind},  # only a request has it (the table above)
    (K.KEBERATAN, A.DECIDE): ATASAN,
    (K.KEBERATAN, A.TAKE): ATASAN,
    (K.KEBERATAN, A.REPLY): ATASAN,
    (K.KEBERATAN, A.ASK): ATASAN,
    (K.INFORMASI, A.DECIDE): PPID,
    (K.INFORMASI, A.EXTEND): PPID,
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("kind", list(Kind))
def test_roles_for(kind: Kind, action: Action) -> None:
    assert roles_for(kind, action) == ROLES.get((kind, action))


def test_an_admin_does_not_decide_an_objection() -> None:
    decides = roles_for(K.KEBERATAN, A.DECIDE)
    assert decides is not None
    assert Role.ADMIN not in decides
    assert Role.PPID_UTAMA not in decides
