"""Frame -> decode (with fallback) -> payload check -> confirmation. No Qt.

``FrameDecoder`` runs the chosen backend on the frame and, when it finds
nothing, retries with the preprocessing steps that ``tests/bench/decode_bench.py``
showed to pay off, cheapest first, until one reads or the time budget runs out.
``ScanPipeline`` turns what was read into at most one accepted card per frame.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable

import cv2
import numpy as np

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.scanner.confirm import Confirmer
from terminal.scanner.decoders import Decoder, Detection, to_gray
from terminal.scanner.events import CardScan, Outline, Rejection
from terminal.scanner.payload import card_code_of

# A step returns the transformed image and the factor that maps its pixels back.
Step = Callable[[np.ndarray], tuple[np.ndarray, float]]


def _half(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # averaging 2x2 pixels removes noise and JPEG blockiness on symbols with big modules
    return cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), 2.0


def _stretch(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # a dim screen or washed-out print spans few grey levels
    return cv2.normalize(gray, None, 0, 255, cv2.NORM_MINMAX), 1.0


def _denoise(gray: np.ndarray) -> tuple[np.ndarray, float]:
    return cv2.GaussianBlur(gray, (0, 0), 1.0), 1.0


def _upscale(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # small or far symbols: modules of 2-3 pixels are too few for the sampling grid
    return cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_LINEAR), 0.5


def _invert(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # dark-mode screens show light modules on black; zbar and OpenCV only read dark on light
    return cv2.bitwise_not(gray), 1.0


# Cheapest rescue first, as measured by tests/bench/decode_bench.py (idle cost =
# time on an empty frame, where every step runs): half 0.5 ms, denoise 1.5 ms,
# upscale 7 ms, stretch 6 ms. Local contrast (CLAHE) cost 10 ms and rescued no
# frame the others missed, so it is not here.
FALLBACK_STEPS: dict[str, Step] = {
    "half": _half,
    "denoise": _denoise,
    "upscale": _upscale,
    "stretch": _stretch,
}
# the smallest QR symbol is 21 modules, so nothing smaller can hold one
MIN_SIDE_PX = 21
# zxing-cpp already tries the inverted image itself
NATIVE_INVERSION = {"zxing"}


def fallback_steps(decoder_name: str) -> dict[str, Step]:
    if decoder_name in NATIVE_INVERSION:
        return dict(FALLBACK_STEPS)
    return {"invert": _invert, **FALLBACK_STEPS}


@dataclasses.dataclass(frozen=True)
class FrameDecode:
    detections: tuple[Detection, ...]
    stage: str  # "primary", a fallback step's name, or "none"
    decode_ms: float


class FrameDecoder:
    """One backend plus its fallback steps; safe to call from one thread at a time."""

    def __init__(self, decoder: Decoder, fallback: bool = True, budget_ms: float | None = 40.0,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.decoder = decoder
        self.steps = fallback_steps(decoder.name) if fallback else {}
        self.budget_ms = budget_ms
        self._clock = clock

    @property
    def name(self) -> str:
        return self.decoder.name + ("+fallback" if self.steps else "")

    def decode(self, image: np.ndarray) -> FrameDecode:
        start = self._clock()
        gray = to_gray(image)
        if min(gray.shape[:2]) < MIN_SIDE_PX:
            return FrameDecode((), "none", (self._clock() - start) * 1000.0)
        found = self.decoder.decode(gray)
        stage = "primary"
        for number, (step_name, step) in enumerate(self.steps.items()):
            # the first step always runs: for zbar and OpenCV it is the dark-mode inversion
            if found or (number and self._over_budget(start)):
                break
            transformed, factor = step(gray)
            found = [d.scaled(factor) for d in self.decoder.decode(transformed)]
            stage = step_name
        if not found:
            stage = "none"
        return FrameDecode(_unique(found), stage, (self._clock() - start) * 1000.0)

    def _over_budget(self, start: float) -> bool:
        return self.budget_ms is not None and (self._clock() - start) * 1000.0 >= self.budget_ms


def _unique(found: list[Detection]) -> tuple[Detection, ...]:
    seen: dict[bytes, Detection] = {}
    for detection in found:
        seen.setdefault(detection.data, detection)
    return tuple(seen.values())


@dataclasses.dataclass(frozen=True)
class ScanOutcome:
    card: CardScan | None
    rejection: Rejection | None
    outlines: tuple[Outline, ...]
    decode: FrameDecode


_TWO_CARDS = (
    "Two loyalty cards are in view. Show the camera one card at a time."
)


class ScanPipeline:
    """Decode a frame, refuse what is not a card, and confirm what is."""

    def __init__(self, frame_decoder: FrameDecoder, confirmer: Confirmer | None = None,
                 rejections: Confirmer | None = None, clock: Callable[[], float] | None = None) -> None:
        self.frame_decoder = frame_decoder
        # None: time is the frames' own timestamps plus decode time, so tests replay exactly
        self._clock = clock
        self.confirmer = confirmer or Confirmer()
        # a refused symbol is explained once per visit, like a card is reported once
        self.rejections = rejections or Confirmer(reads=1, repeat_window_s=self.confirmer.repeat_window_s)

    def process(self, image: np.ndarray, captured_at: float) -> ScanOutcome:
        """``captured_at``: when the frame was taken, in the clock's seconds."""
        decoded = self.frame_decoder.decode(image)
        now = self._clock() if self._clock else captured_at + decoded.decode_ms / 1000.0
        cards: dict[str, Detection] = {}
        refused: list[tuple[Detection, LoyaltyError]] = []
        for detection in decoded.detections:
            try:
                cards.setdefault(card_code_of(detection), detection)
            except LoyaltyError as exc:
                refused.append((detection, exc))
        outlines = tuple(
            [Outline(d.points, "not_card") for d, _ in refused]
            + [Outline(d.points, "card") for d in cards.values()]
        )
        card = self._confirm(cards, decoded, image, captured_at, now)
        rejection = self._refuse(refused, cards, now)
        return ScanOutcome(card, rejection, outlines, decoded)

    def _confirm(self, cards: dict[str, Detection], decoded: FrameDecode, image: np.ndarray,
                 captured_at: float, now: float) -> CardScan | None:
        if len(cards) != 1:
            return None
        (code, detection), = cards.items()
        if not self.confirmer.offer(code, captured_at):
            return None
        stage = "" if decoded.stage == "primary" else "+" + decoded.stage
        timings = {
            "decode": decoded.decode_ms,
            "capture_to_result": max(0.0, (now - captured_at) * 1000.0),
            "confirm": (captured_at - self.confirmer.first_read_at()) * 1000.0,
        }
        height, width = image.shape[:2]
        return CardScan(code, "camera", detection.points, (width, height), detection.decoder + stage,
                        timings, now)

    def _refuse(self, refused: list[tuple[Detection, LoyaltyError]], cards: dict[str, Detection],
                now: float) -> Rejection | None:
        if len(cards) > 1 and self.rejections.offer("two cards", now):
            points = tuple(p for d in cards.values() for p in d.points)
            return Rejection("camera", ErrorCode.INVALID_INPUT.value, _TWO_CARDS, points, now)
        for detection, exc in refused:
            if self.rejections.offer("data:" + detection.data.hex(), now):
                return Rejection("camera", exc.code.value, exc.message, detection.points, now)
        return None

    def reset(self) -> None:
        self.confirmer.reset()
        self.rejections.reset()
