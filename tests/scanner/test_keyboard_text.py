"""What keyboard-wedge scanners type, on US, AZERTY and QWERTZ hosts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.codes import PAYLOAD_PREFIX, is_valid_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.scanner.keyboard_text import decode_scanned_text, read_manual_entry, strip_controls

from .conftest import CODES, PAYLOADS

# what a scanner sending US key positions types on a French AZERTY host
US_TO_AZERTY = str.maketrans({
    "1": "&", "2": "é", "3": '"', "4": "'", "5": "(", "6": "-", "7": "è", "8": "_", "9": "ç", "0": "à",
    "A": "Q", "Q": "A", "Z": "W", "W": "Z", "M": "?", ":": "M", "]": "$",
})
US_TO_BELGIAN = str.maketrans({**{k: v for k, v in US_TO_AZERTY.items()}, ord("6"): "§", ord("8"): "!"})
US_TO_QWERTZ = str.maketrans({"Y": "Z", "Z": "Y", ":": "Ö", "]": "+"})


def test_azerty_digits_are_the_shifted_row():
    assert "1234567890".translate(US_TO_AZERTY) == "&é\"'(-è_çà"
    assert decode_scanned_text(PAYLOADS[0].translate(US_TO_AZERTY)) == CODES[0]


def test_worked_azerty_example():
    # LT1:7K3QP9ZX2M on AZERTY: ":" arrives as "M", "M" as "?", Q/A and Z/W swap
    assert "LT1:7K3QP9ZX2M".translate(US_TO_AZERTY) == 'LT&Mè\u004b"APçWXé?'


@pytest.mark.parametrize("table", [US_TO_AZERTY, US_TO_BELGIAN, US_TO_QWERTZ], ids=["fr", "be", "de"])
def test_every_card_decodes_through_each_layout(table):
    for payload, code in zip(PAYLOADS, CODES, strict=True):
        assert decode_scanned_text(payload.translate(table)) == code


@pytest.mark.parametrize("wrapped", [
    "\x02{}\x03", "{}\r\n", "\t{}\t", "]Q1{}", "\x02]Q1{}\r", "\ufeff{}", "\x1d{}\x1e\x04",
])
def test_control_characters_and_aim_prefix_are_stripped(wrapped):
    assert decode_scanned_text(wrapped.format(PAYLOADS[2])) == CODES[2]
    assert decode_scanned_text(wrapped.format(PAYLOADS[2]).translate(US_TO_AZERTY)) == CODES[2]


def test_caps_lock_is_undone():
    assert decode_scanned_text(PAYLOADS[3].lower()) == CODES[3]


@pytest.mark.parametrize("typed", ["4006381333931", "https://shop.example", "WIFI:S:x;;", "]E04006381333931"])
def test_other_barcodes_are_not_a_loyalty_card(typed):
    with pytest.raises(LoyaltyError) as info:
        decode_scanned_text(typed)
    assert info.value.code == ErrorCode.NOT_A_LOYALTY_CARD


def test_damaged_card_says_so():
    damaged = PAYLOADS[0][:-1] + ("0" if PAYLOADS[0][-1] != "0" else "1")
    with pytest.raises(LoyaltyError) as info:
        decode_scanned_text(damaged)
    assert info.value.code == ErrorCode.INVALID_CARD_CODE


def test_manual_entry_accepts_what_people_type():
    code = CODES[4]
    assert read_manual_entry(code.lower()) == code
    assert read_manual_entry(f"{code[:5]}-{code[5:]}") == code
    assert read_manual_entry("  " + code + " ") == code
    assert read_manual_entry(PAYLOADS[4]) == code
    assert read_manual_entry(PAYLOADS[4].translate(US_TO_AZERTY)) == code  # a scan into the field


def test_manual_entry_explains_mistakes():
    with pytest.raises(LoyaltyError) as info:
        read_manual_entry(CODES[0][:6])
    assert "10 characters" in info.value.message
    with pytest.raises(LoyaltyError):
        read_manual_entry("")


def test_strip_controls_keeps_printable_text():
    assert strip_controls("\x02A-b é\r\n") == "A-b é"


FUZZ = settings(max_examples=1500, deadline=None, database=None)


@FUZZ
@given(st.text(max_size=40))
def test_fuzzed_typing_never_escapes_and_only_valid_codes_pass(text):
    for reader in (decode_scanned_text, read_manual_entry):
        try:
            code = reader(text)
        except LoyaltyError:
            continue
        assert is_valid_code(code)


@FUZZ
@given(st.sampled_from(PAYLOADS), st.sampled_from([US_TO_AZERTY, US_TO_BELGIAN, US_TO_QWERTZ, {}]),
       st.sampled_from(["", "\x02", "]Q1", "\x02]Q1"]), st.sampled_from(["", "\r", "\r\n", "\t", "\x03"]))
def test_fuzzed_layouts_and_wrappers_still_decode(payload, table, prefix, suffix):
    typed = (prefix + payload).translate(table) + suffix
    assert PAYLOAD_PREFIX + decode_scanned_text(typed) == payload
