"""The pengaduan / aspirasi form itself: what it holds (`ComplaintForm`), the buttons and words
its questions offer, what it understands of a message (the type it picks, whether it can be
more of the story, a bare "ok", the category a story is about), its summary and what a case
keeps of it. Pure: the conversation, step by step, is in `bot.flows.complaint`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypedDict

from bot.flows.base import (
    Context,
    for_resident,
    not_text_problem,
    quoted,
    substantial,
    text_problem,
)
from bot.understanding import Expect
from bot.values.messages import Localized, Msg, Raw, _, join
from bot.values.types import Button, Inbound, Location, Media


class Attachment(TypedDict):
    kind: str  # photo | document | video | voice | audio
    ref: str  # the channel's file reference
    type: str | None  # the content type, where the channel says


class Pin(TypedDict):
    """A location shared from the chat app's map."""

    lat: float
    lon: float
    address: str | None
    label: str | None


class ComplaintForm(TypedDict, total=False):
    type: str  # "pengaduan" or "aspirasi"
    category: str  # the code of one of the agency's categories
    description: str  # the story, its messages joined by newlines
    area: str | None  # the code of the desa/kecamatan it happened in, when known
    location_text: str | None  # the place as typed ("depan SD 4"), kept whatever it matched
    location: Pin | None  # a location shared instead of typed
    attachments: list[Attachment]  # photos, documents, videos and voice notes, as they came
    identity: str  # "biasa", "anonim" or "rahasia"
    name: str  # the reporter's name (never asked for an anonymous report)
    resident: dict[str, Any]  # the resident a KIM volunteer files for (the resident flow)
    # Working keys, never kept by the case (see `submission`):
    _carried: bool  # the story came with the form (told at the menu or an earlier question)
    _edit: bool  # a field picked from Ubah: after it, back to the summary
    _suggested: str | None  # the category code the story seems to be about, offered first
    rewriting: bool  # Ubah → Isi laporan: the next text replaces the story instead of adding
    area_candidates: list[str]  # area codes close to what was typed, offered to pick from
    area_from_resident: bool  # the area is the resident's desa: the location is not asked


# The three with a `_` are read elsewhere under these names: `_carried` (carried in by the menu
# and the understood intent), `_edit` (dropped by the engine on "kembali"), `_suggested` (tests).
WORKING_KEYS = frozenset(
    {"_carried", "_edit", "_suggested", "rewriting", "area_candidates", "area_from_resident"}
)

# A story is never refused for its length: chat apps cut a long one into several messages
# (Telegram at 4,096 characters), and each part is added. Only a text beyond any chat's
# (a pasted book) is refused, and then nothing of the story told so far is lost.
MAX_DESCRIPTION = 50_000
MIN_DESCRIPTION = 10  # "1" or "ok" is not a report
MAX_PHOTOS = 10
PICTURE_KINDS = ("photo", "document", "video")

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
# `bantuan` at the identity question
IDENTITY_HELP = _(
    "*Anonim*: petugas tidak melihat nama dan kontak Anda, tetapi Anda tetap menerima "
    "kabar. *Rahasia*: laporan tidak ditampilkan kepada publik."
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


def guess_buttons(category: str) -> tuple[Button, ...]:
    """Yes to the category the story seems to be about, or the whole list."""
    return (
        Button(category, _("✅ Ya, benar"), ("ya", "iya", "benar")),
        Button("other", _("📋 Pilih kategori lain"), ("bukan", "lain")),
    )


def edit_buttons(data: dict[str, Any]) -> tuple[Button, ...]:
    """The parts of the form one may change (the name only where it is shown)."""
    name = (Button("name", _("Nama")),) if data.get("identity") != "anonim" else ()
    return tuple(Button(key, label) for key, label in EDITABLE) + name


def attachment(media: Media) -> Attachment:
    return {"kind": media.kind, "ref": media.file_ref, "type": media.content_type}


def with_attachments(data: dict[str, Any], media: Sequence[Media]) -> None:
    """Adds what was sent to the form's attachments, up to `MAX_PHOTOS` in all."""
    attachments = list(data.get("attachments", []))
    room = max(0, MAX_PHOTOS - len(attachments))  # voice notes are kept beyond the cap
    attachments.extend(map(attachment, media[:room]))
    data["attachments"] = attachments


def pin(location: Location) -> Pin:
    return {
        "lat": location.latitude,
        "lon": location.longitude,
        "address": location.address,
        "label": location.label,
    }


def count_pictures(data: dict[str, Any]) -> int:
    return sum(a["kind"] in PICTURE_KINDS for a in data.get("attachments", []))


def first_missing(data: dict[str, Any]) -> str | None:
    """The field a case cannot do without that is not filled (after edits and going back);
    each field is asked at the step of its name."""
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


def read_type(text: str, choice: str | None, ctx: Context) -> tuple[str | None, bool]:
    """The type a message picks (its button, or words read as one), and whether the words
    tell the story."""
    kind = choice if choice in ("pengaduan", "aspirasi") else None
    # Read only what may hold more than the choice ("1" or "pengaduan" needs no reading)
    told = bool(text) and (kind is None or substantial(text))
    reading = ctx.reader.read(text, Expect.TYPE) if told else None
    if reading is None:
        return kind, False
    return kind or reading.intent, bool(reading.values.get("story"))


def bare_answer(text: str, ctx: Context) -> bool:
    """A yes, an ok or a thanks and nothing more: no words to add to a report."""
    if ctx.reader.read(text, Expect.YES_NO).intent != "yes":
        return False
    return not ctx.reader.content_words(text)


def story_problem(data: dict[str, Any], inbound: Inbound) -> Msg | None:
    """Why a message cannot be the story, or more of it (a photo alone, a number, a word),
    or None when it can."""
    problem = not_text_problem(inbound) if not inbound.text else None
    if inbound.media and not inbound.text and not problem:
        problem = _("Foto sudah kami simpan. Mohon ceritakan juga masalahnya dengan tulisan.")
    first = data.get("rewriting") or not data.get("description")
    problem = problem or text_problem(
        inbound.text, min_len=MIN_DESCRIPTION if first else 3, max_len=MAX_DESCRIPTION
    )
    if problem is None and (inbound.text or "").strip().lstrip("-+").isdigit():
        problem = _("Mohon tambahkan dengan kata-kata, atau pilih *Lanjut*.")
    return problem


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
    """Only the fields a case keeps: the working keys are dropped (and any key starting with
    `_`, as working keys were once all named)."""
    return {
        key: value
        for key, value in data.items()
        if key not in WORKING_KEYS and not key.startswith("_")
    }
