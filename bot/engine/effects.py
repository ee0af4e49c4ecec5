"""What a flow's effects do in the turn: one small handler per kind of effect.

Flows stay pure: they return `Effect` values, and the turn runs them here, in the batch's
transaction. The table `HANDLERS` says which function runs each kind, instead of a chain of
`isinstance` tests.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.domain.cases import Identity, Kind
from bot.engine import case_turn, drafts
from bot.engine.intake import create_case
from bot.engine.state import TurnLike
from bot.flows.base import (
    CaseAction,
    DropDraft,
    Effect,
    ListMyCases,
    ListObjectable,
    LookupCase,
    PreviewCase,
    PrivacyShown,
    ResumeDraft,
    RunCommand,
    SetAside,
    SetLocale,
    SubjectRequest,
    SubmitCase,
)
from bot.handlers import citizen, subject_rights
from bot.values.messages import Raw, _, join
from bot.values.types import Notice, Reply
from storage import repo, report_requests

E = TypeVar("E", bound=Effect)
HANDLERS: dict[type[Effect], Callable[[TurnLike, Any], Awaitable[None]]] = {}


def handles(kind: type[E]) -> Callable[[Callable[[TurnLike, E], Awaitable[None]]], Any]:
    def register(handler: Callable[[TurnLike, E], Awaitable[None]]) -> Any:
        HANDLERS[kind] = handler
        return handler

    return register


async def run_effects(turn: TurnLike, effects: list[Effect]) -> None:
    for effect in effects:
        await HANDLERS[type(effect)](turn, effect)


@handles(SubmitCase)
async def _submit(turn: TurnLike, effect: SubmitCase) -> None:
    chat, services = turn.chat, turn.services
    resident = effect.data.get("resident")
    reporter = await resident_person(turn, resident) if resident else None
    case = await create_case(
        turn.conn,
        turn.pending,
        services.agency,
        kind=effect.kind,
        data=effect.data,
        reporter_person_id=reporter or chat.identity.person_id,
        submitter_person_id=chat.identity.person_id,
        channel=turn.inbound.channel,
        now=turn.now,
        today=turn.today,
        progress_days=services.progress_days,
    )
    if reporter is not None:
        kim = await repo.kim_of(turn.conn, chat.identity.person_id)
        turn.notices.append(
            resident_receipt(reporter, case, effect.data, kim.kim_name if kim else None)
        )
    elif effect.data.get("name") and effect.data.get("identity") != Identity.ANONIM:
        chat.changed_person["display_name"] = effect.data["name"]
        chat.identity.display_name = effect.data["name"]
    receipt = citizen.receipt(case)
    if resident:  # the volunteer files many: say whose this one is
        for_whom = _("Untuk warga: *{name}*", name=Raw(resident["name"]))
        receipt[0] = Reply(join(for_whom, receipt[0].text), receipt[0].buttons)
    turn.replies.extend(receipt)
    turn.new_cases.append(case.code)


@handles(SetLocale)
async def _set_locale(turn: TurnLike, effect: SetLocale) -> None:
    turn.chat.identity.locale = effect.locale
    turn.chat.changed_person["locale"] = effect.locale


@handles(PrivacyShown)
async def _privacy_shown(turn: TurnLike, effect: PrivacyShown) -> None:
    turn.chat.identity.privacy_shown = True
    turn.chat.changed_person["privacy_accepted_at"] = turn.now


@handles(LookupCase)
async def _lookup(turn: TurnLike, effect: LookupCase) -> None:
    await turn.pending.flush(turn.conn)  # a case filed earlier in this batch
    services, person = turn.services, turn.chat.identity.person_id
    found = await citizen.lookup_case(
        turn.conn, services.agency, person, effect.text, turn.today, services.zone
    )
    turn.replies.extend(found)


@handles(RunCommand)
async def _run_command(turn: TurnLike, effect: RunCommand) -> None:
    await turn.command(effect.text)


@handles(ListObjectable)
async def _objectable(turn: TurnLike, effect: ListObjectable) -> None:
    await turn.pending.flush(turn.conn)
    person = turn.chat.identity.person_id
    turn.replies.extend(await citizen.objectable(turn.conn, person, turn.today))


@handles(ListMyCases)
async def _mine(turn: TurnLike, effect: ListMyCases) -> None:
    await turn.pending.flush(turn.conn)
    turn.replies.extend(await citizen.list_my_cases(turn.conn, turn.chat.identity.person_id))


@handles(DropDraft)
async def _drop_draft(turn: TurnLike, effect: DropDraft) -> None:
    turn.chat.conversation.draft = None


@handles(ResumeDraft)
async def _resume(turn: TurnLike, effect: ResumeDraft) -> None:
    await drafts.resume(turn)


@handles(SetAside)
async def _set_aside(turn: TurnLike, effect: SetAside) -> None:
    drafts.keep_at(turn.chat.conversation, effect.step, effect.data)


@handles(CaseAction)
async def _case_action(turn: TurnLike, effect: CaseAction) -> None:
    await case_turn.case_action(turn, effect)


@handles(SubjectRequest)
async def _subject_request(turn: TurnLike, effect: SubjectRequest) -> None:
    """A data subject's request: settled at once where the bot can, and filed as a case of
    its own either way (an open one reaches the PPID as a card)."""
    await turn.pending.flush(turn.conn)
    agency, person = turn.services.agency, turn.chat.identity.person_id
    settled = await subject_rights.settle(
        turn.conn,
        agency,
        person,
        effect.right,
        effect.field,
        effect.value,
        now=turn.now,
        today=turn.today,
    )
    if settled.erased:  # the batch writes the chat back from memory: erase it there too
        turn.chat.conversation.draft = None
        turn.chat.identity.display_name = None
    case = await create_case(
        turn.conn,
        turn.pending,
        agency,
        kind=Kind.DATA,
        data={
            "description": settled.description,
            "subject_right": effect.right,
            "settled": settled.closed,
            "settled_event": settled.event,
            "name": turn.chat.identity.display_name,
        },
        reporter_person_id=person,
        submitter_person_id=person,
        channel=turn.inbound.channel,
        now=turn.now,
        today=turn.today,
    )
    if not settled.closed:
        turn.new_cases.append(case.code)
    turn.replies.extend([*settled.replies, subject_rights.receipt(case, settled)])
    if settled.export:
        await turn.pending.flush(turn.conn)
        queued = await report_requests.queue(
            turn.conn, person, turn.inbound.channel, turn.today, turn.today, turn.now, kind="data"
        )
        if queued and turn.services.recap_queued is not None:
            turn.services.recap_queued()


@handles(PreviewCase)
async def _preview_case(turn: TurnLike, effect: PreviewCase) -> None:
    await case_turn.preview_case(turn, effect)


async def resident_person(turn: TurnLike, resident: dict[str, Any]) -> int:
    """The resident a volunteer reports for: the person behind their WhatsApp number when
    they gave one (so they hear too), else a person with a name and no chat."""
    phone = resident.get("phone")
    locale = turn.services.default_locale
    if phone:
        key = ("whatsapp", phone)
        identity = await repo.find_or_create_identity(turn.conn, key, locale=locale, now=turn.now)
        return identity.person_id
    return await repo.create_person(turn.conn, name=resident["name"], locale=locale, now=turn.now)


def resident_receipt(
    person_id: int, case: Any, data: dict[str, Any], kim_name: str | None
) -> Notice:
    """The resident hears that a volunteer filed for them (named by their KIM, which the
    resident knows), with the code to follow it."""
    return Notice(
        person_id,
        Reply(
            _(
                "Halo {name}, laporan Anda sudah disampaikan oleh relawan {kim} kepada {unit}. "
                "Kode pelacakan: *{code}*. Kabar selanjutnya kami kirim ke nomor ini; balas "
                "*menu* kapan saja untuk layanan lain.",
                name=Raw(data["resident"]["name"]),
                kim=Raw(kim_name or "KIM"),
                unit=Raw(case.unit_name),
                code=Raw(case.code),
            )
        ),
        prefer_channel="whatsapp",
    )
