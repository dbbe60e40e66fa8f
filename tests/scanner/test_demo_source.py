import numpy as np

from terminal.domain.codes import payload_for
from terminal.scanner.decoders import make_decoder
from terminal.scanner.demo_source import DemoSource, sample_codes
from terminal.scanner.pipeline import FrameDecoder, ScanPipeline

from .conftest import CODES


def test_frames_are_reproducible_and_720p():
    a, b = DemoSource(CODES[:2], realtime=False), DemoSource(CODES[:2], realtime=False)
    assert np.array_equal(a.render_frame(7), b.render_frame(7))
    assert a.render_frame(0).shape == (720, 1280, 3)


def test_the_loop_shows_each_card_then_an_empty_counter():
    source = DemoSource(CODES[:3], fps=10, shown_s=1, gap_s=0.5, realtime=False)
    texts = [source.scene(i).text for i in range(45)]
    assert texts[:10] == [payload_for(CODES[0])] * 10
    assert texts[10:15] == [None] * 5
    assert texts[15] == payload_for(CODES[1]) and texts[30] == payload_for(CODES[2])
    styles = {(source.scene(i).spoilers.phone, source.scene(i).spoilers.dark_mode) for i in (0, 15, 30)}
    assert styles == {(False, False), (True, False), (True, True)}  # card, phone, dark-mode phone


def test_the_card_moves():
    source = DemoSource(CODES[:1], realtime=False)
    first, later = source.symbol_corners(0), source.symbol_corners(20)
    assert np.abs(first - later).max() > 10


def test_every_demo_card_is_scanned_once_per_showing():
    source = DemoSource(CODES[:3], fps=10, shown_s=1.2, gap_s=0.6, realtime=False)
    source.open()
    pipeline = ScanPipeline(FrameDecoder(make_decoder("zxing"), budget_ms=None))
    cards = []
    for i in range(54):
        outcome = pipeline.process(source.read(), i / source.fps)
        if outcome.card:
            cards.append(outcome.card.code)
    source.close()
    assert cards == CODES[:3]


def test_invalid_codes_are_replaced_by_samples():
    assert DemoSource(["not a code"], realtime=False).payloads == [payload_for(c) for c in sample_codes()]
