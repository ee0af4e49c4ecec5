"""The written notice before it is sent: the PPID sees the very letter the requester will get.

It passes the same checks as sending it (`service.authorise`, `check_args`) and is built by
the same builder from the same terms (`letters.Terms`, `letters.written_notice`), so what is
previewed is what goes out. Nothing is written.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.case import Case
from bot.domain.cases import Kind
from bot.domain.lifecycle import Action
from bot.domain.notice import form_of
from bot.handlers.casework import letters, service
from bot.handlers.casework.actor import Actor
from bot.handlers.casework.arguments import check_args
from bot.handlers.casework.base import CaseArgs
from bot.values.messages import _, join
from bot.values.types import Reply
from storage import repo


async def requested_form(conn: AsyncConnection, case: Case) -> str | None:
    """The form the requester asked for: what the guided form offers first."""
    if case.kind != Kind.INFORMASI:
        return None
    detail = await repo.request_detail(conn, case.id)
    return form_of(detail.obtain_method, detail.delivery_method) if detail else None


async def preview(
    conn: AsyncConnection,
    agency: Agency,
    actor: Actor,
    action: Action,
    code_text: str,
    args: CaseArgs,
    *,
    today: date,
) -> tuple[list[Reply], bool]:
    """(the notice as the requester would get it, True); (why not, True) when an argument
    is wrong and can still be changed; (the refusal, False) when it cannot be sent at all."""
    case, refused = await service.authorise(conn, agency, actor, action, code_text, today)
    if case is None:
        return refused, False
    problem = check_args(case, action, args, agency, today)
    if problem is not None:
        return [Reply(problem)], True
    detail = await repo.request_detail(conn, case.id)
    terms = letters.Terms.of(args, agency, today)
    notice = letters.written_notice(case, agency, detail, terms, today=today)
    shown = _("👁 *Pratinjau*, belum terkirim. Pemohon akan menerima pemberitahuan ini:")
    return [Reply(join(shown, notice.text))], True
