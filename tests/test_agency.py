from __future__ import annotations

import pytest

from bot.domain.agency import Agency, AgencyConfigError, parse_agency


def test_soppeng_file_has_its_eight_kecamatan(agency: Agency) -> None:
    kecamatan = sorted(a.name for a in agency.areas.values() if a.level == "kecamatan")
    assert kecamatan == [
        "Citta",
        "Donri-Donri",
        "Ganra",
        "Lalabata",
        "Liliriaja",
        "Lilirilau",
        "Marioriawa",
        "Marioriwawo",
    ]
    assert sum(a.level != "kecamatan" for a in agency.areas.values()) >= 60


def test_routing_by_category_area_override_and_fallbacks(agency: Agency) -> None:
    assert agency.route("pengaduan", "jalan-jembatan", None).unit == "dinas-pupr"
    assert (
        agency.route("pengaduan", "layanan-kecamatan", "lalabata/lapajung").unit == "kec-lalabata"
    )
    assert agency.route("aspirasi", "layanan-kecamatan", "lalabata").unit == "kec-lalabata"
    assert agency.route("pengaduan", "layanan-kecamatan", None).unit == "dpmd"
    unknown = agency.route("pengaduan", "no-such-category", None)
    assert (unknown.unit, unknown.reason) == ("koordinator", "triage")
    assert agency.route("informasi", None, None).unit == "ppid-utama"


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("Lapajung", "lalabata/lapajung"),
        ("kel. lapajung", "lalabata/lapajung"),
        ("lapajng", "lalabata/lapajung"),  # a letter missing
        ("LAPAJUNG!!", "lalabata/lapajung"),
        ("Kecamatan Lalabata", "lalabata"),
        ("boto", "lalabata/botto"),  # alias
        ("Watansoppeng", "lalabata"),  # alias of the kecamatan
    ],
)
def test_area_matching_tolerates_typos_prefixes_and_aliases(
    agency: Agency, typed: str, expected: str
) -> None:
    match = agency.match_area(typed)
    assert match.area is not None and match.area.code == expected


def test_unknown_area_gives_nothing_and_near_names_give_candidates(agency: Agency) -> None:
    assert agency.match_area("Jakarta Selatan").area is None
    assert agency.match_area("Jakarta Selatan").candidates == ()
    assert agency.match_area("   ").area is None
    vague = agency.match_area("mario")
    assert vague.area is None
    assert {c.code for c in vague.candidates} >= {"marioriwawo", "marioriawa"}


def test_area_label_names_the_kecamatan(agency: Agency) -> None:
    assert agency.area_label("lalabata/lapajung") == "Kelurahan Lapajung, Kecamatan Lalabata"


MINIMAL = {
    "agency": {"name": "X", "triage_unit": "t", "ppid_unit": "p"},
    "units": [
        {"code": "t", "name": "T", "kind": "triage"},
        {"code": "p", "name": "P", "kind": "ppid_utama"},
    ],
    "categories": [{"code": "c", "name": "C", "unit": "t"}],
}


def test_a_minimal_agency_loads() -> None:
    agency = parse_agency(MINIMAL)
    assert agency.route("pengaduan", "c", None).unit == "t"


@pytest.mark.parametrize(
    "patch,message",
    [
        ({"categories": [{"code": "c", "name": "C", "unit": "missing"}]}, "names unit 'missing'"),
        ({"agency": {"name": "X", "triage_unit": "nope", "ppid_unit": "p"}}, "triage_unit"),
        ({"clocks": {"complaint_verfy": 3}}, "unknown [clocks]"),
        ({"units": [{"code": "Bad Code", "name": "B", "kind": "opd"}]}, "unit code"),
        ({"routing": [{"category": "c", "area": "atlantis", "unit": "t"}]}, "area 'atlantis'"),
    ],
)
def test_agency_mistakes_are_named(patch: dict[str, object], message: str) -> None:
    with pytest.raises(AgencyConfigError, match=message.replace("[", r"\[")):
        parse_agency({**MINIMAL, **patch})
