"""Pengaduan / aspirasi (SP4N-LAPOR!): what happened, where, photos, who, then submit.

```
type → category → description ⟲ (more text appended) → location [→ location_pick]
     → photos ⟲ → identity → name (not when anonim) → summary ─kirim→ submitted
                                                       └─ubah→ edit → <field> → summary
```

The form's data, buttons and pure helpers are in `bot.flows.complaint_form`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.flows import complaint_form as form
from bot.flows.base import (
    MAX_MESSAGE,
    Context,
    StepFlow,
    SubmitCase,
    Transition,
    answers,
    asks,
    choice_problem,
    for_resident,
    name_problem,
    not_text_problem,
    quoted,
    resident_area,
    substantial,
    text_problem,
)
from bot.understanding.choices import match_choice
from bot.values.messages import Localized, Msg, Raw, _, join
from bot.values.types import Button, Inbound, Reply


class Step(StrEnum):
    TYPE = "type"
    CATEGORY = "category"
    DESCRIPTION = "description"
    LOCATION = "location"
    LOCATION_PICK = "location_pick"
    PHOTOS = "photos"
    IDENTITY = "identity"
    NAME = "name"
    SUMMARY = "summary"
    EDIT = "edit"


# The order of questions: the steps', less the side steps (`name` is skipped for anonim).
ORDER = tuple(step for step in Step if step not in (Step.LOCATION_PICK, Step.EDIT))


class Complaint(StepFlow):
    name = "complaint"
    steps = Step
    first_step = Step.TYPE

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        """What the first message already said is not asked again: a known type goes on to
        the category (offered from the story when it names one)."""
        data = dict(data or {})
        home = resident_area(data)
        if home and not (data.get("area") or data.get("location")):
            # A KIM volunteer named the resident's desa already: the form does not ask it
            # again (the summary shows it, and Ubah → Lokasi changes it).
            data.update(area=home, area_from_resident=True)
        if data.get("type") in ("pengaduan", "aspirasi"):
            return self.advance(Step.TYPE, data, ctx)
        return self.ask(self.first_step, data, ctx)

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        # Every answer works on its own copy: the data it was given stays as it was.
        return super().handle(step, dict(data), inbound, ctx)

    def help(self, step: str, data: dict[str, Any], ctx: Context) -> Msg:
        if step == Step.IDENTITY:
            return form.IDENTITY_HELP
        return super().help(step, data, ctx)

    def advance(self, step: Step, data: dict[str, Any], ctx: Context) -> Transition:
        """The question after `step`, or the summary again after a field picked from Ubah."""
        if data.pop("_edit", False) and not (step == Step.IDENTITY and form.needs_name(data)):
            return self.ask(Step.SUMMARY, data, ctx)
        following = ORDER[ORDER.index(step) + 1]
        if following == Step.LOCATION and data.get("area_from_resident"):
            following = Step.PHOTOS
        if following == Step.NAME and not form.needs_name(data):
            following = Step.SUMMARY
        if following == Step.CATEGORY and data.get("description") and not data.get("category"):
            data["_suggested"] = form.suggested_category(data["description"], ctx)
        return self.ask(following, data, ctx)

    # --- the conversation, step by step ------------------------------------------------------

    @asks(Step.TYPE)
    def ask_type(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """Pengaduan or aspirasi."""
        if data.get("_carried"):
            return [Reply(form.STORY_KEPT_TYPE, form.TYPE_BUTTONS)]
        ask = for_resident(
            data,
            _("Apa yang ingin Anda sampaikan?"),
            _("Apa yang ingin disampaikan warga?"),
        )
        return [Reply(ask, form.TYPE_BUTTONS)]

    @answers(Step.TYPE)
    def on_type(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        """A story told here instead is kept as the report's text (and, when it says which,
        answers the question too)."""
        text = (inbound.text or "").strip()
        kind, story = form.read_type(text, inbound.choice, ctx)
        if story:
            data["description"] = form.keep_story(data.get("description"), text)
            data["_carried"] = True
        if kind is None:
            if data.get("_carried"):
                return Transition(Step.TYPE, data, [Reply(form.STORY_KEPT_TYPE, form.TYPE_BUTTONS)])
            return self.retry(Step.TYPE, data, ctx, choice_problem(form.TYPE_BUTTONS))
        data["type"] = kind
        return self.advance(Step.TYPE, data, ctx)

    @asks(Step.CATEGORY)
    def ask_category(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """The category the story seems to be about, to confirm; else the agency's list."""
        guess = ctx.agency.categories.get(data.get("_suggested") or "")
        if guess is not None:
            named = Localized(guess.name, guess.name_en)
            sure = _("Sepertinya ini tentang *{category}*. Benar?", category=named)
            return [Reply(sure, form.guess_buttons(guess.code))]
        ask = for_resident(
            data,
            _("Tentang apa laporan Anda? Pilih kategori:"),
            _("Tentang apa laporan warga? Pilih kategori:"),
        )
        return [Reply(ask, form.category_buttons(ctx))]

    @answers(Step.CATEGORY)
    def on_category(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "other":
            data["_suggested"] = None
            return self.ask(Step.CATEGORY, data, ctx)
        if inbound.choice in ctx.agency.categories:
            data["category"] = inbound.choice
            data.pop("_suggested", None)
            return self.advance(Step.CATEGORY, data, ctx)
        text = (inbound.text or "").strip()
        named = match_choice(text, form.category_options(ctx)) if text else None
        if named is not None:  # a category typed while a suggestion was shown
            data["category"] = named
            data.pop("_suggested", None)
            return self.advance(Step.CATEGORY, data, ctx)
        if substantial(text):
            # The story, told at the category question: keep it, and offer its category.
            data["description"] = form.keep_story(data.get("description"), text)
            data["_carried"] = True
            data["_suggested"] = form.suggested_category(data["description"], ctx)
            return self.ask(Step.CATEGORY, data, ctx)
        return self.retry(Step.CATEGORY, data, ctx, choice_problem(form.category_buttons(ctx)))

    @asks(Step.DESCRIPTION)
    def ask_description(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """The story, in as many messages as it takes; then "Ada tambahan?" after each."""
        if data.get("rewriting"):
            rewrite = _(
                "Tulis isi laporan yang baru. Isi yang lama:\n“{text}”",
                text=quoted(data.get("description", ""), 300),
            )
            return [Reply(rewrite, (form.KEEP_OLD,))]
        if data.get("_carried"):
            carried = _(
                "Pesan Anda tadi kami pakai sebagai isi laporan:\n“{text}”\n"
                "Ada tambahan? Tulis lagi untuk menambah, atau pilih *Lanjut*.",
                text=quoted(data.get("description", ""), 500),
            )
            return [Reply(carried, (form.CONTINUE,))]
        if data.get("description"):
            more = _("Tercatat. Ada tambahan? Tulis lagi untuk menambah, atau pilih *Lanjut*.")
            return [Reply(more, (form.CONTINUE,))]
        tell = _(
            "Ceritakan apa yang terjadi: apa masalahnya, sejak kapan, dan siapa "
            "yang terdampak. Boleh dalam beberapa pesan."
        )
        return [Reply(tell)]

    @answers(Step.DESCRIPTION)
    def on_description(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        data.pop("_carried", None)
        if inbound.choice == "next" and data.get("description"):
            data.pop("rewriting", None)
            return self.advance(Step.DESCRIPTION, data, ctx)
        form.with_attachments(data, inbound.media)
        problem = form.story_problem(data, inbound)
        rewriting = bool(data.get("rewriting"))
        if problem is not None and data.get("description") and not rewriting:
            # Something unusable after the story: nothing new was recorded, so no "Tercatat".
            more = _("Tulis tambahannya dengan kata-kata, atau pilih *Lanjut*.")
            return Transition(
                Step.DESCRIPTION, data, [Reply(join(problem, more), (form.CONTINUE,))]
            )
        if problem is not None:
            return self.retry(Step.DESCRIPTION, data, ctx, problem)
        text = (inbound.text or "").strip()
        if data.get("description") and not rewriting and form.bare_answer(text, ctx):
            # "iya betul", "ok pak" to "Ada tambahan?": an answer, not more of the report
            more = _("Silakan tulis tambahannya, atau pilih *Lanjut* bila sudah.")
            return Transition(Step.DESCRIPTION, data, [Reply(more, (form.CONTINUE,))])
        so_far = "" if rewriting else data.get("description", "")
        data.pop("rewriting", None)
        combined = f"{so_far}\n{text}" if so_far else text
        if len(combined) > form.MAX_DESCRIPTION:
            full = _(
                "Isi laporan sudah mencapai batas {limit} karakter. Pilih *Lanjut*.",
                limit=form.MAX_DESCRIPTION,
            )
            return self.retry(Step.DESCRIPTION, data, ctx, full)
        data["description"] = combined
        if len(text) > MAX_MESSAGE:
            kept = _(
                "Pesan panjang Anda ({length} karakter) sudah kami simpan utuh. Bila masih ada "
                "lanjutannya, kirim saja; bila sudah, pilih *Lanjut*.",
                length=len(text),
            )
            return Transition(Step.DESCRIPTION, data, [Reply(kept, (form.CONTINUE,))])
        return self.ask(Step.DESCRIPTION, data, ctx)

    @asks(Step.LOCATION)
    def ask_location(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        where = _(
            "Di mana lokasinya? Kirim *lokasi* (📎 → Lokasi), atau tulis nama "
            "desa/kelurahan atau kecamatan. Boleh dilewati."
        )
        return [Reply(where, (form.SKIP,))]

    @answers(Step.LOCATION)
    def on_location(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "skip":
            data.update(area=None, location=None, location_text=None)
            return self.advance(Step.LOCATION, data, ctx)
        if inbound.choice == "as_typed" and data.get("location_text"):
            return self.advance(Step.LOCATION, data, ctx)
        if inbound.location is not None:
            data.update(area=None, location_text=None, location=form.pin(inbound.location))
            moved = self.advance(Step.LOCATION, data, ctx)
            moved.replies.insert(0, Reply(_("📍 Lokasi diterima.")))
            return moved
        problem = not_text_problem(inbound) or text_problem(inbound.text, min_len=3, max_len=300)
        if problem is not None:
            return self.retry(Step.LOCATION, data, ctx, problem)
        text = (inbound.text or "").strip()
        # What was typed is kept as the location detail ("depan SD 4"), whatever it matches.
        data.update(location_text=text, location=None)
        match = ctx.agency.match_area(text)
        if match.area is not None:
            data["area"] = match.area.code
            return self.advance(Step.LOCATION, data, ctx)
        data["area"] = None
        if match.candidates:
            data["area_candidates"] = [area.code for area in match.candidates]
            return self.ask(Step.LOCATION_PICK, data, ctx)
        unknown = _(
            'Kami tidak menemukan nama desa/kelurahan atau kecamatan di "{place}". Tulis nama '
            "desa/kelurahan atau kecamatannya, atau pilih *Simpan seperti yang saya tulis*.",
            place=quoted(text, 60),
        )
        return Transition(Step.LOCATION, data, [Reply(unknown, (form.KEEP_TEXT, form.SKIP))])

    @asks(Step.LOCATION_PICK)
    def ask_location_pick(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """Several areas are close to what was typed: which one was meant?"""
        places = tuple(
            Button(code, Raw(ctx.agency.area_label(code)))
            for code in data.get("area_candidates", [])
        )
        if not places:
            return self.ask_location(data, ctx)
        retype = Button("retype", _("Bukan, tulis ulang"), ("bukan",))
        return [
            Reply(
                _("Maksud Anda salah satu dari ini?"), (*places, retype, form.KEEP_TEXT, form.SKIP)
            )
        ]

    @answers(Step.LOCATION_PICK)
    def on_location_pick(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        # Lewati, a shared location or other words: as at the location question.
        if inbound.choice == "retype":
            return self.ask(Step.LOCATION, data, ctx)
        if inbound.choice == "as_typed":
            return self.advance(Step.LOCATION, data, ctx)
        if inbound.choice in data.get("area_candidates", []):
            data["area"] = inbound.choice  # the typed words stay as location_text
            return self.advance(Step.LOCATION, data, ctx)
        return self.on_location(data, inbound, ctx)

    @asks(Step.PHOTOS)
    def ask_photos(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        count = form.count_pictures(data)
        if count:
            more = _("{count} foto/berkas diterima. Kirim lagi, atau pilih *Selesai*.", count=count)
            return [Reply(more, (form.DONE_PHOTOS,))]
        ask = _("Ada foto pendukung? Kirim fotonya sekarang (boleh lebih dari satu).")
        return [Reply(ask, (form.SKIP,))]

    @answers(Step.PHOTOS)
    def on_photos(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        text = (inbound.text or "").strip()
        told = substantial(text) and text_problem(text, max_len=MAX_MESSAGE) is None
        if inbound.choice in ("skip", "next"):
            if told and inbound.choice == "skip" and not inbound.media:
                # "fotonya blm ada, tp lubangnya 1 meter": no photo, and more of the story
                data["description"] = form.keep_story(data.get("description"), text)
            return self.advance(Step.PHOTOS, data, ctx)
        voices = [m for m in inbound.media if m.kind in ("voice", "audio")]
        usable = [m for m in inbound.media if m.kind in form.PICTURE_KINDS]
        if voices:  # a voice note is kept wherever it arrives, and counted in the summary
            data["attachments"] = [*data.get("attachments", []), *map(form.attachment, voices)]
        if not usable:
            if told:
                data["description"] = form.keep_story(data.get("description"), text)
                more = _("Tambahan cerita sudah kami catat. Ada foto? Kirim, atau pilih *Lewati*.")
                return Transition(Step.PHOTOS, data, [Reply(more, (form.SKIP,))])
            if voices:
                kept = _("Pesan suara sudah kami simpan. Ada foto? Kirim, atau pilih *Lewati*.")
                return Transition(Step.PHOTOS, data, [Reply(kept, (form.SKIP,))])
            photo = _("Mohon kirim foto, atau pilih tombol di bawah.")
            return self.retry(Step.PHOTOS, data, ctx, photo)
        room = form.MAX_PHOTOS - len(data.get("attachments", []))
        form.with_attachments(data, usable)
        if inbound.text:
            data["description"] = f"{data.get('description', '')}\n{inbound.text.strip()}".strip()
        if room <= len(usable):
            return self.advance(Step.PHOTOS, data, ctx)
        return self.ask(Step.PHOTOS, data, ctx)

    @asks(Step.IDENTITY)
    def ask_identity(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """Biasa, anonim or rahasia: what the officers and the public see of the reporter."""
        if data.get("resident"):
            return [Reply(_("Bagaimana identitas warga ditampilkan?"), form.RESIDENT_IDENTITY)]
        return [Reply(_("Bagaimana identitas Anda ditampilkan?"), form.IDENTITY_BUTTONS)]

    @answers(Step.IDENTITY)
    def on_identity(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice not in ("biasa", "anonim", "rahasia"):
            return self.retry(Step.IDENTITY, data, ctx, choice_problem(form.IDENTITY_BUTTONS))
        data["identity"] = inbound.choice
        if inbound.choice == "anonim":
            data.pop("name", None)
        return self.advance(Step.IDENTITY, data, ctx)

    @asks(Step.NAME)
    def ask_name(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        known = (Button("profile", Raw(ctx.display_name)),) if ctx.display_name else ()
        return [Reply(_("Siapa nama Anda?"), known)]

    @answers(Step.NAME)
    def on_name(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "profile" and ctx.display_name:
            data["name"] = ctx.display_name
            return self.advance(Step.NAME, data, ctx)
        problem = (
            not_text_problem(inbound)
            or text_problem(inbound.text, min_len=2, max_len=100)
            or name_problem(inbound.text or "")
        )
        if problem is not None:
            return self.retry(Step.NAME, data, ctx, problem)
        data["name"] = (inbound.text or "").strip()
        return self.advance(Step.NAME, data, ctx)

    @asks(Step.SUMMARY)
    def ask_summary(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        return [Reply(form.summary(data, ctx), form.SUMMARY_BUTTONS)]

    @answers(Step.SUMMARY)
    def on_summary(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "send":
            missing = form.first_missing(data)
            if missing is not None:
                return self.ask(Step(missing), data, ctx)
            return Transition(None, data, effects=[SubmitCase(data["type"], form.submission(data))])
        if inbound.choice == "edit":
            return self.ask(Step.EDIT, data, ctx)
        if inbound.choice == "cancel":
            return Transition(None, {}, [Reply(_("Laporan dibatalkan dan tidak dikirim."))])
        return self.retry(Step.SUMMARY, data, ctx, choice_problem(form.SUMMARY_BUTTONS))

    @asks(Step.EDIT)
    def ask_edit(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """Ubah: which part of the form to answer again (then back to the summary)."""
        return [Reply(_("Bagian mana yang ingin diubah?"), form.edit_buttons(data))]

    @answers(Step.EDIT)
    def on_edit(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        fields = [key for key, _label in form.EDITABLE] + ["name"]
        if inbound.choice not in fields:
            return self.retry(Step.EDIT, data, ctx, _("Pilih bagian yang ingin diubah."))
        data["_edit"] = True
        if inbound.choice == "description":
            # The old text stays until new text arrives ("kembali" loses nothing).
            data["rewriting"] = True
        return self.ask(Step(inbound.choice), data, ctx)
