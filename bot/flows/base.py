"""The shape every flow shares: a context in, a `Transition` out."""

from __future__ import annotations

import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar, TypeVar

from bot.domain.agency import Agency
from bot.domain.contact import mask_phone, normalise_phone
from bot.domain.dip import Dip
from bot.domain.nik import mask_nik
from bot.understanding import Reader, plain_reader
from bot.values.messages import Msg, Raw, _, join
from bot.values.types import Button, Inbound, Reply


@dataclass(frozen=True)
class Context:
    """Everything a flow may know about the world, passed in so flows stay pure."""

    agency: Agency
    now: datetime
    today: date  # in the agency's time zone
    locale: str
    channel: str
    known_phone: str | None = None  # E.164, where the channel tells us
    display_name: str | None = None
    has_draft: bool = False
    kim_area: str | None = None  # set for KIM volunteers: they may report for residents
    officer: bool = False  # holds an officer role: sees the officer menu
    # Reads free text (intent, yes/no, ratings, topics) with the agency's own words.
    reader: Reader = field(default_factory=plain_reader)
    # What the agency has already published (its DIP): offered before a request is filed.
    dip: Dip = field(default_factory=Dip)


@dataclass(frozen=True)
class Effect:
    """Something only the engine can do (write a case, look something up)."""


@dataclass(frozen=True)
class SubmitCase(Effect):
    kind: str
    data: dict[str, Any]


@dataclass(frozen=True)
class SetLocale(Effect):
    locale: str


@dataclass(frozen=True)
class PrivacyShown(Effect):
    pass


@dataclass(frozen=True)
class SubjectRequest(Effect):
    """A data subject's request (UU 27/2022): see, correct (`field` to `value`) or delete."""

    right: str
    field: str | None = None
    value: str | None = None


@dataclass(frozen=True)
class LookupCase(Effect):
    text: str


@dataclass(frozen=True)
class ListMyCases(Effect):
    pass


@dataclass(frozen=True)
class RunCommand(Effect):
    """A staff command picked from the officer menu (`/antrian`)."""

    text: str


@dataclass(frozen=True)
class ListObjectable(Effect):
    """The requests one may object to now (the same as `/keberatan` alone)."""


@dataclass(frozen=True)
class CaseAction(Effect):
    """Work on a case: an officer's action or the reporter's answer, confirmation, rating."""

    action: str
    code: str
    args: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PreviewCase(Effect):
    """Show what a case action would send (a written notice), exactly as it would go, after
    the checks sending it would pass; then `question`, which asks whether to send it."""

    action: str
    code: str
    args: dict[str, Any]
    question: Reply


@dataclass(frozen=True)
class SetAside(Effect):
    """The person is done for now: the form is kept as the draft at `step` with `data`, to be
    resumed from the menu (nothing filed, nothing lost)."""

    step: str
    data: dict[str, Any]


@dataclass(frozen=True)
class ResumeDraft(Effect):
    pass


@dataclass(frozen=True)
class DropDraft(Effect):
    pass


@dataclass
class Transition:
    step: str | None  # None: the flow is over
    data: dict[str, Any]
    replies: list[Reply] = field(default_factory=list)
    effects: list[Effect] = field(default_factory=list)
    switch_to: str | None = None  # start another flow (when step is None)
    carry: dict[str, Any] = field(default_factory=dict)  # data the next flow starts with


