"""What a written notice settles when information is given (UU 14/2008 Pasal 22 ayat 7):
the form it is given in, the day, and the cost. The one home of these rules: the guided form
asks by them, a typed command is checked by them, and the letter says what they decided.

A form is the requester's two choices in one value: how they obtain it and how a copy reaches
them (`"hardcopy:pos"`), or `"melihat"` (seen at the office: nothing is copied or sent).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.domain.agency import Agency
from bot.domain.calendar import WorkingCalendar
from bot.domain.lifecycle import Decision
from bot.values.messages import Msg, _

# The decisions under which information is given, so its form, day and cost are stated, and
# its delivery is recorded afterwards (`/serahkan`).
GIVING = (Decision.GRANTED, Decision.PARTIAL)
# The same ids as the request form's buttons (bot.flows.information_form).
SEEING = "melihat"
OBTAIN_METHODS = (SEEING, "softcopy", "hardcopy")
DELIVERY_METHODS = ("langsung", "email", "pos", "kurir", "faksimili")
# The forms offered first, besides the one the requester asked for.
COMMON_FORMS = (
    "softcopy:email",
    "softcopy:langsung",
    "hardcopy:langsung",
    "hardcopy:pos",
    "hardcopy:kurir",
    SEEING,
)
# A typed command that does not say the form gives it as the requester asked; the guided form
# swaps this for the request's own form before anything is checked or shown.
AS_ASKED = "asked"
MAX_COST = 100_000_000  # rupiah: more is a slip of the keyboard, not a copying cost


def form_of(obtain: str | None, delivery: str | None) -> str | None:
    """The form a request asked for, or None when the request does not say (old data)."""
    if obtain == SEEING:
        return SEEING
    if obtain not in OBTAIN_METHODS:
        return None
    return f"{obtain}:{delivery if delivery in DELIVERY_METHODS else 'langsung'}"


def split_form(form: str) -> tuple[str, str | None]:
    """(how it is obtained, how a copy reaches the requester); no delivery for seeing it."""
    obtain, _sep, delivery = form.partition(":")
    return obtain, delivery or None


def valid_form(form: object) -> bool:
    if form == SEEING:
        return True
    if not isinstance(form, str):
        return False
    obtain, delivery = split_form(form)
    return obtain in OBTAIN_METHODS[1:] and delivery in DELIVERY_METHODS


def free_by_rule(form: str) -> bool:
    """UU 14/2008 Pasal 21, Perki 1/2021: only the real cost of copying and sending may be
    charged, and electronic copies are free. Seeing it at the office, and an electronic copy
    taken in person or sent by email, cost nothing, so the PPID is not asked. A printed copy,
    or anything sent by post, courier or fax, may cost something: the PPID states it (0 too)."""
    obtain, delivery = split_form(form)
    return obtain == SEEING or delivery == "email" or (obtain, delivery) == ("softcopy", "langsung")


# --- the day it is given ------------------------------------------------------------------------

SOON = frozenset({"segera", "hari ini", "hariini", "sekarang", "today", "now", "hr ini"})
TOMORROW = frozenset({"besok", "bsk", "tomorrow"})
MONTHS = {
    **dict.fromkeys(("jan", "januari", "january"), 1),
    **dict.fromkeys(("feb", "februari", "pebruari", "february"), 2),
    **dict.fromkeys(("mar", "maret", "march"), 3),
    **dict.fromkeys(("apr", "april"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("jun", "juni", "june"), 6),
    **dict.fromkeys(("jul", "juli", "july"), 7),
    **dict.fromkeys(("agu", "agt", "ags", "agustus", "aug", "august"), 8),
    **dict.fromkeys(("sep", "sept", "september"), 9),
    **dict.fromkeys(("okt", "oktober", "oct", "october"), 10),
    **dict.fromkeys(("nov", "nopember", "november"), 11),
    **dict.fromkeys(("des", "desember", "dec", "december"), 12),
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_NUMERIC = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?")
_WORDS = re.compile(r"(\d{1,2})\s+([a-z]+)\.?(?:\s+(\d{4}))?")
# Shapes a typed command's word may have to be read as the day (the rest is the text).
DAY_TOKEN = re.compile(
    r"segera|sekarang|hariini|besok|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
)


def read_day(text: str, today: date, calendar: WorkingCalendar | None = None) -> date | None:
    """The day a PPID names ("segera", "besok", "3/12", "2026-12-03", "3 Desember 2026"), or
    None when it is no day. A day without a year that has passed is next year's ("5/1" typed
    in December). With the agency's `calendar`, "besok" and "lusa" are working days: a PPID
    who says "besok" on a Friday means Monday, the office's next day."""
    value = " ".join(text.lower().replace(",", " ").split())
    value = re.sub(r"^(?:tanggal|tgl\.?|pada)\s+", "", value)
    if value in SOON:
        return today
    ahead = 1 if value in TOMORROW else 2 if value == "lusa" else 0
    if ahead:
        if calendar is not None:
            return calendar.add_working_days(today, ahead)
        return today + timedelta(days=ahead)
    if found := _ISO.fullmatch(value):
        return _day(int(found[1]), int(found[2]), int(found[3]))
    year: int | None = None
    if found := _NUMERIC.fullmatch(value):
        day, month = int(found[1]), int(found[2])
        if found[3]:
            year = int(found[3]) + (2000 if len(found[3]) == 2 else 0)
    elif (found := _WORDS.fullmatch(value)) and found[2] in MONTHS:
        day, month = int(found[1]), MONTHS[found[2]]
        year = int(found[3]) if found[3] else None
    else:
        return None
    if year is not None:
        return _day(year, month, day)
    this_year = _day(today.year, month, day)
    if this_year is None or this_year >= today:
        return this_year
    return _day(today.year + 1, month, day)


