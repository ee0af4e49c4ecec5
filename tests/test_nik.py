from __future__ import annotations

from bot.domain.nik import NikProblem, check_nik, mask_nik


def test_valid_nik_for_a_man_and_a_woman() -> None:
    assert check_nik("7312011708850001") == ("7312011708850001", None)
    assert check_nik("7312 0157 0885 0002") == ("7312015708850002", None)  # day + 40 for women


def test_wrong_length_letters_and_empty() -> None:
    assert check_nik("731201170885")[1] is NikProblem.LENGTH
    assert check_nik("73120117088500AB")[1] is NikProblem.LENGTH
    assert check_nik("")[1] is NikProblem.LENGTH


def test_impossible_birth_date() -> None:
    assert check_nik("7312013213850001")[1] is NikProblem.BIRTH_DATE  # month 13
    assert check_nik("7312019908850002")[1] is NikProblem.BIRTH_DATE  # day 99
    assert check_nik("7312013208850002")[1] is NikProblem.BIRTH_DATE  # day 32


def test_serial_zero_is_never_issued() -> None:
    assert check_nik("7312011708850000")[1] is not None


def test_unknown_province() -> None:
    assert check_nik("9912011708850001")[1] is NikProblem.REGION


def test_mask_shows_only_last_four() -> None:
    assert mask_nik("7312011708850001") == "************0001"
