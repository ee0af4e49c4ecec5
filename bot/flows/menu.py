"""The main menu, first contact (greeting, privacy notice, language) and language change.

```
welcome.language ──choice──► menu.main ──► complaint | information | status | language | privacy
```
"""

from __future__ import annotations

from typing import Any

from bot.domain.codes import find_code
from bot.engine.choices import core_words
from bot.engine.types import Button, Inbound, Reply
from bot.flows.base import (
    Context,
    DropDraft,
    Flow,
    ListMyCases,
    LookupCase,
    PrivacyShown,
    ResumeDraft,
    SetLocale,
    Transition,
    choice_problem,
    substantial,
)
from bot.i18n import Msg, Raw, _, join

LANGUAGE_BUTTONS = (
    Button("id", "Bahasa Indonesia", ("indonesia", "indo", "id")),
    Button("en", "English", ("inggris", "en")),
)


def privacy_notice(ctx: Context) -> Msg:
    return _(
        "🔒 *Privasi*: kami menyimpan nomor/akun chat Anda, isi laporan, dan data yang Anda "
        "berikan (misalnya nama, NIK untuk permohonan informasi) hanya untuk menangani laporan "
        "Anda, sesuai UU 25/2009, UU 14/2008 dan UU 27/2022. Data disimpan selama laporan "
        "ditangani dan masa arsip yang berlaku. Anda berhak melihat, memperbaiki atau meminta "
        "penghapusan data Anda: ketik *privasi*. Selengkapnya: {url}",
        url=Raw(ctx.agency.privacy_url),
    )


class Welcome(Flow):
    """First contact: who we are, what we keep, which language."""

    name = "welcome"
    first_step = "language"

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        greeting = _(
            "Selamat datang di *Suara Warga* {agency}. 🙏\n"
            "Di sini Anda bisa menyampaikan pengaduan atau aspirasi, meminta informasi publik, "
            "dan memantau laporan Anda.",
            agency=Raw(ctx.agency.short_name),
        )
        ask = _("Pilih bahasa / Choose your language:")
        return [Reply(join(greeting, privacy_notice(ctx), ask), LANGUAGE_BUTTONS)]

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        said = (inbound.text or "").strip()
        if inbound.choice not in ("id", "en") and substantial(said):
            # More of the story before the language was chosen: keep it with the rest.
            so_far = data.get("first_text")
            data = {**data, "first_text": f"{so_far}\n{said}" if so_far else said}
        if inbound.choice not in ("id", "en"):
            # Not the whole welcome again: just the question.
            short = _("Balas *1* untuk Bahasa Indonesia, atau *2* for English.")
            return Transition(step, data, [Reply(short, LANGUAGE_BUTTONS)])
        return Transition(
            None,
            data,
            effects=[SetLocale(inbound.choice), PrivacyShown()],
            switch_to="menu",
            carry={
                "first_text": data.get("first_text"),
                # The notice was shown in Indonesian; English readers get it in English.
                "privacy_again": inbound.choice == "en",
            },
        )


class Language(Flow):
    name = "language"
    first_step = "choose"

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Pilih bahasa / Choose your language:"), LANGUAGE_BUTTONS)]

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice not in ("id", "en"):
            return self.retry(step, data, ctx, choice_problem(LANGUAGE_BUTTONS))
        return Transition(None, data, effects=[SetLocale(inbound.choice)], switch_to="menu")


class Privacy(Flow):
    """The full notice and how to use one's rights (requests are handled by staff)."""

    name = "privacy"
    first_step = "show"

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        rights = _(
            "Hak Anda atas data pribadi (UU 27/2022):\n"
            "• melihat data yang kami simpan tentang Anda;\n"
            "• memperbaiki data yang salah;\n"
            "• meminta data dihapus bila tidak lagi diperlukan.\n"
            "Permintaan dijawab paling lambat 3×24 jam. Untuk mengajukan, kirim pengaduan dengan "
            "kategori *Lainnya* dan tulis permintaan Anda, atau hubungi PPID {agency}.",
            agency=Raw(ctx.agency.short_name),
        )
        return [Reply(join(privacy_notice(ctx), rights))]

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        return Transition(None, {}, self.prompt(self.first_step, {}, ctx))

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return Transition(None, data, switch_to="menu")


def menu_buttons(ctx: Context) -> tuple[Button, ...]:
    buttons = [
        Button("complaint", _("📝 Pengaduan / aspirasi"), ("pengaduan", "aspirasi", "lapor")),
        Button("information", _("📄 Permohonan informasi publik"), ("informasi", "ppid")),
        Button("status", _("🔎 Cek status"), ("status", "cek")),
        Button("mine", _("🗂 Laporan saya"), ("laporan saya", "my reports")),
        Button("language", _("🌐 Bahasa / Language"), ("bahasa", "language")),
        Button("privacy", _("🔒 Privasi & data saya"), ("privasi", "privacy")),
    ]
    if ctx.kim_area:  # KIM volunteers file for residents without a phone
        buttons.append(
            Button("for_resident", _("👥 Lapor untuk warga"), ("untuk warga", "lapor warga"))
        )
    if ctx.has_draft:
        # Last, so the numbers people learn (1 = pengaduan) never shift.
        buttons.append(
            Button(
                "resume",
                _("↩️ Lanjutkan yang belum selesai"),
                ("lanjut", "lanjutkan", "continue", "resume"),
            )
        )
    return tuple(buttons)


