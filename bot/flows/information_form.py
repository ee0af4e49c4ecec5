"""The permohonan informasi publik itself: what it holds (`InformationForm`), the choices the law
names (UU 14/2008, Perki 1/2021), the checks and words of its answers, its summary and what a
case keeps of it. Pure: the conversation is in `bot.flows.information`."""

from __future__ import annotations

import re
from typing import Any, TypedDict

from bot.domain.contact import mask_phone, phone_in
from bot.domain.nik import NikProblem, mask_nik
from bot.flows.base import Context, for_resident, not_text_problem, quoted, text_problem
from bot.flows.resident import ResidentRecord
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Button, Inbound


class InformationForm(TypedDict, total=False):
    requester_type: str  # "perorangan", "badan_hukum" or "kuasa"
    name: str  # the requester's name (for a legal entity: its name and who answers for it)
    nik: str  # the requester's NIK (16 digits), unless a legal entity requests
    legal_entity_number: str  # a legal entity's decree number (SK Kemenkumham AHU-…)
    address: str  # the requester's address (with the resident's desa, when filed for one)
    phone: str | None  # the requester's phone number (E.164), where given
    email: str | None  # the requester's e-mail address (lowercased), where given
    occupation: str  # the requester's occupation
    information: str  # the information requested, in the requester's words
    purpose: str  # what the information will be used for
    obtain_method: str  # how to obtain it: "melihat", "softcopy" or "hardcopy"
    delivery_method: str | None  # how copies reach the requester: "langsung", "email", "pos" …
    resident: ResidentRecord  # the resident a KIM volunteer files for (the resident flow)
    # Working keys, never kept by the case (see `submission`):
    _carried: bool  # the request came with the form (told at the menu): not asked again
    _edit: bool  # a field picked from Ubah: after it, back to the summary
    via_volunteer: bool  # the resident is reached through the volunteer who filed


# The two with a `_` are read elsewhere under these names: `_carried` (carried in by the menu
# and the understood intent), `_edit` (dropped by the engine on "kembali").
WORKING_KEYS = frozenset({"_carried", "_edit", "via_volunteer"})

REQUESTER_BUTTONS = (
    Button("perorangan", _("Perorangan"), ("pribadi", "individual")),
    Button("badan_hukum", _("Badan hukum"), ("lembaga", "organisasi", "legal entity")),
    Button("kuasa", _("Kuasa (mewakili orang lain)"), ("kuasa", "proxy")),
)
OBTAIN_BUTTONS = (
    Button("melihat", _("Melihat / membaca / mendengarkan / mencatat"), ("melihat", "membaca")),
    Button("softcopy", _("Salinan elektronik (softcopy)"), ("softcopy", "elektronik", "file")),
    Button("hardcopy", _("Salinan cetak (hardcopy)"), ("hardcopy", "cetak", "fotokopi")),
)
DELIVERY_BUTTONS = (
    Button(
        "langsung",
        _("Ambil langsung"),
        ("ambil", "langsung", "ambil sendiri", "diambil sendiri", "di kantor", "ambil di kantor"),
    ),
    Button("email", _("Email"), ("email", "surel")),
    Button("pos", _("Pos"), ("pos",)),
    Button("kurir", _("Kurir"), ("kurir",)),
    Button("faksimili", _("Faksimili"), ("fax", "faks")),
)
SUMMARY_BUTTONS = (
    Button("send", _("✅ Kirim"), ("kirim", "ya", "send", "yes")),
    Button("edit", _("✏️ Ubah"), ("ubah", "edit")),
    Button("cancel", _("❌ Batal"), ("batal", "cancel")),
)
EDITABLE = (
    ("requester_type", _("Jenis pemohon")),
    ("name", _("Nama")),
    ("id_number", _("NIK / nomor pengesahan")),
    ("address", _("Alamat")),
    ("contact", _("Kontak")),
    ("occupation", _("Pekerjaan")),
    ("information", _("Informasi yang diminta")),
    ("purpose", _("Tujuan penggunaan")),
    ("obtain", _("Cara memperoleh")),
    ("delivery", _("Cara menerima salinan")),
)
NIK_PROBLEMS: dict[NikProblem, Msg] = {
    NikProblem.LENGTH: _("NIK harus 16 angka, sesuai KTP. Mohon periksa lagi."),
    NikProblem.REGION: _(
        "Kode wilayah pada NIK (6 angka pertama) tidak dikenal. Mohon periksa lagi."
    ),
    NikProblem.BIRTH_DATE: _(
        "Angka ke-7 sampai ke-12 pada NIK (tanggal lahir) tidak sesuai. Mohon periksa lagi."
    ),
}
VIA_VOLUNTEER = Button(
    "via_volunteer",
    _("Hubungi lewat relawan KIM"),
    (
        "lewati",
        "tidak ada",
        "tdk ada",
        "tdk ada hp",
        "tidak punya",
        "tidak ada hp",
        "lewat saya",
        "lewat sy",
        "lewat saya saja",
        "lewat relawan",
        "hubungi saya",
        "ke saya",
    ),
)
EMAIL_IN_TEXT = re.compile(r"[^@\s:;,/]+@[^@\s:;,/]+\.[A-Za-z]{2,}")
# Free-text steps: (minimum, maximum) length.
TEXT_LIMITS = {
    "name": (3, 100),
    "address": (10, 300),
    "occupation": (3, 100),
    "information": (10, 2000),
    "purpose": (5, 1000),
}
REQUESTER_LABELS = {b.id: b.label for b in REQUESTER_BUTTONS}
OBTAIN_LABELS = {b.id: b.label for b in OBTAIN_BUTTONS}
DELIVERY_LABELS = {b.id: b.label for b in DELIVERY_BUTTONS}


