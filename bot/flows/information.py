"""Permohonan informasi publik (UU 14/2008, Perki 1/2021): the fields the law asks for.

```
requester_type → name → id_number (NIK, or the legal entity's decree number)
  [→ principal_type → principal_name → principal_number → power_of_attorney: a kuasa only]
  → address → contact → occupation → information [→ published: what the DIP already has]
  → purpose → obtain → delivery → summary ─kirim→ submitted
                                          └─ubah→ edit → <field>
```

What the form holds (`InformationForm`), its choices, checks and summary are in
`bot.flows.information_form`; a kuasa's questions in `bot.flows.kuasa`; the offer of what is
already published in `bot.flows.published`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from bot.domain.contact import is_email, mask_phone
from bot.flows import kuasa_form
from bot.flows.base import (
    Context,
    SubmitCase,
    Transition,
    answers,
    asks,
    choice_problem,
    for_resident,
    name_problem,
    quoted,
    resident_area,
)
from bot.flows.information_form import (
    DELIVERY_BUTTONS,
    EDITABLE,
    OBTAIN_BUTTONS,
    REQUESTER_BUTTONS,
    SUMMARY_BUTTONS,
    VIA_VOLUNTEER,
    address_problem,
    contact_problem,
    first_missing,
    id_number_problem,
    submission,
    summary,
    typed_problem,
)
from bot.flows.kuasa import KuasaSteps
from bot.flows.published import PublishedStep
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Button, Inbound, Reply


class Step(StrEnum):
    REQUESTER_TYPE = "requester_type"
    NAME = "name"
    ID_NUMBER = "id_number"
    PRINCIPAL_TYPE = kuasa_form.PRINCIPAL_TYPE  # a kuasa only (bot.flows.kuasa)
    PRINCIPAL_NAME = kuasa_form.PRINCIPAL_NAME
    PRINCIPAL_NUMBER = kuasa_form.PRINCIPAL_NUMBER
    POWER_OF_ATTORNEY = kuasa_form.POWER_OF_ATTORNEY
    ADDRESS = "address"
    CONTACT = "contact"
    OCCUPATION = "occupation"
    INFORMATION = "information"
    PUBLISHED = "published"  # only when the DIP has it (bot.flows.published)
    PURPOSE = "purpose"
    OBTAIN = "obtain"
    DELIVERY = "delivery"
    DELIVERY_EMAIL = "delivery_email"
    SUMMARY = "summary"
    EDIT = "edit"


# The order the form asks in: an e-mail address and the edit menu only on the way.
ORDER = tuple(step for step in Step if step not in (Step.DELIVERY_EMAIL, Step.EDIT))
# Asked only when called for: a kuasa's questions, and the offer of what is published.
CALLED_FOR = frozenset({*kuasa_form.STEPS, Step.PUBLISHED})


class Information(KuasaSteps, PublishedStep):
    name = "information"
    steps = Step
    first_step = Step.REQUESTER_TYPE

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        """A request told in the first message ("bisa minta APBD 2026?") is held against what
        is published before anything else is asked."""
        data = dict(data or {})
        offer = self.offer(data, ctx) if data.get("_carried") else None
        return offer or self.ask(self.first_step, data, ctx)

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        # Each answer fills in a copy: the form it was given stays as it was.
        return super().handle(step, dict(data), inbound, ctx)

    @asks(Step.REQUESTER_TYPE)
    def ask_requester_type(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """Who requests: a person, a legal entity, or a proxy for someone else."""
        as_who = for_resident(data, _("Anda mengajukan sebagai:"), _("Warga mengajukan sebagai:"))
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

    @answers(Step.REQUESTER_TYPE)
    def on_requester_type(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice not in ("perorangan", "badan_hukum", "kuasa"):
            return self.retry(Step.REQUESTER_TYPE, data, ctx, choice_problem(REQUESTER_BUTTONS))
        previous = data.get("requester_type")
        if previous != inbound.choice and "badan_hukum" in (previous, inbound.choice):
            # A person's name and NIK are no entity's (a kuasa is a person acting for another)
            for key in ("nik", "legal_entity_number", "name"):
                data.pop(key, None)
        if previous == "kuasa" and inbound.choice != "kuasa":
            kuasa_form.forget(data)
        data["requester_type"] = inbound.choice
        return self.advance(Step.REQUESTER_TYPE, data, ctx)

    @asks(Step.NAME)
    def ask_name(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        if data.get("requester_type") == "badan_hukum":
            return [Reply(_("Nama badan hukum dan nama penanggung jawabnya?"))]
        ask = for_resident(
            data, _("Nama lengkap Anda sesuai KTP?"), _("Nama lengkap warga sesuai KTP?")
        )
        return [Reply(ask)]

    @answers(Step.NAME)
    def on_name(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return self.written(Step.NAME, data, inbound, ctx, also=name_problem)

    @asks(Step.ID_NUMBER)
    def ask_id_number(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """The NIK, or a legal entity's decree number."""
        if data.get("requester_type") == "badan_hukum":
            return [Reply(_("Nomor pengesahan badan hukum (misalnya nomor SK Kemenkumham AHU-…)?"))]
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

    @answers(Step.ID_NUMBER)
    def on_id_number(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        problem = id_number_problem(data, inbound)  # kept in `data` when there is none
        if problem is not None:
            return self.retry(Step.ID_NUMBER, data, ctx, problem)
        return self.advance(Step.ID_NUMBER, data, ctx)

    @asks(Step.ADDRESS)
    def ask_address(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
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

    @answers(Step.ADDRESS)
    def on_address(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        problem = address_problem(data, inbound, ctx)  # kept in `data` when there is none
        if problem is not None:
            return self.retry(Step.ADDRESS, data, ctx, problem)
        return self.advance(Step.ADDRESS, data, ctx)

    @asks(Step.CONTACT)
    def ask_contact(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """A phone number and/or an e-mail address; the one the chat came from, at a tap."""
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

    @answers(Step.CONTACT)
    def on_contact(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        problem = contact_problem(data, inbound, ctx)  # kept in `data` when there is none
        if problem is not None:
            return self.retry(Step.CONTACT, data, ctx, problem)
        return self.advance(Step.CONTACT, data, ctx)

    @asks(Step.OCCUPATION)
    def ask_occupation(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(for_resident(data, _("Pekerjaan Anda?"), _("Pekerjaan warga?")))]

    @answers(Step.OCCUPATION)
    def on_occupation(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return self.written(Step.OCCUPATION, data, inbound, ctx)

    @asks(Step.INFORMATION)
    def ask_information(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
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

    @answers(Step.INFORMATION)
    def on_information(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        problem = typed_problem(Step.INFORMATION, inbound)
        if problem is not None:
            return self.retry(Step.INFORMATION, data, ctx, problem)
        data["information"] = (inbound.text or "").strip()
        return self.offer(data, ctx) or self.advance(Step.INFORMATION, data, ctx)

    @asks(Step.PURPOSE)
    def ask_purpose(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(_("Untuk apa informasi itu akan digunakan?"))]

    @answers(Step.PURPOSE)
    def on_purpose(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        return self.written(Step.PURPOSE, data, inbound, ctx)

    @asks(Step.OBTAIN)
    def ask_obtain(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """How the information is obtained: seen in person, or an electronic or printed copy."""
        ask = for_resident(
            data,
            _("Bagaimana Anda ingin memperoleh informasinya?"),
            _("Bagaimana warga ingin memperoleh informasinya?"),
        )
        return [Reply(ask, OBTAIN_BUTTONS)]

    @answers(Step.OBTAIN)
    def on_obtain(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice not in {b.id for b in OBTAIN_BUTTONS}:
            return self.retry(Step.OBTAIN, data, ctx, choice_problem(OBTAIN_BUTTONS))
        data["obtain_method"] = inbound.choice
        return self.advance(Step.OBTAIN, data, ctx)

    @asks(Step.DELIVERY)
    def ask_delivery(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """How copies reach the requester: collected, or by e-mail, post, courier or fax."""
        ask = for_resident(
            data,
            _("Bagaimana salinan informasi dikirim kepada Anda?"),
            _("Bagaimana salinan informasi dikirim kepada warga?"),
        )
        return [Reply(ask, DELIVERY_BUTTONS)]

    @answers(Step.DELIVERY)
    def on_delivery(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice not in {b.id for b in DELIVERY_BUTTONS}:
            return self.retry(Step.DELIVERY, data, ctx, choice_problem(DELIVERY_BUTTONS))
        if inbound.choice == "email" and not data.get("email"):
            return self.ask(Step.DELIVERY_EMAIL, data, ctx)
        data["delivery_method"] = inbound.choice
        return self.advance(Step.DELIVERY, data, ctx)

    @asks(Step.DELIVERY_EMAIL)
    def ask_delivery_email(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """Delivery by e-mail picked, and no e-mail address given at the contact step."""
        return [Reply(_("Ke alamat email mana salinannya dikirim?"))]

    @answers(Step.DELIVERY_EMAIL)
    def on_delivery_email(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        typed = (inbound.text or "").strip()
        if not is_email(typed):
            return self.retry(
                Step.DELIVERY_EMAIL,
                data,
                ctx,
                _("Alamat email itu tidak dikenali. Contoh: *nama@email.com*."),
            )
        data.update(email=typed.lower(), delivery_method="email")
        return self.advance(Step.DELIVERY, data, ctx)

    @asks(Step.SUMMARY)
    def ask_summary(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(summary(data, ctx, kuasa_form.summary_part(data)), SUMMARY_BUTTONS)]

    @answers(Step.SUMMARY)
    def on_summary(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "send":
            missing = first_missing(data) or kuasa_form.owed(data)
            if missing is not None:  # emptied by edits or going back: asked, then the summary
                return self.ask(Step(missing), {**data, "_edit": True}, ctx)
            return Transition(None, data, effects=[SubmitCase("informasi", submission(data))])
        if inbound.choice == "edit":
            return self.ask(Step.EDIT, data, ctx)
        if inbound.choice == "cancel":
            return Transition(None, {}, [Reply(_("Permohonan dibatalkan dan tidak dikirim."))])
        return self.retry(Step.SUMMARY, data, ctx, choice_problem(SUMMARY_BUTTONS))

    @asks(Step.EDIT)
    def ask_edit(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        parts = (*(Button(key, label) for key, label in EDITABLE), *kuasa_form.edit_buttons(data))
        return [Reply(_("Bagian mana yang ingin diubah?"), parts)]

    @answers(Step.EDIT)
    def on_edit(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        parts = {key for key, _label in EDITABLE} | {b.id for b in kuasa_form.edit_buttons(data)}
        if inbound.choice not in parts:
            return self.retry(Step.EDIT, data, ctx, _("Pilih bagian yang ingin diubah."))
        data["_edit"] = True
        if inbound.choice == Step.POWER_OF_ATTORNEY and kuasa_form.letters(data):
            data["letter_replacing"] = True  # the old letter stays until a new one comes
        return self.ask(Step(inbound.choice), data, ctx)

    def written(
        self,
        step: Step,
        data: dict[str, Any],
        inbound: Inbound,
        ctx: Context,
        also: Callable[[str], Msg | None] | None = None,
    ) -> Transition:
        """A free-text answer: kept as typed when it is within the step's limits (and `also`
        finds nothing wrong with it)."""
        problem = typed_problem(step, inbound)
        if problem is None and also is not None:
            problem = also(inbound.text or "")
        if problem is not None:
            return self.retry(step, data, ctx, problem)
        data[step.value] = (inbound.text or "").strip()
        return self.advance(step, data, ctx)

    def advance(self, step: str, data: dict[str, Any], ctx: Context) -> Transition:
        step = Step(step)
        # Changing the requester type invalidates the ID number: ask it again even when editing.
        if step == Step.REQUESTER_TYPE and not (data.get("nik") or data.get("legal_entity_number")):
            return self.ask(Step.ID_NUMBER if data.get("name") else Step.NAME, data, ctx)
        if step == Step.NAME and not (data.get("nik") or data.get("legal_entity_number")):
            return self.ask(Step.ID_NUMBER, data, ctx)  # still owed after a change of type
        if (
            step == Step.CONTACT
            and data.get("delivery_method") == "email"
            and not data.get("email")
        ):
            data["delivery_method"] = None
            return self.ask(Step.DELIVERY, data, ctx)  # e-mail delivery needs an address
        owed = kuasa_form.owed(data) if step in (*ORDER[:3], *kuasa_form.STEPS) else None
        if owed is not None:  # a kuasa's questions follow their own NIK, when editing too
            return self.ask(Step(owed), data, ctx)
        if data.pop("_edit", False):
            return self.ask(Step.SUMMARY, data, ctx)
        following = ORDER[ORDER.index(step) + 1]
        while following in CALLED_FOR:
            following = ORDER[ORDER.index(following) + 1]
        if following == Step.INFORMATION and data.get("_carried") and data.get("information"):
            # Said in the first message ("bisa minta salinan SK kepala desa?"): not asked
            # again; it shows in the summary, where it can be changed.
            following = Step.PURPOSE
        return self.ask(following, data, ctx)
