"""The burst detector: scanner bursts versus people typing, with an explicit clock."""

from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.codes import is_valid_code
from terminal.scanner.wedge import WedgeDecoder

from .conftest import CODES, PAYLOADS


def type_keys(decoder, text, start=0.0, gap=0.008):
    t = start
    for ch in text:
        decoder.key(ch, t)
        t += gap
    return decoder.enter(t)


def test_fast_burst_ending_in_enter_is_a_scan():
    outcome = type_keys(WedgeDecoder(), PAYLOADS[0])
    assert outcome.card.code == CODES[0]
    assert outcome.card.source == "wedge"
    assert outcome.card.timings["burst"] > 0


def test_azerty_burst_with_aim_prefix_and_controls():
    typed = "\x02$A&" + PAYLOADS[1].translate(str.maketrans({
        "1": "&", "2": "é", "3": '"', "4": "'", "5": "(", "6": "-", "7": "è", "8": "_", "9": "ç", "0": "à",
        "A": "Q", "Q": "A", "Z": "W", "W": "Z", "M": "?", ":": "M"}))
    assert type_keys(WedgeDecoder(), typed).card.code == CODES[1]


def test_slow_typing_is_not_a_scan():
    outcome = type_keys(WedgeDecoder(), PAYLOADS[0], gap=0.12)
    assert not outcome.is_scan


def test_fast_typist_with_one_slow_gap_is_not_a_scan():
    decoder = WedgeDecoder(min_length=8)
    type_keys(decoder, PAYLOADS[0][:7], gap=0.03)
    t = 0.5
    for ch in PAYLOADS[0][7:]:  # seven more fast keys after a pause: only 7 in the run
        decoder.key(ch, t)
        t += 0.03
    assert not decoder.enter(t).is_scan


def test_enter_long_after_the_burst_is_not_a_scan():
    decoder = WedgeDecoder()
    for i, ch in enumerate(PAYLOADS[0]):
        decoder.key(ch, i * 0.005)
    assert not decoder.enter(1.0).is_scan


def test_a_product_barcode_burst_is_refused():
    outcome = type_keys(WedgeDecoder(), "4006381333931")
    assert outcome.card is None
    assert outcome.rejection.error_code == "NOT_A_LOYALTY_CARD"


def test_short_bursts_are_typing():
    assert not type_keys(WedgeDecoder(min_length=8), "abc").is_scan


def test_bursts_do_not_leak_into_the_next_one():
    decoder = WedgeDecoder()
    assert type_keys(decoder, PAYLOADS[0]).card.code == CODES[0]
    assert type_keys(decoder, PAYLOADS[1], start=5.0).card.code == CODES[1]


# characters a scanner or a person might send, Enter as "\r"; each byte of ``gaps`` is a gap in ms
_POOL = sorted(set(PAYLOADS[0] + PAYLOADS[1] + "&é\"'(-è_çà§!$?MAZQW]ÖÜ€ßü日\x00\x02\x03\x1d\t\n ~"))
key_text = st.text(alphabet=_POOL + ["\r"] * 4, max_size=40)


@settings(max_examples=4000, deadline=None, database=None)
@given(key_text, st.binary(min_size=40, max_size=40))
def test_fuzzed_key_streams_never_escape_and_only_valid_codes_pass(text, gaps):
    decoder = WedgeDecoder()
    t = 0.0
    for ch, gap in zip(text, gaps, strict=False):  # gaps is the longest text can be
        t += gap / 1000.0
        if ch != "\r":
            decoder.key(ch, t)
            continue
        outcome = decoder.enter(t)
        if outcome.card:
            assert is_valid_code(outcome.card.code)
            assert outcome.card.code in CODES[:2]
        if outcome.rejection:
            assert outcome.rejection.message
