"""The command table is the one home of command words: every place that names a command
reads it, and the menus each role sees follow the same rules as the commands themselves."""

from __future__ import annotations

import re

import pytest

from bot.domain import commands
from bot.domain.commands import COMMAND_OF, COMMANDS, Does, find, staff_menu
from bot.domain.lifecycle import CITIZEN_ACTIONS, Action
from bot.handlers.cards import BUTTON_LABELS
from bot.handlers.help import staff_help
from bot.i18n import render

OFFICER_VIEW = ["antrian", "kasus", "cari", "rekap"]
CASE_WORK = ["ambil", "balas", "tanya", "teruskan", "bukanwewenang", "catatan", "selesai"]


def test_a_typed_word_finds_its_command() -> None:
    assert find("Balas@SuaraWargaBot").does is Action.REPLY  # type: ignore[union-attr]
    assert find("cek").does is Does.STATUS  # type: ignore[union-attr]
    assert find("laporansaya").does is Does.MINE  # type: ignore[union-attr]
    assert find("keberatan").does is Action.OBJECT  # type: ignore[union-attr]
    assert find("balasan") is None


def test_each_word_names_one_command() -> None:
    words = [word for command in COMMANDS for word in command.words]
    assert len(words) == len(set(words))
    assert all(re.fullmatch(r"[a-z0-9_]{1,32}", w) for w in words)  # Telegram's rule


def test_every_officer_button_has_its_command() -> None:
    officer_actions = {a for a in Action if a not in CITIZEN_ACTIONS and a is not Action.AUTO_CLOSE}
    assert set(BUTTON_LABELS) == officer_actions
    assert set(COMMAND_OF) == officer_actions


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ({"kim"}, ["laporwarga", "laporan", "menu", "bantuan"]),
        (
            {"ppid_pembantu"},
            [*OFFICER_VIEW, *CASE_WORK, "perpanjang", "putus", "serahkan", "menu", "bantuan"],
        ),
        (
            {"koordinator"},
            [
                *OFFICER_VIEW,
                "verifikasi",
                *CASE_WORK[:-1],
                "selesai",
                "arsip",
                "perpanjang",
                "putus",
                "menu",
                "bantuan",
            ],
        ),
        (
            {"admin"},
            [
                *OFFICER_VIEW,
                "verifikasi",
                *CASE_WORK,
                "arsip",
                "perpanjang",
                "putus",
                "serahkan",
                "sengketa",
                "undang",
                "gagal",
                "kebocoran",
                "menu",
                "bantuan",
            ],
        ),
        (set(), []),
    ],
)
def test_the_staff_menu_of_each_role(roles: set[str], expected: list[str]) -> None:
    assert [word for word, _line in staff_menu(roles)] == expected


def test_menus_are_translated_through_the_catalogs() -> None:
    lines = dict(staff_menu({"admin"}))
    assert render(lines["antrian"], "id") == "Antrian unit saya"
    assert render(lines["antrian"], "en") == "My unit's queue"
    citizen = dict(commands.citizen_menu())
    assert render(citizen["lapor"], "en") == "File a complaint or suggestion"


@pytest.mark.parametrize("role", ["admin", "koordinator", "ppid_utama", "ppid_pembantu", "kim"])
def test_help_names_only_commands_of_the_table(role: str) -> None:
    """Every `/word` help shows for a role is a command of the table."""
    shown = render(staff_help(frozenset({role}), 7) or commands.citizen_menu()[0][1], "id")
    named = set(re.findall(r"/([a-z]+)", shown))
    assert named, shown
    assert {w for w in named if find(w) is None} == set()


def test_help_covers_every_staff_command() -> None:
    everyone = frozenset({"admin", "koordinator", "ppid_utama", "atasan_ppid", "kim"})
    shown = render(staff_help(everyone, 7), "id")  # type: ignore[arg-type]
    staff_words = {c.word for c in COMMANDS if c.staff or c.staff_line is not None}
    assert {w for w in staff_words if f"/{w}" not in shown} == {"gabung", "menu", "bantuan"}
