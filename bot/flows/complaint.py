"""Pengaduan / aspirasi (SP4N-LAPOR!): what happened, where, photos, who, then submit.

```
type → category → description ⟲ (more text appended) → location [→ location_pick]
     → photos ⟲ → identity → name (not when anonim) → summary ─kirim→ submitted
                                                       └─ubah→ edit → <field> → summary
```
"""

from __future__ import annotations

from typing import Any

from bot.flows.base import (
    MAX_MESSAGE,
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
    substantial,
    text_problem,
)
from bot.understanding import Expect
from bot.understanding.choices import match_choice
from bot.values.messages import Localized, Msg, Raw, _, join
from bot.values.types import Button, Inbound, Reply

# A story is never refused for its length: chat apps cut a long one into several messages
# (Telegram at 4,096 characters), and each part is added. Only a text beyond any chat's
# (a pasted book) is refused, and then nothing of the story told so far is lost.
MAX_DESCRIPTION = 50_000
MIN_DESCRIPTION = 10  # "1" or "ok" is not a report
MAX_PHOTOS = 10

TYPE_BUTTONS = (
    Button(
        "pengaduan", _("Pengaduan (ada masalah layanan)"), ("pengaduan", "keluhan", "complaint")
    ),
    Button(
        "aspirasi", _("Aspirasi (usul atau saran)"), ("aspirasi", "usul", "saran", "suggestion")
    ),
)
STORY_KEPT_TYPE = _(
    "Cerita Anda sudah kami catat. Apakah ini *pengaduan* (ada masalah layanan) atau "
    "*aspirasi* (usul atau saran)?"
)
IDENTITY_BUTTONS = (
    Button("biasa", _("Biasa: nama Anda terlihat oleh petugas"), ("biasa", "normal")),
    Button("anonim", _("Anonim: nama Anda disembunyikan dari petugas"), ("anonim", "anonymous")),
    Button("rahasia", _("Rahasia: isi laporan tidak dipublikasikan"), ("rahasia", "confidential")),
)
RESIDENT_IDENTITY = (
    Button("biasa", _("Biasa: nama warga terlihat oleh petugas"), ("biasa", "normal")),
    Button("anonim", _("Anonim: nama warga disembunyikan dari petugas"), ("anonim", "anonymous")),
    IDENTITY_BUTTONS[2],
)
DONE_WORDS = (
    "lanjut",
    "next",
    "sudah",
    "sdh",
    "udah",
    "cukup",
    "itu saja",
    "sudah itu saja",
    "selesai",
    "ok",
    "oke",
    "done",
    "that is all",
    "that's all",
    "nothing else",
    "no more",
    "tidak ada tambahan",
    "ga ada tambahan",
    "gak ada tambahan",
    "tidak ada lagi",
)
NO_WORDS = (
    "lewati",
    "skip",
    "tidak ada",
    "tidak",
    "gak ada",
    "ga ada",
    "nggak ada",
    "belum ada",
    "gak",
    "ga",
    "nggak",
    "enggak",
    "no",
    "none",
)
# "Ada tambahan?" is a question: "tidak" answers it as much as "lanjut" does.
CONTINUE = Button("next", _("➡️ Lanjut"), (*DONE_WORDS, *NO_WORDS))
KEEP_OLD = Button("next", _("↩️ Tetap pakai yang lama"), ("tetap", "yang lama", "lama"))
SKIP = Button("skip", _("⏭ Lewati"), NO_WORDS)
DONE_PHOTOS = Button("next", _("✅ Selesai kirim foto"), (*DONE_WORDS, *NO_WORDS, "done"))
KEEP_TEXT = Button("as_typed", _("📝 Simpan seperti yang saya tulis"), ("simpan",))
SUMMARY_BUTTONS = (
    Button("send", _("✅ Kirim"), ("kirim", "ya", "iya", "ok", "oke", "betul", "send", "yes")),
    Button("edit", _("✏️ Ubah"), ("ubah", "edit")),
    Button("cancel", _("❌ Batal"), ("batal", "cancel")),
)
EDITABLE = (
    ("type", _("Jenis laporan")),
    ("category", _("Kategori")),
    ("description", _("Isi laporan")),
    ("location", _("Lokasi")),
    ("photos", _("Foto")),
    ("identity", _("Identitas")),
)
# The order of questions; `name` is skipped for anonymous reports.
ORDER = ("type", "category", "description", "location", "photos", "identity", "name", "summary")


