"""Information already public comes first: before a request is filed, the agency's Daftar
Informasi Publik is searched with the requester's own words, and what is published is offered.
The requester can always go on and file; nothing is ever blocked.

```
information ─(matches)─► published ─"Tetap ajukan permohonan"─► purpose … (as before)
                                   └"Sudah cukup, terima kasih"─► ends; the form kept as a draft
(a request carried in from the first message is searched before the first question)
```

Pure: the step is a mixin of `bot.flows.information.Information`, whose `Step` holds its name.
"""

from __future__ import annotations

from typing import Any

from bot.domain.dip import DipClass, DipEntry, Match
from bot.flows.base import (
    Context,
    SetAside,
    StepFlow,
    Transition,
    answers,
    asks,
    choice_problem,
    substantial,
    text_problem,
)
from bot.values.messages import Msg, Raw, _, join, lines
from bot.values.types import Button, Inbound, Reply

PUBLISHED = "published"  # the step's name (a value of `Information.Step`; stored, never changed)
REQUESTER_TYPE = "requester_type"  # the form's first question
MAX_INFORMATION = 2000  # what the information step allows (`information_form.TEXT_LIMITS`)

CLASS_LABELS: dict[DipClass, Msg] = {
    DipClass.BERKALA: _("informasi berkala"),
    DipClass.SERTA_MERTA: _("informasi serta-merta"),
    DipClass.SETIAP_SAAT: _("informasi setiap saat"),
}
ENOUGH = Button(
    "enough",
    _("Sudah cukup, terima kasih"),
    ("cukup", "sudah cukup", "sdh cukup", "terima kasih", "makasih", "itu saja", "sudah"),
)
FILE = Button(
    "file",
    _("Tetap ajukan permohonan"),
    ("tetap", "ajukan", "tetap ajukan", "lanjut", "lanjutkan", "belum cukup", "bukan itu"),
)


def matches(text: str, ctx: Context) -> list[Match]:
    """What the agency has published that the text asks for, in the reader's words (its
    chat spellings and affixes)."""
    return ctx.dip.search(text, lambda said: ctx.reader.words(said).core)


def offered(data: dict[str, Any], ctx: Context) -> list[DipEntry]:
    """The entries offered, as they were found (an entry since taken off the list is left
    out)."""
    found = (ctx.dip.get(entry_id) for entry_id in data.get("published", []))
    return [entry for entry in found if entry is not None]


def entry_line(entry: DipEntry, ctx: Context) -> Msg:
    unit = ctx.agency.units.get(entry.unit)
    return _(
        "• *{title}* ({kind})\n{unit}: {where}",
        title=Raw(entry.title),
        kind=CLASS_LABELS[entry.klass],
        unit=Raw(unit.name if unit else entry.unit),
        where=Raw(entry.where),
    )


class PublishedStep(StepFlow):
    """The offer, mixed into the information flow."""

    def advance(self, step: str, data: dict[str, Any], ctx: Context) -> Transition:
        raise NotImplementedError  # the information flow's own order

    def offer(self, data: dict[str, Any], ctx: Context) -> Transition | None:
        """The offer of what is published for the information asked, or None when nothing is
        (then the form goes on as before)."""
        found = matches(data.get("information") or "", ctx)
        if not found:
            data.pop("published", None)
            return None
        data["published"] = [m.entry.id for m in found]
        return self.ask(PUBLISHED, data, ctx)

    @asks(PUBLISHED)
    def ask_published(self, data: dict[str, Any], ctx: Context) -> list[Reply]:
        entries = offered(data, ctx)
        if not entries:  # the list changed since: nothing to offer now, only to go on
            return [Reply(_("Lanjutkan permohonan Anda?"), (FILE,))]
        found = lines(
            _("📚 Mungkin ini yang Anda cari; sudah tersedia untuk umum:"),
            *(entry_line(entry, ctx) for entry in entries),
        )
        choose = _(
            "Bila itu sudah cukup, Anda tidak perlu mengajukan permohonan. Bila belum, "
            "permohonan tetap bisa diajukan."
        )
        return [Reply(join(found, choose), (ENOUGH, FILE))]

    @answers(PUBLISHED)
    def on_published(self, data: dict[str, Any], inbound: Inbound, ctx: Context) -> Transition:
        if inbound.choice == "enough":
            thanks = _(
                "Terima kasih. Semoga informasinya bermanfaat 🙏 Isian Anda kami simpan: bila "
                "masih perlu mengajukan permohonan, pilih *Lanjutkan yang belum selesai* di menu."
            )
            return Transition(None, data, [Reply(thanks)], effects=[SetAside(PUBLISHED, data)])
        if inbound.choice == "file":
            return self.go_on(data, ctx)
        text = (inbound.text or "").strip()
        so_far = data.get("information") or ""
        longer = f"{so_far}\n{text}".strip()
        if substantial(text) and text_problem(longer, max_len=MAX_INFORMATION) is None:
            # More words about what is wanted ("bukan itu, yg sy cari rincian per dinas"): not
            # what was offered, so the request goes on, with them.
            data["information"] = longer
            moved = self.go_on(data, ctx)
            noted = Reply(_("Tambahan Anda kami catat pada informasi yang diminta."))
            return Transition(moved.step, moved.data, [noted, *moved.replies], moved.effects)
        return self.retry(PUBLISHED, data, ctx, choice_problem((ENOUGH, FILE)))

    def go_on(self, data: dict[str, Any], ctx: Context) -> Transition:
        """The form, exactly where it was: its first question when the offer came first (a
        request told in the first message), else the one after the information."""
        if not data.get(REQUESTER_TYPE):
            return self.ask(REQUESTER_TYPE, data, ctx)
        return self.advance(PUBLISHED, data, ctx)
