"""The idle budget: an empty counter costs about one backend read per frame; a card in view loses no reads.

Costs are counted as decoder runs (``FrameDecoder.stage_runs``), not timed,
so a busy test machine cannot make these pass or fail.
"""

import dataclasses

import numpy as np
import pytest

from terminal.scanner.confirm import Confirmer
from terminal.scanner.decoders import Decoder, Detection, make_decoder, to_gray
from terminal.scanner.pipeline import FrameDecoder, IdleBudget, ScanPipeline
from terminal.scanner.synthetic import Spoilers, background, hard_spoilers, render

from .conftest import PAYLOADS


def empty_counter(count: int, seed: int = 5) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [render(None, hard_spoilers(rng), rng).image for _ in range(count)]


def test_an_empty_counter_runs_one_rescue_stage_every_few_frames_in_turn():
    budget = IdleBudget(idle_every=6)
    frame_decoder = FrameDecoder(make_decoder("zxing"), idle=budget)
    frames = empty_counter(48)
    for frame in frames:
        assert frame_decoder.decode(frame).detections == ()
    runs = frame_decoder.stage_runs
    # every other frame is not decoded at all (IdleBudget.decode_every = 2)
    assert runs["primary"] + frame_decoder.skipped == len(frames)
    assert frame_decoder.skipped >= len(frames) // budget.decode_every - budget.located_frames
    rescues = sum(runs.values()) - runs["primary"]
    # a false "symbol located" on clutter may add a couple of full chains, no more
    chain = len(frame_decoder.stage_names)
    assert rescues <= runs["primary"] // budget.idle_every + budget.located_frames * chain
    assert sum(runs.values()) / len(frames) < 1.0
    assert runs["look_back"] == 0


def test_without_the_budget_every_frame_pays_for_every_stage():
    frame_decoder = FrameDecoder(make_decoder("zxing"), budget_ms=None, idle=None)
    for frame in empty_counter(4):
        frame_decoder.decode(frame)
    assert set(frame_decoder.stage_names) - {"roi"} <= set(frame_decoder.stage_runs)
    assert sum(frame_decoder.stage_runs.values()) >= 4 * len(frame_decoder.stage_names)


class _Shades(Decoder):
    """Reads a "card" from a flat grey frame: a bright one at once, a dimmer one only when rescued.

    The first pixel's grey level stands for how readable the frame is; the
    rescue stages rescale or filter the image, and only a changed size
    counts as rescued, so which stage reads what is known in advance. The
    levels are chosen so the dark-mode inversion every frame gets reads nothing.
    """

    name = "shades"

    def __init__(self, frame_shape, locate_from: int = 256):
        self.frame_shape = frame_shape
        self.locate_from = locate_from

    def scan(self, gray):
        level = int(gray.flat[0])
        return self.decode(gray), self.locate_from <= level < 200

    def decode(self, gray):
        level = int(gray.flat[0])
        rescued = gray.shape != self.frame_shape
        if level >= 200 or (rescued and 140 <= level < 200):
            return [Detection(PAYLOADS[0].encode(), PAYLOADS[0], ((0, 0), (30, 0), (30, 30), (0, 30)), self.name)]
        return []


def flat(level: int, shape=(60, 80)) -> np.ndarray:
    return np.full(shape, level, np.uint8)


def test_a_located_symbol_gets_the_full_chain_at_once():
    decoder = _Shades((60, 80), locate_from=140)
    frame_decoder = FrameDecoder(decoder, budget_ms=None, other_backends=(), idle=IdleBudget(idle_every=50))
    decoded = frame_decoder.decode(flat(150))
    assert decoded.stage == "half" and decoded.detections[0].text == PAYLOADS[0]


def test_a_card_first_read_after_idle_frames_is_looked_for_in_them():
    shape = (60, 80)
    budget = IdleBudget(idle_every=50, look_back=3, decode_every=1)
    frame_decoder = FrameDecoder(_Shades(shape), budget_ms=None, other_backends=(), idle=budget)
    pipeline = ScanPipeline(frame_decoder, Confirmer(reads=2))
    # idle, then a card only the rescue stages can read for three frames, then a clear one
    frames = [flat(120)] * 5 + [flat(150)] * 3 + [flat(220)]
    outcomes = [pipeline.process(frame, n / 15) for n, frame in enumerate(frames)]
    assert all(o.decode.detections == () for o in outcomes[:8])  # no rescue ran: idle budget
    last = outcomes[-1]
    assert [back for back, _ in last.decode.earlier] == [1, 2, 3]
    # the earlier reads count towards confirmation: the card is accepted on its first read
    assert last.card is not None and last.card.timings["confirm"] == pytest.approx(3000 / 15)
    # and the next frames get every stage while the card stays in view
    assert pipeline.process(flat(150), 9 / 15).decode.stage == "roi"


