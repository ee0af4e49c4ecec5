"""One inbound message against one chat's state: commands, words that work at every step,
expiry, choice matching, the flow step, and the effects it asks for.

Everything here runs inside the batch transaction; it changes `ChatState` in memory and the
engine persists it with the case rows and the outbox in the same commit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.agency import Agency
from bot.domain.cases import Identity
from bot.domain.codes import find_code, looks_like_code
from bot.domain.commands import STAFF_PREFIXES
from bot.domain.lifecycle import BUTTON_ACTIONS, CITIZEN_ACTIONS, PASAL_35, Action
from bot.domain.roles import Role
from bot.engine.commands import route
from bot.engine.intake import create_case
from bot.engine.pending import PendingCases
from bot.flows.base import (
    CaseAction,
    Context,
    DropDraft,
    Effect,
    ListMyCases,
    ListObjectable,
    LookupCase,
    PrivacyShown,
    ResumeDraft,
    RunCommand,
    SetLocale,
    SubmitCase,
    Transition,
    quoted,
    substantial,
)
from bot.flows.menu import GREETINGS, THANKS, menu_buttons
from bot.flows.registry import DRAFT_FLOWS, FLOWS, IDLE_FLOWS
from bot.handlers import citizen, officer, staff
from bot.handlers.casework import service as casework
from bot.handlers.casework.actor import load_actor
from bot.handlers.casework.arguments import case_args, objection_ground_problem, parse_args
from bot.handlers.help import staff_help
from bot.i18n import render
from bot.understanding import Expect, Reader
from bot.understanding.choices import core_words, match_choice, normalise, understood_choice
from bot.values.messages import Raw, _, join
from bot.values.types import Inbound, Notice, Reply
from storage import repo
from storage.repo import ConversationRow, IdentityRow

HISTORY_LIMIT = 40
# Words that work at every step, in both languages.
GLOBAL_WORDS = {
    "menu": "menu",
    "menu utama": "menu",
    "main menu": "menu",
    "batal": "cancel",
    "batalkan": "cancel",
    "cancel": "cancel",
    "kembali": "back",
    "balik": "back",
    "back": "back",
    "bantuan": "help",
    "help": "help",
    "tolong": "help",
    "privasi": "privacy",
    "privacy": "privacy",
}


@dataclass
class Services:
    agency: Agency
    ttl: timedelta
    zone: ZoneInfo
    default_locale: str
    progress_days: int = 0  # working days between "still being handled" messages; 0 = none
    quiet: tuple[time, time] | None = None  # local hours without pushes to citizens
    # Wakes the report worker once a /rekap request is queued (set by the app).
    recap_queued: Callable[[], None] | None = None
    reader: Reader = field(init=False)

    def __post_init__(self) -> None:
        # Built once: the agency's category words and its own [understanding] words.
        self.reader = Reader.for_agency(self.agency.topic_words(), self.agency.understanding)


@dataclass
class ChatState:
    identity: IdentityRow
    conversation: ConversationRow
    stored: bool  # the conversation row exists in the database
    touched: bool = False  # identity's last-inbound time or profile name changed
    changed_person: dict[str, Any] = field(default_factory=dict)
    # Questions (then, answer options) released to them in this batch, ahead of the replies
    questions: list[tuple[Any, Any]] = field(default_factory=list)

    @property
    def locale(self) -> str:
        return self.identity.locale


def fresh_conversation(now: datetime) -> ConversationRow:
    return ConversationRow("welcome", "", {}, [], [], None, now, None)


class Turn:
    """Carries the pieces one message needs; `run` returns the replies, untranslated."""

    def __init__(
        self,
        conn: AsyncConnection,
        pending: PendingCases,
        services: Services,
        chat: ChatState,
        inbound: Inbound,
        now: datetime,
    ) -> None:
        self.conn, self.pending, self.services = conn, pending, services
        self.chat, self.inbound, self.now = chat, inbound, now
        self.today: date = now.astimezone(services.zone).date()
        self.replies: list[Reply] = []
        self.notices: list[Notice] = []  # for other people, written with this turn
        self.new_cases: list[str] = []  # codes of cases filed now: their cards follow the flush
        self.menu_after_case = False
        self.case_finished = False  # a case action ended in this turn

    def context(self) -> Context:
        conv = self.chat.conversation
        return Context(
            agency=self.services.agency,
            now=self.now,
            today=self.today,
            locale=self.chat.locale,
            channel=self.inbound.channel,
            known_phone=self.inbound.phone,
            display_name=self.chat.identity.display_name or self.inbound.profile_name,
            has_draft=conv.draft is not None,
            kim_area=self.chat.identity.kim_area,
            officer=self.chat.identity.is_staff and self.chat.identity.kim_area is None,
            reader=self.services.reader,
        )

    async def run(self) -> list[Reply]:
        conv = self.chat.conversation
        inbound = self.inbound
        text = (inbound.text or "").strip()
        payload = inbound.command_payload or ""
        if inbound.choice is not None and inbound.choice.startswith("c:"):
            await self.case_button(inbound.choice)  # works in any state, like the command
            return self.replies
        replied_code = await self.replied_code()
        replying = replied_code and text and not text.startswith("/")
        if replying and await self.reply_to_case(replied_code or "", text):
            return self.replies
        if text.lower().startswith(STAFF_PREFIXES) or payload.startswith("inv_"):
            await self.command(text)  # staff work needs no welcome, even as a first message
            return self.replies
        if conv.flow == "welcome" and not conv.step:
            # People often open with the complaint itself: keep it for the form, never drop it.
            greeting = core_words(text) in GREETINGS | THANKS
            keep = text if substantial(text) and not greeting else None
            await self.start_flow("welcome", {"first_text": keep} if keep else None)
            return self.replies
        if text.startswith("/"):
            await self.command(text)
            return self.replies
        if conv.flow == "menu" and core_words(text) in ("keberatan", "ajukan keberatan"):
            await self.command("/keberatan")
            return self.replies
        word = GLOBAL_WORDS.get(normalise(text)) if text and inbound.choice is None else None
        if word is not None:
            await self.global_word(word)
            return self.replies
        if (
            conv.flow not in IDLE_FLOWS
            and conv.expires_at is not None
            and conv.expires_at <= self.now
        ):
            # Long silence: set the form aside, keeping the message just sent for when the
            # citizen chooses to continue.
            keep = text if text and core_words(text) not in GREETINGS | THANKS else None
            self.park(pending=keep)
            self.set_flow("menu", "main")
            welcome_back = (
                _(
                    "Selamat datang kembali. Isian Anda yang belum selesai sudah kami simpan, "
                    "juga pesan terakhir Anda. Pilih *Lanjutkan* untuk meneruskan, atau pilih "
                    "layanan lain."
                )
                if keep
                else _(
                    "Selamat datang kembali. Isian Anda yang belum selesai sudah kami simpan. "
                    "Pilih *Lanjutkan* untuk meneruskan, atau pilih layanan lain."
                )
            )
            self.replies.append(Reply(welcome_back, menu_buttons(self.context())))
            return self.replies
        if (
            conv.flow in DRAFT_FLOWS
            and inbound.choice is None
            and looks_like_code(text.strip("* "))
        ):
            # "Ketik kode kapan saja": a message that is just a code is a question, not form
            # input (a code inside a sentence stays part of the sentence).
            await self.run_effects([LookupCase(text.strip("* "))])
            self.reprompt()
            return self.replies
        await self.step()
        officer_done = self.case_finished and not self.menu_after_case
        if (
            conv.flow == "menu"
            and not officer_done
            and not (self.replies and self.replies[-1].buttons)
        ):
            self.offer_menu()
        return self.replies

    # --- the flow step ------------------------------------------------------------------------

    async def step(self) -> None:
        conv = self.chat.conversation
        inbound = self.inbound
        if (
            inbound.choice is not None
            and conv.options
            and inbound.choice not in {str(o[0]) for o in conv.options}
        ):
            self.replies.append(Reply(_("Tombol itu sudah tidak berlaku.")))
            self.reprompt()
            return
        if inbound.choice is None and inbound.text and conv.options:
            choice = match_choice(inbound.text, self.options_with_aliases())
            if choice is None and conv.flow == "menu" and conv.step == "main":
                # The buttons last shown were an update's ("Sudah beres?"); the menu's numbers
                # and words still work for everything else.
                menu = [
                    [b.id, render(b.label, self.chat.locale), *b.aliases]
                    for b in menu_buttons(self.context())
                ]
                choice = match_choice(inbound.text, menu)
            reason = None
            if choice is None:
                # Not a label or a number: what the words mean ("sudah mi pak", "tdk ada foto")
                ids = [str(o[0]) for o in conv.options]
                choice, reason = understood_choice(
                    self.services.reader, inbound.text, ids, conv.flow
                )
            if choice is not None and choice.startswith("c:"):
                await self.case_button(choice, reason)  # a case button typed on WhatsApp
                return
            if choice is None and conv.flow in DRAFT_FLOWS and await self.aside(inbound.text):
                return
            if choice is not None:
                inbound = replace(inbound, choice=choice)
        if inbound.choice == "cancel" and conv.flow in DRAFT_FLOWS:
            await self.global_word("cancel")  # the summary's Batal asks first, like `batal`
            return
        flow = FLOWS[conv.flow]
        transition = flow.handle(conv.step, conv.data, inbound, self.context())
        await self.apply(transition)

    async def aside(self, text: str) -> bool:
        """A question in the middle of a form that is no answer to its step ("laporan saya
        yg kemarin sdh sampai mana?" at the photo question): answered, and the form waits
        where it was. Only at a step with buttons, where free text is not the answer."""
        reading = self.services.reader.read(text, Expect.MENU)
        if not reading.sure or reading.intent not in ("status", "mine", "privacy"):
            return False
        if reading.intent == "status" and reading.values.get("code"):
            await self.run_effects([LookupCase(reading.values["code"])])
        elif reading.intent in ("status", "mine"):
            await self.run_effects([ListMyCases()])
        else:
            self.replies.extend(FLOWS["privacy"].prompt("show", {}, self.context()))
        self.replies.append(Reply(_("Isian Anda tetap tersimpan. Kita lanjutkan:")))
        self.reprompt()
        return True

    def options_with_aliases(self) -> list[list[Any]]:
        """The buttons last shown, with the other words that pick them (from the step's own
        prompt; lists made by lookups, like one's cases, match by number and label)."""
        conv = self.chat.conversation
        words: dict[str, tuple[str, ...]] = {}
        for reply in FLOWS[conv.flow].prompt(conv.step, conv.data, self.context()):
            for button in reply.buttons:
                words[button.id] = button.aliases
        return [[*option, *words.get(str(option[0]), ())] for option in conv.options]

    async def apply(self, transition: Transition) -> None:
        conv = self.chat.conversation
        origin = conv.flow
        self.replies.extend(transition.replies)
        if transition.step is not None:
            if transition.step != conv.step:
                conv.history = [*conv.history, conv.step][-HISTORY_LIMIT:]
            conv.step, conv.data = transition.step, transition.data
        await self.run_effects(transition.effects)
        if transition.step is None and conv.flow == origin:  # (a resumed draft moved us on)
            if origin == "command_text":  # the command's own reply is the answer
                self.set_flow("menu", "main")
            elif origin == "case_action" and not transition.switch_to:
                self.case_finished = True
                self.set_flow("menu", "main")
                # A citizen's answer ends with the menu, unless it asks something (the rating);
                # officers need no menu.
                if self.menu_after_case and not (self.replies and self.replies[-1].buttons):
                    self.offer_menu()
            elif transition.switch_to:
                await self.start_flow(transition.switch_to, transition.carry)
            else:
                self.set_flow("menu", "main")
                self.offer_menu()

    async def start_flow(self, name: str, carry: dict[str, Any] | None = None) -> None:
        self.set_flow(name, FLOWS[name].first_step, dict(carry or {}))
        transition = FLOWS[name].start(self.context(), carry)
        await self.apply(transition)

    def set_flow(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None:
        conv = self.chat.conversation
        conv.flow, conv.step, conv.data, conv.history = flow, step, data or {}, []

    def reprompt(self) -> None:
        conv = self.chat.conversation
        self.replies.extend(FLOWS[conv.flow].prompt(conv.step, conv.data, self.context()))

    def offer_menu(self) -> None:
        """End of a task: put the menu on the last message rather than sending another one."""
        buttons = menu_buttons(self.context())
        if self.replies and not self.replies[-1].buttons:
            last = self.replies.pop()
            self.replies.append(
                Reply(join(last.text, _("Ada lagi yang bisa kami bantu?")), buttons)
            )
        else:
            self.replies.append(Reply(_("Silakan pilih layanan:"), buttons))

    def offer_menu_unless_asked(self) -> None:
        """The menu, unless the last reply already offers choices (a status with "sudah
        beres?"): a second numbered list would make "1" ambiguous on WhatsApp."""
        if not (self.replies and self.replies[-1].buttons):
            self.offer_menu()

    def park(self, pending: str | None = None) -> None:
        """Keep an unfinished form as the draft, to be resumed or dropped later."""
        conv = self.chat.conversation
        if conv.flow in DRAFT_FLOWS and (conv.data or conv.history):  # nothing typed: no draft
            conv.draft = {
                "pending": pending,
                "flow": conv.flow,
                "step": conv.step,
                "data": conv.data,
                "history": conv.history,
            }

    # --- words and commands -------------------------------------------------------------------

    async def global_word(self, word: str) -> None:
        conv = self.chat.conversation
        if word == "menu":
            if conv.flow == "case_action":  # a half-given command is not kept
                self.replies.append(Reply(_("Dibatalkan.")))
            if conv.flow in DRAFT_FLOWS and (conv.data or conv.history):
                self.replies.append(
                    Reply(
                        _(
                            "Isian Anda kami simpan. Pilih *Lanjutkan yang belum selesai* kapan "
                            "saja untuk meneruskan."
                        )
                    )
                )
            self.park()
            self.set_flow("menu", "main")
            self.offer_menu()
        elif word == "cancel":
            if conv.flow == "cancel_confirm":  # "batalkan" answering "Batalkan?" means yes
                conv.draft = None
                self.replies.append(Reply(_("Dibatalkan. Isian yang belum dikirim sudah dihapus.")))
                self.set_flow("menu", "main")
                self.offer_menu()
                return
            if conv.flow in DRAFT_FLOWS or (conv.flow in IDLE_FLOWS and conv.draft is not None):
                # A whole form is at stake: ask first. The form waits as the draft meanwhile.
                self.park()
                await self.start_flow("cancel_confirm")
                return
            if conv.flow not in IDLE_FLOWS:
                self.replies.append(Reply(_("Dibatalkan.")))
            self.set_flow("menu", "main")
            self.offer_menu()
        elif word == "privacy":
            self.park()
            await self.start_flow("privacy")
        elif word == "back":
            if conv.history:
                *rest, previous = conv.history
                conv.history, conv.step = rest, previous
                conv.data = {k: v for k, v in conv.data.items() if k != "_edit"}
                self.reprompt()
            elif conv.flow in ("case_action", "command_text"):  # a command, not a form
                self.replies.append(Reply(_("Ini langkah pertama. Ketik *batal* bila tidak jadi.")))
                self.reprompt()
            else:
                self.replies.append(
                    Reply(_("Ini langkah pertama. Ketik *menu* untuk kembali ke menu utama."))
                )
                self.reprompt()
        else:  # help
            flow = FLOWS[conv.flow]
            help_text = flow.help(conv.step, conv.data, self.context())
            if self.chat.identity.is_staff and conv.flow in IDLE_FLOWS:
                roles = frozenset(await repo.roles_of(self.conn, self.chat.identity.person_id))
                extra = staff_help(roles, self.services.agency.clocks.info_extension)
                if extra is not None:
                    help_text = join(help_text, extra)
            prompt = flow.prompt(conv.step, conv.data, self.context())
            self.replies.append(
                Reply(
                    join(
                        help_text,
                        _(
                            "Perintah: *menu*, *kembali*, *batal*, *bantuan*. Cek status: ketik "
                            "kode pelacakan."
                        ),
                    )
                )
            )
            self.replies.extend(prompt)

    async def command(self, text: str) -> None:
        """A typed `/word`: routed through the command table (`bot.engine.commands`)."""
        head, _sep, rest = text[1:].partition(" ")
        await route(self, head, rest)

    # --- casework ----------------------------------------------------------------------------

    async def case_command(self, action: Action, command: str, rest: str) -> None:
        """/balas KODE teks and friends: checked first, then whatever is missing is asked."""
        words = rest.split()
        if not words and action is Action.OBJECT:
            await self.pending.flush(self.conn)
            self.replies.extend(
                await citizen.objectable(self.conn, self.chat.identity.person_id, self.today)
            )
            return
        if not words:
            await self.ask_command(command, "code", action)
            return
        code_text, args = words[0], parse_args(action, words[0], words[1:])
        await self.start_case_action(action, code_text, args)

    async def ask_command(
        self, command: str, want: str, action: Action | None, *, admins_only: bool = False
    ) -> None:
        """A command typed without its text: ask for the case (or the words), then run it.
        Whoever may not use the command is answered as if it did not exist."""
        await self.pending.flush(self.conn)
        person = self.chat.identity.person_id
        if admins_only:  # no case to offer
            admin = Role.ADMIN.value in await repo.roles_of(self.conn, person)
            cases: list[list[str]] | None = [] if admin else None
        else:
            cases = await officer.cases_to_pick(self.conn, self.services.agency, person, action)
        if cases is None:  # not allowed: as if the command did not exist
            self.replies.append(staff.not_available())
            return
        self.park()
        carry = {"command": command.split("@")[0].lower(), "want": want, "cases": cases}
        await self.start_flow("command_text", carry)

    async def case_button(self, choice: str, reason: str | None = None) -> None:
        """c:ACTION:CODE[:VALUE], from a case card or an update: the code rides in the button,
        so it works whatever the conversation is doing. `reason`: what was said with it
        ("belum, lubangnya masih ada" answers "Apa yang belum beres?" at once)."""
        _prefix, name, code, value = [*choice.split(":"), "", "", ""][:4]
        if name == "view":  # a case picked from /antrian or /cari
            await self.pending.flush(self.conn)
            person = self.chat.identity.person_id
            card = await officer.case_card(
                self.conn, self.services.agency, person, code, self.today, self.services.zone
            )
            self.replies.extend(card)
            return
        action = next((a for a in BUTTON_ACTIONS if a.value == name), None)
        if action is None:  # forged or from an older version: never the scheduler's actions
            self.replies.append(Reply(_("Tombol itu sudah tidak berlaku.")))
            return
        args: dict[str, Any] = {"stars": value} if action is Action.RATE and value else {}
        if reason and action is Action.REOPEN:
            args["text"] = reason
        await self.start_case_action(action, code, args)

    async def start_case_action(
        self, action: Action, code_text: str, args: Mapping[str, Any]
    ) -> None:
        await self.pending.flush(self.conn)  # a case filed earlier in this batch
        actor = await load_actor(self.conn, self.chat.identity.person_id)
        row, refused = await casework.authorise(
            self.conn, self.services.agency, actor, action, code_text, self.today
        )
        if row is None:
            self.replies.extend(refused)
            return
        media = [m.file_ref for m in self.inbound.media if m.kind in ("photo", "document")]
        if media:  # /selesai KODE ringkasan as a photo's caption
            args = {**args, "media": media}
        args = {**args, "channel": self.inbound.channel}
        self.park()
        self.menu_after_case = action in CITIZEN_ACTIONS
        carry = {
            "action": action.value,
            "code": row.tracking_code,
            "args": args,
            "unit": row.unit_code,  # the unit holding it: not offered as where to forward
            # what the requester wrote, for the PPID to restate formally in the notice
            "asked": quoted(row.description or "", 300).text if action is Action.DECIDE else "",
            # the Pasal 35 grounds the facts allow: only those are offered, so a reason typed
            # after the ground is never refused and lost
            "grounds": [g for g in PASAL_35 if objection_ground_problem(row, g) is None]
            if action is Action.OBJECT
            else [],
        }
        await self.start_flow("case_action", carry)

    async def replied_code(self) -> str | None:
        """The case this message replies to: the code in our own case card or case update
        sent to this same chat. Replies to anything else (a note's confirmation, a list) are
        ordinary messages, so nothing meant for officers reaches a citizen by accident."""
        if self.inbound.reply_to_message_id is None:
            return None
        sent = await repo.sent_message(
            self.conn, self.inbound.reply_to_message_id, self.chat.identity.id
        )
        if sent is None or sent[0] not in ("officer_alert", "status_update"):
            return None
        return find_code(sent[1])

    async def reply_to_case(self, code: str, text: str) -> bool:
        """A message sent as a reply to a case card or update (Telegram's reply): an officer's
        reply to the citizen, or the citizen's answer to a question. False: handle normally."""
        await self.pending.flush(self.conn)
        actor = await load_actor(self.conn, self.chat.identity.person_id)
        if actor.officer:
            row, _refused = await casework.authorise(
                self.conn, self.services.agency, actor, Action.REPLY, code, self.today
            )
            if row is not None:
                await self.start_case_action(Action.REPLY, code, {"text": text})
                return True
        if await casework.awaits_answer(self.conn, self.chat.identity.person_id, code):
            await self.start_case_action(Action.ANSWER, code, {"text": text})
            return True
        return False

    async def case_action(self, effect: CaseAction) -> None:
        outcome = await casework.perform(
            self.conn,
            self.services.agency,
            await load_actor(self.conn, self.chat.identity.person_id),
            Action(effect.action),
            effect.code,
            case_args(effect.args),
            now=self.now,
            today=self.today,
        )
        self.replies.extend(outcome.replies)
        self.notices.extend(outcome.notices)
        if outcome.refused and effect.action == Action.ANSWER and self.inbound.text:
            # The question was overtaken (the case moved on): what the citizen wrote is not
            # lost; the menu keeps it, ready to become a new report.
            self.set_flow("menu", "main")
            await self.step()
            return
        for filing in outcome.filed:
            request = filing.request
            case = await create_case(
                self.conn,
                self.pending,
                self.services.agency,
                kind="keberatan",
                data={
                    "description": filing.reason,
                    "related_case_id": request.id,
                    "objection_ground": filing.ground,
                    "name": request.reporter_name,
                    "cites": request.register_number,
                },
                reporter_person_id=filing.reporter,
                submitter_person_id=filing.submitter,
                channel=self.inbound.channel,
                now=self.now,
                today=self.today,
                progress_days=self.services.progress_days,
            )
            self.new_cases.append(case.code)
            self.replies.extend(citizen.receipt(case))

    # --- effects ------------------------------------------------------------------------------

    async def run_effects(self, effects: list[Effect]) -> None:
        chat, services = self.chat, self.services
        for effect in effects:
            if isinstance(effect, SubmitCase):
                resident = effect.data.get("resident")
                reporter = await self.resident_person(resident) if resident else None
                case = await create_case(
                    self.conn,
                    self.pending,
                    services.agency,
                    kind=effect.kind,
                    data=effect.data,
                    reporter_person_id=reporter or chat.identity.person_id,
                    submitter_person_id=chat.identity.person_id,
                    channel=self.inbound.channel,
                    now=self.now,
                    today=self.today,
                    progress_days=services.progress_days,
                )
                if reporter is not None:
                    kim = await repo.kim_of(self.conn, chat.identity.person_id)
                    self.notices.append(
                        resident_receipt(reporter, case, effect.data, kim.kim_name if kim else None)
                    )
                elif effect.data.get("name") and effect.data.get("identity") != Identity.ANONIM:
                    chat.changed_person["display_name"] = effect.data["name"]
                    chat.identity.display_name = effect.data["name"]
                receipt = citizen.receipt(case)
                if resident:  # the volunteer files many: say whose this one is
                    for_whom = _("Untuk warga: *{name}*", name=Raw(resident["name"]))
                    receipt[0] = Reply(join(for_whom, receipt[0].text), receipt[0].buttons)
                self.replies.extend(receipt)
                self.new_cases.append(case.code)
            elif isinstance(effect, SetLocale):
                chat.identity.locale = effect.locale
                chat.changed_person["locale"] = effect.locale
            elif isinstance(effect, PrivacyShown):
                chat.identity.privacy_shown = True
                chat.changed_person["privacy_accepted_at"] = self.now
            elif isinstance(effect, LookupCase):
                await self.pending.flush(self.conn)  # a case filed earlier in this batch
                self.replies.extend(
                    await citizen.lookup_case(
                        self.conn,
                        services.agency,
                        chat.identity.person_id,
                        effect.text,
                        self.today,
                        services.zone,
                    )
                )
            elif isinstance(effect, RunCommand):
                await self.command(effect.text)
            elif isinstance(effect, ListObjectable):
                await self.pending.flush(self.conn)
                self.replies.extend(
                    await citizen.objectable(self.conn, chat.identity.person_id, self.today)
                )
            elif isinstance(effect, ListMyCases):
                await self.pending.flush(self.conn)
                self.replies.extend(await citizen.list_my_cases(self.conn, chat.identity.person_id))
            elif isinstance(effect, DropDraft):
                self.chat.conversation.draft = None
            elif isinstance(effect, ResumeDraft):
                await self.resume()
            elif isinstance(effect, CaseAction):
                await self.case_action(effect)

    async def resident_person(self, resident: dict[str, Any]) -> int:
        """The resident a volunteer reports for: the person behind their WhatsApp number when
        they gave one (so they hear too), else a person with a name and no chat."""
        phone = resident.get("phone")
        if phone:
            identity = await repo.find_or_create_identity(
                self.conn,
                ("whatsapp", phone),
                locale=self.services.default_locale,
                now=self.now,
            )
            return identity.person_id
        return await repo.create_person(
            self.conn, name=resident["name"], locale=self.services.default_locale, now=self.now
        )

    async def resume(self) -> None:
        conv = self.chat.conversation
        draft = conv.draft
        if draft is None:
            return
        conv.flow, conv.step = draft["flow"], draft["step"]
        conv.data, conv.history = draft["data"], draft["history"]
        conv.draft = None
        self.replies.append(Reply(_("Kita lanjutkan dari langkah terakhir.")))
        pending = draft.get("pending")
        if pending:
            # The message that arrived after the long silence answers the step it was sent to.
            self.inbound = replace(self.inbound, text=pending, choice=None)
            await self.step()
        else:
            self.reprompt()


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
