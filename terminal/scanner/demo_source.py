"""The demo camera: synthetic frames of given card codes, so the app runs without a webcam.

It plays a loop: each card is held up for a few seconds, moving the way a
hand does, alternating a printed card, a phone in light mode and a phone in
dark mode with glare; between cards the counter is empty. Frames are a pure
function of their index, so tests can ask for any frame without waiting.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence

import cv2
import numpy as np

from terminal.domain.codes import ALPHABET, BODY_LENGTH, check_character, is_valid_code, payload_for
from terminal.scanner import synthetic
from terminal.scanner.sources import FrameSource, Pacer

_STYLES = (
    synthetic.Spoilers(symbol_px=230, blur=0.8),
    synthetic.Spoilers(symbol_px=200, blur=0.7, phone=True),
    synthetic.Spoilers(symbol_px=210, blur=0.9, phone=True, dark_mode=True, glare=0.55),
)


def sample_codes(count: int = 3, seed: int = 7) -> list[str]:
    """Made-up but valid card codes, the same every run."""
    rng = np.random.default_rng(seed)
    bodies = ("".join(rng.choice(list(ALPHABET), BODY_LENGTH)) for _ in range(count))
    return [body + check_character(body) for body in bodies]


@dataclasses.dataclass(frozen=True)
class DemoScene:
    text: str | None  # payload in view, or None for an empty counter
    spoilers: synthetic.Spoilers
    centre: tuple[float, float]
    segment: int


class DemoSource(FrameSource):
    description = "demo camera"
    label = ("demo", "")

    def __init__(self, codes: Sequence[str] = (), fps: float = 15.0, size: tuple[int, int] = (1280, 720),
                 seed: int = 1, shown_s: float = 3.0, gap_s: float = 1.5, realtime: bool = True,
                 extra_payloads: Sequence[str] = ()) -> None:
        codes = [c for c in codes if is_valid_code(c)] or sample_codes()
        # extra payloads (a URL, a Wi-Fi QR) show how the scanner refuses what is not a card
        self.payloads = [payload_for(c) for c in codes] + list(extra_payloads)
        self.fps = fps
        self.size = size
        self.seed = seed
        self.shown_frames = max(1, round(shown_s * fps))
        self.gap_frames = max(1, round(gap_s * fps))
        self.realtime = realtime
        rng = np.random.default_rng(seed)
        self._backdrop = synthetic.background(rng, size)
        # a few fixed noise fields: drawing fresh noise for every frame costs more than the rest
        # int8, not float32: the same frames (OpenCV rounds either way) for a quarter of the memory
        self._noise = [np.clip(np.rint(rng.standard_normal(size[::-1], dtype=np.float32) * np.float32(2.5)),
                               -127, 127).astype(np.int8) for _ in range(4)]
        self._index = 0
        self._pacer: Pacer | None = None
        self._open = False

    def open(self) -> None:
        self._index = 0
        self._pacer = Pacer(self.fps) if self.realtime else None
        self._open = True

    def read(self) -> np.ndarray:
        if self._pacer:
            self._pacer.wait()
        image = self.render_frame(self._index)
        self._index += 1
        return image

    def close(self) -> None:
        self._open = False

    def scene(self, index: int) -> DemoScene:
        period = self.shown_frames + self.gap_frames
        segment, offset = divmod(index, period)
        if offset >= self.shown_frames:
            return DemoScene(None, synthetic.Spoilers(), (0.0, 0.0), segment)
        text = self.payloads[segment % len(self.payloads)]
        style = _STYLES[segment % len(_STYLES)]
        t = offset / self.fps
        width, height = self.size
        # a hand drifting and wobbling around the middle of the picture
        cx = width * (0.5 + 0.18 * math.sin(0.9 * t + segment))
        cy = height * (0.5 + 0.12 * math.sin(1.3 * t + 2 * segment))
        spoilers = dataclasses.replace(
            style,
            angle=12 * math.sin(0.7 * t + segment),
            tilt=0.25 + 0.2 * math.sin(1.1 * t),
            symbol_px=style.symbol_px * (1 + 0.15 * math.sin(0.5 * t)),
        )
        return DemoScene(text, spoilers, (cx, cy), segment)

    def render_frame(self, index: int) -> np.ndarray:
        scene = self.scene(index)
        # the same generator per segment keeps tilt direction and glare steady while the card moves
        rng = np.random.default_rng((self.seed, scene.segment))
        frame = synthetic.render(scene.text, scene.spoilers, rng, size=self.size, centre=scene.centre,
                                 backdrop=self._backdrop).image
        noise = self._noise[index % len(self._noise)]
        return cv2.add(frame, cv2.merge([noise, noise, noise]), dtype=cv2.CV_8U)

    def symbol_corners(self, index: int) -> np.ndarray | None:
        """Where the symbol is in frame ``index`` (for tests of the overlay)."""
        scene = self.scene(index)
        rng = np.random.default_rng((self.seed, scene.segment))
        return synthetic.render(scene.text, scene.spoilers, rng, size=self.size, centre=scene.centre,
                                backdrop=self._backdrop).corners
