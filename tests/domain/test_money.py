import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.money import format_money, parse_amount

MAX = 1_000_000


@pytest.mark.parametrize("text,currency,minor", [
    ("12.50", "EUR", 1250), ("12,50", "EUR", 1250), ("12", "EUR", 1200), ("0,5", "EUR", 50),
    (" 7.05 ", "EUR", 705), ("15000", "IDR", 15000), ("1.234", "KWD", 1234),
])
def test_amounts_parse_to_integer_minor_units(text, currency, minor):
    assert parse_amount(text, currency, MAX * 1000) == minor


@pytest.mark.parametrize("text,fragment", [
    ("", "Type the purchase amount"), ("-5", "negative"), ("nan", "not an amount"), ("inf", "not an amount"),
    ("1e5", "not an amount"), ("12.505", "2 decimal places"), ("0", "more than zero"),
    ("10000.01", "more than the allowed maximum"), ("1,234.50", "not an amount"), ("12.", "not an amount"),
])
def test_bad_amounts_are_refused_with_a_clear_message(text, fragment):
    with pytest.raises(LoyaltyError) as err:
        parse_amount(text, "EUR", MAX)
    assert err.value.code is ErrorCode.INVALID_AMOUNT
    assert fragment in err.value.message


@given(st.integers(1, MAX))
def test_format_and_parse_agree(minor):
    text = format_money(minor, "EUR").split()[0].replace(",", "")
    assert parse_amount(text, "EUR", MAX) == minor


@given(st.text(max_size=20))
def test_parse_never_raises_anything_else(text):
    try:
        assert 0 < parse_amount(text, "EUR", MAX) <= MAX
    except LoyaltyError as exc:
        assert exc.code is ErrorCode.INVALID_AMOUNT