def typed_problem(step: str, inbound: Inbound, low: int | None = None) -> Msg | None:
    """Why a free-text answer cannot be used at `step` (one of `TEXT_LIMITS`; `low` instead of
    its minimum length), or None when it can."""
    least, most = TEXT_LIMITS[step]
    return not_text_problem(inbound) or text_problem(
        inbound.text, min_len=least if low is None else low, max_len=most
    )


def parse_contact(text: str) -> tuple[str | None, str | None]:
    """A phone number and/or an e-mail address out of what people write: "hp 0812-4567-8901
    email a@b.id", "WA +62 812 4567 8901", "no hp saya 081245678901". Other words are ignored."""
    emails = EMAIL_IN_TEXT.findall(text)
    rest = EMAIL_IN_TEXT.sub(" ", text)
    return phone_in(rest), (emails[0].lower() if emails else None)


def contact_label(data: dict[str, Any], contact: str) -> Msg | Raw:
    if not data.get("via_volunteer"):
        return Raw(contact or "-")
    if contact:
        return _("lewat relawan KIM ({contact})", contact=Raw(contact))
    return _("lewat relawan KIM")


def summary(data: dict[str, Any], ctx: Context) -> Msg:
    identity = (
        Raw(mask_nik(data["nik"])) if data.get("nik") else Raw(data.get("legal_entity_number", "-"))
    )
    contact = " ".join(
        part
        for part in (
            mask_phone(data["phone"]) if data.get("phone") else "",
            data.get("email") or "",
        )
        if part
    )
    heading = for_resident(data, _("*Periksa permohonan Anda:*"), _("*Periksa permohonan warga:*"))
    body = _(
        "{heading}\n"
        "Pemohon: {requester_type}\n"
        "Nama: {name}\n"
        "NIK / nomor pengesahan: {identity}\n"
        "Alamat: {address}\n"
        "Kontak: {contact}\n"
        "Pekerjaan: {occupation}\n"
        "Informasi yang diminta: {information}\n"
        "Tujuan penggunaan: {purpose}\n"
        "Cara memperoleh: {obtain}\n"
        "Cara menerima salinan: {delivery}",
        requester_type=REQUESTER_LABELS.get(data.get("requester_type", ""), Raw("-")),
        heading=heading,
        name=quoted(data.get("name", "-"), 100),
        identity=identity,
        address=quoted(data.get("address", "-"), 300),
        contact=contact_label(data, contact),
        occupation=quoted(data.get("occupation", "-"), 100),
        information=quoted(data.get("information", "-"), 500),
        purpose=quoted(data.get("purpose", "-"), 300),
        obtain=OBTAIN_LABELS.get(data.get("obtain_method", ""), Raw("-")),
        delivery=DELIVERY_LABELS.get(data.get("delivery_method", ""), Raw("-")),
    )
    return join(body, _("Kirim permohonan ini?"))


def first_missing(data: dict[str, Any]) -> str | None:
    """A field the law requires that edits or going back left empty."""
    for step in ("requester_type", "name", "address", "occupation", "information", "purpose"):
        if not data.get(step):
            return step
    if not (data.get("nik") or data.get("legal_entity_number")):
        return "id_number"
    if not (data.get("phone") or data.get("email")):
        return "contact"
    if not data.get("obtain_method"):
        return "obtain"
    if not data.get("delivery_method") or (
        data["delivery_method"] == "email" and not data.get("email")
    ):
        return "delivery"
    return None


def submission(data: dict[str, Any]) -> dict[str, Any]:
    """What the request files: the form without its working keys (nor any key starting with
    `_`, as they were all once named)."""
    return {k: v for k, v in data.items() if k not in WORKING_KEYS and not k.startswith("_")}
