"""A kuasa's part of the request: whom the applicant represents (`KuasaFields`), the surat
kuasa's files, the buttons and words of its questions, and its lines in the summary, the Ubah
menu and the PPID's card. Pure: the questions, step by step, are in `bot.flows.kuasa`."""

from __future__ import annotations

import re
from typing import Any, TypedDict

from bot.domain.nik import check_nik, mask_nik
from bot.flows.base import (
    name_problem,
    text_problem,
)
from bot.values.messages import Msg, Raw, _
from bot.values.types import Button, Media

# The steps' names (values of `Information.Step`; stored, so they never change).
PRINCIPAL_TYPE = "principal_type"
PRINCIPAL_NAME = "principal_name"
PRINCIPAL_NUMBER = "principal_number"
POWER_OF_ATTORNEY = "power_of_attorney"
STEPS = (PRINCIPAL_TYPE, PRINCIPAL_NAME, PRINCIPAL_NUMBER, POWER_OF_ATTORNEY)

CAPTION = "surat_kuasa"  # the caption its files are filed with (attachments.caption)
MAX_LETTER_FILES = 5  # pages of one letter; a letter is not a photo album
LETTER_KINDS = ("photo", "document")


class LetterFile(TypedDict):
    """One page (a photo) or the whole letter (a document), as an attachment of the case."""

    kind: str  # photo | document
    ref: str  # the channel's file reference
    type: str | None  # the content type, where the channel says
    caption: str  # always `CAPTION`


class KuasaFields(TypedDict, total=False):
    """What a kuasa request adds to `InformationForm` (whose `WORKING_KEYS` name the two a
    case does not keep)."""

    principal_type: str  # "perorangan" or "badan_hukum": whom the applicant represents
    principal_name: str  # the principal's name (a legal entity's name)
    principal_number: str  # the principal's NIK (16 digits) or the entity's decree number
    attachments: list[LetterFile]  # the surat kuasa, page by page
    letter_later: bool  # "Kirim nanti": filed without the letter, which the PPID will ask for
    letter_replacing: bool  # Ubah → Surat kuasa: the next file replaces the old ones


PRINCIPAL_BUTTONS = (
    Button(
        "perorangan",
        _("Perorangan (seorang warga)"),
        ("orang", "pribadi", "warga", "keluarga", "individual", "person"),
    ),
    Button(
        "badan_hukum",
        _("Badan hukum atau lembaga"),
        ("lembaga", "organisasi", "yayasan", "perusahaan", "koperasi", "legal entity"),
    ),
)
PRINCIPAL_LABELS = {
    "perorangan": _("perorangan"),
    "badan_hukum": _("badan hukum"),
}
LATER = Button(
    "skip",
    _("⏳ Kirim nanti"),
    ("nanti", "nanti saja", "menyusul", "susulan", "belum ada", "blm ada", "tidak ada", "lewati"),
)
NEXT = Button("next", _("➡️ Lanjut"), ("lanjut", "sudah", "cukup", "itu saja", "selesai", "next"))
KEEP = Button("next", _("↩️ Tetap pakai yang lama"), ("tetap", "yang lama", "lama"))
# A name with one of these is a legal entity's ("CV Maju Jaya", "Yayasan Sipakatau").
_ENTITY = re.compile(
    r"\b(pt|cv|ud|yayasan|koperasi|kop|perkumpulan|firma|fa|lsm|ormas|persero|tbk)\b\.?", re.I
)
# "ibu saya", "mewakili bapak": family, so a person (whose name is still to be asked).
_FAMILY = re.compile(
    r"\b(ibu|bapak|ayah|ortu|orang tua|suami|istri|anak|kakak|adik|nenek|kakek|paman|tante|"
    r"om|saudara|keluarga|tetangga|mertua)\s+(saya|sy|aku|kami|sya)\b",
    re.I,
)
# Words of a sentence, not of a name: "saya mewakili tetangga" is no one's name.
_SENTENCE = re.compile(
    r"\b(saya|sy|aku|mewakili|wakil|untuk|utk|atas|dari|yang|yg|ini|itu|beliau|dia|mau|ingin)\b",
    re.I,
)


def is_kuasa(data: dict[str, Any]) -> bool:
    return data.get("requester_type") == "kuasa"


