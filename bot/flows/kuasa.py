"""A request made as *kuasa* (for someone else): whom the applicant represents, and the surat
kuasa khusus itself. Asked only when the requester is a kuasa, right after their own NIK.

```
id_number ─(kuasa)─► principal_type → principal_name → principal_number (NIK or decree number)
          → power_of_attorney ⟲ (a photo or a document, page by page; or "Kirim nanti")
          → address …
```

UU 14/2008 Pasal 1 and Perki 1/2021 let a person or a legal entity ask through a kuasa, with
the surat kuasa. Someone without the letter at hand may still file ("Kirim nanti"): the request
is registered (its 10 working days are the requester's right, and a chat is no place to refuse
one), the summary and the PPID's card say plainly that the letter is missing, and the PPID asks
for it before any information is given. Nothing typed is lost: a name typed where the type was
asked is kept, a NIK typed where the name was asked is kept, and a letter sent early is kept.

Pure: the steps are a mixin of `bot.flows.information.Information`, whose `Step` holds their
names; what they hold and the words they offer are in `bot.flows.kuasa_form`.
"""

from __future__ import annotations

from typing import Any

from bot.domain.nik import check_nik
from bot.flows.base import (
    Context,
    StepFlow,
    Transition,
    answers,
    asks,
    choice_problem,
    for_resident,
    name_problem,
    not_text_problem,
    substantial,
    text_problem,
)
from bot.flows.information_form import NIK_PROBLEMS
from bot.flows.kuasa_form import (
    KEEP,
    LATER,
    MAX_LETTER_FILES,
    NEXT,
    POWER_OF_ATTORNEY,
    PRINCIPAL_BUTTONS,
    PRINCIPAL_LABELS,
    PRINCIPAL_NAME,
    PRINCIPAL_NUMBER,
    PRINCIPAL_TYPE,
    letters,
    read_principal,
    with_letter,
)
from bot.understanding import Expect
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Inbound, Reply


def noted(said: Msg, moved: Transition) -> Transition:
    """`said` in front of the next question, in the same message."""
    if not moved.replies:
        return moved
    first, *rest = moved.replies
    replies = [Reply(join(said, first.text), first.buttons), *rest]
    return Transition(moved.step, moved.data, replies, moved.effects)


