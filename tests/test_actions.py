"""Every case action as a pure function, table-tested with no database: a `Case`, an `Actor`
and `Facts` in, and the `Decided` (changes, event, notices, follow-ons) checked by value."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import pytest

from bot.domain import arguments as arguments_rule
from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.cases import Kind, Status
from bot.domain.lifecycle import Action, Decision, next_status
from bot.handlers.casework import officer_actions, reporter_actions
from bot.handlers.casework.actor import SYSTEM, Actor
from bot.handlers.casework.arguments import check_args
from bot.handlers.casework.base import CaseArgs, Decided, Facts, Filing
from bot.handlers.casework.table import ACTIONS
from bot.i18n import render
from bot.values.messages import Msg, _

A, S, K = Action, Status, Kind
TODAY = date(2026, 12, 1)  # a Tuesday; 24 and 25 December are not working days
NOW = datetime(2026, 12, 1, 9, 30)
REPORTER, VOLUNTEER, OFFICER, OTHER, KOORD, PPID_UTAMA, ATASAN = 11, 12, 21, 22, 31, 41, 51
CODES = {K.PENGADUAN: "P-7KX4M9Q-R", K.INFORMASI: "I-3HT8W2N-E", K.KEBERATAN: "K-9QP4D6M-T"}


@dataclass(frozen=True)
class Grant:
    person_id: int
    role: str
    unit_code: str | None = None


STAFF = (
    Grant(KOORD, "koordinator"),
    Grant(OFFICER, "ppid_pembantu", "dinas-pupr"),
    Grant(PPID_UTAMA, "ppid_utama"),
    Grant(ATASAN, "atasan_ppid"),
)
ACTORS = {
    "officer": Actor(OFFICER, frozenset({"ppid_pembantu"}), ["dinas-pupr"], ("dinas-pupr",)),
    "koord": Actor(KOORD, frozenset({"koordinator"}), None),
    "ppid": Actor(PPID_UTAMA, frozenset({"ppid_utama"}), None),
    "atasan": Actor(ATASAN, frozenset({"atasan_ppid"}), None),
    "reporter": Actor(REPORTER, frozenset(), []),
    "volunteer": Actor(VOLUNTEER, frozenset({"kim"}), []),
    "system": SYSTEM,
}


def make_case(kind: Kind = K.PENGADUAN, status: Status = S.DIDISPOSISI, **fields: Any) -> Case:
    complaint = kind in (K.PENGADUAN, K.ASPIRASI)
    base: dict[str, Any] = {
        "id": 7,
        "kind": kind,
        "tracking_code": CODES.get(kind, "A-5MN7B3C-K"),
        "status": status,
        "unit_code": "dinas-pupr" if complaint else "ppid-utama",
        "reporter_person_id": REPORTER,
        "submitter_person_id": REPORTER,
        "channel": "whatsapp",
        "received_on": date(2026, 11, 24),
        "created_at": datetime(2026, 11, 24, 8, 0),
        "updated_at": datetime(2026, 11, 24, 8, 0),
        "register_number": None if complaint else "005/PPID/XII/2026",
        "response_due": None if complaint else date(2026, 12, 10),
    }
    return Case(**{**base, **fields})


def run(
    agency: Agency, action: Action, case: Case, actor: str, args: CaseArgs, **facts: Any
) -> Decided:
    """As the service runs it: the lifecycle picks the target, the table picks the function."""
    target = Status(next_status(case.kind, case.status, action, case.paused_status))
    given: dict[str, Any] = {"staff": STAFF, **facts}
    return ACTIONS[action].run(
        case, ACTORS[actor], args, Facts(agency, NOW, TODAY, target, **given)
    )


def said(message: Msg | None) -> str:
    assert message is not None
    return render(message, "id")


def to(decided: Decided) -> list[int]:
    return [n.person_id for n in decided.notices]


# A grant of an electronic copy by email, given today: free by rule, nothing else to state.
GRANTED: CaseArgs = {
    "outcome": "granted",
    "text": "terlampir",
    "form": "softcopy:email",
    "when": "segera",
}
# One working setup per action: kind, status, who acts, arguments (with a valid text).
SETUPS: dict[Action, tuple[Kind, Status, str, CaseArgs]] = {
    A.VERIFY: (K.PENGADUAN, S.DITERIMA, "koord", {}),
    A.TAKE: (K.PENGADUAN, S.DIDISPOSISI, "officer", {}),
    A.REPLY: (K.PENGADUAN, S.DIDISPOSISI, "officer", {"text": "Tim turun besok pagi."}),
    A.ASK: (K.PENGADUAN, S.DIDISPOSISI, "officer", {"text": "Di RT berapa?"}),
    A.ANSWER: (K.PENGADUAN, S.DITUNDA, "reporter", {"text": "RT 02"}),
    A.FORWARD: (K.PENGADUAN, S.DIDISPOSISI, "officer", {"unit": "dlh", "text": "sampah"}),
    A.NOT_OURS: (K.PENGADUAN, S.DIDISPOSISI, "officer", {"text": "BPN Soppeng"}),
    A.NOTE: (K.PENGADUAN, S.DIDISPOSISI, "officer", {"text": "sudah ditelepon"}),
    A.RESOLVE: (K.PENGADUAN, S.DITINDAKLANJUTI, "officer", {"text": "Jalan sudah ditambal."}),
    A.ARCHIVE: (K.PENGADUAN, S.DITERIMA, "koord", {"text": "laporan ganda"}),
    A.EXTEND: (K.INFORMASI, S.DIPROSES, "ppid", {"days": "7", "text": "arsip di gudang"}),
    A.DECIDE: (K.INFORMASI, S.DIPROSES, "ppid", GRANTED),
    A.CONFIRM: (K.PENGADUAN, S.SELESAI, "reporter", {}),
    A.REOPEN: (K.PENGADUAN, S.SELESAI, "reporter", {"text": "masih berlubang"}),
    A.RATE: (K.PENGADUAN, S.SELESAI, "reporter", {"stars": "4"}),
    A.OBJECT: (K.INFORMASI, S.DIPUTUS, "reporter", {"ground35": "e", "text": "belum ada"}),
    A.AUTO_CLOSE: (K.PENGADUAN, S.SELESAI, "system", {}),
    A.DISPUTE: (K.KEBERATAN, S.DIPUTUS, "ppid", {}),
    A.DELIVER: (K.INFORMASI, S.DIPUTUS, "ppid", {}),
}
# What a setup's case holds beyond its kind and status.
CASE_FIELDS: dict[Action, dict[str, Any]] = {A.DELIVER: {"decision": Decision.GRANTED}}
TELLS_CITIZEN = {
    *(A.VERIFY, A.TAKE, A.REPLY, A.ASK, A.FORWARD, A.NOT_OURS, A.RESOLVE, A.ARCHIVE),
    *(A.EXTEND, A.DECIDE, A.AUTO_CLOSE, A.DELIVER),
}
WITHOUT_TEXT = {A.VERIFY, A.TAKE, A.CONFIRM, A.RATE, A.AUTO_CLOSE, A.DISPUTE, A.DELIVER}
FOLLOW_ONS = {
    A.FORWARD: {"card", "card_except"},
    A.REOPEN: {"card"},
    A.ANSWER: {"to_hearers", "attach"},
    A.CONFIRM: {"to_hearers"},
    A.RESOLVE: {"attach"},
    A.OBJECT: {"filing"},
}


def test_every_action_has_a_row() -> None:
    assert set(ACTIONS) == set(Action)
    assert set(SETUPS) == set(Action)
    for spec in ACTIONS.values():
        assert spec.run.__module__ in (officer_actions.__name__, reporter_actions.__name__)


@pytest.mark.parametrize("action", list(Action))
def test_needs_text_is_what_check_args_asks_for(agency: Agency, action: Action) -> None:
    kind, status, _actor, args = SETUPS[action]
    case = make_case(kind, status, **CASE_FIELDS.get(action, {}))
    next_status(kind, status, action)  # the status allows it
    assert check_args(case, action, {**args, "text": "cukup jelas"}, agency, TODAY) is None
    refused = check_args(case, action, {**args, "text": ""}, agency, TODAY)
    needs_text = action not in WITHOUT_TEXT
    assert arguments_rule.needs_text(action) is needs_text
    assert refused == (_("Mohon sertakan keterangannya.") if needs_text else None)


@pytest.mark.parametrize("kim", [False, True], ids=["own", "kim"])
@pytest.mark.parametrize("action", list(Action))
def test_who_hears_the_citizen_side(agency: Agency, action: Action, kim: bool) -> None:
    kind, status, actor, args = SETUPS[action]
    fields = {**CASE_FIELDS.get(action, {}), "submitter_person_id": VOLUNTEER if kim else REPORTER}
    case = make_case(kind, status, **fields)
    decided = run(agency, action, case, actor, args)
    if action not in TELLS_CITIZEN:
        assert decided.notices == []
        return
    assert to(decided) == ([REPORTER, VOLUNTEER] if kim else [REPORTER])
    assert decided.notices[0].prefer_channel == "whatsapp"
    for notice in decided.notices:
        assert notice.kind == "status_update"
        assert case.tracking_code in said(notice.reply.text)


@pytest.mark.parametrize("action", list(Action))
def test_follow_ons(agency: Agency, action: Action) -> None:
    kind, status, actor, args = SETUPS[action]
    decided = run(
        agency, action, make_case(kind, status, **CASE_FIELDS.get(action, {})), actor, args
    )
    names = ("card", "card_except", "to_hearers", "attach", "filing")
    assert {n for n in names if getattr(decided, n) is not None} == FOLLOW_ONS.get(action, set())


def test_verify(agency: Agency) -> None:
    decided = run(agency, A.VERIFY, make_case(status=S.DITERIMA), "koord", {})
    # SP4N-LAPOR!: the unit's first follow-up is due 5 working days after the dispatch
    # (Tue 1 Dec → Tue 8 Dec), not after the verification deadline.
    assert decided.changes == {"followup_due": date(2026, 12, 8)}
    assert decided.event == {"unit": "dinas-pupr"}
    assert "Dinas Pekerjaan Umum dan Penataan Ruang" in said(decided.notices[0].reply.text)


def test_take_a_free_case(agency: Agency) -> None:
    decided = run(agency, A.TAKE, make_case(), "officer", {})
    assert decided.changes == {"assignee_person_id": OFFICER}
    assert decided.event == {"previous": None}
    assert to(decided) == [REPORTER]
    assert "sedang ditindaklanjuti" in said(decided.notices[0].reply.text)


def test_take_over_from_another_officer(agency: Agency) -> None:
    case = make_case(status=S.DIDISPOSISI, assignee_person_id=OTHER)
    decided = run(agency, A.TAKE, case, "koord", {})
    assert decided.changes == {"assignee_person_id": KOORD}
    assert decided.event == {"previous": OTHER}
    assert to(decided) == [REPORTER, OTHER]
    alert = decided.notices[-1]
    assert alert.kind == "officer_alert"
    assert (
        said(alert.reply.text)
        == f"Kasus *{case.tracking_code}* sekarang ditangani Admin Koordinator."
    )


def test_take_without_a_status_change_tells_no_citizen(agency: Agency) -> None:
    held = make_case(status=S.DITINDAKLANJUTI, assignee_person_id=OTHER)
    assert to(run(agency, A.TAKE, held, "officer", {})) == [OTHER]  # only the previous holder
    mine = make_case(status=S.DITINDAKLANJUTI, assignee_person_id=OFFICER)
    decided = run(agency, A.TAKE, mine, "officer", {})
    assert decided.notices == []
    assert decided.event == {"previous": OFFICER}


def test_reply_first_and_second(agency: Agency) -> None:
    args: CaseArgs = {"text": "Tim turun besok pagi."}
    first = run(agency, A.REPLY, make_case(), "officer", args)
    assert first.changes == {"assignee_person_id": OFFICER, "followed_up_on": TODAY}
    assert first.event == {"text": "Tim turun besok pagi."}
    assert "Tim turun besok pagi." in said(first.notices[0].reply.text)
    later = make_case(
        status=S.DITINDAKLANJUTI, assignee_person_id=OTHER, followed_up_on=date(2026, 11, 26)
    )
    second = run(agency, A.REPLY, later, "officer", args)
    assert second.changes == {}
    assert to(second) == [REPORTER]


def test_ask_pauses_only_when_entering_ditunda(agency: Agency) -> None:
    case = make_case(status=S.DITINDAKLANJUTI)
    decided = run(agency, A.ASK, case, "officer", {"text": "Di RT berapa?"})
    assert decided.changes == {"paused_status": S.DITINDAKLANJUTI}
    assert decided.event == {"text": "Di RT berapa?", "on": "2026-12-01"}
    question = decided.notices[0]
    code = case.tracking_code
    assert question.then == ("case_action", "text", {"action": "answer", "code": code, "args": {}})
    assert [b.id for b in question.reply.buttons] == [f"c:answer:{code}"]
    again = make_case(status=S.DITUNDA, paused_status=S.DIDISPOSISI)
    assert run(agency, A.ASK, again, "officer", {"text": "Dan RW?"}).changes == {}
    request = make_case(K.INFORMASI, S.DIPROSES)
    assert run(agency, A.ASK, request, "ppid", {"text": "Tahun berapa?"}).changes == {}


def test_answer_adds_the_waited_days(agency: Agency) -> None:
    case = make_case(
        status=S.DITUNDA,
        paused_status=S.DIDISPOSISI,
        followup_due=date(2026, 12, 18),
        resolution_due=date(2026, 12, 10),
    )
    args: CaseArgs = {"text": "RT 02 RW 01", "media": ["ph1", "ph2"]}
    # Asked Tuesday 24 November, answered Tuesday 1 December: five working days waited.
    decided = run(agency, A.ANSWER, case, "reporter", args, paused_on=date(2026, 11, 24))
    assert decided.changes == {
        "paused_status": None,
        "followup_due": date(2026, 12, 29),  # 21, 22, 23, (24, 25 off), 28, 29
        "resolution_due": date(2026, 12, 17),
    }
    assert decided.event == {"text": "RT 02 RW 01", "photos": 2}
    assert decided.notices == []
    assert "RT 02 RW 01" in said(decided.to_hearers)
    assert decided.attach == "penjelasan"


def test_answer_without_the_pause_rule(agency: Agency) -> None:
    case = make_case(status=S.DITUNDA, followup_due=date(2026, 12, 18))
    running = replace(agency, clocks=replace(agency.clocks, clarification_pauses_clock=0))
    decided = run(running, A.ANSWER, case, "reporter", {"text": "ok"}, paused_on=TODAY)
    assert decided.changes == {"paused_status": None}
    same_day = run(agency, A.ANSWER, case, "reporter", {"text": "ok"}, paused_on=TODAY)
    assert same_day.changes == {"paused_status": None}
    request = make_case(K.INFORMASI, S.DIPROSES)
    answered = run(agency, A.ANSWER, request, "reporter", {"text": "2025"})
    assert answered.changes == {"paused_status": None}


@pytest.mark.parametrize(("kind", "word"), [(K.PENGADUAN, "Laporan"), (K.INFORMASI, "Permohonan")])
def test_forward(agency: Agency, kind: Kind, word: str) -> None:
    case = make_case(kind, S.DIDISPOSISI if kind == K.PENGADUAN else S.DIPROSES)
    args: CaseArgs = {"unit": "dinas-kesehatan", "text": "soal puskesmas"}
    decided = run(agency, A.FORWARD, case, "officer", args)
    assert decided.changes == {"unit_code": "dinas-kesehatan", "assignee_person_id": None}
    moved = {"from_unit": case.unit_code, "to_unit": "dinas-kesehatan", "reason": "soal puskesmas"}
    assert decided.event == moved
    news = said(decided.notices[0].reply.text)
    assert news.startswith(f"{word} *{case.tracking_code}* diteruskan ke *Dinas Kesehatan*")
    assert said(decided.card) == "↪️ Kasus diteruskan ke unit Anda: soal puskesmas"
    assert decided.card_except == OFFICER


def test_not_ours_and_archive_close(agency: Agency) -> None:
    gone = run(agency, A.NOT_OURS, make_case(), "officer", {"text": "BPN Soppeng"})
    assert gone.changes == {"closed_at": NOW}
    assert gone.event == {"body": "BPN Soppeng"}
    assert "bukan kewenangan Kab. Soppeng" in said(gone.notices[0].reply.text)
    assert "*BPN Soppeng*" in said(gone.notices[0].reply.text)
    kept = run(agency, A.ARCHIVE, make_case(status=S.DITERIMA), "koord", {"text": "ganda"})
    assert kept.changes == {"closed_at": NOW}
    assert kept.event == {"reason": "ganda"}
    assert "alasan: ganda" in said(kept.notices[0].reply.text)


def test_note_is_for_officers_only(agency: Agency) -> None:
    decided = run(agency, A.NOTE, make_case(), "officer", {"text": "ditelepon"})
    assert (decided.changes, decided.event, decided.notices) == ({}, {"text": "ditelepon"}, [])


@pytest.mark.parametrize(("channel", "photos"), [("whatsapp", 2), (None, 0)])
def test_resolve(agency: Agency, channel: str | None, photos: int) -> None:
    case = make_case(status=S.DITINDAKLANJUTI, submitter_person_id=VOLUNTEER)
    args: CaseArgs = {"text": "Jalan sudah ditambal.", "media": ["ph1", "ph2"]}
    if channel:
        args["channel"] = channel
    decided = run(agency, A.RESOLVE, case, "officer", args)
    # 10 working days after Tuesday 1 December 2026
    assert decided.changes == {"confirm_due": date(2026, 12, 15), "followed_up_on": TODAY}
    assert decided.event == {"text": "Jalan sudah ditambal.", "photos": 2}
    assert to(decided) == [REPORTER, VOLUNTEER]
    for notice in decided.notices:
        assert len(notice.media) == photos
        assert "Selasa, 15 Desember 2026" in said(notice.reply.text)
        code = case.tracking_code
        assert [b.id for b in notice.reply.buttons] == [f"c:confirm:{code}", f"c:reopen:{code}"]
    if channel:
        assert decided.notices[0].media == (("whatsapp", "ph1"), ("whatsapp", "ph2"))
    assert decided.attach == "bukti penyelesaian"
    followed = replace(case, followed_up_on=date(2026, 11, 27))
    again = run(agency, A.RESOLVE, followed, "officer", {"text": "Selesai."})
    assert again.changes == {"confirm_due": date(2026, 12, 15)}


def test_extend(agency: Agency) -> None:
    case = make_case(K.INFORMASI, S.DIPROSES)
    args: CaseArgs = {"days": "7", "text": "arsip di gudang"}
    decided = run(agency, A.EXTEND, case, "ppid", args)
    # 7 working days after Thursday 10 December: 11, 14, 15, 16, 17, 18, 21
    assert decided.changes == {"extended": True, "response_due": date(2026, 12, 21)}
    assert decided.event == {"days": 7, "reason": "arsip di gudang"}
    news = said(decided.notices[0].reply.text)
    assert "005/PPID/XII/2026" in news
    assert "*Senin, 21 Desember 2026*" in news


def test_decide_a_request(agency: Agency) -> None:
    case = make_case(K.INFORMASI, S.DIPERPANJANG, submitter_person_id=VOLUNTEER)
    # A ground given with a full grant is not kept: only (partial) rejections rest on one.
    granted = run(agency, A.DECIDE, case, "ppid", {**GRANTED, "ground": "h"})
    closed = {"decided_on": TODAY, "closed_at": NOW}
    assert granted.changes == {"decision": Decision.GRANTED, "decision_ground": None, **closed}
    assert granted.event == {
        "outcome": "granted",
        "ground": None,
        "text": "terlampir",
        "held": True,
        "form": "softcopy:email",
        "given_on": "2026-12-01",
        "cost": None,  # free by rule: never asked
    }
    assert to(granted) == [REPORTER, VOLUNTEER]  # the PPID utama in staff hears nothing
    assert "/serahkan I-3HT8W2N-E" in said(granted.replies[0].text)
    args: CaseArgs = {
        "outcome": "rejected",
        "ground": "h",
        "consequence": "data pribadi",
        "public_interest": "tidak ada kepentingan yang lebih besar",
    }
    rejected = run(agency, A.DECIDE, case, "ppid", {**args, "restate": "Daftar bansos 2025"})
    assert rejected.changes == {"decision": Decision.REJECTED, "decision_ground": "h", **closed}
    assert rejected.event == {**args, "text": "", "held": True, "restated": "Daftar bansos 2025"}
    letter = said(rejected.notices[0].reply.text)
    assert "Pasal 17 huruf h, mengungkap rahasia pribadi" in letter
    assert "Informasi yang diminta: Daftar bansos 2025" in letter
    assert "/serahkan" not in said(rejected.replies[0].text)  # nothing is given
    unstated = run(agency, A.DECIDE, case, "ppid", {**args, "restate": ""})
    assert "restated" not in unstated.event


def test_deliver_records_the_day_once(agency: Agency) -> None:
    case = make_case(K.INFORMASI, S.DIPUTUS, decision=Decision.PARTIAL)
    decided = run(agency, A.DELIVER, case, "ppid", {"text": " resi pos JP123 "})
    assert decided.changes == {"delivered_on": TODAY}
    assert decided.event == {"on": "2026-12-01", "text": "resi pos JP123"}
    news = said(decided.notices[0].reply.text)
    assert "tercatat sudah diserahkan pada Selasa, 1 Desember 2026" in news
    assert "005/PPID/XII/2026" in news and "resi pos JP123" in news
    assert check_args(case, A.DELIVER, {}, agency, TODAY) is None
    done = case.changed(decided.changes)
    again = check_args(done, A.DELIVER, {}, agency, TODAY)
    assert again is not None and "sudah dicatat pada" in said(again)
    for refused in (Decision.REJECTED, Decision.NOT_HELD):
        problem = check_args(case.changed({"decision": refused}), A.DELIVER, {}, agency, TODAY)
        assert problem is not None and "hanya dicatat untuk permohonan yang dikabulkan" in said(
            problem
        )


def test_decide_an_objection(agency: Agency) -> None:
    case = make_case(K.KEBERATAN, S.DIPROSES, register_number="002/KEB/PPID/XII/2026")
    args: CaseArgs = {"outcome": "upheld", "text": "informasi wajib diberikan"}
    staff = (*STAFF, Grant(ATASAN, "ppid_utama"))  # the atasan also holds the PPID utama role
    decided = run(agency, A.DECIDE, case, "atasan", args, staff=staff, request_register="005")
    assert decided.changes["decision"] == Decision.UPHELD
    assert decided.event == {**args, "ground": None}
    assert to(decided) == [REPORTER, PPID_UTAMA]
    assert decided.notices[1].kind == "officer_alert"
    assert "Keberatan diterima" in said(decided.notices[1].reply.text)
    assert "Atas permohonan: 005" in said(decided.notices[0].reply.text)
    by_ppid = run(agency, A.DECIDE, case, "ppid", args)
    assert to(by_ppid) == [REPORTER]  # the actor is not told what they did


def test_confirm(agency: Agency) -> None:
    case = make_case(status=S.SELESAI, confirm_due=date(2026, 12, 15))
    decided = run(agency, A.CONFIRM, case, "reporter", {})
    assert decided.changes == {"closed_at": NOW, "confirm_due": None}
    assert decided.event == {}
    assert case.tracking_code in said(decided.to_hearers)
    stars = [b.id for b in decided.replies[0].buttons]
    assert len(stars) == 5
    assert all(s.startswith(f"c:rate:{case.tracking_code}:") for s in stars)


def test_reopen(agency: Agency) -> None:
    case = make_case(status=S.SELESAI, reopened=1, confirm_due=date(2026, 12, 15))
    decided = run(agency, A.REOPEN, case, "volunteer", {"text": "masih berlubang"})
    assert decided.changes == {"confirm_due": None, "closed_at": None, "reopened": 2}
    assert decided.event == {"reason": "masih berlubang"}
    assert "masih berlubang" in said(decided.card)
    assert decided.card_except is None


def test_rate(agency: Agency) -> None:
    case = make_case(status=S.DITUTUP)
    decided = run(agency, A.RATE, case, "reporter", {"stars": "4", "comment": "  cepat  "})
    assert decided.changes == {"rating": 4}
    assert decided.event == {"stars": 4, "comment": "cepat"}


def test_object_files_an_objection(agency: Agency) -> None:
    case = make_case(K.INFORMASI, S.DIPUTUS, submitter_person_id=VOLUNTEER)
    decided = run(agency, A.OBJECT, case, "volunteer", {"ground35": "e", "text": "belum ada"})
    assert decided.filing == Filing(case, "e", "belum ada", REPORTER, VOLUNTEER)
    assert (decided.changes, decided.event, decided.replies) == ({}, {"ground": "e"}, [])


def test_dispute_is_recorded_once_then_its_outcome(agency: Agency) -> None:
    case = make_case(K.KEBERATAN, S.DIPUTUS)
    first = run(agency, A.DISPUTE, case, "ppid", {"text": "  ke KI Sulsel "})
    filed = {"stage": "filed", "venue": "ki", "on": "2026-12-01"}
    assert (first.changes, first.event) == ({}, {**filed, "text": "ke KI Sulsel"})
    assert run(agency, A.DISPUTE, case, "ppid", {}).event == filed
    again = run(agency, A.DISPUTE, case, "ppid", {"text": "lagi"}, disputed=True)
    assert (again.changes, again.event) == ({}, {"again": True})
    assert "sudah tercatat" in said(again.replies[0].text)
    # Once filed, the same command records the outcome, here in court (bot.domain.disputes).
    court = run(agency, A.DISPUTE, case, "ppid", {"text": "putus ditolak ptun"}, disputed=True)
    assert court.event == {
        "stage": "decided",
        "venue": "pengadilan",
        "outcome": "rejected",
        "on": "2026-12-01",
    }
    assert "Pengadilan (PTUN/PN)" in said(court.replies[0].text)


def test_auto_close(agency: Agency) -> None:
    case = make_case(status=S.SELESAI, confirm_due=TODAY, submitter_person_id=VOLUNTEER)
    decided = run(agency, A.AUTO_CLOSE, case, "system", {})
    assert decided.changes == {"closed_at": NOW, "confirm_due": None}
    assert decided.replies == []
    assert to(decided) == [REPORTER, VOLUNTEER]
    assert "kami tutup" in said(decided.notices[0].reply.text)


@pytest.mark.parametrize("action", [A.VERIFY, A.FORWARD])
def test_the_first_follow_up_counts_from_the_dispatch_across_new_year(
    agency: Agency, action: Action
) -> None:
    """Dispatched on Mon 28 Dec 2026, the fifth working day after it, as the agency's
    calendar counts them (New Year's Day and the weekend are not), is Wed 6 Jan 2027;
    counting from the verification deadline (Wed 30 Dec) gave Fri 8 Jan."""
    monday = date(2026, 12, 28)
    case = make_case(status=S.DITERIMA, verify_due=date(2026, 12, 30))
    target = Status(next_status(case.kind, case.status, action))
    facts = Facts(agency, datetime(2026, 12, 28, 9, 0), monday, target, STAFF)
    args: CaseArgs = {"unit": "dinas-kesehatan", "text": "soal puskesmas"}
    decided = ACTIONS[action].run(case, ACTORS["koord"], args, facts)
    assert decided.changes["followup_due"] == date(2027, 1, 6)
    assert agency.calendar.add_working_days(date(2026, 12, 30), 5) == date(2027, 1, 8)


def test_a_later_forward_keeps_the_follow_up_date(agency: Agency) -> None:
    """Once dispatched, a forward to another unit does not restart the unit's clock."""
    case = make_case(status=S.DIDISPOSISI, followup_due=date(2026, 12, 3))
    args: CaseArgs = {"unit": "dinas-kesehatan", "text": "soal puskesmas"}
    assert "followup_due" not in run(agency, A.FORWARD, case, "koord", args).changes
