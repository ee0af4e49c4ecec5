"""A request made as kuasa (issue 15 item 3): whom the applicant represents, the surat kuasa
attached in the chat (or promised for later), the summary, Ubah, the PPID's card; and the
summary's *Kirim* that never files a request with a required field empty."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.domain.agency import Agency
from bot.flows.base import Context, SubmitCase, Transition
from bot.flows.information import Information
from bot.i18n import render
from bot.values.types import Inbound, Media
from storage.schema import attachments, cases, request_details
from tests.harness import TestBot, code_in, grant_role, onboard

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
OWN_NIK, PRINCIPAL_NIK = "7312011708850001", "7312015708850002"


def ctx(agency: Agency) -> Context:
    from tests.understanding_corpus import reader_for

    return Context(
        agency=agency,
        now=NOW,
        today=date(2026, 11, 27),
        locale="id",
        channel="console",
        reader=reader_for(agency),
    )


def msg(text: str | None = None, **fields: Any) -> Inbound:
    return Inbound(channel="console", chat_id="c", delivery_id="d", at=NOW, text=text, **fields)


def photo(ref: str) -> Inbound:
    return msg(media=(Media("photo", ref, "image/jpeg"),))


def said(transition: Transition) -> str:
    return "\n".join(render(r.text, "id") for r in transition.replies)


def buttons(transition: Transition) -> list[str]:
    return [render(b.label, "id") for r in transition.replies for b in r.buttons]


KUASA_PATH: list[tuple[str, Inbound, str]] = [
    ("requester_type", msg(choice="kuasa"), "name"),
    ("name", msg("Andi Wijaya"), "id_number"),
    ("id_number", msg(OWN_NIK), "principal_type"),
    ("principal_type", msg(choice="perorangan"), "principal_name"),
    ("principal_name", msg("Hj. Fatimah"), "principal_number"),
    ("principal_number", msg(PRINCIPAL_NIK), "power_of_attorney"),
    ("power_of_attorney", photo("kuasa-hal-1"), "power_of_attorney"),  # more pages?
    ("power_of_attorney", photo("kuasa-hal-2"), "power_of_attorney"),
    ("power_of_attorney", msg(choice="next"), "address"),
    ("address", msg("Jl. Merdeka No. 1, Botto"), "contact"),
    ("contact", msg("081234567890"), "occupation"),
    ("occupation", msg("Wiraswasta"), "information"),
    ("information", msg("Data jalan desa 2025"), "purpose"),
    ("purpose", msg("Untuk warga"), "obtain"),
    ("obtain", msg(choice="melihat"), "delivery"),
    ("delivery", msg(choice="langsung"), "summary"),
]


def walk(agency: Agency, path: list[tuple[str, Inbound, str]]) -> dict[str, Any]:
    flow, data = Information(), {}
    for step, inbound, expected in path:
        moved = flow.handle(step, data, inbound, ctx(agency))
        assert moved.step == expected, (step, said(moved))
        data = moved.data
    return data


def test_a_kuasa_is_asked_whom_they_represent_and_for_the_letter(agency: Agency) -> None:
    data = walk(agency, KUASA_PATH)
    assert (data["principal_type"], data["principal_name"]) == ("perorangan", "Hj. Fatimah")
    assert data["principal_number"] == PRINCIPAL_NIK and data["nik"] == OWN_NIK
    assert [a["ref"] for a in data["attachments"]] == ["kuasa-hal-1", "kuasa-hal-2"]
    assert {a["caption"] for a in data["attachments"]} == {"surat_kuasa"}
    shown = said(Information().ask("summary", data, ctx(agency)))
    assert "Mewakili: Hj. Fatimah (perorangan), NIK ************0002" in shown
    assert "Surat kuasa: terlampir (2 berkas)" in shown
    assert PRINCIPAL_NIK not in shown and OWN_NIK not in shown
    done = Information().handle("summary", data, msg(choice="send"), ctx(agency))
    [effect] = done.effects
    assert isinstance(effect, SubmitCase) and effect.data["principal_number"] == PRINCIPAL_NIK
    assert "letter_later" not in effect.data


def test_a_person_filing_for_themselves_is_not_asked_about_a_principal(agency: Agency) -> None:
    moved = Information().handle(
        "id_number", {"requester_type": "perorangan", "name": "Siti"}, msg(OWN_NIK), ctx(agency)
    )
    assert moved.step == "address"
    assert "Jenis pemberi kuasa" not in buttons(Information().ask("edit", moved.data, ctx(agency)))


@pytest.mark.parametrize("typed", ["nanti", "blm ada pak, nanti sy kirim", "belum ada"])
def test_without_the_letter_at_hand_the_request_still_goes_on(agency: Agency, typed: str) -> None:
    data = walk(agency, KUASA_PATH[:6])
    later = Information().handle("power_of_attorney", data, msg(typed), ctx(agency))
    assert later.step == "address" and later.data["letter_later"] is True
    assert "surat kuasa menyusul" in said(later) and "Alamat" in said(later)
    shown = said(Information().ask("summary", later.data, ctx(agency)))
    assert "Surat kuasa: belum dilampirkan; PPID akan memintanya" in shown


def test_what_is_not_a_letter_is_asked_again_and_nothing_is_lost(agency: Agency) -> None:
    data = walk(agency, KUASA_PATH[:6])
    voice = Information().handle(
        "power_of_attorney", data, msg(media=(Media("voice", "v1"),)), ctx(agency)
    )
    assert voice.step == "power_of_attorney" and "foto atau berkas surat kuasa" in said(voice)
    assert voice.data == data
    document = msg(media=(Media("document", "doc-1", "application/pdf"),))
    kept = Information().handle("power_of_attorney", data, document, ctx(agency))
    assert kept.data["attachments"][0]["kind"] == "document"
    assert "Surat kuasa diterima (1 berkas)" in said(kept)


def test_what_people_type_for_the_principal_is_carried_forward(agency: Agency) -> None:
    data = walk(agency, KUASA_PATH[:3])
    flow, c = Information(), ctx(agency)
    # A name where the type was asked: kept, and one short question
    named = flow.handle("principal_type", data, msg("Hj. Fatimah"), c)
    assert named.step == "principal_type" and named.data["principal_name"] == "Hj. Fatimah"
    assert "*Hj. Fatimah* kami catat sebagai pemberi kuasa" in said(named)
    typed = flow.handle("principal_type", named.data, msg(choice="perorangan"), c)
    assert typed.step == "principal_number"  # the name is not asked again
    # A legal entity's name says its type
    entity = flow.handle("principal_type", data, msg("CV Maju Jaya"), c)
    assert entity.step == "principal_number" and entity.data["principal_type"] == "badan_hukum"
    assert "Nomor pengesahan badan hukum" in said(entity)
    # Family means a person, whose name is then asked
    family = flow.handle("principal_type", data, msg("ibu saya"), c)
    assert family.step == "principal_name" and family.data["principal_type"] == "perorangan"
    # A sentence is no name
    sentence = flow.handle("principal_type", data, msg("saya mewakili tetangga"), c)
    assert sentence.step == "principal_type" and "principal_name" not in sentence.data
    # The NIK typed before the name is kept, and the name asked again
    person = {**data, "principal_type": "perorangan"}
    nik_first = flow.handle("principal_name", person, msg(PRINCIPAL_NIK), c)
    assert (
        nik_first.step == "principal_name" and nik_first.data["principal_number"] == PRINCIPAL_NIK
    )
    assert "NIK pemberi kuasa sudah kami catat" in said(nik_first)
    assert PRINCIPAL_NIK not in said(nik_first)
    # The letter sent early is kept
    early = flow.handle("principal_name", person, photo("kuasa-dini"), c)
    assert early.step == "principal_name" and early.data["attachments"][0]["ref"] == "kuasa-dini"
    assert "Surat kuasa sudah kami simpan" in said(early)


def test_the_principals_nik_is_checked_like_the_requesters(agency: Agency) -> None:
    data = {**walk(agency, KUASA_PATH[:5])}
    flow, c = Information(), ctx(agency)
    short = flow.handle("principal_number", data, msg("12345"), c)
    assert short.step == "principal_number" and "16 angka" in said(short)
    own = flow.handle("principal_number", data, msg(OWN_NIK), c)
    assert own.step == "principal_number" and "NIK Anda sendiri" in said(own)
    assert "principal_number" not in own.data


def test_ubah_covers_the_principal_and_the_letter(agency: Agency) -> None:
    data = walk(agency, KUASA_PATH)
    flow, c = Information(), ctx(agency)
    shown = buttons(flow.ask("edit", data, c))
    for part in ("Jenis pemberi kuasa", "Nama pemberi kuasa", "NIK / nomor pemberi kuasa"):
        assert part in shown
    picked = flow.handle("edit", data, msg(choice="power_of_attorney"), c)
    assert "Kirim yang baru untuk menggantinya" in said(picked)
    assert len(picked.data["attachments"]) == 2  # the old letter stays until a new one comes
    replaced = flow.handle("power_of_attorney", picked.data, photo("kuasa-baru"), c)
    assert [a["ref"] for a in replaced.data["attachments"]] == ["kuasa-baru"]
    back = flow.handle("power_of_attorney", replaced.data, msg(choice="next"), c)
    assert back.step == "summary"
    # Another kind of principal: its name and number are asked again, then the summary
    entity = flow.handle("edit", data, msg(choice="principal_type"), c)
    moved = flow.handle("principal_type", entity.data, msg(choice="badan_hukum"), c)
    assert moved.step == "principal_name" and "principal_number" not in moved.data
    moved = flow.handle("principal_name", moved.data, msg("Yayasan Sipakatau"), c)
    moved = flow.handle("principal_number", moved.data, msg("AHU-0012345.AH.01.04.Tahun 2020"), c)
    assert moved.step == "summary"
    assert "Yayasan Sipakatau (badan hukum), nomor pengesahan AHU-0012345" in said(
        flow.ask("summary", moved.data, c)
    )


def test_changing_the_requester_type_keeps_or_drops_what_belongs_to_it(agency: Agency) -> None:
    data = walk(agency, KUASA_PATH)
    flow, c = Information(), ctx(agency)
    editing = flow.handle("edit", data, msg(choice="requester_type"), c)
    himself = flow.handle("requester_type", editing.data, msg(choice="perorangan"), c)
    assert himself.step == "summary"  # a person still: their name and NIK stay
    assert himself.data["nik"] == OWN_NIK and himself.data["name"] == "Andi Wijaya"
    for gone in ("principal_type", "principal_name", "principal_number", "attachments"):
        assert gone not in himself.data
    # ... and back to kuasa: only the kuasa's questions are asked, then the summary
    again = flow.handle("edit", himself.data, msg(choice="requester_type"), c)
    proxy = flow.handle("requester_type", again.data, msg(choice="kuasa"), c)
    assert proxy.step == "principal_type" and proxy.data["nik"] == OWN_NIK


@pytest.mark.parametrize(
    ("emptied", "asked"),
    [("occupation", "occupation"), ("purpose", "purpose"), ("nik", "id_number")],
)
def test_kirim_asks_for_a_required_field_left_empty(
    agency: Agency, emptied: str, asked: str
) -> None:
    """Before this, *Kirim* filed the request whatever it held, and intake failed on it."""
    data = {k: v for k, v in walk(agency, KUASA_PATH).items() if k != emptied}
    flow, c = Information(), ctx(agency)
    moved = flow.handle("summary", data, msg(choice="send"), c)
    assert moved.step == asked and moved.effects == []
    answer = {"occupation": "Petani", "purpose": "Untuk warga", "nik": OWN_NIK}[emptied]
    back = flow.handle(asked, moved.data, msg(answer), c)
    assert back.step == "summary"  # then the summary again, not the rest of the form


def test_kirim_files_a_residents_request_reached_through_the_volunteer(agency: Agency) -> None:
    data = {**walk(agency, KUASA_PATH), "phone": None, "email": None, "via_volunteer": True}
    done = Information().handle("summary", data, msg(choice="send"), ctx(agency))
    assert done.step is None and isinstance(done.effects[0], SubmitCase)


def test_kirim_asks_a_kuasa_for_the_letter_question_left_unanswered(agency: Agency) -> None:
    data = walk(agency, KUASA_PATH)
    data["attachments"] = []
    moved = Information().handle("summary", data, msg(choice="send"), ctx(agency))
    assert moved.step == "power_of_attorney" and moved.effects == []


# --- end to end: the request filed, the PPID's card ----------------------------------------------


async def _file_as_kuasa(bot: TestBot, letter: bool) -> str:
    citizen = bot.citizen("kuasa")
    await onboard(citizen)
    for line in ["2", "3", "Andi Wijaya", OWN_NIK, "1", "Hj. Fatimah", PRINCIPAL_NIK]:
        await citizen.say(line)
    if letter:
        assert "Surat kuasa diterima (1 berkas)" in await citizen.photo("tg-file-kuasa")
        await citizen.say("lanjut")
    else:
        assert "menyusul" in await citizen.say("nanti sy kirim")
    for line in ["Jl. Merdeka No. 1, Botto", "081234567890", "Wiraswasta"]:
        await citizen.say(line)
    for line in ["Data jalan desa 2025", "Untuk warga", "1", "1"]:
        await citizen.say(line)
    return code_in(await citizen.say("kirim"))


async def test_the_ppid_sees_whom_the_kuasa_represents_and_the_letter(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    ppid = bot.citizen("ppid")
    await onboard(ppid)
    ppid.unread()
    code = await _file_as_kuasa(bot, letter=True)
    async with bot.app.db.connect() as conn:
        case = (await conn.execute(select(cases).where(cases.c.tracking_code == code))).one()
        detail = (
            await conn.execute(select(request_details).where(request_details.c.case_id == case.id))
        ).one()
        files = (
            await conn.execute(select(attachments).where(attachments.c.case_id == case.id))
        ).all()
    assert (detail.requester_type, detail.principal_type) == ("kuasa", "perorangan")
    assert (detail.principal_name, detail.principal_number) == ("Hj. Fatimah", PRINCIPAL_NIK)
    assert [(f.kind, f.file_ref, f.caption) for f in files] == [
        ("photo", "tg-file-kuasa", "surat_kuasa")
    ]
    [card] = [m for m in ppid.unread() if code in m.text]
    assert "Mewakili: Hj. Fatimah (perorangan), NIK ************0002" in card.text
    assert "Surat kuasa: terlampir (1 berkas)" in card.text and PRINCIPAL_NIK not in card.text
    assert card.extra.get("photos") == ["tg-file-kuasa"]  # the letter goes with the card
    # The PPID utama's own /kasus shows the NIKs in full, as for the requester's
    assert PRINCIPAL_NIK in await ppid.say(f"/kasus {code}")


async def test_a_request_without_the_letter_tells_the_ppid_to_ask_for_it(bot: TestBot) -> None:
    await grant_role(bot, "ppid", "ppid_utama")
    ppid = bot.citizen("ppid")
    await onboard(ppid)
    code = await _file_as_kuasa(bot, letter=False)
    card = ppid.unread_text()
    assert f"Surat kuasa: *belum dilampirkan*. Mintalah kepada pemohon (/tanya {code})" in card