class KuasaSteps(StepFlow):
    """The kuasa's four questions, mixed into the information flow."""

    def advance(self, step: str, data: dict[str, Any], ctx: Context) -> Transition:
        raise NotImplementedError  # the information flow's own order

    def kept_early(
        self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition | None:
        """The letter sent before it was asked for: kept, and the question asked again."""
        if inbound.text or not with_letter(data, inbound.media):
            return None
        return self.retry(step, data, ctx, _("Surat kuasa sudah kami simpan."))

    @asks(PRINCIPAL_TYPE)
    def ask_principal_type(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        if data.get("principal_name"):
            named = _(
                "*{name}* kami catat sebagai pemberi kuasa. Perorangan atau badan hukum?",
                name=Raw(data["principal_name"]),
            )
            return [Reply(named, PRINCIPAL_BUTTONS)]
        ask = for_resident(
            data,
            _("Sebagai kuasa, Anda mewakili siapa?"),
            _("Sebagai kuasa, warga mewakili siapa?"),
        )
        return [Reply(ask, PRINCIPAL_BUTTONS)]

    @answers(PRINCIPAL_TYPE)
    def on_principal_type(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        step = PRINCIPAL_TYPE
        if inbound.choice in PRINCIPAL_LABELS:
            previous = data.get("principal_type")
            if previous and previous != inbound.choice:
                data.pop("principal_number", None)  # a NIK is no decree number
                data.pop("principal_name", None)  # a person's name is no entity's name
            data["principal_type"] = inbound.choice
            return self.advance(step, data, ctx)
        early = self.kept_early(step, data, inbound, ctx)
        if early is not None:
            return early
        kind, name, number = read_principal((inbound.text or "").strip())
        if name is not None:
            data["principal_name"] = name
        if number is not None:
            data["principal_number"] = number
        if kind is not None:
            data["principal_type"] = kind
            return self.advance(step, data, ctx)
        if name is not None:  # one short question: what kind of principal this is
            return self.ask(step, data, ctx)
        problem = not_text_problem(inbound) or choice_problem(PRINCIPAL_BUTTONS)
        return self.retry(step, data, ctx, problem)

    @asks(PRINCIPAL_NAME)
    def ask_principal_name(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        if data.get("principal_type") == "badan_hukum":
            return [Reply(_("Nama badan hukum yang diwakili?"))]
        return [Reply(_("Nama lengkap pemberi kuasa sesuai KTP?"))]

    @answers(PRINCIPAL_NAME)
    def on_principal_name(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        step = PRINCIPAL_NAME
        early = self.kept_early(step, data, inbound, ctx)
        if early is not None:
            return early
        text = (inbound.text or "").strip()
        nik, nik_problem = check_nik(text)
        if nik_problem is None and data.get("principal_type") == "perorangan":
            data["principal_number"] = nik  # the NIK, typed first: kept, and the name asked
            return self.retry(step, data, ctx, _("NIK pemberi kuasa sudah kami catat."))
        problem = (
            not_text_problem(inbound)
            or text_problem(text, min_len=3, max_len=200)
            or name_problem(text)
        )
        if problem is not None:
            return self.retry(step, data, ctx, problem)
        data["principal_name"] = text
        return self.advance(step, data, ctx)

    @asks(PRINCIPAL_NUMBER)
    def ask_principal_number(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        if data.get("principal_type") == "badan_hukum":
            return [
                Reply(
                    _(
                        "Nomor pengesahan badan hukum yang diwakili (misalnya nomor SK "
                        "Kemenkumham AHU-…)?"
                    )
                )
            ]
        return [
            Reply(
                _(
                    "NIK pemberi kuasa (16 angka di KTP-nya)? NIK hanya dipakai untuk "
                    "permohonan ini dan ditampilkan tersamar."
                )
            )
        ]

    @answers(PRINCIPAL_NUMBER)
    def on_principal_number(
        self, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition:
        step = PRINCIPAL_NUMBER
        early = self.kept_early(step, data, inbound, ctx)
        if early is not None:
            return early
        problem = not_text_problem(inbound) or text_problem(inbound.text, max_len=100)
        if problem is not None:
            return self.retry(step, data, ctx, problem)
        text = (inbound.text or "").strip()
        if data.get("principal_type") == "badan_hukum":
            if len(text) < 5:
                short = _("Nomor pengesahan terlalu pendek. Mohon periksa lagi.")
                return self.retry(step, data, ctx, short)
            data["principal_number"] = text
            return self.advance(step, data, ctx)
        nik, nik_problem = check_nik(text)
        if nik_problem is not None:
            return self.retry(step, data, ctx, NIK_PROBLEMS[nik_problem])
        if nik == data.get("nik"):
            own = _("Itu NIK Anda sendiri. Mohon tulis NIK orang yang Anda wakili.")
            return self.retry(step, data, ctx, own)
        data["principal_number"] = nik
        return self.advance(step, data, ctx)

    @asks(POWER_OF_ATTORNEY)
    def ask_power_of_attorney(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        count = len(letters(data))
        if count and data.get("letter_replacing"):
            again = _(
                "Surat kuasa sudah terlampir ({count} berkas). Kirim yang baru untuk "
                "menggantinya, atau pilih *Tetap pakai yang lama*.",
                count=count,
            )
            return [Reply(again, (KEEP,))]
        if count:
            more = _(
                "Surat kuasa diterima ({count} berkas). Ada halaman lain? Kirim, atau pilih "
                "*Lanjut*.",
                count=count,
            )
            return [Reply(more, (NEXT,))]
        ask = _(
            "Kirim foto atau berkas (PDF) *surat kuasa khusus* yang ditandatangani pemberi "
            "kuasa. Belum ada? Pilih *Kirim nanti*: permohonan tetap didaftarkan, dan PPID "
            "akan memintanya sebelum informasi diberikan."
        )
        return [Reply(ask, (LATER,))]

    @answers(POWER_OF_ATTORNEY)
    def on_power_of_attorney(
        self, data: dict[str, Any], inbound: Inbound, ctx: Context
    ) -> Transition:
        step = POWER_OF_ATTORNEY
        if with_letter(data, inbound.media):
            if len(letters(data)) >= MAX_LETTER_FILES:
                return self.advance(step, data, ctx)
            return self.ask(step, data, ctx)
        text = (inbound.text or "").strip()
        choice = inbound.choice or self.letter_words(text, data, ctx)
        if choice in ("skip", "next"):
            if letters(data):  # the pages sent are the letter ("nanti" means no more)
                data.pop("letter_replacing", None)
                return self.advance(step, data, ctx)
            data["letter_later"] = True
            later = _("Baik, surat kuasa menyusul: PPID akan memintanya.")
            return noted(later, self.advance(step, data, ctx))
        wanted = _("Mohon kirim foto atau berkas surat kuasanya.")
        if any(m.kind in ("voice", "audio", "video") for m in inbound.media) or substantial(text):
            wanted = join(wanted, _("Surat kuasa perlu terlihat tulisannya dan tanda tangannya."))
        return self.retry(step, data, ctx, wanted)

    @staticmethod
    def letter_words(text: str, data: dict[str, Any], ctx: Context) -> str | None:
        """ "blm ada, nanti sy kirim" is *Kirim nanti*; "sudah itu saja" after a page is
        *Lanjut*: the buttons' meaning in words the turn's matching did not pick."""
        if not text:
            return None
        if letters(data) and ctx.reader.read(text, Expect.DONE).intent == "done":
            return "next"
        if ctx.reader.read(text, Expect.SKIP).intent == "skip":
            return "skip"
        return None
