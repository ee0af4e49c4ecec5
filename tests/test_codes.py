from __future__ import annotations

import itertools

import pytest

from bot.domain.codes import ALPHABET, CodeProblem, kind_of, new_code, normalise, parse_code


@pytest.mark.parametrize(
    "kind,prefix", [("pengaduan", "P"), ("aspirasi", "A"), ("informasi", "I"), ("keberatan", "K")]
)
def test_new_codes_carry_their_kind_and_parse_back(kind: str, prefix: str) -> None:
    code = new_code(kind)
    assert code.startswith(prefix + "-") and len(code) == 11
    assert parse_code(code).code == code
    assert kind_of(code) == kind


def test_codes_are_case_and_separator_insensitive() -> None:
    code = new_code("pengaduan")
    assert parse_code(code.lower().replace("-", " ")).code == code
    assert parse_code(normalise(code)).code == code


def test_alphabet_has_no_lookalikes() -> None:
    assert not set("01OIL") & set(ALPHABET)
    assert len(ALPHABET) == 31  # prime: the weighted check catches every single error


def test_every_single_substitution_is_caught() -> None:
    code = normalise(new_code("informasi"))
    assert parse_code("K" + code[1:]).problem is CodeProblem.BAD_CHECK  # wrong kind letter
    for position in range(1, len(code)):
        for symbol in ALPHABET:
            if symbol == code[position]:
                continue
            typo = code[:position] + symbol + code[position + 1 :]
            assert parse_code(typo).problem is CodeProblem.BAD_CHECK, typo


def test_every_adjacent_swap_is_caught() -> None:
    for _ in range(50):
        code = normalise(new_code("pengaduan"))
        for position in range(1, len(code) - 1):
            a, b = code[position], code[position + 1]
            if a == b:
                continue
            swapped = code[:position] + b + a + code[position + 2 :]
            assert parse_code(swapped).problem is CodeProblem.BAD_CHECK, swapped


def test_a_one_typed_for_the_i_prefix_is_understood() -> None:
    code = new_code("informasi")
    assert parse_code("1" + code[1:]).code == code


def test_lookalike_symbols_and_garbage_are_explained() -> None:
    code = normalise(new_code("pengaduan"))
    assert parse_code(code[:3] + "0" + code[4:]).problem is CodeProblem.BAD_SYMBOL
    assert parse_code("hello").problem is CodeProblem.NOT_A_CODE
    assert parse_code("X-2345-6789").problem is CodeProblem.NOT_A_CODE


def test_codes_are_not_sequential() -> None:
    codes = [normalise(new_code("pengaduan")) for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    # Consecutive codes share no common prefix beyond the kind letter most of the time.
    same_second_symbol = sum(a[1] == b[1] for a, b in itertools.pairwise(codes))
    assert same_second_symbol < 200


def test_words_with_a_digit_are_not_taken_for_a_spaced_code() -> None:
    from bot.domain.codes import example_code, find_code

    for story in ("ikan2 mati semua", "anak2 cuma disuruh nyatet", "anak2 main di jalan"):
        assert find_code(story) is None, story
    # Nine letters with a doubling 2 start like a data request's code (D-…): still words.
    for story in ("sampah ndak diangkut2 mi pak", "ibu sy dibentak2", "puing2nya blm diangkut"):
        assert find_code(story) is None, story
    data_code = example_code("data_pribadi")
    assert find_code(f"status {data_code}") == data_code
    good = example_code()
    assert find_code(f"cek {good.replace('-', ' ')} pak") is not None  # a real one, spaced
    slip = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert find_code(f"cek {slip} pak") == slip  # a slip typed with dashes is still caught