def test_without_look_back_the_same_card_waits_for_a_second_frame():
    budget = IdleBudget(idle_every=50, look_back=0, decode_every=1)
    pipeline = ScanPipeline(FrameDecoder(_Shades((60, 80)), budget_ms=None, other_backends=(), idle=budget))
    outcomes = [pipeline.process(frame, n / 15) for n, frame in enumerate([flat(120)] * 5 + [flat(150)] * 3
                                                                            + [flat(220)])]
    assert outcomes[-1].card is None and outcomes[-1].decode.earlier == ()


def test_the_close_up_of_the_last_position_maps_back_to_the_frame():
    frame_decoder = FrameDecoder(make_decoder("zxing"), budget_ms=None)
    rng = np.random.default_rng(3)
    size, centre = (600, 400), (420.0, 250.0)
    first = frame_decoder.decode(render(PAYLOADS[1], Spoilers(symbol_px=120), rng, size=size, centre=centre).image)
    assert first.stage == "primary"
    points = np.array(first.detections[0].points)
    later = to_gray(render(PAYLOADS[1], Spoilers(symbol_px=120), rng, size=size, centre=centre).image)
    close_up = frame_decoder._roi_stage(later)
    assert [d.text for d in close_up] == [PAYLOADS[1]]
    assert np.abs(np.array(close_up[0].points) - points).max() < 20


def visits(count: int, seed: int):
    """An empty counter, then a hard-to-read card held up for six frames, ``count`` times."""
    rng = np.random.default_rng(seed)
    texts = PAYLOADS
    sequence = []
    for visit in range(count):
        sequence += [(image, None) for image in empty_counter(8, seed * 100 + visit)]
        spoilers = hard_spoilers(rng)
        backdrop = background(rng)
        centre = tuple(float(c) for c in rng.uniform((400, 250), (880, 470)))
        for _ in range(6):
            jittered = dataclasses.replace(spoilers, angle=spoilers.angle + float(rng.uniform(-4, 4)))
            sequence.append((render(texts[visit % len(texts)], jittered, rng, backdrop=backdrop,
                                    centre=centre).image, texts[visit % len(texts)]))
    return sequence


def reads_and_cards(sequence, idle):
    frame_decoder = FrameDecoder(make_decoder("zxing"), budget_ms=None, idle=idle)
    pipeline = ScanPipeline(frame_decoder, Confirmer())
    reads, cards = 0, []
    for number, (image, text) in enumerate(sequence):
        outcome = pipeline.process(image, number / 15)
        if text is not None and any(d.text == text for d in outcome.decode.detections):
            reads += 1 + len(outcome.decode.earlier)
        if outcome.card:
            cards.append(outcome.card.code)
    return reads, cards, sum(frame_decoder.stage_runs.values())


def test_reads_per_card_in_view_do_not_drop_under_the_idle_budget():
    sequence = visits(6, seed=11)
    budget_reads, budget_cards, budget_runs = reads_and_cards(sequence, IdleBudget())
    full_reads, full_cards, full_runs = reads_and_cards(sequence, None)
    assert full_reads > 0 and full_cards
    assert budget_reads >= full_reads
    assert budget_cards == full_cards
    assert budget_runs < full_runs


def test_frames_skipped_while_idle_are_read_when_a_card_appears():
    budget = IdleBudget(idle_every=50, decode_every=2, look_back=3)
    frame_decoder = FrameDecoder(_Shades((60, 80)), budget_ms=None, other_backends=(), idle=budget)
    pipeline = ScanPipeline(frame_decoder, Confirmer(reads=2))
    outcomes = [pipeline.process(frame, n / 30) for n, frame in enumerate([flat(120)] * 3 + [flat(220)] * 2)]
    stages = [o.decode.stage for o in outcomes]
    assert stages == ["none", "skipped", "none", "skipped", "primary"]
    # the skipped frame with the card in it is read now: two reads, the card is accepted at once
    assert [back for back, _ in outcomes[-1].decode.earlier] == [1]
    assert outcomes[-1].card is not None
    assert frame_decoder.stage_runs["primary"] == 3


def test_a_card_in_view_is_decoded_on_every_frame():
    frame_decoder = FrameDecoder(_Shades((60, 80)), budget_ms=None, other_backends=(), idle=IdleBudget())
    stages = [frame_decoder.decode(flat(220)).stage for _ in range(6)]
    assert stages == ["primary"] * 6
