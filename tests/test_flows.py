"""The flows as tables: (step, what the person sends) → (next step, what the data holds).
Pure: no database, no clock, no translation."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from bot.domain.agency import Agency
from bot.domain.codes import example_code
from bot.flows.base import Context, SubmitCase, Transition
from bot.flows.complaint import Complaint
from bot.flows.information import Information
from bot.i18n import render
from bot.values.types import Inbound, Location, Media

NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


def ctx(agency: Agency, **extra: Any) -> Context:
    return Context(
        agency=agency, now=NOW, today=date(2026, 11, 27), locale="id", channel="console", **extra
    )


def msg(text: str | None = None, **fields: Any) -> Inbound:
    return Inbound(channel="console", chat_id="c", delivery_id="d", at=NOW, text=text, **fields)


def said(transition: Transition) -> str:
    return "\n".join(render(r.text, "id") for r in transition.replies)


COMPLAINT_PATH = [
    ("type", msg(choice="pengaduan"), "category", {"type": "pengaduan"}),
    ("category", msg(choice="jalan-jembatan"), "description", {"category": "jalan-jembatan"}),
    (
        "description",
        msg("Jalan berlubang di depan sekolah"),
        "description",
        {"description": "Jalan berlubang di depan sekolah"},
    ),
    ("description", msg(choice="next"), "location", {}),
    ("location", msg("desa lapajung"), "photos", {"area": "lalabata/lapajung"}),
    (
        "photos",
        msg(media=(Media("photo", "f1"),)),
        "photos",
        {"attachments": [{"kind": "photo", "ref": "f1", "type": None}]},
    ),
    ("photos", msg(choice="next"), "identity", {}),
    ("identity", msg(choice="biasa"), "name", {"identity": "biasa"}),
    ("name", msg("Budi Santoso"), "summary", {"name": "Budi Santoso"}),
]


def test_complaint_happy_path_step_by_step(agency: Agency) -> None:
    flow, data = Complaint(), {}
    for step, inbound, expected_step, expected in COMPLAINT_PATH:
        transition = flow.handle(step, data, inbound, ctx(agency))
        assert transition.step == expected_step, (step, said(transition))
        for key, value in expected.items():
            assert transition.data[key] == value
        data = transition.data
    done = flow.handle("summary", data, msg(choice="send"), ctx(agency))
    assert done.step is None
    [effect] = done.effects
    assert isinstance(effect, SubmitCase) and effect.kind == "pengaduan"
    assert effect.data["area"] == "lalabata/lapajung"


def test_follow_up_messages_are_appended(agency: Agency) -> None:
    flow = Complaint()
    first = flow.handle("description", {}, msg("Lampu jalan mati"), ctx(agency))
    second = flow.handle("description", first.data, msg("sudah seminggu"), ctx(agency))
    assert second.data["description"] == "Lampu jalan mati\nsudah seminggu"


@pytest.mark.parametrize(
    "inbound,expected_words",
    [
        (msg(""), "kata-kata"),
        (msg("   "), "kata-kata"),
        (msg("😡😡😡🙏"), "bukan hanya emoji"),
        (msg(unsupported="sticker"), "belum bisa kami baca"),
        (msg(media=(Media("voice", "v1"),)), "Pesan suara sudah kami simpan"),
    ],
)
def test_bad_text_stays_at_the_step_and_keeps_what_was_typed(
    agency: Agency, inbound: Inbound, expected_words: str
) -> None:
    data = {"type": "pengaduan", "category": "jalan-jembatan", "description": "Jalan rusak"}
    transition = Complaint().handle("description", data, inbound, ctx(agency))
    assert transition.step == "description"
    assert transition.data["description"] == "Jalan rusak"
    assert expected_words in said(transition)


def test_voice_note_is_kept_as_an_attachment(agency: Agency) -> None:
    transition = Complaint().handle(
        "description", {}, msg(media=(Media("voice", "v1", "audio/ogg"),)), ctx(agency)
    )
    assert transition.data["attachments"][0]["kind"] == "voice"
    assert "tuliskan juga" in said(transition)


def test_wrong_choice_answers_with_the_range(agency: Agency) -> None:
    transition = Complaint().handle("type", {}, msg("pizza"), ctx(agency))
    assert transition.step == "type"
    assert "nomor 1 sampai 2" in said(transition)


def test_location_shared_or_unknown_or_ambiguous(agency: Agency) -> None:
    flow = Complaint()
    shared = flow.handle("location", {}, msg(location=Location(-4.35, 119.88)), ctx(agency))
    assert shared.step == "photos" and shared.data["location"]["lat"] == -4.35
    unknown = flow.handle("location", {}, msg("Jakarta Selatan"), ctx(agency))
    assert unknown.step == "location" and "tidak menemukan" in said(unknown)
    vague = flow.handle("location", {}, msg("mario"), ctx(agency))
    assert vague.step == "location_pick"
    picked = flow.handle("location_pick", vague.data, msg(choice="marioriawa"), ctx(agency))
    assert picked.step == "photos" and picked.data["area"] == "marioriawa"


def test_anonymous_skips_the_name_and_hides_it_in_the_summary(agency: Agency) -> None:
    flow = Complaint()
    data = {"type": "pengaduan", "category": "lainnya", "description": "Ada pungli", "name": "Ani"}
    transition = flow.handle("identity", data, msg(choice="anonim"), ctx(agency))
    assert transition.step == "summary"
    assert "name" not in transition.data
    assert "(disembunyikan)" in said(transition)


def test_edit_from_the_summary_returns_to_the_summary(agency: Agency) -> None:
    flow = Complaint()
    data = {
        "type": "pengaduan",
        "category": "lainnya",
        "description": "A",
        "identity": "biasa",
        "name": "Ani",
    }
    edit = flow.handle("summary", data, msg(choice="edit"), ctx(agency))
    category = flow.handle("edit", edit.data, msg(choice="category"), ctx(agency))
    assert category.step == "category"
    back = flow.handle("category", category.data, msg(choice="jalan-jembatan"), ctx(agency))
    assert back.step == "summary" and back.data["category"] == "jalan-jembatan"
    assert "_edit" not in back.data


INFO_PATH = [
    ("requester_type", msg(choice="perorangan"), "name"),
    ("name", msg("Siti Aminah"), "id_number"),
    ("id_number", msg("7312015708850002"), "address"),
    ("address", msg("Jl. Kemakmuran No. 5, Lapajung"), "contact"),
    ("contact", msg("0812-3456-7890 siti@contoh.id"), "occupation"),
    ("occupation", msg("Guru"), "information"),
    ("information", msg("Dokumen APBDes Lapajung tahun 2025"), "purpose"),
    ("purpose", msg("Bahan diskusi warga"), "obtain"),
    ("obtain", msg(choice="softcopy"), "delivery"),
    ("delivery", msg(choice="email"), "summary"),
]


def test_information_request_happy_path(agency: Agency) -> None:
    flow, data = Information(), {}
    for step, inbound, expected_step in INFO_PATH:
        transition = flow.handle(step, data, inbound, ctx(agency))
        assert transition.step == expected_step, (step, said(transition))
        data = transition.data
    assert data["phone"] == "+6281234567890" and data["email"] == "siti@contoh.id"
    summary = said(flow.ask("summary", data, ctx(agency)))
    assert "************0002" in summary and "7312015708850002" not in summary
    done = flow.handle("summary", data, msg(choice="send"), ctx(agency))
    [effect] = done.effects
    assert isinstance(effect, SubmitCase) and effect.kind == "informasi"


@pytest.mark.parametrize(
    "typed,words",
    [
        ("12345", "16 angka"),
        ("7312013213850001", "tanggal lahir"),
        ("9912011708850001", "Kode wilayah"),
    ],
)
def test_invalid_nik_is_explained(agency: Agency, typed: str, words: str) -> None:
    data = {"requester_type": "perorangan", "name": "Siti"}
    transition = Information().handle("id_number", data, msg(typed), ctx(agency))
    assert transition.step == "id_number" and words in said(transition)
    assert transition.data == data


def test_the_chats_own_number_is_offered(agency: Agency) -> None:
    flow = Information()
    prompt = flow.ask("contact", {}, ctx(agency, known_phone="+6281234567890"))
    assert "0812****7890" in said(prompt) or any(
        "0812" in render(b.label, "id") for r in prompt.replies for b in r.buttons
    )
    chosen = flow.handle(
        "contact", {}, msg(choice="known_phone"), ctx(agency, known_phone="+6281234567890")
    )
    assert chosen.data["phone"] == "+6281234567890"


def test_legal_entity_gives_a_decree_number_not_a_nik(agency: Agency) -> None:
    flow = Information()
    named = flow.handle(
        "name", {"requester_type": "badan_hukum"}, msg("Yayasan Sipakatau"), ctx(agency)
    )
    assert "pengesahan" in said(named)
    numbered = flow.handle(
        "id_number", named.data, msg("AHU-0012345.AH.01.04.Tahun 2020"), ctx(agency)
    )
    assert numbered.step == "address" and numbered.data["legal_entity_number"].startswith("AHU-")


def test_email_delivery_asks_for_the_address_there_and_then(agency: Agency) -> None:
    flow = Information()
    asked = flow.handle("delivery", {"phone": "+6281234567890"}, msg(choice="email"), ctx(agency))
    assert asked.step == "delivery_email"
    wrong = flow.handle("delivery_email", asked.data, msg("bukan email"), ctx(agency))
    assert wrong.step == "delivery_email"
    done = flow.handle("delivery_email", asked.data, msg("Siti@Contoh.ID"), ctx(agency))
    assert done.step == "summary"
    assert done.data["email"] == "siti@contoh.id" and done.data["delivery_method"] == "email"


def test_removing_the_email_later_asks_for_the_delivery_again(agency: Agency) -> None:
    flow = Information()
    data = {"phone": None, "email": "a@b.id", "delivery_method": "email", "_edit": True}
    changed = flow.handle("contact", data, msg("081234567890"), ctx(agency))
    assert changed.step == "delivery" and changed.data["delivery_method"] is None


@pytest.mark.parametrize(
    "typed,phone,email",
    [
        ("hp 0812-4567-8901 email nurul.h@gmail.com", "+6281245678901", "nurul.h@gmail.com"),
        ("WA 0812 4567 8901", "+6281245678901", None),
        ("0812 4567 8901 / a@b.org", "+6281245678901", "a@b.org"),
        ("email: a@b.org", None, "a@b.org"),
        ("+62 812-4567-8901", "+6281245678901", None),
        ("no hp saya 081245678901", "+6281245678901", None),
    ],
)
def test_contact_as_people_write_it(
    agency: Agency, typed: str, phone: str | None, email: str | None
) -> None:
    done = Information().handle("contact", {}, msg(typed), ctx(agency))
    assert done.step == "occupation", said(done)
    assert (done.data["phone"], done.data["email"]) == (phone, email)


def test_a_complaint_cannot_be_sent_without_its_text(agency: Agency) -> None:
    data = {"type": "pengaduan", "category": "lainnya", "description": "", "identity": "anonim"}
    transition = Complaint().handle("summary", data, msg(choice="send"), ctx(agency))
    assert transition.step == "description" and not transition.effects


def test_editing_the_text_keeps_the_old_one_until_new_text_comes(agency: Agency) -> None:
    flow = Complaint()
    data = {"type": "pengaduan", "category": "lainnya", "description": "Lama", "identity": "anonim"}
    editing = flow.handle("edit", data, msg(choice="description"), ctx(agency))
    assert editing.data["description"] == "Lama" and "Lama" in said(editing)
    kept = flow.handle("description", editing.data, msg(choice="next"), ctx(agency))
    assert kept.step == "summary" and kept.data["description"] == "Lama"
    new = flow.handle("description", editing.data, msg("Teks yang baru sama sekali"), ctx(agency))
    assert new.data["description"] == "Teks yang baru sama sekali"


def test_a_shared_location_replaces_a_typed_area(agency: Agency) -> None:
    data = {"area": "lalabata/lapajung", "location_text": "lapajung"}
    moved = Complaint().handle("location", data, msg(location=Location(-4.35, 119.88)), ctx(agency))
    assert moved.data["area"] is None and moved.data["location_text"] is None
    assert "Lokasi diterima" in said(moved)


def test_an_unknown_place_can_be_kept_as_written(agency: Agency) -> None:
    flow = Complaint()
    unknown = flow.handle("location", {}, msg("jl. merdeka depan kantor bupati"), ctx(agency))
    assert unknown.step == "location"
    kept = flow.handle("location", unknown.data, msg(choice="as_typed"), ctx(agency))
    assert kept.step == "photos"
    assert kept.data["location_text"] == "jl. merdeka depan kantor bupati"


def test_a_nik_typed_in_the_wrong_field_is_masked_in_the_summary(agency: Agency) -> None:
    data = {
        "requester_type": "perorangan",
        "name": "Siti",
        "nik": "7312015708850002",
        "address": "7312015708850002",
    }
    assert "7312015708850002" not in said(Information().ask("summary", data, ctx(agency)))


def test_the_own_phone_offer_is_masked(agency: Agency) -> None:
    prompt = Information().ask("contact", {}, ctx(agency, known_phone="+6281234567890"))
    labels = [render(b.label, "id") for r in prompt.replies for b in r.buttons]
    assert labels == ["Pakai nomor ini (0812****7890)"]


def test_phone_numbers_in_the_story_are_masked_in_the_summary(agency: Agency) -> None:
    data = {
        "type": "pengaduan",
        "category": "lainnya",
        "identity": "anonim",
        "description": "KTP belum jadi, hubungi 081245678901",
    }
    shown = said(Complaint().ask("summary", data, ctx(agency)))
    assert "081245678901" not in shown and "0812****8901" in shown


# --- free text at the choice steps (issue 13) -----------------------------------------------


def _reading_ctx(agency: Agency) -> Context:
    from tests.understanding_corpus import reader_for

    return ctx(agency, reader=reader_for(agency))


def test_a_story_at_the_type_question_is_kept_and_picks_the_type(agency: Agency) -> None:
    c = _reading_ctx(agency)
    story = "lampu jalan depan masjid mati sdh seminggu, gelap sekali"
    moved = Complaint().handle("type", {}, msg(story), c)
    assert moved.step == "category"
    assert moved.data["description"] == story and moved.data["type"] == "pengaduan"
    assert moved.data["_suggested"] == "lalu-lintas-lampu-jalan"
    assert "Sepertinya ini tentang" in said(moved)


def test_a_story_without_a_type_is_kept_and_the_type_asked(agency: Agency) -> None:
    story = "di ujung lorong kami ada bangunan tua, anak2 suka main di dalamnya"
    moved = Complaint().handle("type", {}, msg(story), _reading_ctx(agency))
    assert moved.step == "type" and moved.data["description"] == story
    assert "Cerita Anda sudah kami catat" in said(moved)


@pytest.mark.parametrize(
    ("inbound", "step", "category"),
    [
        (msg(choice="sampah-lingkungan"), "description", "sampah-lingkungan"),  # "Ya, benar"
        (msg(choice="other"), "category", None),  # the full list
        (msg("pendidikan"), "description", "sekolah-pendidikan"),  # another one, typed
    ],
)
def test_the_suggested_category(
    agency: Agency, inbound: Inbound, step: str, category: str | None
) -> None:
    data = {"type": "pengaduan", "description": "sampah numpuk", "_suggested": "sampah-lingkungan"}
    moved = Complaint().handle("category", data, inbound, _reading_ctx(agency))
    assert moved.step == step and moved.data.get("category") == category
    if inbound.choice == "other":
        assert "Pilih kategori" in said(moved)


def test_more_story_or_a_voice_note_at_the_photo_question_is_kept(agency: Agency) -> None:
    data = {"type": "pengaduan", "category": "jalan-jembatan", "description": "jalan rusak"}
    c = _reading_ctx(agency)
    moved = Complaint().handle("photos", data, msg("kemarin ada 2 org jatuh dr motor disitu"), c)
    assert moved.step == "photos" and "jatuh dr motor" in moved.data["description"]
    voice = Complaint().handle("photos", data, msg(media=(Media("voice", "v1"),)), c)
    assert voice.step == "photos" and voice.data["attachments"][0]["kind"] == "voice"
    skipped = Complaint().handle(
        "photos", data, msg("fotonya blm ada, lubangnya 1 meter", choice="skip"), c
    )
    assert skipped.step == "identity" and "lubangnya 1 meter" in skipped.data["description"]


def test_information_asked_in_the_first_message_is_not_asked_again(agency: Agency) -> None:
    data = {"information": "salinan SK kepala desa 2025", "_carried": True}
    flow, c = Information(), ctx(agency)
    assert "salinan SK kepala desa" in said(flow.start(c, data))
    moved = flow.advance("occupation", {**data, "occupation": "Petani"}, c)
    assert moved.step == "purpose"


def test_a_long_story_is_kept_whole_and_the_rest_asked_for(agency: Agency) -> None:
    data = {"type": "pengaduan", "category": "jalan-jembatan", "description": "Jalan rusak"}
    long = "Jalan di desa kami rusak. " * 400  # 10,400 characters
    moved = Complaint().handle("description", data, msg(long), ctx(agency))
    assert moved.step == "description" and moved.data["description"].endswith(long.strip())
    assert "sudah kami simpan utuh" in said(moved) and "lanjutannya" in said(moved)
    huge = Complaint().handle("description", data, msg("x" * 60_000), ctx(agency))
    assert "terlalu panjang" in said(huge) and huge.data["description"] == "Jalan rusak"


@pytest.mark.parametrize("said_", ["iya betul", "ok pak", "iye"])
def test_a_bare_yes_to_ada_tambahan_is_not_added_to_the_report(agency: Agency, said_: str) -> None:
    data = {"type": "pengaduan", "category": "jalan-jembatan", "description": "Jalan rusak"}
    moved = Complaint().handle("description", data, msg(said_), _reading_ctx(agency))
    assert moved.step == "description" and moved.data["description"] == "Jalan rusak"
    assert "tulis tambahannya" in said(moved)
    more = Complaint().handle("description", data, msg("iya, sudah 3 bulan"), _reading_ctx(agency))
    assert "sudah 3 bulan" in more.data["description"]  # more words: more of the story


# A staff command typed without its text: (want, carried data, what is sent) → the command run,
# or the step it stays at.
_CASES = [["P-7KX4-M9QR", "jalan berlubang…"], ["P-23HM-WWY9", "lampu mati…"]]
_GOOD = example_code()
_SLIP = _GOOD[:-1] + ("A" if _GOOD[-1] != "A" else "B")  # one symbol mistyped
COMMAND_TEXT = [
    ("code", {"command": "ambil", "cases": _CASES}, msg("3"), "code"),  # beyond the list
    ("code", {"command": "ambil", "cases": _CASES}, msg(_SLIP), "code"),
    ("code", {"command": "ambil", "cases": _CASES}, msg(_GOOD), f"/ambil {_GOOD}"),
    (
        "code",
        {"command": "balas", "cases": _CASES},
        msg(choice="P-23HM-WWY9"),
        "/balas P-23HM-WWY9",
    ),
    (
        "code",
        {"command": "balas", "cases": _CASES},
        msg(f"{_GOOD.replace('-', ' ').lower()} besok kami datang"),  # spaced, lower case
        f"/balas {_GOOD.replace('-', '').lower()} besok kami datang",
    ),
    ("code", {"command": "ambil", "cases": []}, msg("yang jalan itu"), "code"),
    ("code", {"command": "ambil", "cases": _CASES}, msg(media=(Media("voice", "v"),)), "code"),
    ("words", {"command": "cari", "cases": []}, msg("jalan"), "/cari jalan"),
    ("words", {"command": "cari", "cases": []}, msg("ab"), "words"),
    ("words", {"command": "kirimulang", "cases": []}, msg("semua"), "/kirimulang semua"),
    ("role", {"command": "undang", "cases": []}, msg(choice="koordinator"), "/undang koordinator"),
    ("role", {"command": "undang", "cases": []}, msg(choice="ppid_pembantu"), "unit"),
    ("role", {"command": "undang", "cases": []}, msg(choice="kim"), "desa"),
    ("role", {"command": "undang", "cases": []}, msg("raja"), "role"),
    (
        "unit",
        {"command": "undang", "cases": [], "role": "ppid_pembantu"},
        msg(choice="dinas-pupr"),
        "/undang ppid_pembantu dinas-pupr",
    ),
    ("desa", {"command": "undang", "cases": [], "role": "kim"}, msg("lapajung"), "kim_name"),
    (
        "kim_name",
        {"command": "undang", "cases": [], "role": "kim", "desa": "lalabata/lapajung"},
        msg("KIM Sipakatau"),
        "/undang kim lalabata/lapajung KIM Sipakatau",
    ),
]


@pytest.mark.parametrize(("step", "data", "inbound", "expected"), COMMAND_TEXT)
def test_a_command_without_its_text(
    agency: Agency, step: str, data: dict[str, Any], inbound: Inbound, expected: str
) -> None:
    from bot.flows.base import RunCommand
    from bot.flows.command import CommandText

    moved = CommandText().handle(step, data, inbound, ctx(agency))
    if expected.startswith("/"):
        assert moved.step is None and moved.effects == [RunCommand(expected)]
    else:
        assert moved.step == expected and not moved.effects and said(moved)


def test_a_decision_asks_for_the_request_in_formal_words(agency: Agency) -> None:
    from bot.flows.base import CaseAction, PreviewCase
    from bot.flows.case_action import CaseWork

    flow, c = CaseWork(), ctx(agency)
    data = {"action": "decide", "code": "I-7KX4-M9QR", "args": {}, "asked": "data apbdes 2025"}
    moved = flow.start(c, {**data, "requested_form": "softcopy:email"})
    assert moved.step == "outcome"
    moved = flow.handle("outcome", moved.data, msg(choice="granted"), c)
    assert moved.step == "restate" and "data apbdes 2025" in said(moved)
    kept = flow.handle("restate", moved.data, msg(choice="as_asked"), c)
    assert kept.step == "form" and kept.data["args"]["restate"] == ""
    formal = "Salinan APBDes Kelurahan Lapajung Tahun Anggaran 2025"
    moved = flow.handle("restate", moved.data, msg(formal), c)
    assert moved.step == "form" and moved.data["args"]["restate"] == formal
    assert moved.replies[0].buttons[0].id == "softcopy:email"  # the requester's own, first
    moved = flow.handle("form", moved.data, msg(choice="softcopy:email"), c)
    assert moved.step == "when"  # an electronic copy is free: no cost is asked
    moved = flow.handle("when", moved.data, msg("segera"), c)
    assert moved.step == "text" and moved.data["args"]["when"] == "2026-11-27"
    shown = flow.handle("text", moved.data, msg("Salinan dikirim lewat email"), c)
    # The notice is shown before it goes: the engine builds it, the flow asks.
    assert shown.step == "confirm" and not shown.replies
    args = {
        "outcome": "granted",
        "restate": formal,
        "form": "softcopy:email",
        "when": "2026-11-27",
        "text": "Salinan dikirim lewat email",
    }
    [preview] = shown.effects
    assert isinstance(preview, PreviewCase) and preview.args == args
    assert [b.id for b in preview.question.buttons] == ["send", "edit", "cancel"]
    done = flow.handle("confirm", shown.data, msg(choice="send"), c)
    assert done.step is None and done.effects == [CaseAction("decide", "I-7KX4-M9QR", args)]
    # An objection's decision has no request to restate, and no preview
    objection = flow.start(c, {"action": "decide", "code": "K-7KX4-M9QR", "args": {}})
    moved = flow.handle("outcome", objection.data, msg(choice="upheld"), c)
    assert moved.step == "text"
    done = flow.handle("text", moved.data, msg("Informasi wajib diberikan"), c)
    assert done.step is None and isinstance(done.effects[0], CaseAction)


def test_photos_stop_at_the_cap_even_after_many_voice_notes() -> None:
    """Voice notes are kept wherever they arrive, beyond the photo cap; photos sent after
    that add nothing (a negative room once kept all but the last of them)."""
    from bot.flows import complaint_form
    from bot.values.types import Media

    voices = [{"kind": "voice", "ref": f"v{i}", "type": "audio/ogg"} for i in range(11)]
    data: dict[str, Any] = {"attachments": list(voices)}
    photos = [Media("photo", f"p{i}", "image/jpeg") for i in range(3)]
    complaint_form.with_attachments(data, photos)
    assert data["attachments"] == voices
    data = {"attachments": voices[:8]}
    complaint_form.with_attachments(data, photos)
    assert [a["ref"] for a in data["attachments"][8:]] == ["p0", "p1"]
