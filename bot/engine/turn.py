"""One inbound message against one chat's state: commands, words that work at every step,
expiry, choice matching, the flow step, and the effects it asks for.

Everything here runs inside the batch transaction; it changes `ChatState` in memory and the
engine persists it with the case rows and the outbox in the same commit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from bot.domain.codes import looks_like_code
from bot.domain.commands import STAFF_PREFIXES
from bot.domain.subject_rights import Right
from bot.engine import case_turn, drafts, effects
from bot.engine.commands import route
from bot.engine.pending import PendingCases
from bot.engine.state import ChatState, Services
from bot.flows import emergency
from bot.flows.base import (
    Context,
    ListMyCases,
    LookupCase,
    SubjectRequest,
    Transition,
    substantial,
)
from bot.flows.menu import GREETINGS, THANKS, menu_buttons
from bot.flows.privacy import full_notice
from bot.flows.registry import DRAFT_FLOWS, FLOWS, IDLE_FLOWS
from bot.handlers.help import staff_help
from bot.i18n import render
from bot.understanding import Expect
from bot.understanding.choices import core_words, match_choice, normalise, understood_choice
from bot.values.messages import _, join
from bot.values.types import Inbound, Notice, Reply
from storage import repo

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
    # The right of access in two words (UU 27/2022 Pasal 32), from anywhere.
    "data saya": "my_data",
    "lihat data saya": "my_data",
    "my data": "my_data",
}


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
            dip=self.services.dip,
        )

    async def run(self) -> list[Reply]:
        conv = self.chat.conversation
        inbound = self.inbound
        text = (inbound.text or "").strip()
        payload = inbound.command_payload or ""
        if inbound.choice is not None and inbound.choice.startswith("c:"):
            await case_turn.case_button(
                self, inbound.choice
            )  # works in any state, like the command
            return self.replies
        if text and inbound.choice is None:  # 112 first, when the words say a life is in danger
            form = conv.flow in (*DRAFT_FLOWS, "resident")
            alarm = emergency.warning(text, form, conv.data, conv.draft, self.context())
            self.replies.extend(alarm)
            kept = emergency.set_aside(conv.flow, conv.step, conv.data, text) if alarm else None
            if form and kept is not None:  # the name is asked again; the words are kept
                conv.data = kept
                self.reprompt()
                return self.replies
        replied_code = await case_turn.replied_code(self)
        replying = replied_code and text and not text.startswith("/")
        if replying and await case_turn.reply_to_case(self, replied_code or "", text):
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
            await effects.run_effects(self, [LookupCase(text.strip("* "))])
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
                await case_turn.case_button(self, choice, reason)  # a case button typed on WhatsApp
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
            await effects.run_effects(self, [LookupCase(reading.values["code"])])
        elif reading.intent in ("status", "mine"):
            await effects.run_effects(self, [ListMyCases()])
        else:
            hint = _("Ketik *privasi* untuk melihat, memperbaiki atau menghapus data Anda.")
            self.replies.append(Reply(join(full_notice(self.context()), hint)))
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
        await effects.run_effects(self, transition.effects)
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
        conv = self.chat.conversation
        if name == "case_action" and conv.flow == name and conv.history:
            # Its first step is only where it starts from: the action's first question was
            # the one asked, so `kembali` there is the first step, not the text question.
            conv.history = []

    def set_flow(self, flow: str, step: str, data: dict[str, Any] | None = None) -> None:
        conv = self.chat.conversation
        conv.flow, conv.step, conv.data, conv.history = flow, step, data or {}, []

    def tell_kept(self) -> None:
        """Said when a form is set aside for something else: it waits as the draft."""
        conv = self.chat.conversation
        if conv.flow in DRAFT_FLOWS and (conv.data or conv.history):
            kept = _(
                "Isian Anda kami simpan. Pilih *Lanjutkan yang belum selesai* kapan saja untuk "
                "meneruskan."
            )
            self.replies.append(Reply(kept))

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
        drafts.park(self.chat.conversation, pending)

    # --- words and commands -------------------------------------------------------------------

    async def global_word(self, word: str) -> None:
        conv = self.chat.conversation
        if word == "menu":
            if conv.flow == "case_action":  # a half-given command is not kept
                self.replies.append(Reply(_("Dibatalkan.")))
            self.tell_kept()
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
            self.tell_kept()
            self.park()
            await self.start_flow("privacy")
        elif word == "my_data":  # a form under way waits where it was
            await effects.run_effects(self, [SubjectRequest(Right.AKSES)])
            if conv.flow in DRAFT_FLOWS:
                self.reprompt()
            else:
                self.set_flow("menu", "main")
                self.offer_menu()
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
