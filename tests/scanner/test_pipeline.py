"""Generated QR frames through decode -> payload check -> confirmation, for every backend."""

import itertools

import cv2
import numpy as np
import pytest
import qrcode

from terminal.scanner.confirm import Confirmer
from terminal.scanner.decoders import Decoder, Detection, make_decoder
from terminal.scanner.pipeline import FrameDecoder, ScanPipeline, fallback_steps
from terminal.scanner.synthetic import Spoilers, background, render

from .conftest import CODES, PAYLOADS


def qr_image(text: str | bytes, box: int = 6) -> np.ndarray:
    qr = qrcode.QRCode(border=4, box_size=box)
    qr.add_data(text)
    qr.make(fit=True)
    return np.where(np.array(qr.get_matrix()), 0, 255).astype(np.uint8).repeat(box, 0).repeat(box, 1)


def place_on_frame(symbol: np.ndarray, angle: float = 0.0, scale: float = 1.0, seed: int = 0) -> np.ndarray:
    """An OpenCV affine warp of a qrcode-package symbol onto a 720p counter."""
    frame = background(np.random.default_rng(seed))
    h, w = symbol.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    matrix[:, 2] += (640 - w / 2, 360 - h / 2)
    warped = cv2.warpAffine(cv2.cvtColor(symbol, cv2.COLOR_GRAY2BGR), matrix, (1280, 720),
                            dst=frame, borderMode=cv2.BORDER_TRANSPARENT)
    return warped


def pipeline_for(backend: str, **kwargs) -> ScanPipeline:
    # no time budget: a busy test machine must not change what gets decoded
    return ScanPipeline(FrameDecoder(make_decoder(backend), budget_ms=None), Confirmer(**kwargs))


def feed(pipeline: ScanPipeline, frames, start: float = 0.0, step: float = 1 / 15):
    return [pipeline.process(f, start + i * step) for i, f in enumerate(frames)]


@pytest.mark.parametrize("angle,scale", [(0, 1.0), (17, 1.3), (-40, 0.8)])
def test_generated_card_frames_become_one_card_event(backend, angle, scale):
    frame = place_on_frame(qr_image(PAYLOADS[1]), angle, scale)
    outcomes = feed(pipeline_for(backend), [frame] * 4)
    cards = [o.card for o in outcomes if o.card]
    assert [c.code for c in cards] == [CODES[1]]
    card = cards[0]
    assert card.source == "camera" and card.frame_size == (1280, 720)
    assert len(card.points) == 4
    assert set(card.timings) == {"decode", "capture_to_result", "confirm"}
    assert card.decoder.startswith(backend)
    assert all(o.rejection is None for o in outcomes)


def test_synthetic_phone_and_card_frames_for_every_backend(backend):
    frames = [render(PAYLOADS[2], Spoilers(symbol_px=220, angle=a, phone=p, blur=0.6, noise=2),
                     np.random.default_rng(abs(a))).image for a, p in [(5, True), (-12, False)]]
    outcomes = feed(pipeline_for(backend), frames)
    assert outcomes[-1].card is not None and outcomes[-1].card.code == CODES[2]


def test_dark_mode_reads_through_inversion_for_backends_that_need_it(backend):
    frame = render(PAYLOADS[3], Spoilers(symbol_px=240, phone=True, dark_mode=True), np.random.default_rng(1)).image
    decoded = FrameDecoder(make_decoder(backend), budget_ms=None).decode(frame)
    assert [d.text for d in decoded.detections] == [PAYLOADS[3]]
    expected = "primary" if backend == "zxing" else "invert"
    assert decoded.stage == expected


def test_rescue_stages_read_a_small_far_symbol_the_backend_misses():
    frame = render(PAYLOADS[4], Spoilers(symbol_px=60, blur=1.2, angle=20), np.random.default_rng(1)).image
    assert FrameDecoder(make_decoder("zxing"), fallback=False).decode(frame).detections == ()
    decoded = FrameDecoder(make_decoder("zxing"), budget_ms=None, idle=None).decode(frame)
    assert [d.text for d in decoded.detections] == [PAYLOADS[4]]
    assert decoded.stage in FrameDecoder(make_decoder("zxing")).stage_names
    # the rescued symbol's corners are mapped back to the frame, not the scaled image
    xs = [x for x, _ in decoded.detections[0].points]
    assert min(xs) >= 0 and max(xs) <= 1280


NOT_CARDS = [
    "https://example.com/loyalty?card=LT1:AAAA",
    "WIFI:S:ShopGuest;T:WPA;P:coffee123;;",
    "4006381333931",
    "LT1:",
    "LT1:ABCDEFGHJK",  # right shape, wrong check character
    "lt1:" + CODES[0],  # a camera read is exact: lower case is a different symbol
    "LT2:" + CODES[0],
    PAYLOADS[0] + " ",
    b"\x00\xff\xfe binary",
]


