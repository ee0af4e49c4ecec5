"""The written notice of UU 14/2008 Pasal 22 ayat 7, complete for every outcome: whether the
information is held, the decision, what is given with its form, day and cost (and how and
where to pay), an exemption's Pasal 17 ground with its consequence test and public-interest
consideration, and the right to object. Then `/serahkan`: the day it is actually given."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.agency import Agency, InformationCosts
from bot.domain.arguments import Arg, needed
from bot.domain.case import Case
from bot.domain.cases import Kind, Status
from bot.domain.lifecycle import Action, Decision
from bot.domain.notice import free_by_rule, read_cost, read_day
from bot.handlers.casework.arguments import check_args, parse_args
from bot.handlers.casework.base import CaseArgs
from bot.handlers.casework.letters import Terms, written_notice
from bot.i18n import render
from bot.values.messages import Msg
from storage.schema import case_events, cases
from tests.harness import REQUEST_SCRIPT, TestBot, code_in, file_request, grant_role, onboard

A, D = Action, Decision
TODAY = date(2026, 12, 1)  # a Tuesday
CODE = "I-3HT8W2N-E"


@dataclass(frozen=True)
class Detail:
    requester_name: str = "Siti Aminah"
    information_requested: str = "Dokumen APBDes Lapajung 2025"
    obtain_method: str = "hardcopy"
    delivery_method: str = "pos"


def request(**fields: Any) -> Case:
    base: dict[str, Any] = {
        "id": 7,
        "kind": Kind.INFORMASI,
        "tracking_code": CODE,
        "status": Status.DIPROSES,
        "unit_code": "ppid-utama",
        "reporter_person_id": 11,
        "submitter_person_id": 11,
        "channel": "whatsapp",
        "received_on": date(2026, 11, 24),
        "created_at": datetime(2026, 11, 24, 8, 0),
        "updated_at": datetime(2026, 11, 24, 8, 0),
        "register_number": "005/PPID/XI/2026",
        "response_due": date(2026, 12, 8),
    }
    return Case(**{**base, **fields})


def said(message: Msg | None) -> str:
    assert message is not None
    return render(message, "id")


def letter(agency: Agency, args: CaseArgs, detail: Detail | None = None) -> str:
    terms = Terms.of(args, agency, TODAY)
    notice = written_notice(request(), agency, detail or Detail(), terms, today=TODAY)
    assert notice.buttons[0].id == f"c:object:{CODE}"  # the objection, one tap away
    return said(notice.text)


POSTED: CaseArgs = {
    "outcome": "granted",
    "restate": "Salinan APBDes Kelurahan Lapajung Tahun Anggaran 2025",
    "form": "hardcopy:pos",
    "when": "2026-12-03",
    "cost": "12500",
    "text": "Salinan APBDes 2025, 25 halaman",
}
EXEMPTION: CaseArgs = {
    "ground": "h",
    "consequence": "Membukanya mengungkap nama dan alamat penerima bantuan",
    "public_interest": "Perlindungan data pribadi lebih besar daripada manfaat membukanya",
}
RIGHT_TO_OBJECT = "berhak mengajukan *keberatan* kepada atasan PPID paling lambat"


# --- the letter, outcome by outcome ---------------------------------------------------------------


def test_a_posted_hard_copy_states_its_cost_and_how_to_pay(agency: Agency) -> None:
    text = letter(agency, POSTED)
    assert "Penguasaan informasi: informasi yang diminta *dikuasai* PPID Kab. Soppeng." in text
    assert "Keputusan: *Permohonan dikabulkan seluruhnya*" in text
    assert "Informasi yang diminta: Salinan APBDes Kelurahan Lapajung" in text
    assert "Informasi yang diberikan: Salinan APBDes 2025, 25 halaman" in text
    assert "Bentuk: Salinan cetak (hardcopy)\nCara penyerahan: Pos" in text
    assert "Waktu: Kamis, 3 Desember 2026\n" in text
    assert "Biaya: Rp12.500 (biaya nyata penggandaan dan pengiriman)" in text
    assert f"Cara dan tempat pembayaran: {agency.costs.payment}" in text
    assert RIGHT_TO_OBJECT in text
    assert "Pasal 17" not in text and "tanpa biaya" not in text


def test_a_hard_copy_is_free_only_when_the_ppid_says_so(agency: Agency) -> None:
    text = letter(agency, {**POSTED, "cost": "gratis"})
    assert "Biaya: tanpa biaya\n" in text or text.endswith("Biaya: tanpa biaya")
    assert "elektronik" not in text and "pembayaran" not in text


@pytest.mark.parametrize(
    ("form", "cost"),
    [
        ("softcopy:email", "tanpa biaya (salinan elektronik gratis)"),
        ("softcopy:langsung", "tanpa biaya (salinan elektronik gratis)"),
        ("melihat", "tanpa biaya (melihat dan membaca informasi tidak dipungut biaya)"),
    ],
)
def test_electronic_copies_and_seeing_are_free_by_rule(
    agency: Agency, form: str, cost: str
) -> None:
    args: CaseArgs = {**POSTED, "form": form, "when": "segera"}
    args.pop("cost")  # never asked
    assert Arg.COST not in needed(A.DECIDE, Kind.INFORMASI, "granted", form)
    text = letter(agency, args)
    assert f"Biaya: {cost}" in text and "Rp" not in text
    assert "Waktu: Selasa, 1 Desember 2026 (hari ini)" in text
    if form == "melihat":
        assert "Cara penyerahan" not in text and "dapat dilihat di kantor PPID" in text
    if form == "softcopy:langsung":
        assert "Salinan dapat diambil di kantor PPID Kab. Soppeng" in text


def test_a_partial_grant_has_every_element_of_both(agency: Agency) -> None:
    text = letter(agency, {**POSTED, **EXEMPTION, "outcome": "partial", "cost": "0"})
    assert "*dikuasai*" in text and "Keputusan: *Permohonan dikabulkan sebagian*" in text
    assert "Dasar pengecualian: UU 14/2008 Pasal 17 huruf h, mengungkap rahasia pribadi." in text
    assert "Uji konsekuensi: Membukanya mengungkap nama dan alamat penerima bantuan" in text
    assert "Pertimbangan kepentingan publik: Perlindungan data pribadi lebih besar" in text
    assert "25 halaman (bagian yang dikecualikan dihitamkan atau dikaburkan)" in text
    assert "Bentuk: Salinan cetak (hardcopy)" in text and "Biaya: tanpa biaya" in text
    assert RIGHT_TO_OBJECT in text


def test_a_rejection_states_its_ground_consequence_and_public_interest(agency: Agency) -> None:
    args: CaseArgs = {"outcome": "rejected", "restate": "", **EXEMPTION}
    assert needed(A.DECIDE, Kind.INFORMASI, "rejected") == [
        Arg.OUTCOME,
        Arg.RESTATE,
        Arg.GROUND,
        Arg.CONSEQUENCE,
        Arg.PUBLIC_INTEREST,
    ]
    text = letter(agency, args)
    assert "*dikuasai*" in text and "Keputusan: *Permohonan ditolak*" in text
    assert "Informasi yang diminta: Dokumen APBDes Lapajung 2025" in text  # as written
    assert "Pasal 17 huruf h" in text and "Uji konsekuensi: Membukanya" in text
    assert "Pertimbangan kepentingan publik: Perlindungan" in text
    assert "Biaya" not in text and "Bentuk" not in text
    assert RIGHT_TO_OBJECT in text


def test_not_held_names_who_holds_it(agency: Agency) -> None:
    text = letter(agency, {"outcome": "not_held", "restate": "", "text": "BPN Soppeng."})
    assert "informasi yang diminta *tidak dikuasai* PPID Kab. Soppeng" in text
    assert "dikuasai oleh *BPN Soppeng*" in text
    assert "Keputusan: *Informasi tidak dikuasai badan publik ini*" in text
    assert RIGHT_TO_OBJECT in text and "Biaya" not in text


def test_the_event_rebuilds_the_notice(agency: Agency) -> None:
    for args in (POSTED, {**POSTED, **EXEMPTION, "outcome": "partial"}):
        terms = Terms.of(args, agency, TODAY)
        assert Terms.from_event(terms.event()) == terms
    event = Terms.of(POSTED, agency, TODAY).event()
    assert event["cost"] == 12500 and event["payment"] == agency.costs.payment
    assert (event["form"], event["given_on"], event["held"]) == ("hardcopy:pos", "2026-12-03", True)


# --- the rules the form and the typed command share ---------------------------------------------


def test_what_is_free_by_rule() -> None:
    free = {"melihat", "softcopy:email", "softcopy:langsung", "hardcopy:email"}
    charged = {"hardcopy:langsung", "hardcopy:pos", "hardcopy:kurir", "softcopy:pos"}
    assert all(free_by_rule(f) for f in free)
    assert not any(free_by_rule(f) for f in charged)


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("segera", TODAY),
        ("Hari ini", TODAY),
        ("besok", date(2026, 12, 2)),
        ("3/12/2026", date(2026, 12, 3)),
        ("2026-12-03", date(2026, 12, 3)),
        ("tgl 3 Desember 2026", date(2026, 12, 3)),
        ("5 jan", date(2027, 1, 5)),  # no year, already past this year: next January
        ("31/2/2027", None),
        ("kapan-kapan", None),
    ],
)
def test_reading_the_day(typed: str, day: date | None) -> None:
    assert read_day(typed, TODAY) == day


def test_the_day_given_is_a_working_day(agency: Agency) -> None:
    from bot.domain.notice import day_problem

    friday, calendar = date(2026, 11, 27), agency.calendar
    assert read_day("besok", friday, calendar) == date(2026, 11, 30)  # the office's Monday
    assert read_day("besok", date(2026, 12, 23), calendar) == date(2026, 12, 28)  # Christmas
    assert day_problem("28/11/2026", friday, calendar) is not None  # a Saturday
    assert day_problem("25/12/2026", friday, calendar) is not None  # Christmas Day
    assert day_problem("30/11/2026", friday, calendar) is None


@pytest.mark.parametrize(
    ("typed", "cost"),
    [
        ("12500", 12500),
        ("Rp12.500", 12500),
        ("rp 12.500,-", 12500),
        ("biaya 7000", 7000),
        ("25 halaman", 12500),  # at Rp500 a page
        ("gratis", 0),
        ("0", 0),
        ("", None),
        ("murah saja", None),
    ],
)
def test_reading_the_cost(typed: str, cost: int | None) -> None:
    assert read_cost(typed, 500) == cost


def test_a_posted_copy_is_never_sent_without_its_cost(agency: Agency) -> None:
    unstated = {k: v for k, v in POSTED.items() if k != "cost"}
    problem = check_args(request(), A.DECIDE, unstated, agency, TODAY)  # type: ignore[arg-type]
    assert problem is not None and "Sebutkan biaya salinan" in said(problem)
    for stated in ("gratis", "0", "12500"):
        assert check_args(request(), A.DECIDE, {**POSTED, "cost": stated}, agency, TODAY) is None
    # A cost needs the agency's own words on how and where to pay it; "gratis" does not.
    unpaid = replace(agency, costs=InformationCosts(500, ""))
    problem = check_args(request(), A.DECIDE, POSTED, unpaid, TODAY)
    assert problem is not None and "[information_costs]" in said(problem)
    assert check_args(request(), A.DECIDE, {**POSTED, "cost": "gratis"}, unpaid, TODAY) is None


def test_an_exemption_needs_its_three_fields(agency: Agency) -> None:
    full: CaseArgs = {"outcome": "rejected", "restate": "", **EXEMPTION}
    assert check_args(request(), A.DECIDE, full, agency, TODAY) is None
    for name, said_missing in (
        ("ground", "huruf Pasal 17"),
        ("consequence", "uji konsekuensi"),
        ("public_interest", "kepentingan publik"),
    ):
        args = {k: v for k, v in full.items() if k != name}
        problem = check_args(request(), A.DECIDE, args, agency, TODAY)  # type: ignore[arg-type]
        assert problem is not None and said_missing in said(problem), name


def test_information_is_not_given_before_today(agency: Agency) -> None:
    problem = check_args(request(), A.DECIDE, {**POSTED, "when": "2026-11-30"}, agency, TODAY)
    assert problem is not None and "tidak boleh sebelum hari ini" in said(problem)
    problem = check_args(request(), A.DECIDE, {**POSTED, "when": "nanti"}, agency, TODAY)
    assert problem is not None and "kapan informasi diberikan" in said(problem)


def typed(line: str) -> list[str]:
    """The words of a command after its code, as the router gives them."""
    return line.split()


def test_typed_commands_carry_the_terms() -> None:
    words = typed("diberikan besok biaya 12500 Salinan SK Bupati Nomor 12")
    assert parse_args(A.DECIDE, CODE, words) == {
        "outcome": "granted",
        "when": "besok",
        "cost": "12500",
        "text": "Salinan SK Bupati Nomor 12",
        "form": "asked",  # as the requester asked (the form swaps it for their form)
        "restate": "",
    }
    # Without a day: today, with the notice; the preview shows it before anything is sent.
    assert parse_args(A.DECIDE, CODE, ["diberikan", "gratis", "Salinan"])["when"] == "segera"
    partial = parse_args(A.DECIDE, CODE, typed("sebagian 17h rp5000 Uji | Kepentingan | Bagian"))
    assert (partial["ground"], partial["cost"]) == ("h", "rp5000")
    assert (partial["consequence"], partial["public_interest"], partial["text"]) == (
        "Uji",
        "Kepentingan",
        "Bagian",
    )
    # One part alone is the consequence test; the public interest is then asked.
    rejected = parse_args(A.DECIDE, CODE, typed("ditolak 17h Memuat data pribadi"))
    assert rejected == {
        "outcome": "rejected",
        "ground": "h",
        "consequence": "Memuat data pribadi",
        "restate": "",
    }
    # An objection's answer is one text, "|" and all.
    objection = parse_args(A.DECIDE, "K-9QP4D6M-T", typed("diterima Ya | tidak"))
    assert objection == {"outcome": "upheld", "text": "Ya | tidak", "restate": ""}


# --- the guided form, on a real database ----------------------------------------------------------


async def _posted_request(bot: TestBot, chat: str = "pemohon") -> str:
    """A request for a printed copy by post."""
    citizen = bot.citizen(chat)
    await onboard(citizen)
    for line in [*REQUEST_SCRIPT[:9], "3", "3"]:  # hardcopy, pos
        await citizen.say(line)
    return code_in(await citizen.say("kirim"))


async def _row(bot: TestBot, code: str) -> dict[str, Any]:
    async with bot.app.db.connect() as conn:
        row = (await conn.execute(select(cases).where(cases.c.tracking_code == code))).one()
    return dict(row._mapping)


async def _events(bot: TestBot, code: str, action: str) -> list[dict[str, Any]]:
    case_id = (await _row(bot, code))["id"]
    async with bot.app.db.connect() as conn:
        rows = await conn.execute(
            select(case_events.c.data)
            .where(case_events.c.case_id == case_id, case_events.c.action == action)
            .order_by(case_events.c.id)
        )
        return [dict(r.data) for r in rows]


async def test_the_guided_form_asks_the_cost_shows_the_notice_and_sends_it(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    code = await _posted_request(bot)
    ppid, pemohon = bot.citizen("ppid"), bot.citizen("pemohon")
    pemohon.unread()
    await ppid.press(f"c:decide:{code}")
    await ppid.press("granted")
    form = await ppid.press("as_asked")
    assert "Pemohon meminta: Salinan cetak (hardcopy), Pos" in form
    assert "1. 📝 Sesuai permintaan: Salinan cetak (hardcopy), Pos" in form
    when = await ppid.say("1")
    assert "Kapan informasi diberikan" in when
    assert "tidak boleh sebelum hari ini" in await ppid.say("2026-11-20")  # Friday 27 Nov now
    cost = await ppid.say("3/12/2026")
    assert "Biaya salinan (Salinan cetak (hardcopy), Pos)" in cost and "Rp500 per halaman" in cost
    assert "Sebutkan biaya salinan" in await ppid.say("murah")
    assert "Tulis informasi apa yang diberikan" in await ppid.say("25 halaman")
    shown = await ppid.say("Salinan APBDes 2025, 25 halaman")
    assert "Pratinjau" in shown and "Biaya: Rp12.500" in shown
    assert "Cara dan tempat pembayaran: tunai di meja layanan PPID Utama" in shown
    assert "Waktu: Kamis, 3 Desember 2026" in shown and shown.rstrip().endswith("3. ❌ Batal")
    assert not pemohon.unread() and (await _row(bot, code))["status"] == "diproses"
    # The PPID changes one part: only that is asked again, then the notice is shown again.
    parts = await ppid.say("ubah")
    assert "Biaya" in parts and "Waktu penyerahan" in parts
    assert "Biaya salinan" in await ppid.press("cost")
    again = await ppid.say("gratis")
    assert "Biaya: tanpa biaya" in again and "Rp12.500" not in again
    sent = await ppid.say("kirim")
    assert "/serahkan" in sent
    notice = pemohon.unread()[-1]
    body = again.split("Pemohon akan menerima pemberitahuan ini:\n\n")[1].split("\n---\n")[0]
    assert notice.text == body  # what was shown is what was sent
    assert notice.buttons[0][0] == f"c:object:{code}"
    row = await _row(bot, code)
    assert (row["status"], row["decision"], row["delivered_on"]) == ("diputus", "granted", None)
    [event] = await _events(bot, code, "decide")
    assert (event["form"], event["given_on"], event["cost"]) == ("hardcopy:pos", "2026-12-03", 0)


async def test_a_typed_grant_of_a_posted_copy_asks_its_cost(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    code = await _posted_request(bot)
    ppid = bot.citizen("ppid")
    asked = await ppid.say(f"/putus {code} diberikan Salinan APBDes 2025")
    assert "Biaya salinan" in asked and "tanpa biaya" not in asked.split("Bila tanpa")[0]
    shown = await ppid.say("biaya 7500")
    assert "Biaya: Rp7.500" in shown and "Cara penyerahan: Pos" in shown
    assert "(hari ini)" in shown  # typed without a day: today, shown before it goes
    await ppid.say("batal")
    assert (await _row(bot, code))["status"] == "diproses"  # cancelled: nothing was sent


async def test_a_typed_electronic_grant_is_one_line_and_one_tap(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    code = await file_request(bot, "pemohon")  # a softcopy, taken in person
    ppid = bot.citizen("ppid")
    shown = await ppid.say(f"/putus {code} diberikan Salinan APBDes terlampir")
    assert "Biaya: tanpa biaya (salinan elektronik gratis)" in shown
    await ppid.say("1")  # Kirim
    assert (await _row(bot, code))["decision"] == "granted"
    assert "salinan elektronik gratis" in bot.citizen("pemohon").unread()[-1].text


# --- the day it is actually given -----------------------------------------------------------------


async def test_deliver_is_recorded_once_and_only_for_a_grant(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    granted = await file_request(bot, "pemohon-0")
    rejected = await file_request(bot, "pemohon-1")
    ppid, pemohon = bot.citizen("ppid"), bot.citizen("pemohon-0")
    early = await ppid.say(f"/serahkan {granted}")
    assert "Tidak bisa" in early and "/putus" in early  # before the notice
    await ppid.say(f"/putus {granted} diberikan Salinan APBDes terlampir")
    await ppid.say("kirim")
    card = await ppid.say(f"/kasus {granted}")
    assert "Informasi diserahkan" in card and f"/serahkan {granted}" in card
    pemohon.unread()
    bot.clock.advance(days=4)  # Tuesday 1 December
    done = await ppid.say(f"/serahkan {granted} diambil oleh pemohon sendiri")
    assert "Penyerahan informasi" in done and "dicatat" in done
    news = pemohon.unread_text()
    assert "tercatat sudah diserahkan pada Selasa, 1 Desember 2026" in news
    assert "diambil oleh pemohon sendiri" in news
    assert (await _row(bot, granted))["delivered_on"] == date(2026, 12, 1)
    assert await _events(bot, granted, "deliver") == [
        {"on": "2026-12-01", "text": "diambil oleh pemohon sendiri"}
    ]
    again = await ppid.say(f"/serahkan {granted}")
    assert "sudah dicatat pada Selasa, 1 Desember 2026" in again
    assert len(await _events(bot, granted, "deliver")) == 1
    assert "Informasi diserahkan" not in await ppid.say(f"/kasus {granted}")  # once
    await ppid.say(f"/putus {rejected} ditolak 17h Data pribadi | Privasi lebih besar")
    await ppid.say("kirim")
    refused = await ppid.say(f"/serahkan {rejected}")
    assert "hanya dicatat untuk permohonan yang dikabulkan" in refused
    assert (await _row(bot, rejected))["delivered_on"] is None
