from __future__ import annotations

import pytest

from bot.understanding.choices import match_choice

OPTIONS = [
    ["jalan-jembatan", "Jalan dan jembatan"],
    ["lalu-lintas", "Lalu lintas, parkir dan lampu jalan"],
    ["lainnya", "Lainnya"],
]
SHORTCUT = [["next", "➡️ Lanjut", "lanjut", "sudah", "cukup"]]


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("1", "jalan-jembatan"),
        (" 3 ", "lainnya"),
        ("4", None),
        ("0", None),
        ("Jalan dan jembatan", "jalan-jembatan"),
        ("jalan dan jembatn", "jalan-jembatan"),  # a typo
        ("jembatan", "jalan-jembatan"),  # one word only this option has
        ("jalan", "jalan-jembatan"),  # two options have it: the one it begins
        ("lampu", "lalu-lintas"),
        ("dan", None),  # in both, begins neither: no guess
        ("lainya", "lainnya"),
        ("pizza", None),
        ("", None),
    ],
)
def test_number_label_word_or_close_match(typed: str, expected: str | None) -> None:
    assert match_choice(typed, OPTIONS) == expected


def test_free_text_at_a_step_with_a_shortcut_stays_free_text() -> None:
    assert match_choice("sudah", SHORTCUT) == "next"
    assert match_choice("➡️ Lanjut", SHORTCUT) == "next"
    assert match_choice("sudah dua minggu air tidak mengalir", SHORTCUT) is None
    assert match_choice("Lapajung", SHORTCUT) is None


DELIVERY = [
    ["langsung", "Ambil langsung", "ambil", "ambil sendiri", "diambil sendiri"],
    ["pos", "Pos", "pos", "lewat pos"],
    ["kurir", "Kurir", "kurir", "lewat kurir"],
]


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("diambil sendiri di kantor pak", "langsung"),  # a phrase of one option, inside
        ("dikirim lewat pos saja", "pos"),
        ("lewat pos atau lewat kurir", None),  # two options: no guess
        ("dikirim saja", None),
    ],
)
def test_a_phrase_of_one_option_inside_a_longer_answer(typed: str, expected: str | None) -> None:
    assert match_choice(typed, DELIVERY) == expected