class Flow(ABC):
    name: ClassVar[str]
    first_step: ClassVar[str]

    def start(self, ctx: Context, data: dict[str, Any] | None = None) -> Transition:
        return self.ask(self.first_step, dict(data or {}), ctx)

    def ask(self, step: str, data: dict[str, Any], ctx: Context) -> Transition:
        return Transition(step, data, self.prompt(step, data, ctx))

    def retry(self, step: str, data: dict[str, Any], ctx: Context, problem: Msg) -> Transition:
        """Stay at the step: say what was wrong, then ask again. Nothing typed is lost."""
        prompt = self.prompt(step, data, ctx)
        if len(prompt) != 1:
            return Transition(step, data, [Reply(problem), *prompt])
        only = prompt[0]
        return Transition(step, data, [Reply(join(problem, only.text), only.buttons)])

    @abstractmethod
    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        """The question asked at a step (again after `kembali`, `bantuan` or a resume)."""

    @abstractmethod
    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        """Answer what the person sent at a step."""

    def help(self, step: str, data: dict[str, Any], ctx: Context) -> Msg:
        return _(
            "Jawab pertanyaan di atas, atau ketik *kembali* untuk langkah sebelumnya, "
            "*menu* untuk menu utama, *batal* untuk membatalkan."
        )


F = TypeVar("F", bound=Callable[..., Any])


def asks(step: str) -> Callable[[F], F]:
    """Marks a `StepFlow` method as the question of `step`: (self, data, ctx) → replies."""

    def mark(method: F) -> F:
        method._asks = step  # type: ignore[attr-defined]
        return method

    return mark


def answers(step: str) -> Callable[[F], F]:
    """Marks a `StepFlow` method as the answer to `step`: (self, data, inbound, ctx) →
    transition."""

    def mark(method: F) -> F:
        method._answers = step  # type: ignore[attr-defined]
        return method

    return mark


