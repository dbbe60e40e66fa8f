import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.codes import (
    ALPHABET,
    CODE_LENGTH,
    check_character,
    format_code,
    is_valid_code,
    new_code,
    normalize_code,
    parse_payload,
    payload_for,
)
from terminal.domain.errors import ErrorCode, LoyaltyError

codes = st.text(alphabet=ALPHABET, min_size=CODE_LENGTH - 1, max_size=CODE_LENGTH - 1).map(
    lambda body: body + check_character(body))


def test_new_codes_are_valid_and_distinct():
    drawn = {new_code() for _ in range(2000)}
    assert len(drawn) == 2000
    assert all(is_valid_code(c) for c in drawn)


@given(codes, st.integers(0, CODE_LENGTH - 1), st.sampled_from(ALPHABET))
def test_every_single_character_error_is_caught(code, pos, replacement):
    mutated = code[:pos] + replacement + code[pos + 1:]
    assert is_valid_code(mutated) == (mutated == code)


@given(codes, st.integers(0, CODE_LENGTH - 2))
def test_every_adjacent_swap_is_caught(code, pos):
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2:]
    assert is_valid_code(swapped) == (swapped == code)


def test_every_adjacent_swap_of_every_pair_is_caught_exhaustively():
    for pos in range(CODE_LENGTH - 1):
        for a in ALPHABET:
            for b in ALPHABET:
                body = ("7K3QP9ZX2" + "0")[:pos] + a + b
                body = (body + "M" * CODE_LENGTH)[:CODE_LENGTH - 1]
                code = body + check_character(body)
                swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2:]
                assert is_valid_code(swapped) == (swapped == code), (code, swapped)


@given(codes)
def test_round_trips(code):
    assert parse_payload(payload_for(code)) == code
    assert normalize_code(format_code(code).lower()) == code
    assert normalize_code(payload_for(code)) == code


def test_manual_entry_accepts_crockford_aliases():
    code = "DEM0CAFE1" + check_character("DEM0CAFE1")
    assert normalize_code("demo cafe1" + code[-1].lower()) == code


@pytest.mark.parametrize("text", [
    "https://example.com/LT1:ABC", "4006381333931", "WIFI:S:cafe;T:WPA;P:secret;;", "", "LT2:0000000000",
    " LT1:DEM0CAFE1Z",
])
def test_payloads_that_are_not_ours_are_refused(text):
    with pytest.raises(LoyaltyError) as err:
        parse_payload(text)
    assert err.value.code is ErrorCode.NOT_A_LOYALTY_CARD


def test_our_prefix_with_a_bad_check_character_is_a_misread():
    with pytest.raises(LoyaltyError) as err:
        parse_payload("LT1:DEM0CAFE10")
    assert err.value.code is ErrorCode.INVALID_CARD_CODE


@settings(max_examples=3000)
@given(st.text())
def test_fuzz_parsers_raise_only_loyalty_errors_and_pass_only_valid_codes(text):
    for parse in (parse_payload, normalize_code):
        try:
            code = parse(text)
        except LoyaltyError:
            continue
        assert is_valid_code(code)


@pytest.mark.parametrize("text,fragment", [
    ("ABC", "10 characters"), ("DEM0CAFE1U", "not allowed"), ("DEM0CAFE10", "typo"), ("  ", "Type or scan"),
])
def test_manual_entry_errors_say_what_is_wrong(text, fragment):
    with pytest.raises(LoyaltyError) as err:
        normalize_code(text)
    assert fragment in err.value.message