def letters(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The surat kuasa's files among the form's attachments."""
    return [a for a in data.get("attachments", []) if a.get("caption") == CAPTION]


def owed(data: dict[str, Any]) -> str | None:
    """The first kuasa question still unanswered (None when none is, or not a kuasa)."""
    if not is_kuasa(data):
        return None
    if data.get("principal_type") not in PRINCIPAL_LABELS:
        return PRINCIPAL_TYPE
    if not data.get("principal_name"):
        return PRINCIPAL_NAME
    if not data.get("principal_number"):
        return PRINCIPAL_NUMBER
    if not letters(data) and not data.get("letter_later"):
        return POWER_OF_ATTORNEY
    return None


def forget(data: dict[str, Any]) -> None:
    """No longer a kuasa (the requester type changed): whom they represented, and the letter,
    do not belong to the request any more."""
    for key in ("principal_type", "principal_name", "principal_number"):
        data.pop(key, None)
    data.pop("letter_later", None)
    data.pop("letter_replacing", None)
    kept = [a for a in data.get("attachments", []) if a.get("caption") != CAPTION]
    if kept:
        data["attachments"] = kept
    else:
        data.pop("attachments", None)


def with_letter(data: dict[str, Any], media: tuple[Media, ...]) -> int:
    """Adds the photos and documents sent to the letter (after Ubah → Surat kuasa, instead
    of the old files); returns how many were kept."""
    usable = [m for m in media if m.kind in LETTER_KINDS]
    if not usable:
        return 0
    others = [a for a in data.get("attachments", []) if a.get("caption") != CAPTION]
    old = [] if data.pop("letter_replacing", False) else letters(data)
    room = max(0, MAX_LETTER_FILES - len(old))
    new: list[LetterFile] = [
        {"kind": m.kind, "ref": m.file_ref, "type": m.content_type, "caption": CAPTION}
        for m in usable[:room]
    ]
    data["attachments"] = [*others, *old, *new]
    data.pop("letter_later", None)
    return len(new)


def principal_label(
    kind: str | None, name: str | None, number: str | None, *, full_nik: bool = False
) -> Msg:
    """ "Hj. Fatimah (perorangan), NIK ************0002": whom a kuasa represents (the
    summary, the card). The NIK masked, as the requester's is: in full only where theirs is
    (`full_nik`, the PPID utama's own card)."""
    if kind == "badan_hukum":
        return _(
            "{name} (badan hukum), nomor pengesahan {number}",
            name=Raw(name or "-"),
            number=Raw(number or "-"),
        )
    nik = (number if full_nik else mask_nik(number)) if number else "-"
    return _("{name} (perorangan), NIK {nik}", name=Raw(name or "-"), nik=Raw(nik))


def letter_label(count: int) -> Msg:
    if count:
        return _("terlampir ({count} berkas)", count=count)
    return _("belum dilampirkan; PPID akan memintanya sebelum informasi diberikan")


def summary_part(data: dict[str, Any]) -> Msg | Raw:
    """The kuasa's lines of the summary (nothing for anyone else)."""
    if not is_kuasa(data):
        return Raw("")
    return _(
        "\nMewakili: {principal}\nSurat kuasa: {letter}",
        principal=principal_label(
            data.get("principal_type"), data.get("principal_name"), data.get("principal_number")
        ),
        letter=letter_label(len(letters(data))),
    )


def edit_buttons(data: dict[str, Any]) -> tuple[Button, ...]:
    """The kuasa's parts of the Ubah menu (none for anyone else)."""
    if not is_kuasa(data):
        return ()
    return (
        Button(PRINCIPAL_TYPE, _("Jenis pemberi kuasa")),
        Button(PRINCIPAL_NAME, _("Nama pemberi kuasa")),
        Button(PRINCIPAL_NUMBER, _("NIK / nomor pemberi kuasa")),
        Button(POWER_OF_ATTORNEY, _("Surat kuasa")),
    )


def read_principal(text: str) -> tuple[str | None, str | None, str | None]:
    """What a typed answer to "whom do you represent?" says: (type, name, number). A NIK is a
    person's; a name with PT, CV, yayasan… an entity's; another name only a name."""
    nik, problem = check_nik(text)
    if problem is None:
        return "perorangan", None, nik
    if _FAMILY.search(text):
        return "perorangan", None, None
    if name_problem(text) is not None or text_problem(text, min_len=3, max_len=200):
        return None, None, None
    if _ENTITY.search(text):
        return "badan_hukum", text.strip(), None
    if len(text.split()) <= 6 and not _SENTENCE.search(text):
        return None, text.strip(), None
    return None, None, None
