"""Privacy: the notice (what we keep, why, on which legal basis, for how long) and the data
subject's rights used from the chat (UU 27/2022): see one's data, correct it, delete it.

```
privacy.show ──akses──► (data file)            ──► done
     │ ──koreksi──► field ──► value ──► (corrected, or a case for the PPID)
     └ ──hapus──► confirm ──ya──► (erased now, or told why not and until when)
```
Each request becomes a case of its own kind (`SubjectRequest`), answered within 3×24 hours;
the bot settles at once what it can.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.domain.retention import Retention, in_words
from bot.domain.subject_rights import FIELD_LABELS, Field, Right, corrected
from bot.flows.base import (
    Context,
    StepFlow,
    SubjectRequest,
    Transition,
    answers,
    asks,
    choice_problem,
    name_problem,
    substantial,
)
from bot.values.messages import Msg, Raw, _, join, lines
from bot.values.types import Button, Inbound, Reply


def privacy_notice(ctx: Context) -> Msg:
    """The short notice of first contact."""
    return _(
        "🔒 *Privasi*: kami menyimpan nomor/akun chat Anda, isi laporan, dan data yang Anda "
        "berikan (misalnya nama, NIK untuk permohonan informasi) hanya untuk menangani laporan "
        "Anda, sesuai UU 25/2009, UU 14/2008 dan UU 27/2022, lalu menghapusnya setelah masa "
        "simpan berakhir. Anda berhak melihat, memperbaiki atau meminta penghapusan data Anda: "
        "ketik *privasi*. Selengkapnya: {url}",
        url=Raw(ctx.agency.privacy_url),
    )


def full_notice(ctx: Context) -> Msg:
    """Purpose, legal basis and period, per kind of record (UU 27/2022 Pasal 21), in the
    agency's own periods."""
    kept: Retention = ctx.agency.retention
    return lines(
        _("🔒 *Pemberitahuan privasi* {agency}", agency=Raw(ctx.agency.short_name)),
        _(
            "• *Pengaduan dan aspirasi*: untuk menanganinya (UU 25/2009, Perpres 76/2013); "
            "disimpan {period} setelah selesai.",
            period=in_words(kept.complaint_days),
        ),
        _(
            "• *Permohonan informasi dan keberatan*: untuk melayani hak atas informasi "
            "(UU 14/2008, Perki 1/2021); disimpan {period} setelah selesai (register PPID).",
            period=in_words(kept.information_days),
        ),
        _(
            "• *Permintaan data pribadi*: untuk memenuhi hak Anda (UU 27/2022); disimpan "
            "{period} setelah dijawab.",
            period=in_words(kept.data_request_days),
        ),
        _(
            "• *Nomor/akun chat tanpa laporan*: untuk membalas Anda; dihapus {period} setelah "
            "pesan terakhir.",
            period=in_words(kept.chat_days),
        ),
        _(
            "• *Isi pesan yang kami kirim*: untuk memastikan terkirim; dihapus {period} setelah "
            "dikirim.",
            period=in_words(kept.message_days),
        ),
        _(
            "Dasar hukumnya: pelaksanaan kewajiban hukum dan tugas pelayanan publik (UU 27/2022 "
            "Pasal 20 ayat 2 huruf c dan e). Setelah masa simpan, nama, NIK, kontak, alamat, "
            "isi laporan dan foto dihapus; yang tersisa hanya angka untuk laporan statistik. "
            "Data tidak dijual. Laporan hanya diteruskan kepada instansi yang berwenang "
            "menanganinya (termasuk instansi lain bila bukan wewenang kami). "
            "Selengkapnya: {url}",
            url=Raw(ctx.agency.privacy_url),
        ),
    )


RIGHT_BUTTONS = (
    Button(Right.AKSES, _("📄 Lihat data saya"), ("lihat", "data saya", "akses", "see")),
    Button(Right.KOREKSI, _("✏️ Perbaiki data saya"), ("perbaiki", "koreksi", "ubah", "correct")),
    Button(Right.HAPUS, _("🗑 Hapus data saya"), ("hapus", "delete", "erase")),
    Button("menu", _("↩️ Menu utama"), ("menu",)),
)
FIELD_BUTTONS = tuple(
    Button(field, FIELD_LABELS[field], (FIELD_LABELS[field].msgid.lower(), *words))
    for field, words in (
        (Field.NAME, ("name",)),
        (Field.PHONE, ("hp", "nomor", "telepon", "wa", "phone")),
        (Field.EMAIL, ("surel", "e-mail")),
        (Field.ADDRESS, ("address", "rumah")),
        (Field.OCCUPATION, ("kerja", "occupation")),
        (Field.NIK, ("ktp",)),
        (Field.OTHER, ("lain", "other")),
    )
)
CONFIRM_BUTTONS = (
    Button("yes", _("🗑 Ya, hapus"), ("ya", "iya", "hapus", "yes")),
    Button("no", _("Tidak jadi"), ("tidak", "batal", "no")),
)


