"""The main menu, first contact (greeting, privacy notice, language) and language change.

```
welcome.language ──choice──► menu.main ──► complaint | information | status | language | privacy
```
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.domain.codes import find_code
from bot.domain.subject_rights import right_named
from bot.flows import understood
from bot.flows.base import (
    Context,
    DropDraft,
    ListMyCases,
    LookupCase,
    PrivacyShown,
    ResumeDraft,
    RunCommand,
    SetLocale,
    StepFlow,
    Transition,
    answers,
    asks,
    choice_problem,
    substantial,
)
from bot.flows.privacy import privacy_notice
from bot.flows.subscription import subscription_command
from bot.understanding import Expect, Reading
from bot.understanding.choices import core_words
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Button, Inbound, Reply

LANGUAGE_BUTTONS = (
    Button("id", "Bahasa Indonesia", ("indonesia", "indo", "id")),
    Button("en", "English", ("inggris", "en")),
)


class WelcomeStep(StrEnum):
    LANGUAGE = "language"


class Welcome(StepFlow):
    """First contact: who we are, what we keep, which language."""

    name = "welcome"
    steps = WelcomeStep
    first_step = WelcomeStep.LANGUAGE

    @asks(WelcomeStep.LANGUAGE)
    def ask_language(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        greeting = _(
            "Selamat datang di *Suara Warga* {agency}. 🙏\n"
            "Di sini Anda bisa menyampaikan pengaduan atau aspirasi, meminta informasi publik, "
            "dan memantau laporan Anda.",
            agency=Raw(ctx.agency.short_name),
        )
        ask = _("Pilih bahasa / Choose your language:")
        return [Reply(join(greeting, privacy_notice(ctx), ask), LANGUAGE_BUTTONS)]

    @answers(WelcomeStep.LANGUAGE)
    def on_language(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        said = (inbound.text or "").strip()
        if inbound.choice not in ("id", "en") and substantial(said):
            # More of the story before the language was chosen: keep it with the rest.
            so_far = data.get("first_text")
            data = {**data, "first_text": f"{so_far}\n{said}" if so_far else said}
        if inbound.choice not in ("id", "en"):
            # Not the whole welcome again: just the question.
            short = _("Balas *1* untuk Bahasa Indonesia, atau *2* for English.")
            return Transition(WelcomeStep.LANGUAGE, data, [Reply(short, LANGUAGE_BUTTONS)])
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


class LanguageStep(StrEnum):
    CHOOSE = "choose"


class Language(StepFlow):
    name = "language"
    steps = LanguageStep
    first_step = LanguageStep.CHOOSE

    @asks(LanguageStep.CHOOSE)
    def ask_choose(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Pilih bahasa / Choose your language:"), LANGUAGE_BUTTONS)]

    @answers(LanguageStep.CHOOSE)
    def on_choose(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice not in ("id", "en"):
            return self.retry(LanguageStep.CHOOSE, data, ctx, choice_problem(LANGUAGE_BUTTONS))
        return Transition(None, data, effects=[SetLocale(inbound.choice)], switch_to="menu")


OFFICER_BUTTONS = (
    Button("cmd:/antrian", _("📋 Antrian kasus unit Anda"), ("antrian", "queue")),
    Button("cmd:/antrian lewat", _("⏰ Kasus yang lewat tenggat"), ("lewat", "terlambat")),
    Button("cmd:/rekap", _("📊 Rekap tahun ini"), ("rekap", "laporan tahunan")),
    Button("cmd:/bantuan", _("❓ Perintah petugas"), ("perintah", "bantuan", "help")),
)


def menu_buttons(ctx: Context) -> tuple[Button, ...]:
    if ctx.officer and not ctx.has_draft:
        # Officers work cases: their menu is the work (they can still type "lapor" or
        # "informasi" to use a citizen's service, which the menu understands).
        return OFFICER_BUTTONS
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


class MenuStep(StrEnum):
    MAIN = "main"
    GUESS = "guess"  # set by `understood.ask_guess`
    REPLACE_DRAFT = "replace_draft"


class Menu(StepFlow):
    name = "menu"
    steps = MenuStep
    first_step = MenuStep.MAIN

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        data = dict(data or {})
        first = data.get("first_text")
        subscribing = subscription_command(first, None) if first else None
        if subscribing is not None:  # "langganan info lapajung", from a KIM's poster
            rest = {**data, "first_text": None}
            return Transition(MenuStep.MAIN, rest, effects=[RunCommand(subscribing)])
        if first:
            # The first message said what the person wants: go there, or ask one question.
            moved = self._understood(first, {**data, "first_text": None}, ctx)
            if moved is not None:
                return moved
        return self.ask(self.first_step, data, ctx)

    def help(self, step: str, data: dict[str, Any], ctx: Context) -> Msg:
        return _(
            "Balas dengan nomor layanan yang Anda perlukan. Untuk cek status, ketik kode "
            "pelacakan Anda kapan saja."
        )

    @asks(MenuStep.MAIN)
    def ask_main(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        ask = _("Silakan pilih layanan:")
        if data.get("first_text"):
            ask = _(
                "Pesan Anda sudah kami catat. Pilih *Pengaduan / aspirasi* untuk menjadikannya "
                "laporan, atau pilih layanan lain."
            )
        if data.get("privacy_again"):
            ask = join(privacy_notice(ctx), ask)
        return [Reply(ask, menu_buttons(ctx))]

    @answers(MenuStep.MAIN)
    def on_main(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        step, choice = MenuStep.MAIN, inbound.choice
        if choice == "resume" and ctx.has_draft:
            return Transition(step, {}, effects=[ResumeDraft()])
        if choice in ("complaint", "information") and ctx.has_draft:
            return self.ask(MenuStep.REPLACE_DRAFT, {"want": choice}, ctx)
        if choice in ("complaint", "information") and data.get("first_text"):
            field = "description" if choice == "complaint" else "information"
            return Transition(
                None, {}, switch_to=choice, carry={field: data["first_text"], "_carried": True}
            )
        if choice == "for_resident" and ctx.kim_area:
            return Transition(None, {}, switch_to="resident")
        if choice in ("complaint", "information", "status", "language", "privacy", "periodic"):
            return Transition(None, {}, switch_to=choice)
        if choice == "mine":
            return Transition(step, data, effects=[ListMyCases()])
        subscribing = subscription_command(inbound.text, choice)
        if subscribing is not None:  # "langganan info lapajung": serta-merta news of an area
            return Transition(step, data, effects=[RunCommand(subscribing)])
        if choice and choice.startswith("cmd:/") and ctx.officer:
            return Transition(step, data, effects=[RunCommand(choice.removeprefix("cmd:"))])
        if choice and choice.startswith("case:"):
            return Transition(step, data, effects=[LookupCase(choice.removeprefix("case:"))])
        text = inbound.text or ""
        moved = self._understood(text, data, ctx)  # a code in it makes it a status question
        if moved is not None:
            return moved
        code = find_code(text)
        if code is not None:
            return Transition(step, data, effects=[LookupCase(code)])
        typed = core_words(text)
        if typed in GREETINGS:
            return self.retry(step, data, ctx, _("Halo! 🙏 Ada yang bisa kami bantu?"))
        if typed in THANKS:
            return self.retry(step, data, ctx, _("Sama-sama 🙏 Senang bisa membantu."))
        lost = _("Maaf, saya belum mengerti. Balas dengan nomor pilihan di bawah ini.")
        return self.retry(step, data, ctx, lost)

    @asks(MenuStep.GUESS)
    def ask_guess(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [understood.guess_question(data)]

    @answers(MenuStep.GUESS)
    def on_guess(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        rest = {k: v for k, v in data.items() if k not in ("want", "values")}
        if inbound.choice == "yes":
            reading = Reading(data["want"], 1.0, data.get("values", {}))
            return self._go(reading, rest, ctx) or self.ask(MenuStep.MAIN, rest, ctx)
        if inbound.choice == "no":
            story = data.get("values", {}).get("story") or data.get("first_text")
            return self.ask(MenuStep.MAIN, {"first_text": story} if story else {}, ctx)
        # Anything else is a fresh answer to the menu.
        return self.on_main(rest, inbound, ctx)

    @asks(MenuStep.REPLACE_DRAFT)
    def ask_replace_draft(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
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

    @answers(MenuStep.REPLACE_DRAFT)
    def on_replace_draft(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "resume":
            return Transition(MenuStep.MAIN, {}, effects=[ResumeDraft()])
        if inbound.choice == "new":
            return Transition(
                None,
                {},
                effects=[DropDraft()],
                switch_to=data["want"],
                carry=data.get("carry", {}),
            )
        again = _("Balas *1* untuk melanjutkan, atau *2* untuk mulai baru.")
        return self.retry(MenuStep.REPLACE_DRAFT, data, ctx, again)

    def _understood(self, text: str, data: dict[str, Any], ctx: Context) -> Transition | None:
        """Free text at the menu: the service it names, one short question when unsure, or
        None (greetings, thanks and what says nothing are answered by the caller)."""
        if not text.strip():
            return None
        reading = ctx.reader.read(text, Expect.MENU)
        if reading.intent in ("greeting", "thanks"):
            return None
        if reading.sure:
            if reading.intent == "help":
                return self.retry(MenuStep.MAIN, data, ctx, self.help(MenuStep.MAIN, data, ctx))
            if reading.intent == "privacy":  # "hapus data sy dong": that right, at once
                right = right_named(ctx.reader.words(text).core)
                return Transition(None, {}, switch_to="privacy", carry={"right": right})
            return self._go(reading, data, ctx)
        if reading.intent is not None and reading.intent != "help":
            return understood.ask_guess(reading, data, ctx)
        if substantial(text) and core_words(text) not in GREETINGS | THANKS:
            # A story with nothing else recognised: most are complaints; ask, keeping it.
            said = text.strip()
            so_far = data.get("first_text")
            story = f"{so_far}\n{said}" if so_far else said
            guess = Reading("complaint", 0.0, {"story": story})
            rest = {k: v for k, v in data.items() if k != "first_text"}
            return understood.ask_guess(guess, rest, ctx)
        return None

    def _go(self, reading: Reading, data: dict[str, Any], ctx: Context) -> Transition | None:
        moved = understood.act_on(reading, data, ctx)
        if moved is None:
            return None
        if moved.switch_to in ("complaint", "information") and ctx.has_draft:
            # An unfinished form would be replaced: ask first, keeping what was just said.
            want = {"want": moved.switch_to, "carry": moved.carry}
            return self.ask(MenuStep.REPLACE_DRAFT, want, ctx)
        return moved


class CancelStep(StrEnum):
    ASK = "ask"


class ConfirmCancel(StepFlow):
    """`batal` in the middle of a form: a whole form is at stake, so ask once."""

    name = "cancel_confirm"
    steps = CancelStep
    first_step = CancelStep.ASK
    BUTTONS = (
        Button("yes", _("🗑 Ya, hapus isian"), ("ya", "hapus", "yes")),
        Button(
            "no", _("↩️ Tidak, lanjutkan"), ("tidak", "gak", "ga", "enggak", "nggak", "lanjut", "no")
        ),
    )

    @asks(CancelStep.ASK)
    def ask_ask(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Batalkan dan hapus isian yang belum dikirim?"), self.BUTTONS)]

    @answers(CancelStep.ASK)
    def on_ask(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "yes":
            done = Reply(_("Dibatalkan. Isian yang belum dikirim sudah dihapus."))
            return Transition(None, {}, [done], effects=[DropDraft()])
        if inbound.choice == "no":
            return Transition(None, {}, effects=[ResumeDraft()])
        return self.retry(CancelStep.ASK, data, ctx, choice_problem(self.BUTTONS))