class Complaint(Flow):
    name = "complaint"
    first_step = "type"

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        """What the first message already said is not asked again: a known type goes on to
        the category (offered from the story when it names one)."""
        data = dict(data or {})
        home = resident_area(data)
        if home and not (data.get("area") or data.get("location")):
            # A KIM volunteer named the resident's desa already: the form does not ask it
            # again (the summary shows it, and Ubah → Lokasi changes it).
            data.update(area=home, _area_from_resident=True)
        if data.get("type") in ("pengaduan", "aspirasi"):
            return self.advance("type", data, ctx)
        return self.ask(self.first_step, data, ctx)

    # --- questions ---------------------------------------------------------------------------

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        match step:
            case "type":
                if data.get("_carried"):
                    return [Reply(STORY_KEPT_TYPE, TYPE_BUTTONS)]
                ask = for_resident(
                    data,
                    _("Apa yang ingin Anda sampaikan?"),
                    _("Apa yang ingin disampaikan warga?"),
                )
                return [Reply(ask, TYPE_BUTTONS)]
            case "category":
                guess = ctx.agency.categories.get(data.get("_suggested") or "")
                if guess is not None:
                    return [
                        Reply(
                            _(
                                "Sepertinya ini tentang *{category}*. Benar?",
                                category=Localized(guess.name, guess.name_en),
                            ),
                            (
                                Button(guess.code, _("✅ Ya, benar"), ("ya", "iya", "benar")),
                                Button("other", _("📋 Pilih kategori lain"), ("bukan", "lain")),
                            ),
                        )
                    ]
                ask = for_resident(
                    data,
                    _("Tentang apa laporan Anda? Pilih kategori:"),
                    _("Tentang apa laporan warga? Pilih kategori:"),
                )
                return [Reply(ask, category_buttons(ctx))]
            case "description":
                if data.get("_rewrite"):
                    rewrite = _(
                        "Tulis isi laporan yang baru. Isi yang lama:\n“{text}”",
                        text=quoted(data.get("description", ""), 300),
                    )
                    return [Reply(rewrite, (KEEP_OLD,))]
                if data.get("_carried"):
                    carried = _(
                        "Pesan Anda tadi kami pakai sebagai isi laporan:\n“{text}”\n"
                        "Ada tambahan? Tulis lagi untuk menambah, atau pilih *Lanjut*.",
                        text=quoted(data.get("description", ""), 500),
                    )
                    return [Reply(carried, (CONTINUE,))]
                if data.get("description"):
                    return [
                        Reply(
                            _(
                                "Tercatat. Ada tambahan? Tulis lagi untuk menambah, atau pilih "
                                "*Lanjut*."
                            ),
                            (CONTINUE,),
                        )
                    ]
                return [
                    Reply(
                        _(
                            "Ceritakan apa yang terjadi: apa masalahnya, sejak kapan, dan siapa "
                            "yang terdampak. Boleh dalam beberapa pesan."
                        )
                    )
                ]
            case "location":
                return [
                    Reply(
                        _(
                            "Di mana lokasinya? Kirim *lokasi* (📎 → Lokasi), atau tulis nama "
                            "desa/kelurahan atau kecamatan. Boleh dilewati."
                        ),
                        (SKIP,),
                    )
                ]
            case "location_pick":
                places = tuple(
                    Button(code, Raw(ctx.agency.area_label(code)))
                    for code in data.get("_area_candidates", [])
                )
                if not places:
                    return self.prompt("location", data, ctx)
                retype = Button("retype", _("Bukan, tulis ulang"), ("bukan",))
                return [
                    Reply(
                        _("Maksud Anda salah satu dari ini?"),
                        (*places, retype, KEEP_TEXT, SKIP),
                    )
                ]
            case "photos":
                count = count_pictures(data)
                if count:
                    return [
                        Reply(
                            _(
                                "{count} foto/berkas diterima. Kirim lagi, atau pilih *Selesai*.",
                                count=count,
                            ),
                            (DONE_PHOTOS,),
                        )
                    ]
                return [
                    Reply(
                        _("Ada foto pendukung? Kirim fotonya sekarang (boleh lebih dari satu)."),
                        (SKIP,),
                    )
                ]
            case "identity":
                if data.get("resident"):
                    return [Reply(_("Bagaimana identitas warga ditampilkan?"), RESIDENT_IDENTITY)]
                return [Reply(_("Bagaimana identitas Anda ditampilkan?"), IDENTITY_BUTTONS)]
            case "name":
                known = (Button("profile", Raw(ctx.display_name)),) if ctx.display_name else ()
                return [Reply(_("Siapa nama Anda?"), known)]
            case "edit":
                return [
                    Reply(
                        _("Bagian mana yang ingin diubah?"),
                        tuple(Button(key, label) for key, label in EDITABLE)
                        + (
                            (Button("name", _("Nama")),) if data.get("identity") != "anonim" else ()
                        ),
                    )
                ]
            case _:
                return [Reply(summary(data, ctx), SUMMARY_BUTTONS)]

    def help(self, step: str, data: dict[str, Any], ctx: Context) -> Msg:
        if step == "identity":
            return _(
                "*Anonim*: petugas tidak melihat nama dan kontak Anda, tetapi Anda tetap menerima "
                "kabar. *Rahasia*: laporan tidak ditampilkan kepada publik."
            )
        return super().help(step, data, ctx)

    # --- answers -----------------------------------------------------------------------------

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        data = dict(data)
        match step:
            case "type":
                return self._type(data, inbound, ctx)
            case "category":
                return self._category(data, inbound, ctx)
            case "description":
                data.pop("_carried", None)
                return self._description(data, inbound, ctx)
            case "location":
                return self._location(data, inbound, ctx)
            case "location_pick":
                if inbound.choice == "skip":
                    data.update(area=None, location=None, location_text=None)
                    return self.advance("location", data, ctx)
                if inbound.choice == "retype":
                    return self.ask("location", data, ctx)
                if inbound.choice == "as_typed":
                    return self.advance("location", data, ctx)
                if inbound.choice in data.get("_area_candidates", []):
                    data["area"] = inbound.choice  # the typed words stay as location_text
                    return self.advance("location", data, ctx)
                return self._location(data, inbound, ctx)
            case "photos":
                return self._photos(data, inbound, ctx)
            case "identity":
                if inbound.choice not in ("biasa", "anonim", "rahasia"):
                    return self.retry(step, data, ctx, choice_problem(IDENTITY_BUTTONS))
                data["identity"] = inbound.choice
                if inbound.choice == "anonim":
                    data.pop("name", None)
                return self.advance(step, data, ctx)
            case "name":
                if inbound.choice == "profile" and ctx.display_name:
                    data["name"] = ctx.display_name
                    return self.advance(step, data, ctx)
                problem = (
                    not_text_problem(inbound)
                    or text_problem(inbound.text, min_len=2, max_len=100)
                    or name_problem(inbound.text or "")
                )
                if problem is not None:
                    return self.retry(step, data, ctx, problem)
                data["name"] = (inbound.text or "").strip()
                return self.advance(step, data, ctx)
            case "edit":
                fields = [key for key, _label in EDITABLE] + ["name"]
                if inbound.choice not in fields:
                    return self.retry(step, data, ctx, _("Pilih bagian yang ingin diubah."))
                data["_edit"] = True
                if inbound.choice == "description":
                    # The old text stays until new text arrives ("kembali" loses nothing).
                    data["_rewrite"] = True
                return self.ask(inbound.choice, data, ctx)
            case _:
                if inbound.choice == "send":
                    missing = first_missing(data)
                    if missing is not None:
                        return self.ask(missing, data, ctx)
                    return Transition(
                        None, data, effects=[SubmitCase(data["type"], submission(data))]
                    )
                if inbound.choice == "edit":
                    return self.ask("edit", data, ctx)
                if inbound.choice == "cancel":
                    return Transition(None, {}, [Reply(_("Laporan dibatalkan dan tidak dikirim."))])
                return self.retry(step, data, ctx, choice_problem(SUMMARY_BUTTONS))

    def advance(self, step: str, data: dict[str, Any], ctx: Context) -> Transition:
        if data.pop("_edit", False) and not (step == "identity" and needs_name(data)):
            return self.ask("summary", data, ctx)
        following = ORDER[ORDER.index(step) + 1]
        if following == "location" and data.get("_area_from_resident"):
            following = "photos"
        if following == "name" and not needs_name(data):
            following = "summary"
        if following == "category" and data.get("description") and not data.get("category"):
            data["_suggested"] = suggested_category(data["description"], ctx)
        return self.ask(following, data, ctx)

    def _type(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        """Pengaduan or aspirasi; a story told here instead is kept as the report's text
        (and, when it says which, answers the question too)."""
        text = (inbound.text or "").strip()
        kind = inbound.choice if inbound.choice in ("pengaduan", "aspirasi") else None
        # Read only what may hold more than the choice ("1" or "pengaduan" needs no reading)
        told = bool(text) and (kind is None or substantial(text))
        reading = ctx.reader.read(text, Expect.TYPE) if told else None
        if reading is not None and reading.values.get("story"):
            data["description"] = keep_story(data.get("description"), text)
            data["_carried"] = True
        kind = kind or (reading.intent if reading is not None else None)
        if kind is None:
            if data.get("_carried"):
                return Transition("type", data, [Reply(STORY_KEPT_TYPE, TYPE_BUTTONS)])
            return self.retry("type", data, ctx, choice_problem(TYPE_BUTTONS))
        data["type"] = kind
        return self.advance("type", data, ctx)

    def _category(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "other":
            data["_suggested"] = None
            return self.ask("category", data, ctx)
        if inbound.choice in ctx.agency.categories:
            data["category"] = inbound.choice
            data.pop("_suggested", None)
            return self.advance("category", data, ctx)
        text = (inbound.text or "").strip()
        named = match_choice(text, category_options(ctx)) if text else None
        if named is not None:  # a category typed while a suggestion was shown
            data["category"] = named
            data.pop("_suggested", None)
            return self.advance("category", data, ctx)
        if substantial(text):
            # The story, told at the category question: keep it, and offer its category.
            data["description"] = keep_story(data.get("description"), text)
            data["_carried"] = True
            data["_suggested"] = suggested_category(data["description"], ctx)
            return self.ask("category", data, ctx)
        return self.retry("category", data, ctx, choice_problem(category_buttons(ctx)))

    def _description(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "next" and data.get("description"):
            data.pop("_rewrite", None)
            return self.advance("description", data, ctx)
        attachments = list(data.get("attachments", []))
        for media in inbound.media[: MAX_PHOTOS - len(attachments)]:
            attachments.append(
                {"kind": media.kind, "ref": media.file_ref, "type": media.content_type}
            )
        data["attachments"] = attachments
        problem = not_text_problem(inbound) if not inbound.text else None
        if inbound.media and not inbound.text and not problem:
            problem = _("Foto sudah kami simpan. Mohon ceritakan juga masalahnya dengan tulisan.")
        rewriting = bool(data.get("_rewrite"))
        first = rewriting or not data.get("description")
        problem = problem or text_problem(
            inbound.text, min_len=MIN_DESCRIPTION if first else 3, max_len=MAX_DESCRIPTION
        )
        if problem is None and (inbound.text or "").strip().lstrip("-+").isdigit():
            problem = _("Mohon tambahkan dengan kata-kata, atau pilih *Lanjut*.")
        if problem is not None and data.get("description") and not rewriting:
            # Something unusable after the story: nothing new was recorded, so no "Tercatat".
            more = _("Tulis tambahannya dengan kata-kata, atau pilih *Lanjut*.")
            return Transition("description", data, [Reply(join(problem, more), (CONTINUE,))])
        if problem is not None:
            return self.retry("description", data, ctx, problem)
        text = (inbound.text or "").strip()
        if data.get("description") and not rewriting and bare_answer(text, ctx):
            # "iya betul", "ok pak" to "Ada tambahan?": an answer, not more of the report
            more = _("Silakan tulis tambahannya, atau pilih *Lanjut* bila sudah.")
            return Transition("description", data, [Reply(more, (CONTINUE,))])
        so_far = "" if rewriting else data.get("description", "")
        data.pop("_rewrite", None)
        combined = f"{so_far}\n{text}" if so_far else text
        if len(combined) > MAX_DESCRIPTION:
            return self.retry(
                "description",
                data,
                ctx,
                _(
                    "Isi laporan sudah mencapai batas {limit} karakter. Pilih *Lanjut*.",
                    limit=MAX_DESCRIPTION,
                ),
            )
        data["description"] = combined
        if len(text) > MAX_MESSAGE:
            kept = _(
                "Pesan panjang Anda ({length} karakter) sudah kami simpan utuh. Bila masih ada "
                "lanjutannya, kirim saja; bila sudah, pilih *Lanjut*.",
                length=len(text),
            )
            return Transition("description", data, [Reply(kept, (CONTINUE,))])
        return self.ask("description", data, ctx)

    def _location(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "skip":
            data.update(area=None, location=None, location_text=None)
            return self.advance("location", data, ctx)
        if inbound.choice == "as_typed" and data.get("location_text"):
            return self.advance("location", data, ctx)
        if inbound.location is not None:
            loc = inbound.location
            data.update(
                area=None,
                location_text=None,
                location={
                    "lat": loc.latitude,
                    "lon": loc.longitude,
                    "address": loc.address,
                    "label": loc.label,
                },
            )
            moved = self.advance("location", data, ctx)
            moved.replies.insert(0, Reply(_("📍 Lokasi diterima.")))
            return moved
        problem = not_text_problem(inbound) or text_problem(inbound.text, min_len=3, max_len=300)
        if problem is not None:
            return self.retry("location", data, ctx, problem)
        text = (inbound.text or "").strip()
        # What was typed is kept as the location detail ("depan SD 4"), whatever it matches.
        data.update(location_text=text, location=None)
        match = ctx.agency.match_area(text)
        if match.area is not None:
            data["area"] = match.area.code
            return self.advance("location", data, ctx)
        data["area"] = None
        if match.candidates:
            data["_area_candidates"] = [area.code for area in match.candidates]
            return self.ask("location_pick", data, ctx)
        unknown = _(
            'Kami tidak menemukan nama desa/kelurahan atau kecamatan di "{place}". Tulis nama '
            "desa/kelurahan atau kecamatannya, atau pilih *Simpan seperti yang saya tulis*.",
            place=quoted(text, 60),
        )
        return Transition("location", data, [Reply(unknown, (KEEP_TEXT, SKIP))])

    def _photos(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        text = (inbound.text or "").strip()
        told = substantial(text) and text_problem(text, max_len=MAX_MESSAGE) is None
        if inbound.choice in ("skip", "next"):
            if told and inbound.choice == "skip" and not inbound.media:
                # "fotonya blm ada, tp lubangnya 1 meter": no photo, and more of the story
                data["description"] = keep_story(data.get("description"), text)
            return self.advance("photos", data, ctx)
        voices = [m for m in inbound.media if m.kind in ("voice", "audio")]
        usable = [m for m in inbound.media if m.kind in PICTURE_KINDS]
        if voices:  # a voice note is kept wherever it arrives, and counted in the summary
            data["attachments"] = [*data.get("attachments", []), *map(_attachment, voices)]
        if not usable:
            if told:
                data["description"] = keep_story(data.get("description"), text)
                more = _("Tambahan cerita sudah kami catat. Ada foto? Kirim, atau pilih *Lewati*.")
                return Transition("photos", data, [Reply(more, (SKIP,))])
            if voices:
                kept = _("Pesan suara sudah kami simpan. Ada foto? Kirim, atau pilih *Lewati*.")
                return Transition("photos", data, [Reply(kept, (SKIP,))])
            return self.retry(
                "photos", data, ctx, _("Mohon kirim foto, atau pilih tombol di bawah.")
            )
        attachments = list(data.get("attachments", []))
        room = MAX_PHOTOS - len(attachments)
        for media in usable[:room]:
            attachments.append(
                {"kind": media.kind, "ref": media.file_ref, "type": media.content_type}
            )
        data["attachments"] = attachments
        if inbound.text:
            data["description"] = f"{data.get('description', '')}\n{inbound.text.strip()}".strip()
        if room <= len(usable):
            return self.advance("photos", data, ctx)
        return self.ask("photos", data, ctx)


PICTURE_KINDS = ("photo", "document", "video")


def _attachment(media: Any) -> dict[str, Any]:
    return {"kind": media.kind, "ref": media.file_ref, "type": media.content_type}


def count_pictures(data: dict[str, Any]) -> int:
    return sum(a["kind"] in PICTURE_KINDS for a in data.get("attachments", []))


def first_missing(data: dict[str, Any]) -> str | None:
    """A step whose answer a case cannot do without (after edits and going back)."""
    if data.get("type") not in ("pengaduan", "aspirasi"):
        return "type"
    if not data.get("category"):
        return "category"
    if not (data.get("description") or "").strip():
        return "description"
    if data.get("identity") not in ("biasa", "anonim", "rahasia"):
        return "identity"
    if needs_name(data):
        return "name"
    return None


def needs_name(data: dict[str, Any]) -> bool:
    return data.get("identity") != "anonim" and not data.get("name")


def bare_answer(text: str, ctx: Context) -> bool:
    """A yes, an ok or a thanks and nothing more: no words to add to a report."""
    if ctx.reader.read(text, Expect.YES_NO).intent != "yes":
        return False
    return not ctx.reader.content_words(text)


def keep_story(so_far: str | None, text: str) -> str:
    return f"{so_far}\n{text}" if so_far else text


def suggested_category(story: str, ctx: Context) -> str | None:
    """The category the story is probably about, when one stands out."""
    ranked = ctx.reader.category(story)
    if not ranked or ranked[0][0] not in ctx.agency.categories:
        return None
    if len(ranked) > 1 and ranked[1][1] >= ranked[0][1]:
        return None  # a tie: the list, not a guess
    return ranked[0][0]


def category_options(ctx: Context) -> list[list[object]]:
    # The label in the reader's language: category names carry their own translation.
    return [[b.id, _picked(b.label, ctx.locale), *b.aliases] for b in category_buttons(ctx)]


def _picked(label: object, locale: str) -> str:
    return label.pick(locale) if isinstance(label, Localized) else str(label)


def category_buttons(ctx: Context) -> tuple[Button, ...]:
    return tuple(
        Button(c.code, Localized(c.name, c.name_en), (c.name, c.name_en, *c.keywords))
        for c in ctx.agency.categories.values()
    )


def location_label(data: dict[str, Any], ctx: Context) -> Msg | Raw:
    if data.get("area"):
        return Raw(ctx.agency.area_label(data["area"]))
    if data.get("location"):
        loc = data["location"]
        return Raw(loc.get("address") or f"{loc['lat']:.5f}, {loc['lon']:.5f}")
    return _("(tidak diisi)")


def summary(data: dict[str, Any], ctx: Context) -> Msg:
    category = ctx.agency.categories.get(data.get("category", ""))
    identity = {
        "biasa": _("Biasa"),
        "anonim": _("Anonim"),
        "rahasia": _("Rahasia"),
    }.get(data.get("identity", "biasa"), _("Biasa"))
    kind = _("Pengaduan") if data.get("type") == "pengaduan" else _("Aspirasi")
    heading = for_resident(data, _("*Periksa laporan Anda:*"), _("*Periksa laporan warga:*"))
    body = _(
        "{heading}\n"
        "Jenis: {kind}\n"
        "Kategori: {category}\n"
        "Isi: {description}\n"
        "Lokasi: {location}\n"
        "Foto: {photos}\n"
        "Pesan suara: {voice}\n"
        "Identitas: {identity}\n"
        "Nama: {name}",
        heading=heading,
        kind=kind,
        category=Localized(category.name, category.name_en) if category else Raw("-"),
        description=quoted(data.get("description", ""), 500),
        location=location_label(data, ctx),
        photos=count_pictures(data),
        voice=sum(a["kind"] in ("voice", "audio") for a in data.get("attachments", [])),
        identity=identity,
        name=Raw(data.get("name") or "-")
        if data.get("identity") != "anonim"
        else _("(disembunyikan)"),
    )
    return join(body, _("Kirim sekarang?"))


def submission(data: dict[str, Any]) -> dict[str, Any]:
    """Only the fields a case keeps; working keys (those starting with `_`) are dropped."""
    return {key: value for key, value in data.items() if not key.startswith("_")}
