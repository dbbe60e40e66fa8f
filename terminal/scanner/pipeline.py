"""Frame -> decode (with budgeted fallback) -> payload check -> confirmation. No Qt.

``FrameDecoder`` runs the chosen backend on every frame. When it reads
nothing, rescue stages (rescaled and filtered images, another binarizer,
another backend, a close-up of where the card was a moment ago) may run,
cheapest first, until one reads or the time budget is spent. Those stages
cost up to 40 ms, which is waste on an idle counter, so they run in full
only while a card is probably in view: the backend located a symbol it
could not read, or a code was read in the last ``engaged_frames`` frames.
Otherwise one stage runs every ``idle_every`` frames, in turn, so a card the
backend neither reads nor locates is still rescued within a second or so.
``ScanPipeline`` turns what was read into at most one accepted card per frame.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter, deque
from collections.abc import Callable

import cv2
import numpy as np

from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.scanner.confirm import Confirmer
from terminal.scanner.decoders import (
    Decoder,
    DecoderUnavailable,
    Detection,
    Point,
    make_decoder,
    to_gray,
)
from terminal.scanner.events import CardScan, Outline, Rejection
from terminal.scanner.payload import card_code_of, is_customer_page

# A step returns the transformed image and the factor that maps its pixels back.
Step = Callable[[np.ndarray], tuple[np.ndarray, float]]


def _half(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # averaging 2x2 pixels removes noise and JPEG blockiness on symbols with big modules
    return cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA), 2.0


def _stretch(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # a dim screen or washed-out print spans few grey levels
    return cv2.normalize(gray, np.empty_like(gray), 0, 255, cv2.NORM_MINMAX), 1.0


def _denoise(gray: np.ndarray) -> tuple[np.ndarray, float]:
    return cv2.GaussianBlur(gray, (0, 0), 1.0), 1.0


def _smooth(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # print screened or photographed off a screen: a stronger blur melts the dot or pixel
    # pattern inside the modules that breaks the sampling grid
    return cv2.GaussianBlur(gray, (0, 0), 2.0), 1.0


def _upscale(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # small or far symbols: modules of 2-3 pixels are too few for the sampling grid
    return cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_LINEAR), 0.5


def _invert(gray: np.ndarray) -> tuple[np.ndarray, float]:
    # dark-mode screens show light modules on black; zbar and OpenCV only read dark on light
    return cv2.bitwise_not(gray), 1.0


# Image steps, cheapest first, as measured by tests/bench/decode_bench.py on its
# tuning seed (time on an empty 720p frame): half 0.4 ms, denoise 1.6 ms,
# upscale 15 ms, stretch 5-10 ms; smooth (2 ms) was added for two photos of the
# real-photo corpus (../shared/qr-samples), which is therefore not held out.
# Local contrast (CLAHE) cost 10 ms and rescued no frame the others missed.
FALLBACK_STEPS: dict[str, Step] = {
    "half": _half,
    "denoise": _denoise,
    "upscale": _upscale,
    "stretch": _stretch,
    "smooth": _smooth,
}
# the smallest QR symbol is 21 modules, so nothing smaller can hold one
MIN_SIDE_PX = 21
# zxing-cpp already tries the inverted image itself
NATIVE_INVERSION = {"zxing"}
# Other backends tried last, when the primary one and every image step missed:
# on the tuning frames OpenCV read a few tilted, glared symbols zxing-cpp did not.
OTHER_BACKENDS = ("opencv",)
# the close-up around where the card was: this much of its size added on each side
ROI_MARGIN = 0.6
# a close-up smaller than this is enlarged 2x so its modules span enough pixels
ROI_UPSCALE_BELOW_PX = 480

# A stage reads a greyscale frame and returns detections in the frame's coordinates.
Stage = Callable[[np.ndarray], list[Detection]]


def fallback_steps(decoder_name: str) -> dict[str, Step]:
    if decoder_name in NATIVE_INVERSION:
        return dict(FALLBACK_STEPS)
    return {"invert": _invert, **FALLBACK_STEPS}


@dataclasses.dataclass(frozen=True)
class IdleBudget:
    """How much rescuing a frame gets when no card is known to be in view."""

    # with no code in view, one rescue stage runs every this many frames, in turn
    idle_every: int = 6
    # after a read or a located symbol, every frame gets the full chain for this many frames
    # (about 2/3 s at 15 fps: a card held up is read again long before that)
    engaged_frames: int = 10
    # a symbol located but not read: noise and clutter look like finder patterns now
    # and then, so this engages only briefly; a real card keeps being located
    located_frames: int = 2
    # when a card is first read after idle frames, this many of those frames are
    # tried again with the full chain, so reads per card do not drop under the budget
    look_back: int = 3
    # with no code in view only every this many frames is decoded at all; the ones
    # in between wait in the look-back, so when a card appears they are read too
    # and it is accepted no later (it needs two reads anyway). 1 decodes every frame.
    decode_every: int = 2

    def __post_init__(self) -> None:
        if min(self.idle_every, self.decode_every) < 1 or min(self.engaged_frames, self.located_frames,
                                                             self.look_back) < 0:
            raise ValueError("idle_every and decode_every must be at least 1; the frame counts at least 0.")
        if self.decode_every > self.look_back + 1:
            raise ValueError("look_back must cover the frames decode_every skips.")


@dataclasses.dataclass(frozen=True)
class FrameDecode:
    detections: tuple[Detection, ...]
    stage: str  # "primary", a fallback stage's name, or "none"
    decode_ms: float
    # the same code read again in earlier frames that got no full chain: (frames back, detections)
    earlier: tuple[tuple[int, tuple[Detection, ...]], ...] = ()


class FrameDecoder:
    """One backend plus its rescue stages; safe to call from one thread at a time.

    ``idle``: None gives every frame the full chain (as before the idle budget;
    benchmarks use it as the reference). ``stage_runs`` counts how often each
    stage ran, so tests can check what an idle counter costs without timing it.
    """

    def __init__(self, decoder: Decoder, fallback: bool = True, budget_ms: float | None = 40.0,
                 clock: Callable[[], float] = time.perf_counter, idle: IdleBudget | None = IdleBudget(),
                 other_backends: tuple[str, ...] = OTHER_BACKENDS) -> None:
        self.decoder = decoder
        self.fallback = fallback
        self.budget_ms = budget_ms
        self.idle = idle
        self._clock = clock
        # the dark-mode inversion belongs to the primary read of backends that need it
        needs_inversion = fallback and decoder.name not in NATIVE_INVERSION
        self._always = {"invert": self._image_stage(_invert)} if needs_inversion else {}
        self._stages: dict[str, Stage] = {}
        if fallback:
            steps = {name: self._image_stage(step) for name, step in FALLBACK_STEPS.items()}
            if decoder.name == "zxing":  # after "half": the next cheapest (0.5 ms)
                steps = {"half": steps.pop("half"), "global": self._lazy_backend("zxing-global"), **steps}
            self._stages.update(steps)
            for name in other_backends:
                if name != decoder.name:
                    self._stages[name] = self._lazy_backend(name)
        self.stage_runs: Counter[str] = Counter()
        self._engaged_left = 0
        self._idle_frames = 0
        self._next_idle = 0
        self._last_points: tuple[Point, ...] = ()
        # idle frames not given the full chain: (image, whether the backend has seen it at all)
        self._unrescued: deque[tuple[np.ndarray, bool]] = deque(maxlen=idle.look_back if idle else 0)
        self._idle_decodes = 0
        self._full_chain_now = False
        self.skipped = 0  # idle frames not decoded (see IdleBudget.decode_every)

    @property
    def name(self) -> str:
        return self.decoder.name + ("+fallback" if self.fallback else "")

    @property
    def stage_names(self) -> tuple[str, ...]:
        """Every rescue stage, in the order a frame with a card in view tries them."""
        return ("roi", *self._stages) if self.fallback else ()

    def engage(self, points: tuple[Point, ...] = (), frames: int | None = None) -> None:
        """Treat the next frames (default ``engaged_frames``) as having a card in view, at ``points`` if known."""
        if self.idle is not None:
            self._engaged_left = max(self._engaged_left, self.idle.engaged_frames if frames is None else frames)
        if points:
            self._last_points = points

    def reset(self) -> None:
        """Forget what earlier frames showed: the next frame is idle."""
        self._engaged_left = self._idle_frames = self._next_idle = self._idle_decodes = 0
        self._last_points = ()
        self._unrescued.clear()

    def decode(self, image: np.ndarray) -> FrameDecode:
        start = self._clock()
        if self._skips(image):
            return FrameDecode((), "skipped", (self._clock() - start) * 1000.0)
        gray = to_gray(image)
        if min(gray.shape[:2]) < MIN_SIDE_PX:
            return FrameDecode((), "none", (self._clock() - start) * 1000.0)
        found, located = self.decoder.scan(gray)
        self.stage_runs["primary"] += 1
        stage = "primary"
        for name, run in self._always.items():  # part of the primary read, so on every frame
            if found:
                break
            found = run(gray)
            self.stage_runs[name] += 1
            stage = name
        full_chain = True
        if not found:
            found, stage, full_chain = self._rescue(gray, located, start)
        earlier: tuple[tuple[int, tuple[Detection, ...]], ...] = ()
        if found:
            self.engage(found[0].points)
            earlier = self._look_back({d.data for d in found}, start)
        elif not full_chain and self.fallback:
            self._unrescued.append((gray, True))
        return FrameDecode(_unique(found), stage if found else "none", (self._clock() - start) * 1000.0,
                           earlier)

    def _skips(self, image: np.ndarray) -> bool:
        budget = self.idle
        if budget is None or budget.decode_every == 1 or self._engaged_left > 0 or not self.fallback:
            return False
        self._idle_decodes += 1
        if (self._idle_decodes - 1) % budget.decode_every == 0:  # the first idle frame is decoded
            return False
        self._unrescued.append((image, False))
        self.skipped += 1
        return True

    def _rescue(self, gray: np.ndarray, located: bool, start: float) -> tuple[list[Detection], str, bool]:
        if located and self.idle is not None:
            self.engage(frames=self.idle.located_frames)
        planned = self._planned()
        full_chain = self._full_chain_now = len(planned) >= len(self._stages)
        if full_chain:  # frames the chain has tried need no second try; skipped ones still do
            kept = [entry for entry in self._unrescued if not entry[1]]
            self._unrescued.clear()
            self._unrescued.extend(kept)
        for number, name in enumerate(planned):
            # the first planned stage always runs; later ones only within the time budget
            if number and self._over_budget(start):
                break
            stage = self._roi_stage if name == "roi" else self._stages[name]
            self.stage_runs[name] += 1
            found = stage(gray)
            if found:
                return found, name, full_chain
        return [], "none", full_chain

    def _look_back(self, data: set[bytes], start: float) -> tuple[tuple[int, tuple[Detection, ...]], ...]:
        """The code just read, looked for in the idle frames just before this one."""
        earlier: list[tuple[int, tuple[Detection, ...]]] = []
        frames, self._unrescued = list(self._unrescued), deque(maxlen=self._unrescued.maxlen)
        for back, (image, seen) in enumerate(reversed(frames), start=1):
            gray = image if seen else to_gray(image)
            if min(gray.shape[:2]) < MIN_SIDE_PX:
                continue
            for name in ([] if seen else ["primary"]) + ["roi", *self._stages]:
                if self._over_budget(start):
                    return tuple(earlier)
                self.stage_runs["look_back"] += 1
                stage = {"primary": self._primary_read, "roi": self._roi_stage}.get(name) or self._stages[name]
                found = [d for d in stage(gray) if d.data in data]
                if found:
                    earlier.append((back, _unique(found)))
                    break
        return tuple(earlier)

    def _planned(self) -> list[str]:
        if not self.fallback:
            return []
        if self.idle is None:
            return (["roi"] if self._last_points else []) + list(self._stages)
        if self._engaged_left > 0:
            self._engaged_left -= 1
            return (["roi"] if self._last_points else []) + list(self._stages)
        self._last_points = ()  # the card that was there has gone
        self._idle_frames += 1
        if self._idle_frames % self.idle.idle_every or not self._stages:
            return []
        names = list(self._stages)
        name = names[self._next_idle % len(names)]
        self._next_idle += 1
        return [name]

    def _primary_read(self, gray: np.ndarray) -> list[Detection]:
        found = self.decoder.decode(gray)
        for run in self._always.values():
            if found:
                break
            found = run(gray)
        return found

    def _image_stage(self, step: Step) -> Stage:
        def run(gray: np.ndarray) -> list[Detection]:
            transformed, factor = step(gray)
            return [d.scaled(factor) for d in self.decoder.decode(transformed)]
        return run

    def _lazy_backend(self, name: str) -> Stage:
        # loaded on first use: a counter that never needs it never pays for its memory
        loaded: list[Decoder | None] = []

        def run(gray: np.ndarray) -> list[Detection]:
            if not loaded:
                try:
                    loaded.append(_global_zxing() if name == "zxing-global" else make_decoder(name))
                except DecoderUnavailable:
                    loaded.append(None)  # not installed here: this stage finds nothing
            decoder = loaded[0]
            if decoder is None:
                return []
            found = decoder.decode(gray)
            if not found and decoder.name not in NATIVE_INVERSION:
                found = decoder.decode(cv2.bitwise_not(gray))
            if not found and self._full_chain_now and name != "zxing-global":
                # the last resort, so only with a card in view: screened photos OpenCV reads smoothed
                found = decoder.decode(_smooth(gray)[0])
            return found
        return run

    def _roi_stage(self, gray: np.ndarray) -> list[Detection]:
        """A close-up of where the card was in the previous frames, enlarged when small."""
        xs = [x for x, _ in self._last_points]
        ys = [y for _, y in self._last_points]
        side = max(max(xs) - min(xs), max(ys) - min(ys), float(MIN_SIDE_PX))
        height, width = gray.shape[:2]
        x0 = int(max(0.0, min(xs) - side * ROI_MARGIN))
        y0 = int(max(0.0, min(ys) - side * ROI_MARGIN))
        x1 = int(min(float(width), max(xs) + side * ROI_MARGIN))
        y1 = int(min(float(height), max(ys) + side * ROI_MARGIN))
        crop = gray[y0:y1, x0:x1]
        if min(crop.shape[:2]) < MIN_SIDE_PX:
            return []
        factor = 1.0
        if max(crop.shape[:2]) < ROI_UPSCALE_BELOW_PX:
            crop = cv2.resize(crop, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
            factor = 0.5
        found = self.decoder.decode(np.ascontiguousarray(crop))
        if not found and self.decoder.name not in NATIVE_INVERSION:
            found = self.decoder.decode(cv2.bitwise_not(crop))
        return [d.scaled(factor, (float(x0), float(y0))) for d in found]

    def _over_budget(self, start: float) -> bool:
        return self.budget_ms is not None and (self._clock() - start) * 1000.0 >= self.budget_ms


def _global_zxing() -> Decoder:
    from terminal.scanner.decoders import ZxingDecoder

    return ZxingDecoder(binarizer="global")


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
        # when the last few frames were taken, for codes read again in them (FrameDecode.earlier)
        self._captured: deque[float] = deque(maxlen=8)
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
        self._captured.append(captured_at)
        return ScanOutcome(card, rejection, outlines, decoded)

    def _confirm(self, cards: dict[str, Detection], decoded: FrameDecode, image: np.ndarray,
                 captured_at: float, now: float) -> CardScan | None:
        if len(cards) != 1:
            return None
        (code, detection), = cards.items()
        confirmed = False
        for back, found in sorted(decoded.earlier, reverse=True):  # oldest first
            if back <= len(self._captured) and any(_code_or_none(d) == code for d in found):
                confirmed |= self.confirmer.offer(code, self._captured[-back])
        confirmed |= self.confirmer.offer(code, captured_at)
        if not confirmed:
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
            if cards and is_customer_page(detection.data):
                continue  # the card's own second QR, beside the one just read
            if self.rejections.offer("data:" + detection.data.hex(), now):
                return Rejection("camera", exc.code.value, exc.message, detection.points, now)
        return None

    def reset(self) -> None:
        self.confirmer.reset()
        self.rejections.reset()
        self.frame_decoder.reset()
        self._captured.clear()


def _code_or_none(detection: Detection) -> str | None:
    try:
        return card_code_of(detection)
    except LoyaltyError:
        return None
