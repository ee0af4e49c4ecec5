"""The one table of commands: the words people type, what each does, and who sees it where.

Every other place reads it: the turn routes a typed `/word` through `find`, the case cards
and casework take the command of each action from it, Telegram's command menus are built
from its lines (through gettext, so they are in the catalogs and the completeness test), and
`bantuan` lists the staff commands by the same rule that allows them. Adding a command is one
row here and one handler where its `does` is routed (`bot.engine.commands`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from bot.domain.lifecycle import Action, roles_for_any
from bot.domain.roles import Role
from bot.values.messages import Msg, _

A = Action


class Does(StrEnum):
    """What a command that is not a case action does."""

    START = "start"
    MENU = "menu"
    CANCEL = "cancel"
    HELP = "help"
    STATUS = "status"
    MINE = "mine"
    LANGUAGE = "language"
    PRIVACY = "privacy"
    COMPLAINT = "complaint"
    INFORMATION = "information"
    INVITE = "invite"
    JOIN = "join"
    REVOKE_INVITE = "revoke_invite"
    QUEUE = "queue"
    CASE = "case"
    SEARCH = "search"
    FOR_RESIDENT = "for_resident"
    DEAD_LETTERS = "dead_letters"
    RECAP = "recap"
    RETRY_DEAD = "retry_dead"
    SUBSCRIBE = "subscribe"  # serta-merta news of a desa or kecamatan
    UNSUBSCRIBE = "unsubscribe"
    PUSH = "push"  # a serta-merta entry or announcement, to an area's subscribers
    BREACH = "breach"  # the personal-data breach register (UU 27/2022 Pasal 46)


OFFICERS = frozenset(
    {Role.ADMIN, Role.KOORDINATOR, Role.PPID_UTAMA, Role.PPID_PEMBANTU, Role.ATASAN_PPID}
)
STAFF = OFFICERS | {Role.KIM}
ADMINS = frozenset({Role.ADMIN})
# Who pushes serta-merta information (UU 14/2008 Pasal 10): the PPID, and admins.
PUSHERS = frozenset({Role.ADMIN, Role.PPID_UTAMA})
KIM = frozenset({Role.KIM})
# Who sees a staff menu line: a set of roles, or an action (whose roles are the case rules').
Who = frozenset[Role] | Action


@dataclass(frozen=True)
class Command:
    word: str  # typed after "/"; Telegram allows a-z, 0-9 and "_"
    does: Does | Action
    aliases: tuple[str, ...] = ()  # other words for it ("cek", "cancel")
    staff: bool = False  # staff work: runs at once, even as a chat's first message
    citizen_line: Msg | None = None  # its line in the citizens' command menu
    staff_line: Msg | None = None  # its line in the staff menu
    staff_who: Who | None = None  # who sees the staff line

    @property
    def words(self) -> tuple[str, ...]:
        return (self.word, *self.aliases)


C = Command


def _officer(word: str, action: Action, line: Msg) -> Command:
    """A case action's command: staff work, seen by whoever the case rules let take it."""
    return Command(word, action, staff=True, staff_line=line, staff_who=action)


