"""A data subject's rights from the chat (UU 27/2022 Pelindungan Data Pribadi): to see what
is held about them (Pasal 32), to have it corrected (Pasal 33 and 6), and to have it deleted
(Pasal 8 and 43) where no law requires it kept. Each request is a case of its own kind
(`Kind.DATA`), answered within 3×24 hours (`Clocks.data_request_hours`).

The bot settles what it can itself, at once: access (the summary in the chat and the full
file), the corrections of fields it can check, and the deletions the law allows now. What it
cannot (a correction of something else, or any question) stays open for the PPID.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain.cases import CLOSED
from bot.domain.contact import is_email, normalise_phone, phone_in
from bot.domain.nik import check_nik
from bot.domain.retention import Retention
from bot.values.messages import Msg, _


class Right(StrEnum):
    AKSES = "akses"
    KOREKSI = "koreksi"
    HAPUS = "hapus"


class Field(StrEnum):
    """What a person may correct themselves: the fields they typed into a form."""

    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    ADDRESS = "address"
    OCCUPATION = "occupation"
    NIK = "nik"
    OTHER = "other"  # anything else: the PPID corrects it


RIGHT_LABELS: dict[str, Msg] = {
    Right.AKSES: _("Melihat data saya"),
    Right.KOREKSI: _("Memperbaiki data saya"),
    Right.HAPUS: _("Menghapus data saya"),
}
FIELD_LABELS: dict[str, Msg] = {
    Field.NAME: _("Nama"),
    Field.PHONE: _("Nomor HP"),
    Field.EMAIL: _("Email"),
    Field.ADDRESS: _("Alamat"),
    Field.OCCUPATION: _("Pekerjaan"),
    Field.NIK: _("NIK"),
    Field.OTHER: _("Lainnya"),
}
# Words that name the right asked for, as read by the normaliser ("hapus data sy dong").
_RIGHT_WORDS: dict[Right, frozenset[str]] = {
    Right.HAPUS: frozenset({"hapus", "menghapus", "hapuskan", "dihapus", "delete", "erase"}),
    Right.KOREKSI: frozenset(
        {"perbaiki", "memperbaiki", "koreksi", "ralat", "ubah", "ganti", "salah", "keliru"}
    ),
    Right.AKSES: frozenset({"lihat", "liat", "melihat", "akses", "tampilkan", "see"}),
}


def right_named(words: tuple[str, ...] | list[str]) -> Right | None:
    """The one right a sentence about one's data names, if exactly one."""
    named = [right for right, cues in _RIGHT_WORDS.items() if cues & set(words)]
    return named[0] if len(named) == 1 else None


MAX_VALUE = {Field.NAME: 200, Field.ADDRESS: 500, Field.OCCUPATION: 200, Field.OTHER: 2000}


def corrected(field: Field, text: str) -> tuple[str | None, Msg | None]:
    """The new value of `field` as typed, checked the way the forms check it; or the reason
    it cannot be taken."""
    value = " ".join(text.split())
    if not value:
        return None, _("Mohon tulis data yang benar.")
    if field is Field.PHONE:
        phone = normalise_phone(value) or phone_in(value)
        return (phone, None) if phone else (None, _("Nomor HP belum benar, contoh 0812 3456 7890."))
    if field is Field.EMAIL:
        email = value.lower()
        return (email, None) if is_email(email) else (None, _("Alamat email belum benar."))
    if field is Field.NIK:
        nik, _problem = check_nik(value)
        return (nik, None) if nik else (None, _("NIK harus 16 angka sesuai KTP."))
    most = MAX_VALUE.get(field, 200)
    if len(value) > most:
        return None, _("Terlalu panjang: paling banyak {most} huruf.", most=most)
    return value, None


@dataclass(frozen=True)
class Held:
    """A case of the person's, as the deletion rule reads it."""

    code: str
    kind: str
    status: str
    finished_on: date | None  # the day it closed; None while open


@dataclass(frozen=True)
class Erasure:
    """What a deletion request can do today: erase now (`now`), or not yet, because cases
    are still being handled (`open_codes`) or must be kept until `kept_until`."""

    now: bool
    open_codes: tuple[str, ...] = ()
    kept_until: date | None = None


def erasure(held: list[Held], retention: Retention, today: date) -> Erasure:
    """The deletion rule: a case still being handled needs its reporter's data (the unit
    must be able to answer them), and a finished one is an agency record kept for its
    retention period (UU 43/2009); past that, or with no case at all, the data goes now."""
    open_codes = tuple(h.code for h in held if h.status not in CLOSED or h.finished_on is None)
    if open_codes:
        return Erasure(False, open_codes)
    until = max(
        (retention.kept_until(h.kind, h.finished_on) for h in held if h.finished_on), default=None
    )
    if until is not None and until >= today:
        return Erasure(False, kept_until=until)
    return Erasure(True)