def day_problem(text: str, today: date, calendar: WorkingCalendar | None = None) -> Msg | None:
    """Why `text` names no day information can be given on: not before today, and (with
    the agency's `calendar`) a working day, since the notice sends the requester to an
    office that is open then."""
    day = read_day(text, today, calendar)
    if day is None:
        return _(
            "Sebutkan kapan informasi diberikan: *segera*, *besok*, atau tanggalnya "
            "(misalnya 3/12/2026)."
        )
    if day < today:
        return _("Tanggal penyerahan tidak boleh sebelum hari ini ({today}).", today=today)
    if calendar is not None and day != today and not calendar.is_working_day(day):
        return _(
            "{day} bukan hari kerja. Pilih hari kerja, misalnya {next}.",
            day=day,
            next=calendar.add_working_days(day, 1),
        )
    return None


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# --- the cost -------------------------------------------------------------------------------------

FREE_WORDS = frozenset({"gratis", "tanpa biaya", "free", "nol", "0", "rp0", "rp 0", "rp. 0"})
_AMOUNT = re.compile(
    r"(?:biaya\s*)?(?:rp\.?\s*)?(\d{1,3}(?:[.,]\d{3})+|\d+)(?:,-|,00)?(?:\s*rupiah)?"
)
_PAGES = re.compile(r"(\d{1,4})\s*(?:hal|halaman|hlm|lembar|lbr|pages?)\.?")
# Shapes a typed command's word may have to be read as the cost: "gratis", "rp12500".
COST_TOKEN = re.compile(r"gratis|rp\.?\d[\d.,]*")


def read_cost(text: str, per_page: int) -> int | None:
    """The rupiah a PPID states ("12500", "Rp12.500", "gratis"; "25 halaman" at the agency's
    `per_page`), or None when it is no amount. 0 only when said: "gratis" or "0"."""
    value = " ".join(text.lower().split())
    if value in FREE_WORDS:
        return 0
    if (pages := _PAGES.fullmatch(value)) and per_page > 0:
        amount = int(pages[1]) * per_page
    elif found := _AMOUNT.fullmatch(value):
        amount = int(re.sub(r"\D", "", found[1]))
    else:
        return None
    return amount if amount <= MAX_COST else None


def cost_problem(text: str, agency: Agency) -> Msg | None:
    """A copy that is not free by rule: the PPID states the real cost (0 only when said), and
    a cost goes out only with the agency's own words on how and where to pay it."""
    cost = read_cost(text, agency.costs.copy_per_page)
    if cost is None:
        return _(
            "Sebutkan biaya salinan dalam rupiah (misalnya *12500*), atau *gratis* bila tanpa "
            "biaya. Hanya biaya nyata penggandaan dan pengiriman yang boleh dipungut; salinan "
            "elektronik gratis."
        )
    if cost > 0 and not agency.costs.payment:
        return _(
            "Cara dan tempat pembayaran belum diatur di berkas agency ([information_costs] "
            "payment). Minta admin mengisinya, atau tulis *gratis*."
        )
    return None
