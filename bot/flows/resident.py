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

from typing import Any

from bot.domain.contact import mask_phone, phone_in
from bot.flows.base import (
    Context,
    Flow,
    Transition,
    choice_problem,
    name_problem,
    not_text_problem,
    text_problem,
)
from bot.values.messages import Msg, Raw, _
from bot.values.types import Button, Inbound, Reply

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


class Resident(Flow):
    name = "resident"
    first_step = "kind"

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        match step:
            case "kind":
                return [
                    Reply(_("*Lapor untuk warga*. Apa yang ingin disampaikan warga?"), KIND_BUTTONS)
                ]
            case "name":
                return [Reply(_("Nama lengkap warga yang Anda bantu:"))]
            case "area":
                home = ctx.kim_area
                buttons = (Button("home", Raw(ctx.agency.area_label(home))),) if home else ()
                return [
                    Reply(
                        _("Warga tinggal di desa/kelurahan mana? Pilih, atau tulis namanya."),
                        buttons,
                    )
                ]
            case "phone":
                return [
                    Reply(
                        _(
                            "Nomor WhatsApp warga, bila ada, agar warga juga menerima kabar "
                            "laporannya. Kabar selalu dikirim juga kepada Anda."
                        ),
                        (SKIP,),
                    )
                ]
        return [Reply(consent_question(data), CONSENT_BUTTONS)]

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        match step:
            case "kind":
                if inbound.choice not in ("complaint", "information"):
                    return self.retry(step, data, ctx, choice_problem(KIND_BUTTONS))
                return self.ask("name", {**data, "kind": inbound.choice}, ctx)
            case "name":
                text = (inbound.text or "").strip()
                problem = (
                    not_text_problem(inbound)
                    or text_problem(text, min_len=2, max_len=200)
                    or name_problem(text)
                )
                if problem is not None:
                    return self.retry(step, data, ctx, problem)
                return self.ask("area", {**data, "name": text}, ctx)
            case "area":
                return self._area(data, inbound, ctx)
            case "phone":
                if inbound.choice == "skip":
                    return self.ask("consent", {**data, "phone": None}, ctx)
                phone = phone_in(inbound.text or "")  # "ini nomornya 0812 …" too
                if phone is None:
                    return self.retry(
                        step,
                        data,
                        ctx,
                        _("Nomor itu belum benar. Contoh: 0812 3456 7890, atau pilih tombol."),
                    )
                return self.ask("consent", {**data, "phone": phone}, ctx)
        if inbound.choice == "no":
            stop = _(
                "Laporan untuk warga hanya dapat dikirim dengan persetujuan warga. Silakan "
                "tanyakan dulu, lalu mulai lagi dari menu."
            )
            return Transition(None, {}, [Reply(stop)])
        if inbound.choice != "yes":
            return self.retry(step, data, ctx, choice_problem(CONSENT_BUTTONS))
        resident = {
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

    def _area(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "home" and ctx.kim_area:
            return self.ask("phone", {**data, "area": ctx.kim_area}, ctx)
        problem = not_text_problem(inbound) or text_problem(inbound.text, min_len=3, max_len=200)
        if problem is not None:
            return self.retry("area", data, ctx, problem)
        match = ctx.agency.match_area(inbound.text or "")
        area = match.area or (match.candidates[0] if len(match.candidates) == 1 else None)
        if area is None or area.parent is None:
            return self.retry(
                "area",
                data,
                ctx,
                _("Nama desa/kelurahan itu belum kami kenali. Tulis nama desa/kelurahannya saja."),
            )
        return self.ask("phone", {**data, "area": area.code}, ctx)


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