class StepFlow(Flow):
    """A flow written as the conversation it is: for each step (a member of the flow's
    `StrEnum`), its question (`@asks`) and what is done with the answer (`@answers`), side by
    side, top to bottom. The step names are stored in conversations, so a member's value
    never changes once released."""

    steps: ClassVar[type[StrEnum]]
    _asking: ClassVar[dict[str, str]]
    _answering: ClassVar[dict[str, str]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._asking, cls._answering = {}, {}
        for klass in reversed(cls.__mro__):
            for name, member in vars(klass).items():
                if (step := getattr(member, "_asks", None)) is not None:
                    cls._asking[str(step)] = name
                if (step := getattr(member, "_answers", None)) is not None:
                    cls._answering[str(step)] = name

    def prompt(self, step: str, data: dict[str, Any], ctx: Context) -> list[Reply]:
        # A step this version does not have (stored by an older one) asks the first step.
        method = self._asking.get(step) or self._asking[str(self.first_step)]
        result: list[Reply] = getattr(self, method)(data, ctx)
        return result

    def handle(self, step: str, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        method = self._answering.get(step)
        if method is None:  # (see `prompt`): start the form again, keeping what it holds
            return self.ask(str(self.first_step), data, ctx)
        result: Transition = getattr(self, method)(data, inbound, ctx)
        return result


def resident_area(data: dict[str, Any]) -> str | None:
    """The desa a KIM volunteer named for the resident, when the form is filed for one."""
    area = (data.get("resident") or {}).get("area")
    return str(area) if area else None


def unit_buttons(ctx: Context, leave_out: str | None = None) -> tuple[Button, ...]:
    """The agency's units to pick from (less the one `leave_out`, where a case is now)."""
    return tuple(
        Button(u.code, Raw(u.name), (u.code,))
        for u in ctx.agency.units.values()
        if u.code != leave_out
    )


def for_resident(data: dict[str, Any], yours: Msg, residents: Msg) -> Msg:
    """A question as put to the person filing for themselves, or to a KIM volunteer filing
    for a resident ("Alamat lengkap Anda?" / "Alamat lengkap warga?"): the volunteer is not
    the one whose name, NIK and address are asked."""
    return residents if data.get("resident") else yours


# --- shared input checks ----------------------------------------------------------------------

MAX_MESSAGE = 4000


def text_problem(text: str | None, *, min_len: int = 1, max_len: int = MAX_MESSAGE) -> Msg | None:
    """Why a typed answer cannot be used, or None when it can."""
    value = (text or "").strip()
    if not value:
        return _("Mohon tuliskan jawaban Anda dengan kata-kata.")
    if len(value) > max_len:
        return _(
            "Pesan Anda terlalu panjang ({length} karakter). Mohon ringkas menjadi paling "
            "banyak {limit} karakter.",
            length=len(value),
            limit=max_len,
        )
    if not any(unicodedata.category(ch)[0] in "LN" for ch in value):
        return _("Mohon tuliskan dengan huruf atau angka, bukan hanya emoji atau simbol.")
    if len(value) < min_len:
        return _(
            "Jawaban terlalu singkat. Mohon tulis paling sedikit {limit} karakter.", limit=min_len
        )
    return None


SUBSTANTIAL = 15  # characters: shorter messages are greetings and answers, not reports


def substantial(text: str) -> bool:
    """Long enough to be report material rather than a greeting; never a command. (However
    long: a long story is still a story.)"""
    return (
        len(text) >= SUBSTANTIAL
        and not text.startswith(("/", "!"))
        and text_problem(text, max_len=len(text)) is None
    )


def not_text_problem(inbound: Inbound) -> Msg | None:
    """For text steps: what to say about a sticker, voice note or photo instead of words."""
    if inbound.unsupported:
        return _("Maaf, pesan jenis ini belum bisa kami baca. Mohon kirim dalam bentuk tulisan.")
    if any(m.kind in ("voice", "audio") for m in inbound.media) and not inbound.text:
        return _("Pesan suara sudah kami simpan. Mohon tuliskan juga secara singkat.")
    if inbound.location is not None and not inbound.text:
        return _("Lokasi belum diperlukan di langkah ini. Mohon jawab dengan tulisan.")
    if inbound.media and not inbound.text:
        return _("Mohon jawab dengan tulisan.")
    return None


def choice_problem(buttons: tuple[Button, ...]) -> Msg:
    return _(
        "Maaf, pilihan itu tidak ada. Balas dengan nomor 1 sampai {count}, atau tulis pilihannya.",
        count=len(buttons),
    )


# Words people send to move a form along; never a name.
NOT_NAMES = frozenset(
    {"kirim", "lewati", "lanjut", "batal", "ya", "iya", "tidak", "ok", "oke", "skip", "next"}
)


def name_problem(text: str) -> Msg | None:
    letters = sum(ch.isalpha() for ch in text)
    if letters < 2 or sum(ch.isdigit() for ch in text) > letters:
        return _("Mohon tulis nama dengan huruf.")
    if text.strip().lower() in NOT_NAMES:
        return _("Mohon tulis nama lengkap, misalnya: Siti Aminah.")
    return None


_NIK_LIKE = re.compile(r"(?<!\d)(?:\d[ .-]?){15}\d(?!\d)")
_EMAIL_LIKE = re.compile(r"\b([\w.+-]+)@([\w-]+(?:\.[\w-]+)+)\b")
_PHONE_LIKE = re.compile(r"(?<![\d+])(?:\+?62|0)[ -]?8(?:[ .-]?\d){7,11}(?!\d)")


def _masked_phone(match: re.Match[str]) -> str:
    phone = normalise_phone(match.group(0))
    return mask_phone(phone) if phone else match.group(0)


def quoted(text: str, limit: int = 300) -> Raw:
    """A citizen's own words for a summary: shortened, with NIK-like and phone numbers masked
    (typed into the wrong field or the story itself, they must not be echoed back in full)."""
    value = _NIK_LIKE.sub(lambda m: mask_nik(re.sub(r"\D", "", m.group(0))), text.strip())
    value = _PHONE_LIKE.sub(_masked_phone, value)
    value = _EMAIL_LIKE.sub(lambda m: m.group(1)[:1] + "***@" + m.group(2), value)
    return Raw(value if len(value) <= limit else value[: limit - 1].rstrip() + "…")
