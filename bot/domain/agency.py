"""The agency file: units, categories, areas and routing rules, as data the agency edits.

Loaded once at start, validated with one readable error per problem, and mirrored into the
routing tables so reports can join on it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.domain.calendar import WorkingCalendar
from bot.domain.hotlines import Emergency, parse_emergency
from bot.domain.retention import Retention

UNIT_KINDS = ("triage", "ppid_utama", "opd", "kecamatan")
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class AgencyConfigError(Exception):
    """The agency file is missing something or contradicts itself."""


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class Category:
    code: str
    name: str
    name_en: str
    unit: str
    resolution_days: int
    field_work: bool
    keywords: tuple[str, ...] = ()  # what people type for it ("ktp", "pupuk")


@dataclass(frozen=True)
class Area:
    code: str  # "lalabata" for a kecamatan, "lalabata/lapajung" for a desa/kelurahan
    name: str
    level: str  # kecamatan | desa | kelurahan
    parent: str | None
    aliases: tuple[str, ...] = ()

    @property
    def kecamatan_code(self) -> str:
        return self.parent or self.code


@dataclass(frozen=True)
class RoutingRule:
    category: str
    area: str | None
    unit: str


@dataclass(frozen=True)
class Clocks:
    complaint_verify: int = 3
    complaint_followup: int = 5
    complaint_autoclose: int = 10
    info_response: int = 10
    info_extension: int = 7
    objection_filing: int = 30
    objection_response: int = 30
    dispute_filing: int = 14
    # Days waiting for the reporter's clarification do not count against the unit (1) or do (0).
    clarification_pauses_clock: int = 1
    # UU 27/2022: a data subject's request is answered within 3×24 hours (hours, not days).
    data_request_hours: int = 72


@dataclass(frozen=True)
class InformationCosts:
    """What a copy of public information may cost (UU 14/2008 Pasal 21, Perki 1/2021): only
    the real cost of copying and sending, stated by the PPID in each notice. `copy_per_page`
    only helps count ("25 halaman"); `payment` is how and where to pay, said in every notice
    with a cost (a cost is refused while it is empty)."""

    copy_per_page: int = 0  # rupiah per printed page; 0: not set
    payment: str = ""


@dataclass(frozen=True)
class Route:
    unit: str
    reason: str  # rule | category | ppid | triage


@dataclass(frozen=True)
class AreaMatch:
    area: Area | None  # a confident match
    candidates: tuple[Area, ...] = ()  # close matches to choose from when not confident


@dataclass
class Agency:
    name: str
    short_name: str
    privacy_url: str
    triage_unit: str
    ppid_unit: str
    register_format: str
    objection_register_format: str
    clocks: Clocks
    units: dict[str, Unit]
    categories: dict[str, Category]
    areas: dict[str, Area]
    rules: list[RoutingRule]
    calendar: WorkingCalendar
    nik_region_prefixes: tuple[str, ...] = ()
    # Where an information dispute goes (UU 14/2008 Pasal 37): the provincial commission.
    information_commission: str = "Komisi Informasi Provinsi"
    # Who is told of a personal-data breach (UU 27/2022 Pasal 46 and 58: the PDP authority).
    data_protection_authority: str = "Lembaga Pelindungan Data Pribadi"
    # How long personal data is kept, per kind of record (its [retention] table).
    retention: Retention = field(default_factory=Retention)
    # What copies cost and how to pay (its [information_costs] table).
    costs: InformationCosts = field(default_factory=InformationCosts)
    # Who to call in an emergency (its [emergency] table); 112 alone when it has none.
    emergency: Emergency = field(default_factory=Emergency)
    # The agency's own words for the reader of free text (its [understanding] table).
    understanding: dict[str, Any] = field(default_factory=dict)
    _area_index: dict[str, str] = field(default_factory=dict, repr=False)
    _village_index: dict[str, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for area in self.areas.values():
            for name in (area.name, *area.aliases):
                self._area_index.setdefault(_area_key(name), area.code)
                if area.parent is not None:  # "desa Citta" means the desa, not the kecamatan
                    self._village_index.setdefault(_area_key(name), area.code)

    # --- routing ------------------------------------------------------------------------------

    def route(self, kind: str, category: str | None, area: str | None) -> Route:
        """No wrong door: every case lands somewhere, unmatched ones at the triage unit."""
        if kind in ("informasi", "keberatan", "data_pribadi"):
            return Route(self.ppid_unit, "ppid")  # the PPID also answers for personal data
        if category is None or category not in self.categories:
            return Route(self.triage_unit, "triage")
        kecamatan = self.areas[area].kecamatan_code if area in self.areas else None
        for rule in self.rules:
            if (
                rule.category == category
                and rule.area is not None
                and rule.area
                in (
                    area,
                    kecamatan,
                )
            ):
                return Route(rule.unit, "rule")
        for rule in self.rules:
            if rule.category == category and rule.area is None:
                return Route(rule.unit, "rule")
        return Route(self.categories[category].unit, "category")

    def topic_words(self) -> dict[str, list[str]]:
        """What people type for each category: its name and its keywords."""
        return {
            c.code: [c.name, c.name_en, *c.keywords]
            for c in self.categories.values()
            if c.unit != self.triage_unit  # "Lainnya" is what is left, not a topic
        }

    def unit_for_request(self, category: str | None) -> str:
        """The unit that probably holds information on a topic; the PPID Utama otherwise."""
        found = self.categories.get(category or "")
        if found is None or found.unit == self.triage_unit:
            return self.ppid_unit
        return found.unit

    # --- areas --------------------------------------------------------------------------------

    def match_area(self, text: str) -> AreaMatch:
        """Match typed desa/kelurahan or kecamatan names, tolerating typos and prefixes."""
        key = _area_key(text)
        if not key:
            return AreaMatch(None)
        if _VILLAGE_PREFIX.match(text.strip().lower()) and key in self._village_index:
            return AreaMatch(self.areas[self._village_index[key]])
        exact = self._area_index.get(key)
        if exact is not None:
            return AreaMatch(self.areas[exact])
        within = self._names_within(key)
        if within is not None:
            return within
        found = process.extract(key, list(self._area_index), scorer=_area_score, limit=10)
        scored: dict[str, float] = {}
        for name, score, _ in found:
            code = self._area_index[name]
            scored[code] = max(scored.get(code, 0.0), score)
        ranked = sorted(scored.items(), key=lambda item: -item[1])
        good = [(code, score) for code, score in ranked if score >= 75]
        if good and good[0][1] >= 88 and (len(good) == 1 or good[0][1] - good[1][1] >= 8):
            return AreaMatch(self.areas[good[0][0]])
        near = [code for code, score in ranked if score >= 60][:5]
        return AreaMatch(None, tuple(self.areas[code] for code in near))

    def _names_within(self, key: str) -> AreaMatch | None:
        """Place names inside a longer answer: "depan SD 4 lapajung", "lapajung lalabata"."""
        words = key.split()
        hits: list[str] = []
        for size in (3, 2, 1):
            for start in range(len(words) - size + 1):
                code = self._area_index.get(" ".join(words[start : start + size]))
                if code is not None and code not in hits:
                    hits.append(code)
        if not hits:
            return None
        villages = [c for c in hits if self.areas[c].parent is not None]
        kecamatan = {c for c in hits if self.areas[c].parent is None}
        agreeing = [c for c in villages if self.areas[c].parent in kecamatan]
        if len(agreeing) == 1:
            return AreaMatch(self.areas[agreeing[0]])
        if len(hits) == 1:
            return AreaMatch(self.areas[hits[0]])
        if len(villages) == 1:
            return AreaMatch(self.areas[villages[0]])
        return AreaMatch(None, tuple(self.areas[c] for c in hits[:5]))

    def area_label(self, code: str) -> str:
        area = self.areas[code]
        if area.parent is None:
            return f"Kecamatan {area.name}"
        level = "Kelurahan" if area.level == "kelurahan" else "Desa"
        return f"{level} {area.name}, Kecamatan {self.areas[area.parent].name}"


_VILLAGE_PREFIX = re.compile(r"^(desa|kelurahan|kel|ds)\b")
_AREA_PREFIX = re.compile(r"^(desa|kelurahan|kel|kec|kecamatan|ds|kampung|dusun)\b\.?\s*")


def _area_score(typed: str, name: str, **_: object) -> float:
    """Whole-name similarity, or a slightly discounted match on the start of a longer name
    ("mario" → Marioriawa, Marioriwawo), so a short prefix yields choices, not a guess."""
    score = float(fuzz.ratio(typed, name))
    if len(typed) >= 4:
        score = max(score, 0.85 * fuzz.partial_ratio(typed, name))
    return score


def _area_key(text: str) -> str:
    cleaned = re.sub(r"[^a-z0-9 ]+", " ", text.lower()).strip()
    cleaned = _AREA_PREFIX.sub("", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip()


# --- loading ----------------------------------------------------------------------------------


def load_agency(path: Path) -> Agency:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AgencyConfigError(f"{path}: {exc}") from None
    return parse_agency(raw, source=str(path))


def parse_agency(raw: dict[str, Any], source: str = "agency") -> Agency:
    def fail(message: str) -> AgencyConfigError:
        return AgencyConfigError(f"{source}: {message}")

    head = raw.get("agency") or {}
    units = {}
    for item in raw.get("units", []):
        code = str(item.get("code", ""))
        if not _CODE.match(code) or code in units:
            raise fail(f"unit code {code!r} is empty, not lowercase-with-hyphens, or repeated")
        if item.get("kind") not in UNIT_KINDS:
            raise fail(f"unit {code}: kind must be one of {', '.join(UNIT_KINDS)}")
        units[code] = Unit(code, str(item["name"]), str(item["kind"]))

    def need_unit(code: object, where: str) -> str:
        if code not in units:
            raise fail(f"{where} names unit {code!r}, which is not in [[units]]")
        return str(code)

    categories = {}
    for item in raw.get("categories", []):
        code = str(item.get("code", ""))
        if not _CODE.match(code) or code in categories:
            raise fail(f"category code {code!r} is empty, badly formed, or repeated")
        categories[code] = Category(
            code=code,
            name=str(item["name"]),
            name_en=str(item.get("name_en", item["name"])),
            unit=need_unit(item.get("unit"), f"category {code}"),
            resolution_days=int(item.get("resolution_days", 14)),
            field_work=bool(item.get("field_work", False)),
            keywords=tuple(str(k) for k in item.get("keywords", ())),
        )
    if not categories:
        raise fail("no [[categories]] defined")

    areas: dict[str, Area] = {}
    for kec in raw.get("kecamatan", []):
        code = str(kec.get("code", ""))
        if not _CODE.match(code) or code in areas:
            raise fail(f"kecamatan code {code!r} is empty, badly formed, or repeated")
        areas[code] = Area(code, str(kec["name"]), "kecamatan", None, tuple(kec.get("aliases", ())))
        for desa in kec.get("desa", []):
            slug = _slug(str(desa["name"]))
            desa_code = f"{code}/{slug}"
            if desa_code in areas:
                raise fail(f"desa {desa['name']!r} appears twice in kecamatan {code}")
            level = str(desa.get("kind", "desa"))
            if level not in ("desa", "kelurahan"):
                raise fail(f"desa {desa['name']!r}: kind must be desa or kelurahan")
            areas[desa_code] = Area(
                desa_code, str(desa["name"]), level, code, tuple(desa.get("aliases", ()))
            )

    rules = []
    for item in raw.get("routing", []):
        category = str(item.get("category"))
        if category not in categories:
            raise fail(f"routing rule names category {category!r}, which is not defined")
        area = item.get("area")
        if area is not None and area not in areas:
            raise fail(f"routing rule names area {area!r}, which is not defined")
        rules.append(RoutingRule(category, area, need_unit(item.get("unit"), "routing rule")))

    clock_values = raw.get("clocks", {})
    known = set(Clocks.__dataclass_fields__)
    unknown = set(clock_values) - known
    if unknown:
        raise fail(f"unknown [clocks] entries: {', '.join(sorted(unknown))}")
    clocks = Clocks(**{k: int(v) for k, v in clock_values.items()})
    retention = _retention(raw.get("retention", {}), fail)

    costs = _costs(raw.get("information_costs", {}), fail)
    calendar = WorkingCalendar(
        extra_closed=[date.fromisoformat(str(d)) for d in head.get("extra_closed_days", [])],
        extra_open=[date.fromisoformat(str(d)) for d in head.get("extra_working_days", [])],
    )
    return Agency(
        name=str(head.get("name", "Pemerintah Daerah")),
        short_name=str(head.get("short_name", head.get("name", "Pemda"))),
        privacy_url=str(head.get("privacy_url", "")),
        information_commission=str(head.get("information_commission", "Komisi Informasi Provinsi")),
        data_protection_authority=str(
            head.get("data_protection_authority", "Lembaga Pelindungan Data Pribadi")
        ),
        triage_unit=need_unit(head.get("triage_unit"), "[agency] triage_unit"),
        ppid_unit=need_unit(head.get("ppid_unit"), "[agency] ppid_unit"),
        register_format=str(head.get("register_format", "{seq:03d}/PPID/{month_roman}/{year}")),
        objection_register_format=str(
            head.get("objection_register_format", "{seq:03d}/KEB/PPID/{month_roman}/{year}")
        ),
        clocks=clocks,
        units=units,
        categories=categories,
        areas=areas,
        rules=rules,
        calendar=calendar,
        nik_region_prefixes=tuple(head.get("nik_region_prefixes", ())),
        understanding=dict(raw.get("understanding", {})),
        emergency=parse_emergency(raw.get("emergency", {}), fail),
        costs=costs,
        retention=retention,
    )


def _costs(values: dict[str, Any], fail: Callable[[str], AgencyConfigError]) -> InformationCosts:
    unknown = set(values) - set(InformationCosts.__dataclass_fields__)
    if unknown:
        raise fail(f"unknown [information_costs] entries: {', '.join(sorted(unknown))}")
    per_page = values.get("copy_per_page", 0)
    if not isinstance(per_page, int) or isinstance(per_page, bool) or per_page < 0:
        raise fail("[information_costs] copy_per_page must be a whole number of rupiah, 0 or more")
    return InformationCosts(per_page, str(values.get("payment", "")).strip())


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _retention(values: dict[str, Any], fail: Callable[[str], Exception]) -> Retention:
    unknown = set(values) - set(Retention.__dataclass_fields__)
    if unknown:
        raise fail(f"unknown [retention] entries: {', '.join(sorted(unknown))}")
    for key, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise fail(f"[retention] {key} must be a whole number of days, at least 1")
    return Retention(**values)
