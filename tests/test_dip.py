"""Information already public comes first (issue 15 item 5): the Daftar Informasi Publik as
data the agency edits, its search in the requester's own (chat) words, the offer before a
request is filed, and serta-merta news pushed to the subscribers of a desa or kecamatan."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.config import ConfigError, load_settings
from bot.domain.agency import Agency
from bot.domain.dip import Dip, DipClass, DipConfigError, load_dip, parse_dip
from bot.engine.clock import FakeClock
from bot.engine.outbox import QUIET_KINDS
from bot.flows.base import Context, SetAside
from bot.flows.information import Information
from bot.flows.subscription import subscription_command
from bot.i18n import render
from bot.values.types import Inbound
from storage.schema import area_subscriptions, case_events, cases, outbox
from tests.harness import (
    AGENCY,
    START,
    TestBot,
    code_in,
    grant_role,
    make_settings,
    onboard,
    run_bot,
)
from tests.understanding_corpus import reader_for

DIP_FILE = AGENCY.with_name("dip.soppeng.toml")
NOW = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def dip(agency: Agency) -> Dip:
    return load_dip(DIP_FILE, agency.units)


def ctx(agency: Agency, dip: Dip) -> Context:
    return Context(
        agency=agency,
        now=NOW,
        today=date(2026, 11, 27),
        locale="id",
        channel="console",
        reader=reader_for(agency),
        dip=dip,
    )


def msg(text: str | None = None, **fields: Any) -> Inbound:
    return Inbound(channel="console", chat_id="c", delivery_id="d", at=NOW, text=text, **fields)


def said(replies: list[Any]) -> str:
    return "\n".join(render(r.text, "id") for r in replies)


# --- the list, as data -------------------------------------------------------------------------


def test_the_agencys_list_loads_with_every_class_and_known_units(agency: Agency, dip: Dip) -> None:
    assert len(dip.entries) >= 15
    assert {e.klass for e in dip.entries} == set(DipClass)
    assert all(e.unit in agency.units and e.where for e in dip.entries)
    assert len({e.id for e in dip.entries}) == len(dip.entries)


def test_each_problem_of_the_file_is_one_line(agency: Agency) -> None:
    good = {"title": "APBD", "summary": "Anggaran", "link": "https://x.go.id/a", "unit": "bpbd"}
    raw = {
        "entries": [
            {**good, "id": "apbd", "class": "berkala"},
            {**good, "id": "apbd", "class": "kadang"},  # repeated id, unknown class
            {**good, "id": "cuaca", "class": "serta_merta", "unit": "bmkg"},
            {"id": "x", "class": "setiap_saat", "title": "X", "summary": "Y", "unit": "bpbd"},
        ]
    }
    with pytest.raises(DipConfigError) as caught:
        parse_dip(raw, agency.units, source="dip.test.toml")
    problems = str(caught.value).splitlines()
    assert problems == [
        "dip.test.toml: entry 2 (apbd): id is used by an earlier entry",
        "dip.test.toml: entry 2 (apbd): class 'kadang' must be one of berkala, serta_merta, "
        "setiap_saat",
        "dip.test.toml: entry 3 (cuaca): unit 'bmkg' is not a unit of the agency file",
        "dip.test.toml: entry 4 (x): needs a link or a file",
    ]


def test_the_dip_file_is_found_beside_the_agency_file_or_named(tmp_path: Path) -> None:
    beside = load_settings(environment=False, agency_config=AGENCY)
    assert beside.dip_path == DIP_FILE
    alone = tmp_path / "agency.lain.toml"
    alone.write_text(AGENCY.read_text(encoding="utf-8"), encoding="utf-8")
    assert load_settings(environment=False, agency_config=alone).dip_path is None  # none yet
    with pytest.raises(ConfigError) as caught:
        load_settings(environment=False, agency_config=AGENCY, dip_config=tmp_path / "no.toml")
    assert "DIP_CONFIG=" in str(caught.value) and "\n" not in str(caught.value)


def test_a_wrong_dip_file_stops_the_bot_with_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "dip.bad.toml"
    bad.write_text(
        '[[entries]]\nid = "apbd"\nclass = "berkala"\ntitle = "APBD"\nsummary = "S"\n'
        'link = "https://x.go.id"\nunit = "dinas-tidak-ada"\n',
        encoding="utf-8",
    )
    database = tmp_path / "b.db"
    done = run_bot(tmp_path, "chat", "--user", "a", database=database, DIP_CONFIG=str(bad))
    assert done.returncode == 2
    assert "unit 'dinas-tidak-ada' is not a unit of the agency file" in done.stderr
    assert "Traceback" not in done.stderr


# --- the search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("mau liat apbd 2026 dong pak", "apbd-2026"),
        ("minta salinan apdb thn 2026", "apbd-2026"),  # letters swapped
        ("laporan keuagan pemda", "lkpd-2025"),  # a letter missing
        ("syarat bikin akte kelahiran anak", "layanan-dukcapil"),  # "akte" for "akta"
        ("ktpnya gmn cara urusnya", "layanan-dukcapil"),  # a suffix
        ("mo tau jam buka puskesmas", "puskesmas"),
        ("berapa dana desa lapajung 2026", "dana-desa-2026"),  # a keyword of two words
        ("info banjir di lilirilau", "banjir-longsor"),
    ],
)
def test_informal_and_mistyped_words_find_what_is_published(
    agency: Agency, dip: Dip, typed: str, found: str
) -> None:
    matches = dip.search(typed, lambda t: reader_for(agency).words(t).core)
    assert matches and matches[0].entry.id == found, [(m.entry.id, m.words) for m in matches]
    assert matches[0].words  # the words that made the offer: explainable


@pytest.mark.parametrize(
    "typed",
    [
        "Dokumen APBDes Lapajung 2025",  # the desa's own budget: not the regency's APBD
        "Data penerima pupuk subsidi 2026",
        "salinan SK kepala desa 2025",
        "Data jalan desa 2025",  # "data" is no slip of "dana"
        "Salinan SK Bupati tentang tim PPID",
        "hasil audit dana bos sekolah",
        "daftar pengaduan masyarakat 2025",  # "pengaduan" is no slip of "pengadaan"
        "APBD Soppeng tahun 2019",  # another year than the one published
        "Laporan realisasi dana desa Lapajung 2025",  # the published Pagu is 2026's
    ],
)
def test_words_of_any_request_offer_nothing(agency: Agency, dip: Dip, typed: str) -> None:
    assert dip.search(typed, lambda t: reader_for(agency).words(t).core) == []


def test_at_most_three_are_offered_the_best_first(agency: Agency, dip: Dip) -> None:
    many = dip.search("jadwal syarat ktp akta puskesmas ppdb tarif rsud izin usaha")
    assert 1 <= len(many) <= 3
    assert [m.score for m in many] == sorted((m.score for m in many), reverse=True)


# --- the offer in the request flow -----------------------------------------------------------


def _at_information(agency: Agency, dip: Dip) -> dict[str, Any]:
    return {
        "requester_type": "perorangan",
        "name": "Siti Aminah",
        "nik": "7312015708850002",
        "address": "Jl. Kemakmuran No. 5, Lapajung",
        "phone": "+6281234567890",
        "occupation": "Guru",
    }


def test_the_offer_comes_right_after_the_information(agency: Agency, dip: Dip) -> None:
    flow, c = Information(), ctx(agency, dip)
    data = _at_information(agency, dip)
    offered = flow.handle("information", data, msg("minta salinan apdb thn 2026"), c)
    assert offered.step == "published" and offered.data["published"] == ["apbd-2026"]
    text = said(offered.replies)
    assert "sudah tersedia untuk umum" in text
    assert "*APBD Kabupaten Soppeng Tahun Anggaran 2026* (informasi berkala)" in text
    assert "https://ppid.soppengkab.go.id/dip/apbd-2026" in text
    labels = [render(b.label, "id") for r in offered.replies for b in r.buttons]
    assert labels == ["Sudah cukup, terima kasih", "Tetap ajukan permohonan"]
    # Going on: exactly where the form was
    going = flow.handle("published", offered.data, msg(choice="file"), c)
    assert going.step == "purpose" and going.data["information"] == "minta salinan apdb thn 2026"
    # Done: nothing filed, the form kept (with what was typed) as the draft
    done = flow.handle("published", offered.data, msg(choice="enough"), c)
    assert done.step is None and "Terima kasih" in said(done.replies)
    [kept] = done.effects
    assert isinstance(kept, SetAside) and kept.step == "published"
    assert kept.data["information"] == "minta salinan apdb thn 2026"
    # More words: not what was offered, so they join the request, which goes on
    more = flow.handle("published", offered.data, msg("bukan itu, yg sy cari rincian per dinas"), c)
    assert more.step == "purpose" and "rincian per dinas" in more.data["information"]
    # Nothing published: no offer at all
    plain = flow.handle("information", data, msg("Data penerima pupuk subsidi 2026"), c)
    assert plain.step == "purpose" and "published" not in plain.data


def test_an_edit_of_the_information_is_offered_again_then_the_summary(
    agency: Agency, dip: Dip
) -> None:
    flow, c = Information(), ctx(agency, dip)
    data = {**_at_information(agency, dip), "_edit": True}
    offered = flow.handle("information", data, msg("perda apbd perubahan"), c)
    assert offered.step == "published"
    assert flow.handle("published", offered.data, msg(choice="file"), c).step == "summary"


async def test_sudah_cukup_files_nothing_and_keeps_the_request_to_resume(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    for line in ["2", "1", "Siti Aminah", "7312015708850002", "Jl. Kemakmuran No. 5, Lapajung"]:
        await citizen.say(line)
    for line in ["081234567890", "Guru"]:
        await citizen.say(line)
    offer = await citizen.say("laporan keuagan pemda thn 2025")
    assert "sudah tersedia untuk umum" in offer and "lkpd-2025" in offer
    done = await citizen.say("1")  # Sudah cukup, terima kasih
    assert "Semoga informasinya bermanfaat" in done and "Lanjutkan yang belum selesai" in done
    async with bot.app.db.connect() as conn:
        assert (await conn.execute(select(func.count()).select_from(cases))).scalar_one() == 0
    resumed = await citizen.say("lanjutkan")
    assert "sudah tersedia untuk umum" in resumed  # exactly where it was
    assert "Untuk apa informasi itu" in await citizen.say("tetap ajukan")
    for line in ["Bahan diskusi warga", "2", "1"]:
        await citizen.say(line)
    code = code_in(await citizen.say("kirim"))
    async with bot.app.db.connect() as conn:
        case_id = (
            await conn.execute(select(cases.c.id).where(cases.c.tracking_code == code))
        ).scalar_one()
        received = (
            await conn.execute(
                select(case_events.c.data).where(
                    (case_events.c.case_id == case_id) & (case_events.c.action == "received")
                )
            )
        ).scalar_one()
    assert received["dip_offered"] == ["lkpd-2025"]  # the record says it was offered


async def test_a_request_in_the_first_message_is_offered_before_anything_is_asked(
    bot: TestBot,
) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    offer = await citizen.say("sy mau minta salinan laporan keuangan pemda thn 2025")
    assert "sudah tersedia untuk umum" in offer and "NIK" not in offer
    asked = await citizen.say("2")  # Tetap ajukan permohonan
    assert "Permintaan Anda kami catat" in asked and "Anda mengajukan sebagai" in asked


# --- serta-merta news --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("langganan info lapajung", "/langganan lapajung"),
        ("mau langganan info bencana kec lalabata", "/langganan kec lalabata"),
        ("Berhenti berlangganan lapajung", "/berhenti lapajung"),
        ("stop langganan", "/berhenti"),
        ("bagaimana cara langganan?", None),  # a question: the menu answers it
        ("lampu jalan di lapajung mati", None),
    ],
)
def test_subscription_words(typed: str, command: str | None) -> None:
    assert subscription_command(typed, None) == command


async def _subscribers(bot: TestBot) -> dict[str, Any]:
    await grant_role(bot, "ppid", "ppid_utama")
    people = {name: bot.citizen(name) for name in ("ppid", "lapajung", "lalabata", "ganra")}
    for citizen in people.values():
        await onboard(citizen)
    assert "Kelurahan Lapajung" in await people["lapajung"].say("langganan info lapajung")
    await people["lalabata"].say("/langganan Kecamatan Lalabata")
    await people["ganra"].say("langganan ganra")
    for citizen in people.values():
        citizen.unread()
    return people


async def serta_merta_rows(bot: TestBot) -> list[Any]:
    async with bot.app.db.connect() as conn:
        query = select(outbox).where(outbox.c.kind == "serta_merta").order_by(outbox.c.id)
        return list((await conn.execute(query)).all())


async def test_a_push_reaches_the_area_around_and_inside_once_even_at_night(
    tmp_path: Path,
) -> None:
    bot = await TestBot(make_settings(tmp_path), FakeClock(START)).start()
    try:
        people = await _subscribers(bot)
        bot.clock.advance(hours=14, minutes=30)  # 23:30 in Soppeng: quiet hours
        said = await people["ppid"].say("/siarkan lapajung banjir-longsor")
        assert "Disiarkan ke 2 pelanggan Kelurahan Lapajung" in said
        for name in ("lapajung", "lalabata"):  # the desa's, and its kecamatan's
            news = people[name].unread_text()
            assert "*Informasi serta-merta*" in news and "Siaga banjir dan tanah longsor" in news
            assert "berhenti langganan" in news
        assert people["ganra"].unread_text() == ""
        rows = await serta_merta_rows(bot)
        # Threats to life wait for no morning: sent at once, unlike the kinds quiet hours hold
        assert "serta_merta" not in QUIET_KINDS and {r.status for r in rows} == {"sent"}
        again = await people["ppid"].say("/siarkan lapajung banjir-longsor")
        assert "Sudah disiarkan hari ini ke 2 pelanggan" in again
        assert len(await serta_merta_rows(bot)) == 2  # nothing twice
        # A kecamatan's push reaches its desa's subscribers too; an announcement of one's own
        warning = "Waspada angin kencang malam ini, jauhi pohon besar dan baliho."
        assert "Disiarkan ke 2 pelanggan" in await people["ppid"].say(
            f"/siarkan lalabata {warning}"
        )
        assert warning in people["lapajung"].unread_text()
    finally:
        await bot.stop()


async def test_only_serta_merta_is_pushed_and_only_by_the_ppid(bot: TestBot) -> None:
    people = await _subscribers(bot)
    refused = await people["ppid"].say("/siarkan lapajung apbd-2026")
    assert "bukan serta-merta" in refused
    assert "terlalu singkat" in await people["ppid"].say("/siarkan lapajung awas")
    assert "tidak dikenali" in await people["ppid"].say("/siarkan jakarta banjir-longsor")
    await grant_role(bot, "koordinator", "koordinator")
    koordinator = bot.citizen("koordinator")
    await onboard(koordinator)
    for someone in (koordinator, people["lapajung"]):
        assert "Perintah itu tidak dikenal" in await someone.say("/siarkan lapajung banjir-longsor")
    assert await serta_merta_rows(bot) == []


async def test_subscribing_asks_when_unsure_and_stopping_ends_it(bot: TestBot) -> None:
    citizen = bot.citizen()
    await onboard(citizen)
    unsure = await citizen.say("langganan mario")
    assert "Maksud Anda yang mana?" in unsure and "Kecamatan Marioriawa" in unsure
    assert "✅ Anda berlangganan" in await citizen.say("1")
    assert "Kecamatan Marioriwawo" in await citizen.say("langganan")  # what one has
    assert "sudah berlangganan" in await citizen.say("/langganan marioriwawo")
    assert "dihentikan" in await citizen.say("berhenti langganan")
    async with bot.app.db.connect() as conn:
        left = (await conn.execute(select(func.count()).select_from(area_subscriptions))).scalar()
    assert left == 0
    assert "tidak sedang berlangganan" in await citizen.say("/berhenti")


async def test_the_first_message_can_subscribe(bot: TestBot) -> None:
    citizen = bot.citizen()
    await citizen.say("langganan info lapajung")  # from a KIM's poster, before the welcome
    assert "✅ Anda berlangganan info serta-merta untuk Kelurahan Lapajung" in await citizen.say(
        "1"
    )


def test_the_same_warning_goes_again_another_day(agency: Agency) -> None:
    """The push key carries the day: twice today is once, tomorrow goes again."""
    from bot.handlers.serta_merta import push_key

    entry = load_dip(DIP_FILE, agency.units).get("banjir-longsor")
    today = date(2026, 11, 27)
    assert push_key(entry, "", today) != push_key(entry, "", today + timedelta(days=1))
    assert push_key(None, "Awas  Banjir", today) == push_key(None, "awas  banjir", today)