@pytest.mark.parametrize("payload", NOT_CARDS, ids=range(len(NOT_CARDS)))
def test_non_card_qr_gives_no_card_and_one_rejection(payload):
    frame = place_on_frame(qr_image(payload), angle=5)
    outcomes = feed(pipeline_for("zxing"), [frame] * 5)
    assert all(o.card is None for o in outcomes)
    rejections = [o.rejection for o in outcomes if o.rejection]
    assert len(rejections) == 1  # explained once, not on every frame
    assert rejections[0].error_code in {"NOT_A_LOYALTY_CARD", "INVALID_CARD_CODE"}
    assert "card" in rejections[0].message
    assert outcomes[0].outlines[0].kind == "not_card"


@pytest.mark.parametrize("seed", range(2))
def test_noise_and_blank_frames_give_no_event(backend, seed):
    rng = np.random.default_rng(seed)
    frames = [
        rng.integers(0, 256, (720, 1280, 3), dtype=np.uint8),
        np.zeros((720, 1280, 3), np.uint8),
        render(None, Spoilers(noise=12, glare=0.8), rng).image,
    ]
    # the default time budget: a slow machine may try fewer steps, never find more
    pipeline = ScanPipeline(FrameDecoder(make_decoder(backend)))
    for outcome in feed(pipeline, frames * 2):
        assert outcome.card is None and outcome.rejection is None and outcome.outlines == ()


def test_two_cards_in_view_are_refused_until_one_remains():
    left, right = qr_image(PAYLOADS[0], 5), qr_image(PAYLOADS[1], 5)
    both = background(np.random.default_rng(1))
    both[100:100 + left.shape[0], 100:100 + left.shape[1]] = left[..., None]
    both[300:300 + right.shape[0], 800:800 + right.shape[1]] = right[..., None]
    pipeline = pipeline_for("zxing")
    outcomes = feed(pipeline, [both] * 3)
    assert all(o.card is None for o in outcomes)
    assert "one card at a time" in outcomes[0].rejection.message
    one = place_on_frame(qr_image(PAYLOADS[1]))
    later = feed(pipeline, [one] * 2, start=1.0)
    assert later[-1].card.code == CODES[1]


class _SlowMiss(Decoder):
    name = "slow"

    def __init__(self, clock):
        self.clock = clock
        self.calls = 0

    def decode(self, gray):
        self.calls += 1
        next(self.clock)
        return []


def test_fallback_stops_when_the_time_budget_is_spent():
    ticks = itertools.count(0.0, 0.015)  # every clock read and decode takes 15 ms
    clock_values = iter(float(x) for x in ticks)
    decoder = _SlowMiss(clock_values)
    frame_decoder = FrameDecoder(decoder, budget_ms=40.0, clock=lambda: next(clock_values), idle=None,
                                 other_backends=())
    result = frame_decoder.decode(np.zeros((72, 128), np.uint8))
    assert result.stage == "none"
    # primary at 15 ms, its dark-mode inversion at 30 ms, the first rescue stage (always) at
    # 60 ms: over budget, so no fourth call
    assert decoder.calls == 3
    assert frame_decoder.stage_runs == {"primary": 1, "invert": 1, "half": 1}
    assert len(fallback_steps("slow")) > 2


def test_fallback_off_tries_only_the_backend():
    decoder = _SlowMiss(itertools.count())
    FrameDecoder(decoder, fallback=False).decode(np.zeros((72, 128), np.uint8))
    assert decoder.calls == 1


class _Scripted(Decoder):
    """Reports what a script says, to test the pipeline's logic without pictures."""

    name = "scripted"

    def __init__(self, script):
        self.script = iter(script)

    def decode(self, gray):
        texts = next(self.script)
        return [Detection(t.encode(), t, ((0, 0), (10, 0), (10, 10), (0, 10)), self.name) for t in texts]


def test_a_single_read_is_not_enough_and_duplicates_in_one_frame_count_once():
    frames = [np.zeros((32, 32), np.uint8)] * 3
    pipeline = ScanPipeline(FrameDecoder(_Scripted([[PAYLOADS[0], PAYLOADS[0]], [], [PAYLOADS[0]]]), fallback=False))
    outcomes = feed(pipeline, frames)
    assert [bool(o.card) for o in outcomes] == [False, False, True]
    assert outcomes[2].card.timings["confirm"] == pytest.approx(2000 / 15)


@pytest.mark.parametrize("shape", [(1, 1), (1, 100), (20, 500), (0, 0)])
def test_tiny_images_are_nothing_not_a_crash(backend, shape):
    assert FrameDecoder(make_decoder(backend)).decode(np.zeros(shape, np.uint8)).detections == ()
