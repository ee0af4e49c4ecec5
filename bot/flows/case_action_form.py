"""What the case-action form asks with: its buttons, its questions and pure helpers. The
conversation itself is `bot.flows.case_action`; the rule of what is asked is
`bot.domain.arguments`, and what a written notice settles is `bot.domain.notice`."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from rapidfuzz import fuzz, process

from bot.domain.cases import Kind
from bot.domain.codes import kind_of
from bot.domain.lifecycle import DECISION_LABELS, Action, Decision
from bot.domain.notice import COMMON_FORMS, SEEING, split_form
from bot.flows.base import Context, unit_buttons
from bot.flows.information_form import DELIVERY_LABELS, OBTAIN_LABELS
from bot.values.messages import Localized, Msg, Raw, _
from bot.values.types import Button, Reply

A = Action
D = Decision
MAX_TEXT = 10_000  # an officer's reply is never cut: long ones go out in several messages
SKIP = Button("skip", _("⏭ Lewati"), ("lewati", "skip", "tidak", "tidak ada", "no"))
AS_ASKED = Button("as_asked", _("📝 Pakai tulisan pemohon"), ("pakai", "sama", "sudah", "tetap"))
FREE = Button("free", _("Tanpa biaya (gratis)"), ("gratis", "tanpa biaya", "0", "nol"))
CONFIRM_BUTTONS = (
    Button("send", _("✅ Kirim"), ("kirim", "ya", "send", "yes")),
    Button("edit", _("✏️ Ubah"), ("ubah", "edit")),
    Button("cancel", _("❌ Batal"), ("batal", "cancel")),
)
# Words people use for a rating, besides the number.
_STAR_WORDS = {
    1: ("1 bintang", "sangat kecewa", "kecewa", "tidak puas", "buruk"),
    2: ("2 bintang", "kurang puas", "kurang"),
    3: ("3 bintang", "cukup", "biasa", "lumayan"),
    4: ("4 bintang", "puas", "bagus", "baik"),
    5: ("5 bintang", "sangat puas", "puas sekali", "mantap", "sangat baik", "luar biasa"),
}
STAR_BUTTONS = tuple(
    Button(str(n), Raw("⭐" * n + f" {n}"), (str(n), *_STAR_WORDS[n])) for n in range(1, 6)
)
# The other words for each form offered (the requester's own answers use the same words).
_FORM_WORDS = {
    "softcopy:email": ("email", "surel", "softcopy email"),
    "softcopy:langsung": ("softcopy", "flashdisk", "elektronik"),
    "hardcopy:langsung": ("cetak", "fotokopi", "ambil cetak"),
    "hardcopy:pos": ("pos", "cetak pos"),
    "hardcopy:kurir": ("kurir",),
    SEEING: ("lihat", "melihat", "baca", "membaca"),
}
# What each part of a decision is called when the PPID picks one to change.
PART_LABELS = {
    "outcome": _("Keputusan"),
    "restate": _("Informasi yang diminta (rumusan resmi)"),
    "ground": _("Pasal 17"),
    "consequence": _("Uji konsekuensi"),
    "public_interest": _("Pertimbangan kepentingan publik"),
    "form": _("Bentuk dan cara penyerahan"),
    "when": _("Waktu penyerahan"),
    "cost": _("Biaya"),
    "text": _("Keterangan"),
}


class CaseForm(TypedDict, total=False):
    """What the flow holds while it asks (the engine starts it with all but `args` filled)."""

    action: str  # the `Action` taken
    code: str  # the case's tracking code
    args: dict[str, Any]  # the answers so far, by step (`CaseArgs` in bot.handlers.casework)
    unit: str  # the unit holding the case: never offered as where to forward it
    asked: str  # decide: what the requester wrote, for the PPID to restate formally
    requested_form: str | None  # decide a request: the form the requester asked for
    grounds: list[str]  # object: the Pasal 35 letters the facts allow (none: all of them)


def near_units(text: str, data: dict[str, Any], ctx: Context) -> tuple[Button, ...]:
    """Units whose code or name is close to a mistyped one (never the case's own unit)."""
    by_id = {b.id: b for b in unit_buttons(ctx, data.get("unit"))}
    choices = {code: f"{code} {b.label}" for code, b in by_id.items()}
    found = process.extract(text.lower(), choices, scorer=fuzz.WRatio, limit=3, score_cutoff=60)
    return tuple(by_id[str(key)] for _name, _score, key in found)


def outcome_buttons(code: str) -> tuple[Button, ...]:
    if kind_of(code) == Kind.KEBERATAN:
        return (
            Button(D.UPHELD, DECISION_LABELS[D.UPHELD], ("diterima", "terima")),
            Button(D.DISMISSED, DECISION_LABELS[D.DISMISSED], ("ditolak", "tolak")),
        )
    return (
        Button(D.GRANTED, DECISION_LABELS[D.GRANTED], ("diberikan", "dikabulkan")),
        Button(D.PARTIAL, DECISION_LABELS[D.PARTIAL], ("sebagian",)),
        Button(D.REJECTED, DECISION_LABELS[D.REJECTED], ("ditolak", "tolak")),
        Button(D.NOT_HELD, DECISION_LABELS[D.NOT_HELD], ("tidak dikuasai",)),
    )


def ground_buttons(grounds: dict[str, Msg]) -> tuple[Button, ...]:
    return tuple(
        Button(letter, _("{letter}. {text}", letter=Raw(letter), text=label), (letter,))
        for letter, label in grounds.items()
    )


def form_label(form: str) -> Msg | Localized | Raw | str:
    """ "Salinan cetak (hardcopy), Pos"; seeing it has no delivery."""
    obtain, delivery = split_form(form)
    seen = OBTAIN_LABELS.get(obtain, Raw(obtain))
    if delivery is None:
        return seen
    sent = DELIVERY_LABELS.get(delivery, Raw(delivery))
    return _("{obtain}, {delivery}", obtain=seen, delivery=sent)


def form_buttons(requested: str | None) -> tuple[Button, ...]:
    """The requester's own form first (marked), then the common ones."""
    buttons = []
    if requested is not None:
        own = _("📝 Sesuai permintaan: {form}", form=form_label(requested))
        words = ("sesuai", "sesuai permintaan", "sama", *_FORM_WORDS.get(requested, ()))
        buttons.append(Button(requested, own, words))
    buttons += [
        Button(form, form_label(form), _FORM_WORDS.get(form, ()))
        for form in COMMON_FORMS
        if form != requested
    ]
    return tuple(buttons)


def day_buttons(ctx: Context) -> tuple[Button, ...]:
    """Today, with the notice, and the next working day; any other day is typed."""
    following = ctx.agency.calendar.add_working_days(ctx.today, 1)
    return (
        Button(
            ctx.today.isoformat(),
            _("Hari ini, bersama pemberitahuan ini"),
            ("segera", "hari ini", "sekarang"),
        ),
        Button(following.isoformat(), _("Hari kerja berikutnya, {day}", day=following)),
    )


def button_day(choice: str | None, buttons: tuple[Button, ...]) -> date | None:
    """The day a day button stands for (its id is the ISO date)."""
    if choice is None or choice not in {b.id for b in buttons}:
        return None
    return date.fromisoformat(choice)


def cost_question(form: str, ctx: Context) -> Reply:
    per_page = ctx.agency.costs.copy_per_page
    rate = (
        _(
            "Tarif penggandaan {agency}: Rp{rate} per halaman; tulis jumlah halaman (misalnya "
            "*25 halaman*) atau jumlah rupiahnya (misalnya *12500*).",
            agency=Raw(ctx.agency.short_name),
            rate=per_page,
        )
        if per_page
        else _("Tulis jumlah rupiahnya (misalnya *12500*).")
    )
    ask = _(
        "Biaya salinan ({form})? Hanya biaya nyata penggandaan dan pengiriman yang boleh "
        "dipungut. {rate} Bila tanpa biaya, pilih *Tanpa biaya*.",
        form=form_label(form),
        rate=rate,
    )
    return Reply(ask, (FREE,))


def text_question(action: str, args: dict[str, Any], code: str) -> Msg:
    c = Raw(code)
    match action:
        case A.REPLY:
            return _("Tulis balasan untuk pelapor *{code}*:", code=c)
        case A.ASK:
            return _("Tulis pertanyaan Anda untuk pelapor *{code}*:", code=c)
        case A.NOTE:
            return _("Tulis catatan internal untuk *{code}* (tidak terlihat oleh pelapor):", code=c)
        case A.ANSWER:
            return _("Tulis penjelasan Anda untuk laporan *{code}*:", code=c)
        case A.REOPEN:
            return _(
                "Apa yang belum beres? Tulis singkat; laporan *{code}* akan dibuka kembali.",
                code=c,
            )
        case A.ARCHIVE:
            return _(
                "Tulis alasan pengarsipan *{code}* (misalnya: ganda, iseng, tidak jelas):", code=c
            )
        case A.NOT_OURS:
            return _("Tulis nama instansi yang berwenang menangani *{code}*:", code=c)
        case A.RESOLVE:
            return _(
                "Tulis ringkasan penyelesaian *{code}* untuk pelapor. Boleh dengan foto bukti "
                "(kirim foto dengan keterangan).",
                code=c,
            )
        case A.FORWARD:
            return _("Tulis alasan penerusan singkat:")
        case A.EXTEND:
            return _("Tulis alasan perpanjangan (dikirim kepada pemohon):")
        case A.OBJECT:
            return _("Jelaskan singkat alasan keberatan Anda:")
        case A.DECIDE:
            return _decision_text(args.get("outcome"))
    return _("Tulis keterangan:")


def _decision_text(outcome: str | None) -> Msg:
    if outcome == D.GRANTED:
        return _(
            "Tulis informasi apa yang diberikan (misalnya: Salinan SK Bupati Nomor 12 Tahun "
            "2025, 3 halaman):"
        )
    if outcome == D.PARTIAL:
        return _(
            "Tulis bagian informasi yang diberikan (bagian yang dikecualikan dihitamkan atau "
            "dikaburkan):"
        )
    if outcome == D.NOT_HELD:
        return _(
            "Tulis nama badan publik lain yang menguasai informasi itu. (Bila dikuasai "
            "unit lain di lingkungan kita, batalkan dan pakai /teruskan.)"
        )
    return _("Tulis pertimbangan atasan PPID:")
