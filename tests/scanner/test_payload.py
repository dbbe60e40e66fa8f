"""The camera-side payload check, fuzzed: nothing escapes, only valid codes pass."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminal.domain.codes import ALPHABET, PAYLOAD_PREFIX, is_valid_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.scanner.decoders import Detection
from terminal.scanner.payload import card_code_from_payload, card_code_of

from .conftest import CODES, PAYLOADS

FUZZ = settings(max_examples=2500, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow])

near_payloads = st.builds(
    lambda prefix, body, tail: prefix + body + tail,
    st.sampled_from(["LT1:", "LT1", "lt1:", "LT2:", "", "LT1::", " LT1:"]),
    st.text(alphabet=ALPHABET + "ILOUilou-: ", min_size=0, max_size=12),
    st.sampled_from(["", " ", "\n", "\x00", "X"]),
)


def check_only_valid_codes_pass(data):
    try:
        code = card_code_from_payload(data)
    except LoyaltyError as exc:
        assert exc.code in {ErrorCode.NOT_A_LOYALTY_CARD, ErrorCode.INVALID_CARD_CODE}
        assert exc.message.endswith(".")
        return
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    assert is_valid_code(code)
    assert text == PAYLOAD_PREFIX + code


@FUZZ
@given(st.one_of(st.text(), st.binary(), near_payloads))
def test_fuzzed_payloads_never_escape_and_only_valid_codes_pass(data):
    check_only_valid_codes_pass(data)


@settings(max_examples=1000, deadline=None, database=None)
@given(st.sampled_from(CODES), st.integers(min_value=0, max_value=9), st.sampled_from(ALPHABET))
def test_any_single_character_change_is_refused(code, position, replacement):
    changed = code[:position] + replacement + code[position + 1:]
    if changed == code:
        return
    with pytest.raises(LoyaltyError):
        card_code_from_payload(PAYLOAD_PREFIX + changed)


def test_valid_payload_bytes_and_text_pass():
    assert card_code_from_payload(PAYLOADS[0].encode()) == CODES[0]
    detection = Detection(PAYLOADS[1].encode(), PAYLOADS[1], (), "zxing")
    assert card_code_of(detection) == CODES[1]


@pytest.mark.parametrize("data", [b"\xff\xfe", "https://shop.example/", "LT1:" + CODES[0].lower()])
def test_refusals_carry_a_plain_message(data):
    with pytest.raises(LoyaltyError) as info:
        card_code_from_payload(data)
    assert "card" in info.value.message
    assert "Traceback" not in info.value.message