GREETINGS = frozenset(
    {
        "halo",
        "hallo",
        "hai",
        "hi",
        "hello",
        "assalamualaikum",
        "selamat pagi",
        "selamat siang",
        "selamat sore",
        "selamat malam",
        "pagi",
        "siang",
        "sore",
        "malam",
        "permisi",
        "p",
    }
)
THANKS = frozenset(
    {
        "terima kasih",
        "terimakasih",
        "trimakasih",
        "makasih",
        "trims",
        "thanks",
        "thank you",
        "tq",
        "ok",
        "oke",
        "terima kasih banyak",
        "makasih banyak",
        "makasih ya",
        "terima kasih ya",
        "makasih banyak ya",
        "terima kasih banyak ya",
        "thank you very much",
    }
)


class Menu(Flow):
    name = "menu"
    first_step = "main"

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        if step == "replace_draft":
            return [
                Reply(
                    _(
                        "Anda masih punya isian yang belum selesai. Jika mulai baru, isian itu "
                        "dihapus. Lanjutkan yang lama?"
                    ),
                    (
                        Button("resume", _("↩️ Lanjutkan yang lama"), ("lanjut", "lama", "ya")),
                        Button("new", _("🆕 Mulai baru"), ("baru", "mulai baru")),
                    ),
                )
            ]
        ask = _("Silakan pilih layanan:")
        if data.get("first_text"):
            ask = _(
                "Pesan Anda sudah kami catat. Pilih *Pengaduan / aspirasi* untuk menjadikannya "
                "laporan, atau pilih layanan lain."
            )
        if data.get("privacy_again"):
            ask = join(privacy_notice(ctx), ask)
        return [Reply(ask, menu_buttons(ctx))]

    def help(self, step: str, data: dict[str, Any], ctx: Context) -> Msg:
        return _(
            "Balas dengan nomor layanan yang Anda perlukan. Untuk cek status, ketik kode "
            "pelacakan Anda kapan saja."
        )

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        choice = inbound.choice
        if step == "replace_draft":
            if choice == "resume":
                return Transition("main", {}, effects=[ResumeDraft()])
            if choice == "new":
                return Transition(None, {}, effects=[DropDraft()], switch_to=data["want"])
            return self.retry(
                step, data, ctx, _("Balas *1* untuk melanjutkan, atau *2* untuk mulai baru.")
            )
        if choice == "resume" and ctx.has_draft:
            return Transition("main", {}, effects=[ResumeDraft()])
        if choice in ("complaint", "information") and ctx.has_draft:
            return self.ask("replace_draft", {"want": choice}, ctx)
        if choice == "complaint" and data.get("first_text"):
            return Transition(
                None,
                {},
                switch_to=choice,
                carry={"description": data["first_text"], "_carried": True},
            )
        if choice == "for_resident" and ctx.kim_area:
            return Transition(None, {}, switch_to="resident")
        if choice in ("complaint", "information", "status", "language", "privacy"):
            return Transition(None, {}, switch_to=choice)
        if choice == "mine":
            return Transition("main", data, effects=[ListMyCases()])
        if choice and choice.startswith("case:"):
            return Transition("main", data, effects=[LookupCase(choice.removeprefix("case:"))])
        code = find_code(inbound.text or "")
        if code is not None:
            return Transition("main", data, effects=[LookupCase(code)])
        typed = core_words(inbound.text or "")
        if substantial(inbound.text or "") and typed not in GREETINGS | THANKS:
            # A returning citizen who just writes the problem: keep it for the report.
            said = (inbound.text or "").strip()
            so_far = data.get("first_text")
            story = f"{so_far}\n{said}" if so_far else said
            return self.ask("main", {**data, "first_text": story}, ctx)
        if typed in GREETINGS:
            return self.retry(step, data, ctx, _("Halo! 🙏 Ada yang bisa kami bantu?"))
        if typed in THANKS:
            return self.retry(step, data, ctx, _("Sama-sama 🙏 Senang bisa membantu."))
        return self.retry(
            step,
            data,
            ctx,
            _("Maaf, saya belum mengerti. Balas dengan nomor pilihan di bawah ini."),
        )


class ConfirmCancel(Flow):
    """`batal` in the middle of a form: a whole form is at stake, so ask once."""

    name = "cancel_confirm"
    first_step = "ask"
    BUTTONS = (
        Button("yes", _("🗑 Ya, hapus isian"), ("ya", "hapus", "yes")),
        Button(
            "no", _("↩️ Tidak, lanjutkan"), ("tidak", "gak", "ga", "enggak", "nggak", "lanjut", "no")
        ),
    )

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Batalkan dan hapus isian yang belum dikirim?"), self.BUTTONS)]

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "yes":
            done = Reply(_("Dibatalkan. Isian yang belum dikirim sudah dihapus."))
            return Transition(None, {}, [done], effects=[DropDraft()])
        if inbound.choice == "no":
            return Transition(None, {}, effects=[ResumeDraft()])
        return self.retry(step, data, ctx, choice_problem(self.BUTTONS))