# In the order of the staff menu, then the citizens'.
COMMANDS: tuple[Command, ...] = (
    C("antrian", Does.QUEUE, staff=True, staff_line=_("Antrian unit saya"), staff_who=OFFICERS),
    C("kasus", Does.CASE, staff=True, staff_line=_("Kartu kasus: /kasus KODE"), staff_who=OFFICERS),
    C("cari", Does.SEARCH, staff=True, staff_line=_("Cari kasus"), staff_who=OFFICERS),
    C("rekap", Does.RECAP, staff=True, staff_line=_("Rekap angka"), staff_who=OFFICERS),
    _officer("verifikasi", A.VERIFY, _("Verifikasi laporan")),
    _officer("ambil", A.TAKE, _("Tangani kasus")),
    _officer("balas", A.REPLY, _("Balas pelapor")),
    _officer("tanya", A.ASK, _("Minta penjelasan pelapor")),
    _officer("teruskan", A.FORWARD, _("Teruskan ke unit lain")),
    _officer("bukanwewenang", A.NOT_OURS, _("Bukan wewenang kami")),
    _officer("catatan", A.NOTE, _("Catatan internal")),
    _officer("selesai", A.RESOLVE, _("Tandai selesai")),
    _officer("arsip", A.ARCHIVE, _("Arsipkan")),
    _officer("perpanjang", A.EXTEND, _("Perpanjang jawaban")),
    _officer("putus", A.DECIDE, _("Keputusan tertulis")),
    _officer("serahkan", A.DELIVER, _("Catat informasi diserahkan")),
    _officer("sengketa", A.DISPUTE, _("Catat sengketa informasi")),
    C("undang", Does.INVITE, staff=True, staff_line=_("Buat undangan petugas"), staff_who=ADMINS),
    C(
        "gagal",
        Does.DEAD_LETTERS,
        staff=True,
        staff_line=_("Pesan gagal terkirim"),
        staff_who=ADMINS,
    ),
    C("kirimulang", Does.RETRY_DEAD, staff=True),
    C("siarkan", Does.PUSH, staff=True),
    C(
        "kebocoran",
        Does.BREACH,
        ("insiden",),
        staff=True,
        staff_line=_("Catat kebocoran data pribadi"),
        staff_who=ADMINS,
    ),
    C("gabung", Does.JOIN, staff=True),
    C("cabut", Does.REVOKE_INVITE, staff=True),
    C("laporwarga", Does.FOR_RESIDENT, staff_line=_("Lapor untuk warga"), staff_who=KIM),
    C(
        "laporan",
        Does.MINE,
        ("laporansaya",),
        citizen_line=_("Laporan saya"),
        staff_line=_("Laporan yang saya kirim"),
        staff_who=KIM,
    ),
    C(
        "menu",
        Does.MENU,
        citizen_line=_("Menu utama"),
        staff_line=_("Menu utama"),
        staff_who=STAFF,
    ),
    C("lapor", Does.COMPLAINT, ("pengaduan",), citizen_line=_("Buat pengaduan atau aspirasi")),
    C("informasi", Does.INFORMATION, citizen_line=_("Minta informasi publik")),
    C("status", Does.STATUS, ("cek",), citizen_line=_("Cek status: /status KODE")),
    C("keberatan", A.OBJECT),
    C(
        "langganan",
        Does.SUBSCRIBE,
        ("subscribe",),
        citizen_line=_("Info darurat untuk desa saya"),
    ),
    C("berhenti", Does.UNSUBSCRIBE, ("berhentilangganan", "unsubscribe")),
    C("bahasa", Does.LANGUAGE, ("language",), citizen_line=_("Ganti bahasa")),
    C("privasi", Does.PRIVACY, ("privacy",), citizen_line=_("Privasi dan data saya")),
    C(
        "bantuan",
        Does.HELP,
        ("help",),
        citizen_line=_("Bantuan"),
        staff_line=_("Bantuan dan daftar perintah"),
        staff_who=STAFF,
    ),
    C("batal", Does.CANCEL, ("cancel",)),
    C("start", Does.START),
)
_BY_WORD = {word: command for command in COMMANDS for word in command.words}
# The command of each case action (its card button does the same).
COMMAND_OF: dict[Action, str] = {
    c.does: c.word for c in COMMANDS if isinstance(c.does, Action) and c.does is not A.OBJECT
}
CASE_COMMANDS: dict[str, Action] = {c.word: c.does for c in COMMANDS if isinstance(c.does, Action)}
# What a message starts with when it is staff work ("/balas@SuaraWargaBot …" too).
STAFF_PREFIXES = tuple(f"/{word}" for c in COMMANDS if c.staff for word in c.words)


def find(word: str) -> Command | None:
    """The command a typed `/word` names ("/Balas@SuaraWargaBot" → balas), or None."""
    return _BY_WORD.get(word.split("@")[0].lower())


def citizen_menu() -> list[tuple[str, Msg]]:
    return [(c.word, c.citizen_line) for c in COMMANDS if c.citizen_line is not None]


def staff_menu(roles: Iterable[str]) -> list[tuple[str, Msg]]:
    """The menu of a chat whose person holds `roles`: each line by its own rule."""
    held = frozenset(roles)
    return [
        (c.word, c.staff_line)
        for c in COMMANDS
        if c.staff_line is not None and c.staff_who is not None and _sees(held, c.staff_who)
    ]


def _sees(roles: frozenset[str], who: Who) -> bool:
    if isinstance(who, Action):
        needed = roles_for_any(who)
        who = OFFICERS if needed is None else needed
    return bool(roles & {r.value for r in who})
