"""Lapor untuk warga: a KIM volunteer files for a resident who has no phone of their own.

The volunteer first says who the resident is, where they live, how the resident can hear back
(optional), and that the resident agreed (UU 27/2022: the resident's data are processed on
their consent, which is recorded with the case). Then the ordinary complaint or information
form runs, carrying the resident along; the case records the resident as the reporter and the
volunteer as the submitter.

```
kind → name → area [volunteer's desa | typed] → phone (may skip)
     → consent ─ya─► complaint | information
               └tidak─► menu
```
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict

from bot.domain.contact import mask_phone, phone_in
from bot.flows.base import (
    Context,
    StepFlow,
    Transition,
    answers,
    asks,
    choice_problem,
    name_problem,
    not_text_problem,
    text_problem,
)
from bot.values.messages import Msg, Raw, _
from bot.values.types import Button, Inbound, Reply


class ResidentForm(TypedDict, total=False):
    kind: str  # the form to file for the resident: "complaint" or "information"
    name: str  # the resident's full name
    area: str  # the code of the desa/kelurahan the resident lives in
    phone: str | None  # the resident's WhatsApp number (E.164); None: they have none


class ResidentRecord(TypedDict):
    """The resident, as carried into the complaint or information form (data["resident"])."""

    name: str  # the resident's full name
    area: str  # the code of their desa/kelurahan
    phone: str | None  # their WhatsApp number, where they have one
    consent_at: str  # when the volunteer said the resident agreed (ISO 8601)


KIND_BUTTONS = (
    Button("complaint", _("📝 Pengaduan / aspirasi"), ("pengaduan", "aspirasi", "lapor")),
    Button("information", _("📄 Permohonan informasi publik"), ("informasi", "ppid")),
)
SKIP = Button(
    "skip",
    _("⏭ Warga tidak punya WhatsApp"),
    (
        "lewati",
        "skip",
        "tidak ada",
        "tidak",
        "tdk ada",
        "tidak punya",
        "tdk punya",
        "gak punya",
        "ga punya",
        "tidak ada hp",
        "tdk ada hp",
        "gak ada hp",
        "ga ada hp",
        "tidak punya hp",
    ),
)
CONSENT_BUTTONS = (
    Button("yes", _("✅ Ya, warga setuju"), ("ya", "setuju", "sudah", "yes")),
    Button("no", _("❌ Belum"), ("belum", "tidak", "no")),
)


class Step(StrEnum):
    KIND = "kind"
    NAME = "name"
    AREA = "area"
    PHONE = "phone"
    CONSENT = "consent"


class Resident(StepFlow):
    name = "resident"
    steps = Step
    first_step = Step.KIND

    @asks(Step.KIND)
    def ask_kind(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("*Lapor untuk warga*. Apa yang ingin disampaikan warga?"), KIND_BUTTONS)]

    @answers(Step.KIND)
    def on_kind(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice not in ("complaint", "information"):
            return self.retry(Step.KIND, data, ctx, choice_problem(KIND_BUTTONS))
        return self.ask(Step.NAME, {**data, "kind": inbound.choice}, ctx)

    @asks(Step.NAME)
    def ask_name(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Nama lengkap warga yang Anda bantu:"))]

    @answers(Step.NAME)
    def on_name(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        text = (inbound.text or "").strip()
        problem = (
            not_text_problem(inbound)
            or text_problem(text, min_len=2, max_len=200)
            or name_problem(text)
        )
        if problem is not None:
            return self.retry(Step.NAME, data, ctx, problem)
        return self.ask(Step.AREA, {**data, "name": text}, ctx)

    @asks(Step.AREA)
    def ask_area(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """The resident's desa: the volunteer's own is offered as a button."""
        home = ctx.kim_area
        buttons = (Button("home", Raw(ctx.agency.area_label(home))),) if home else ()
        return [
            Reply(_("Warga tinggal di desa/kelurahan mana? Pilih, atau tulis namanya."), buttons)
        ]

    @answers(Step.AREA)
    def on_area(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "home" and ctx.kim_area:
            return self.ask(Step.PHONE, {**data, "area": ctx.kim_area}, ctx)
        problem = not_text_problem(inbound) or text_problem(inbound.text, min_len=3, max_len=200)
        if problem is not None:
            return self.retry(Step.AREA, data, ctx, problem)
        match = ctx.agency.match_area(inbound.text or "")
        area = match.area or (match.candidates[0] if len(match.candidates) == 1 else None)
        if area is None or area.parent is None:
            return self.retry(
                Step.AREA,
                data,
                ctx,
                _("Nama desa/kelurahan itu belum kami kenali. Tulis nama desa/kelurahannya saja."),
            )
        return self.ask(Step.PHONE, {**data, "area": area.code}, ctx)

    @asks(Step.PHONE)
    def ask_phone(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [
            Reply(
                _(
                    "Nomor WhatsApp warga, bila ada, agar warga juga menerima kabar "
                    "laporannya. Kabar selalu dikirim juga kepada Anda."
                ),
                (SKIP,),
            )
        ]

    @answers(Step.PHONE)
    def on_phone(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "skip":
            return self.ask(Step.CONSENT, {**data, "phone": None}, ctx)
        phone = phone_in(inbound.text or "")  # "ini nomornya 0812 …" too
        if phone is None:
            return self.retry(
                Step.PHONE,
                data,
                ctx,
                _("Nomor itu belum benar. Contoh: 0812 3456 7890, atau pilih tombol."),
            )
        return self.ask(Step.CONSENT, {**data, "phone": phone}, ctx)

    @asks(Step.CONSENT)
    def ask_consent(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(consent_question(data), CONSENT_BUTTONS)]

    @answers(Step.CONSENT)
    def on_consent(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "no":
            stop = _(
                "Laporan untuk warga hanya dapat dikirim dengan persetujuan warga. Silakan "
                "tanyakan dulu, lalu mulai lagi dari menu."
            )
            return Transition(None, {}, [Reply(stop)])
        if inbound.choice != "yes":
            return self.retry(Step.CONSENT, data, ctx, choice_problem(CONSENT_BUTTONS))
        resident: ResidentRecord = {
            "name": data["name"],
            "area": data["area"],
            "phone": data.get("phone"),
            "consent_at": ctx.now.isoformat(),
        }
        return Transition(
            None,
            {},
            switch_to=data["kind"],
            carry={"resident": resident, "name": data["name"]},
        )


def consent_question(data: dict[str, Any]) -> Msg:
    """The consent names every piece of the resident's data that the form will take: a
    request (UU 14/2008) also needs the NIK, the address and the occupation."""
    phone = data.get("phone")
    if data.get("kind") == "information":
        return _(
            "Apakah *{name}* sudah setuju permohonannya dikirim lewat Anda, dan datanya (nama, "
            "NIK, alamat, pekerjaan{phone}) disimpan untuk menangani permohonan ini?",
            name=Raw(data.get("name", "-")),
            phone=Raw(f", {mask_phone(phone)}" if phone else ""),
        )
    return _(
        "Apakah *{name}* sudah setuju laporannya dikirim lewat Anda, dan datanya (nama{phone}) "
        "disimpan untuk menangani laporan ini?",
        name=Raw(data.get("name", "-")),
        phone=Raw(f", {mask_phone(phone)}" if phone else ""),
    )
