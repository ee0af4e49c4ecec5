"""Permohonan informasi publik (UU 14/2008, Perki 1/2021): the fields the law asks for.

```
requester_type → name → id_number (NIK, or the legal entity's decree number) → address
  → contact → occupation → information → purpose → obtain → delivery → summary ─kirim→ submitted
                                                                         └─ubah→ edit → <field>
```
"""

from __future__ import annotations

import re
from typing import Any

from bot.domain.contact import is_email, mask_phone, normalise_phone, phone_in
from bot.domain.nik import NikProblem, check_nik, mask_nik
from bot.flows.base import (
    Context,
    Flow,
    SubmitCase,
    Transition,
    choice_problem,
    for_resident,
    name_problem,
    not_text_problem,
    quoted,
    resident_area,
    text_problem,
)
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Button, Inbound, Reply

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
ORDER = (
    "requester_type",
    "name",
    "id_number",
    "address",
    "contact",
    "occupation",
    "information",
    "purpose",
    "obtain",
    "delivery",
    "summary",
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


class Information(Flow):
    name = "information"
    first_step = "requester_type"

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        match step:
            case "requester_type":
                as_who = for_resident(
                    data, _("Anda mengajukan sebagai:"), _("Warga mengajukan sebagai:")
                )
                if data.get("_edit"):
                    return [Reply(as_who, REQUESTER_BUTTONS)]
                if data.get("_carried") and data.get("information"):
                    noted = _(
                        "Permintaan Anda kami catat sebagai informasi yang diminta:\n“{text}”",
                        text=quoted(data["information"], 300),
                    )
                    return [Reply(join(noted, as_who), REQUESTER_BUTTONS)]
                intro = _(
                    "Permohonan informasi publik ditangani PPID sesuai UU 14/2008. Anda akan "
                    "menerima nomor pendaftaran, dan jawaban tertulis paling lambat 10 hari kerja."
                )
                return [Reply(join(intro, as_who), REQUESTER_BUTTONS)]
            case "name":
                if data.get("requester_type") == "badan_hukum":
                    return [Reply(_("Nama badan hukum dan nama penanggung jawabnya?"))]
                ask = for_resident(
                    data, _("Nama lengkap Anda sesuai KTP?"), _("Nama lengkap warga sesuai KTP?")
                )
                return [Reply(ask)]
            case "id_number":
                if data.get("requester_type") == "badan_hukum":
                    return [
                        Reply(
                            _("Nomor pengesahan badan hukum (misalnya nomor SK Kemenkumham AHU-…)?")
                        )
                    ]
                ask = for_resident(
                    data,
                    _(
                        "Nomor Induk Kependudukan (NIK, 16 angka di KTP)? NIK hanya dipakai "
                        "untuk permohonan ini dan ditampilkan tersamar."
                    ),
                    _(
                        "NIK warga (16 angka di KTP-nya)? NIK hanya dipakai untuk permohonan ini "
                        "dan ditampilkan tersamar."
                    ),
                )
                return [Reply(ask)]
            case "address":
                home = resident_area(data)
                if home:  # the desa was said already: only the street or dusun is left
                    return [
                        Reply(
                            _(
                                "Alamat warga di {area}: jalan, dusun atau RT/RW?",
                                area=Raw(ctx.agency.area_label(home)),
                            )
                        )
                    ]
                return [Reply(_("Alamat lengkap Anda?"))]
            case "contact":
                buttons: tuple[Button, ...] = ()
                if ctx.known_phone:
                    buttons = (
                        Button(
                            "known_phone",
                            _("Pakai nomor ini ({phone})", phone=Raw(mask_phone(ctx.known_phone))),
                        ),
                    )
                if data.get("resident"):  # a KIM volunteer filing: the resident may have none
                    buttons = (*buttons, VIA_VOLUNTEER)
                return [
                    Reply(
                        _(
                            "Nomor HP dan/atau email yang bisa dihubungi? Boleh keduanya, "
                            "pisahkan dengan spasi."
                        ),
                        buttons,
                    )
                ]
            case "occupation":
                return [Reply(for_resident(data, _("Pekerjaan Anda?"), _("Pekerjaan warga?")))]
            case "information":
                ask = for_resident(
                    data,
                    _(
                        "Informasi apa yang Anda minta? Tulis serinci mungkin (nama dokumen, "
                        "tahun, kegiatan)."
                    ),
                    _(
                        "Informasi apa yang diminta warga? Tulis serinci mungkin (nama dokumen, "
                        "tahun, kegiatan)."
                    ),
                )
                return [Reply(ask)]
            case "purpose":
                return [Reply(_("Untuk apa informasi itu akan digunakan?"))]
            case "obtain":
                ask = for_resident(
                    data,
                    _("Bagaimana Anda ingin memperoleh informasinya?"),
                    _("Bagaimana warga ingin memperoleh informasinya?"),
                )
                return [Reply(ask, OBTAIN_BUTTONS)]
            case "delivery":
                ask = for_resident(
                    data,
                    _("Bagaimana salinan informasi dikirim kepada Anda?"),
                    _("Bagaimana salinan informasi dikirim kepada warga?"),
                )
                return [Reply(ask, DELIVERY_BUTTONS)]
            case "delivery_email":
                return [Reply(_("Ke alamat email mana salinannya dikirim?"))]
            case "edit":
                return [
                    Reply(
                        _("Bagian mana yang ingin diubah?"),
                        tuple(Button(key, label) for key, label in EDITABLE),
                    )
                ]
            case _:
                return [Reply(summary(data, ctx), SUMMARY_BUTTONS)]

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        data = dict(data)
        match step:
            case "requester_type":
                if inbound.choice not in ("perorangan", "badan_hukum", "kuasa"):
                    return self.retry(step, data, ctx, choice_problem(REQUESTER_BUTTONS))
                previous = data.get("requester_type")
                if previous != inbound.choice:
                    data.pop("nik", None)
                    data.pop("legal_entity_number", None)
                    if "badan_hukum" in (previous, inbound.choice):
                        data.pop("name", None)  # a person's name is no entity's name
                data["requester_type"] = inbound.choice
                return self.advance(step, data, ctx)
            case "obtain":
                if inbound.choice not in {b.id for b in OBTAIN_BUTTONS}:
                    return self.retry(step, data, ctx, choice_problem(OBTAIN_BUTTONS))
                data["obtain_method"] = inbound.choice
                return self.advance(step, data, ctx)
            case "delivery":
                if inbound.choice not in {b.id for b in DELIVERY_BUTTONS}:
                    return self.retry(step, data, ctx, choice_problem(DELIVERY_BUTTONS))
                if inbound.choice == "email" and not data.get("email"):
                    return self.ask("delivery_email", data, ctx)
                data["delivery_method"] = inbound.choice
                return self.advance(step, data, ctx)
            case "id_number":
                return self._id_number(data, inbound, ctx)
            case "delivery_email":
                typed = (inbound.text or "").strip()
                if not is_email(typed):
                    return self.retry(
                        step,
                        data,
                        ctx,
                        _("Alamat email itu tidak dikenali. Contoh: *nama@email.com*."),
                    )
                data.update(email=typed.lower(), delivery_method="email")
                return self.advance("delivery", data, ctx)
            case "contact":
                return self._contact(data, inbound, ctx)
            case "edit":
                if inbound.choice not in {key for key, _label in EDITABLE}:
                    return self.retry(step, data, ctx, _("Pilih bagian yang ingin diubah."))
                data["_edit"] = True
                return self.ask(inbound.choice, data, ctx)
            case "summary":
                if inbound.choice == "send":
                    return Transition(
                        None, data, effects=[SubmitCase("informasi", submission(data))]
                    )
                if inbound.choice == "edit":
                    return self.ask("edit", data, ctx)
                if inbound.choice == "cancel":
                    return Transition(
                        None, {}, [Reply(_("Permohonan dibatalkan dan tidak dikirim."))]
                    )
                return self.retry(step, data, ctx, choice_problem(SUMMARY_BUTTONS))
            case _:
                low, high = TEXT_LIMITS[step]
                home = resident_area(data) if step == "address" else None
                if home:
                    low = 3  # "Dusun II": the desa is added from what the volunteer said
                problem = not_text_problem(inbound) or text_problem(
                    inbound.text, min_len=low, max_len=high
                )
                if problem is None and step == "name":
                    problem = name_problem(inbound.text or "")
                if problem is None and step == "address" and normalise_phone(inbound.text or ""):
                    problem = _(
                        "Itu seperti nomor telepon. Mohon tulis alamat: jalan, desa/kelurahan, "
                        "kecamatan. Nomor HP ditanyakan sesudah ini."
                    )
                if problem is not None:
                    return self.retry(step, data, ctx, problem)
                data[step] = (inbound.text or "").strip()
                if home and ctx.agency.area_label(home).lower() not in data[step].lower():
                    data[step] = f"{data[step]}, {ctx.agency.area_label(home)}"
                return self.advance(step, data, ctx)

    def advance(self, step: str, data: dict[str, Any], ctx: Context) -> Transition:
        # Changing the requester type invalidates the ID number: ask it again even when editing.
        if step == "requester_type" and not (data.get("nik") or data.get("legal_entity_number")):
            return self.ask("id_number" if data.get("name") else "name", data, ctx)
        if step == "name" and not (data.get("nik") or data.get("legal_entity_number")):
            return self.ask("id_number", data, ctx)  # still owed after a change of type
        if step == "contact" and data.get("delivery_method") == "email" and not data.get("email"):
            data["delivery_method"] = None
            return self.ask("delivery", data, ctx)  # e-mail delivery needs an address
        if data.pop("_edit", False):
            return self.ask("summary", data, ctx)
        following = ORDER[ORDER.index(step) + 1]
        if following == "information" and data.get("_carried") and data.get("information"):
            # Said in the first message ("bisa minta salinan SK kepala desa?"): not asked
            # again; it shows in the summary, where it can be changed.
            following = "purpose"
        return self.ask(following, data, ctx)

    def _id_number(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        problem = not_text_problem(inbound) or text_problem(inbound.text, max_len=100)
        if problem is not None:
            return self.retry("id_number", data, ctx, problem)
        text = (inbound.text or "").strip()
        if data.get("requester_type") == "badan_hukum":
            if len(text) < 5:
                return self.retry(
                    "id_number",
                    data,
                    ctx,
                    _("Nomor pengesahan terlalu pendek. Mohon periksa lagi."),
                )
            data["legal_entity_number"] = text
            return self.advance("id_number", data, ctx)
        nik, nik_problem = check_nik(text)
        if nik_problem is not None:
            return self.retry("id_number", data, ctx, NIK_PROBLEMS[nik_problem])
        data["nik"] = nik
        return self.advance("id_number", data, ctx)

    def _contact(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "known_phone" and ctx.known_phone:
            data["phone"] = ctx.known_phone
            return self.advance("contact", data, ctx)
        if inbound.choice == "via_volunteer" and data.get("resident"):
            # The PPID reaches the resident through the volunteer who filed (and their chat).
            resident_phone = data["resident"].get("phone")
            data["phone"], data["email"] = resident_phone or ctx.known_phone, None
            data["_via_volunteer"] = True
            return self.advance("contact", data, ctx)
        problem = not_text_problem(inbound) or text_problem(inbound.text, max_len=300)
        if problem is not None:
            return self.retry("contact", data, ctx, problem)
        phone, email = parse_contact(inbound.text or "")
        if not (phone or email):
            return self.retry(
                "contact",
                data,
                ctx,
                _(
                    "Nomor HP atau email itu tidak dikenali. Contoh: *081234567890* atau "
                    "*nama@email.com*."
                ),
            )
        data["phone"], data["email"] = phone, email
        return self.advance("contact", data, ctx)


def parse_contact(text: str) -> tuple[str | None, str | None]:
    """A phone number and/or an e-mail address out of what people write: "hp 0812-4567-8901
    email a@b.id", "WA +62 812 4567 8901", "no hp saya 081245678901". Other words are ignored."""
    emails = EMAIL_IN_TEXT.findall(text)
    rest = EMAIL_IN_TEXT.sub(" ", text)
    return phone_in(rest), (emails[0].lower() if emails else None)


REQUESTER_LABELS = {b.id: b.label for b in REQUESTER_BUTTONS}
OBTAIN_LABELS = {b.id: b.label for b in OBTAIN_BUTTONS}
DELIVERY_LABELS = {b.id: b.label for b in DELIVERY_BUTTONS}


def contact_label(data: dict[str, Any], contact: str) -> Msg | Raw:
    if not data.get("_via_volunteer"):
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
    return {key: value for key, value in data.items() if not key.startswith("_")}
