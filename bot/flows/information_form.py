"""The permohonan informasi publik itself: what it holds (`InformationForm`), the choices the law
names (UU 14/2008, Perki 1/2021), the checks and words of its answers, its summary and what a
case keeps of it. Pure: the conversation is in `bot.flows.information`."""

from __future__ import annotations

import re
from typing import Any, TypedDict

from bot.domain.contact import mask_phone, normalise_phone, phone_in
from bot.domain.nik import NikProblem, check_nik, mask_nik
from bot.flows.base import (
    Context,
    for_resident,
    not_text_problem,
    quoted,
    resident_area,
    text_problem,
)
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
    # A kuasa's (bot.flows.kuasa_form.KuasaFields): whom they represent, and the surat kuasa
    principal_type: str  # "perorangan" or "badan_hukum"
    principal_name: str  # the principal's name
    principal_number: str  # the principal's NIK (16 digits) or legal entity's decree number
    attachments: list[dict[str, Any]]  # the surat kuasa's files (caption "surat_kuasa")
    published: list[str]  # the DIP entries offered, filed anyway (kept in the case's record)
    # Working keys, never kept by the case (see `submission`):
    _carried: bool  # the request came with the form (told at the menu): not asked again
    _edit: bool  # a field picked from Ubah: after it, back to the summary
    via_volunteer: bool  # the resident is reached through the volunteer who filed
    letter_later: bool  # "Kirim nanti" (no letter yet): the question is answered
    letter_replacing: bool  # Ubah → Surat kuasa: the next file replaces the old ones


# The two with a `_` are read elsewhere under these names: `_carried` (carried in by the menu
# and the understood intent), `_edit` (dropped by the engine on "kembali").
WORKING_KEYS = frozenset({"_carried", "_edit", "via_volunteer", "letter_later", "letter_replacing"})

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


def id_number_problem(data: dict[str, Any], inbound: Inbound) -> Msg | None:
    """Why the answer is no NIK (for a legal entity: no decree number), or None: then it is
    kept in `data`."""
    problem = not_text_problem(inbound) or text_problem(inbound.text, max_len=100)
    if problem is not None:
        return problem
    text = (inbound.text or "").strip()
    if data.get("requester_type") == "badan_hukum":
        if len(text) < 5:
            return _("Nomor pengesahan terlalu pendek. Mohon periksa lagi.")
        data["legal_entity_number"] = text
        return None
    nik, nik_problem = check_nik(text)
    if nik_problem is not None:
        return NIK_PROBLEMS[nik_problem]
    data["nik"] = nik
    return None


def address_problem(data: dict[str, Any], inbound: Inbound, ctx: Context) -> Msg | None:
    """Why the answer is no address, or None: then it is kept in `data` (with the resident's
    desa, for a KIM volunteer, who named it already: "Dusun II" is enough)."""
    home = resident_area(data)
    problem = typed_problem("address", inbound, low=3 if home else None)
    if problem is None and normalise_phone(inbound.text or ""):
        problem = _(
            "Itu seperti nomor telepon. Mohon tulis alamat: jalan, desa/kelurahan, "
            "kecamatan. Nomor HP ditanyakan sesudah ini."
        )
    if problem is not None:
        return problem
    address = (inbound.text or "").strip()
    if home and ctx.agency.area_label(home).lower() not in address.lower():
        address = f"{address}, {ctx.agency.area_label(home)}"
    data["address"] = address
    return None


def contact_problem(data: dict[str, Any], inbound: Inbound, ctx: Context) -> Msg | None:
    """Why the answer gives no way to reach the requester, or None: then it is kept in
    `data` (the chat's own number at a tap; for a resident, the volunteer who filed)."""
    if inbound.choice == "known_phone" and ctx.known_phone:
        data["phone"] = ctx.known_phone
        return None
    if inbound.choice == "via_volunteer" and data.get("resident"):
        # The PPID reaches the resident through the volunteer who filed (and their chat).
        resident_phone = data["resident"].get("phone")
        data["phone"], data["email"] = resident_phone or ctx.known_phone, None
        data["via_volunteer"] = True
        return None
    problem = not_text_problem(inbound) or text_problem(inbound.text, max_len=300)
    if problem is not None:
        return problem
    phone, email = parse_contact(inbound.text or "")
    if not (phone or email):
        return _(
            "Nomor HP atau email itu tidak dikenali. Contoh: *081234567890* atau *nama@email.com*."
        )
    data["phone"], data["email"] = phone, email
    return None


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


NOTHING = Raw("")


def summary(data: dict[str, Any], ctx: Context, principal: Msg | Raw = NOTHING) -> Msg:
    """`principal`: a kuasa's lines (whom they represent, the letter), after the identity."""
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
        "NIK / nomor pengesahan: {identity}{principal}\n"
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
        principal=principal,
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
    if not (data.get("phone") or data.get("email") or data.get("via_volunteer")):
        return "contact"  # (a resident without a phone is reached through the volunteer)
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