class PrivacyStep(StrEnum):
    SHOW = "show"
    FIELD = "field"
    VALUE = "value"
    CONFIRM = "confirm"


class Privacy(StepFlow):
    """The notice, then the person's rights over their data, one short step each."""

    name = "privacy"
    steps = PrivacyStep
    first_step = PrivacyStep.SHOW

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        """With the right already named ("hapus data saya"), straight to it."""
        right = (data or {}).get("right")
        if right == Right.AKSES:
            return Transition(None, {}, effects=[SubjectRequest(Right.AKSES)])
        if right == Right.KOREKSI:
            return self.ask(PrivacyStep.FIELD, {}, ctx)
        if right == Right.HAPUS:
            return self.ask(PrivacyStep.CONFIRM, {}, ctx)
        return self.ask(PrivacyStep.SHOW, {}, ctx)

    @asks(PrivacyStep.SHOW)
    def ask_show(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        rights = _(
            "Hak Anda atas data pribadi (UU 27/2022): melihat, memperbaiki, atau meminta "
            "penghapusan. Permintaan dijawab paling lambat 3×24 jam. Pilih di bawah ini:"
        )
        return [Reply(join(full_notice(ctx), rights), RIGHT_BUTTONS)]

    @answers(PrivacyStep.SHOW)
    def on_show(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        choice = inbound.choice
        if choice == Right.AKSES:
            return Transition(None, {}, effects=[SubjectRequest(Right.AKSES)])
        if choice == Right.KOREKSI:
            return self.ask(PrivacyStep.FIELD, {}, ctx)
        if choice == Right.HAPUS:
            return self.ask(PrivacyStep.CONFIRM, {}, ctx)
        return self._elsewhere(PrivacyStep.SHOW, data, inbound, ctx, RIGHT_BUTTONS)

    @asks(PrivacyStep.FIELD)
    def ask_field(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Data mana yang perlu diperbaiki?"), FIELD_BUTTONS)]

    @answers(PrivacyStep.FIELD)
    def on_field(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice in set(Field):
            return self.ask(PrivacyStep.VALUE, {"field": inbound.choice}, ctx)
        text = (inbound.text or "").strip()
        if inbound.choice is None and substantial(text):
            # "nama saya salah, harusnya Budi": what is wrong, said at once; the PPID
            # corrects it (nothing typed is lost, nothing asked twice).
            value, _problem = corrected(Field.OTHER, text)
            if value is not None:
                request = SubjectRequest(Right.KOREKSI, Field.OTHER, value)
                return Transition(None, {}, effects=[request])
        return self._elsewhere(PrivacyStep.FIELD, data, inbound, ctx, FIELD_BUTTONS)

    @asks(PrivacyStep.VALUE)
    def ask_value(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        field = Field(data.get("field", Field.OTHER))
        if field is Field.OTHER:
            return [Reply(_("Tulis data apa yang salah dan bagaimana yang benar:"))]
        return [Reply(_("Tulis {field} yang benar:", field=FIELD_LABELS[field]))]

    @answers(PrivacyStep.VALUE)
    def on_value(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        field = Field(data.get("field", Field.OTHER))
        value, problem = corrected(field, inbound.text or "")
        if problem is None and field is Field.NAME and value is not None:
            problem = name_problem(value)  # the forms' own rule: "12345" is no name
        if problem is not None or value is None:
            return self.retry(PrivacyStep.VALUE, data, ctx, problem or _("Mohon tulis datanya."))
        request = SubjectRequest(Right.KOREKSI, field, value)
        return Transition(None, {}, effects=[request])

    @asks(PrivacyStep.CONFIRM)
    def ask_confirm(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        ask = _(
            "Menghapus data berarti nama, NIK, kontak dan isi laporan Anda dihapus dari sistem, "
            "kecuali yang wajib disimpan menurut undang-undang (kami sebutkan sampai kapan). "
            "Lanjutkan?"
        )
        return [Reply(ask, CONFIRM_BUTTONS)]

    @answers(PrivacyStep.CONFIRM)
    def on_confirm(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "yes":
            return Transition(None, {}, effects=[SubjectRequest(Right.HAPUS)])
        if inbound.choice == "no":
            kept = Reply(_("Baik, data Anda tidak dihapus."))
            return Transition(None, {}, [kept], switch_to="menu")
        return self._elsewhere(PrivacyStep.CONFIRM, data, inbound, ctx, CONFIRM_BUTTONS)

    def _elsewhere(
        self,
        step: PrivacyStep,
        data: dict[str, Any],
        inbound: Inbound,
        ctx: Context,
        buttons: tuple[Button, ...],
    ) -> Transition:
        """Not one of the choices: "menu" goes back, a story goes to the menu with its
        words kept (a report typed here is not lost), anything else is asked again."""
        if inbound.choice == "menu":
            return Transition(None, {}, switch_to="menu")
        text = (inbound.text or "").strip()
        if substantial(text):
            return Transition(None, {}, switch_to="menu", carry={"first_text": text})
        return self.retry(step, data, ctx, choice_problem(buttons))
