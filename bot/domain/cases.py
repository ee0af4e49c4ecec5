"""Kinds of case, their statuses, and the legal dates set at intake.

Later work adds the full transition tables (officer actions); intake needs the first status
and the clocks, in working days from the agency's configuration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from bot.values.messages import Msg, _

if TYPE_CHECKING:  # the agency file's values hold a retention rule that reads the kinds
    from bot.domain.agency import Agency


class Kind(StrEnum):
    PENGADUAN = "pengaduan"
    ASPIRASI = "aspirasi"
    INFORMASI = "informasi"
    KEBERATAN = "keberatan"
    DATA = "data_pribadi"  # a data-subject request (UU 27/2022): access, correction, deletion


COMPLAINT_KINDS = frozenset({Kind.PENGADUAN, Kind.ASPIRASI})  # one machine, one clock
# Kinds with one answer due (`response_due`) instead of the complaint's steps.
RESPONSE_KINDS = frozenset({Kind.INFORMASI, Kind.KEBERATAN, Kind.DATA})


class Status(StrEnum):
    # complaints and aspirations (SP4N-LAPOR! labels)
    DITERIMA = "diterima"  # belum terverifikasi
    TERVERIFIKASI = "terverifikasi"
    DIDISPOSISI = "didisposisi"
    DITINDAKLANJUTI = "ditindaklanjuti"
    DITUNDA = "ditunda"  # waiting for the reporter's clarification
    BUKAN_WEWENANG = "bukan_wewenang"
    SELESAI = "selesai"
    DITUTUP = "ditutup"
    ARSIP = "arsip"
    # information requests and objections
    DIPROSES = "diproses"
    DIPERPANJANG = "diperpanjang"
    DIPUTUS = "diputus"  # written notice given


class Identity(StrEnum):
    """How the reporter chose to be known (SP4N-LAPOR!): named, anonymous to the officers, or
    named but with the report kept out of anything published."""

    BIASA = "biasa"
    ANONIM = "anonim"
    RAHASIA = "rahasia"


# Finished: no step is due any more, and the case leaves the queues.
CLOSED = frozenset(
    {Status.SELESAI, Status.DITUTUP, Status.ARSIP, Status.DIPUTUS, Status.BUKAN_WEWENANG}
)


def due_on(
    kind: str,
    status: str,
    *,
    verify_due: date | None,
    followup_due: date | None,
    resolution_due: date | None,
    response_due: date | None,
    followed_up_on: date | None,
) -> date | None:
    """The date the case's current step is due, None once it is finished: verification while
    received, the first follow-up once dispatched (and until there is one), then the
    resolution; for requests and objections the answer. The one home of this rule:
    `storage.repo.status_due` is its SQL form, and a test holds the two together."""
    if status in CLOSED:
        return None
    if kind in RESPONSE_KINDS:
        return response_due
    if status == Status.DITERIMA:
        return verify_due
    if status in (Status.TERVERIFIKASI, Status.DIDISPOSISI) or followed_up_on is None:
        return followup_due or resolution_due  # the first follow-up is still owed
    return resolution_due or followup_due


def due_of(case: Any) -> date | None:
    """`due_on` read from anything with a case's columns: a `Case`, or a row of a query."""
    return due_on(
        case.kind,
        case.status,
        verify_due=case.verify_due,
        followup_due=case.followup_due,
        resolution_due=case.resolution_due,
        response_due=case.response_due,
        followed_up_on=case.followed_up_on,
    )


STATUS_LABELS: dict[str, Msg] = {
    Status.DITERIMA: _("Diterima, menunggu verifikasi"),
    Status.TERVERIFIKASI: _("Terverifikasi"),
    Status.DIDISPOSISI: _("Diteruskan ke unit yang berwenang"),
    Status.DITINDAKLANJUTI: _("Sedang ditindaklanjuti"),
    Status.DITUNDA: _("Menunggu penjelasan dari Anda"),
    Status.BUKAN_WEWENANG: _("Diteruskan ke instansi yang berwenang"),
    Status.SELESAI: _("Selesai ditangani"),
    Status.DITUTUP: _("Ditutup"),
    Status.ARSIP: _("Diarsipkan"),
    Status.DIPROSES: _("Sedang diproses PPID"),
    Status.DIPERPANJANG: _("Waktu jawaban diperpanjang"),
    Status.DIPUTUS: _("Sudah dijawab tertulis"),
}

KIND_LABELS: dict[str, Msg] = {
    Kind.PENGADUAN: _("Pengaduan"),
    Kind.ASPIRASI: _("Aspirasi"),
    Kind.INFORMASI: _("Permohonan informasi"),
    Kind.KEBERATAN: _("Keberatan"),
    Kind.DATA: _("Permintaan data pribadi"),
}


def initial_status(kind: str) -> Status:
    return Status.DITERIMA if kind in COMPLAINT_KINDS else Status.DIPROSES


@dataclass(frozen=True)
class Deadlines:
    verify_due: date | None = None
    followup_due: date | None = None
    resolution_due: date | None = None
    response_due: date | None = None


def followup_due_from(agency: Agency, dispatched: date) -> date:
    """The unit's first follow-up of a complaint: `complaint_followup` working days after the
    case reached it (SP4N-LAPOR!: 5 working days from the disposition). At intake the
    verification deadline stands in for the day of dispatch; the dispatch itself (verify, or
    a forward while still unverified) sets the real date."""
    return agency.calendar.add_working_days(dispatched, agency.clocks.complaint_followup)


def intake_deadlines(agency: Agency, kind: str, category: str | None, received: date) -> Deadlines:
    clocks, calendar = agency.clocks, agency.calendar
    if kind in COMPLAINT_KINDS:
        verify = calendar.add_working_days(received, clocks.complaint_verify)
        followup = followup_due_from(agency, verify)  # until it is dispatched (see there)
        target = (
            agency.categories[category].resolution_days if category in agency.categories else None
        )
        resolution = calendar.add_working_days(received, target) if target else None
        return Deadlines(verify_due=verify, followup_due=followup, resolution_due=resolution)
    if kind == Kind.INFORMASI:
        return Deadlines(response_due=calendar.add_working_days(received, clocks.info_response))
    if kind == Kind.DATA:
        # UU 27/2022: 3×24 hours, counted in hours, not working days. The day the hours run
        # out is the due date (reminders and escalation work by the day).
        return Deadlines(response_due=received + timedelta(days=clocks.data_request_hours // 24))
    return Deadlines(response_due=calendar.add_working_days(received, clocks.objection_response))
