"""The PPID's answer to a data subject's request the bot could not settle itself (UU 27/2022,
within 3×24 hours): a pure function like the other actions (see `base`)."""

from __future__ import annotations

from bot.domain.case import Case
from bot.handlers import cards
from bot.handlers.casework.actor import Actor
from bot.handlers.casework.base import CaseArgs, Decided, Facts, code_of
from bot.values.messages import Raw, _
from bot.values.types import Reply


def answer_request(case: Case, actor: Actor, args: CaseArgs, f: Facts) -> Decided:
    """`/selesai KODE jawaban` on a data request: the person is told, and the case closes
    (nothing to confirm: the answer is the PPID's to give)."""
    text = args["text"]
    told = _(
        "🔒 Jawaban atas permintaan data pribadi Anda *{code}*:\n\n{text}",
        code=code_of(case),
        text=Raw(text),
    )
    done = _("✅ *{code}* dijawab dan ditutup.", code=code_of(case))
    return Decided(
        [Reply(done)],
        {"closed_at": f.now},
        {"text": text},
        cards.citizen_notices(case, Reply(told)),
    )
