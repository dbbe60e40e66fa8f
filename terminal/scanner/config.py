"""Scanner settings: plain values the app fills in from its own settings."""

from __future__ import annotations

import dataclasses

# the decoder backends (terminal/scanner/decoders.py); named here so that the settings
# can be checked without OpenCV and numpy, which load once the camera starts
BACKENDS = ("zxing", "zbar", "opencv")


@dataclasses.dataclass(frozen=True)
class ScannerConfig:
    # "auto" picks the best decoder that loads here (zxing-cpp first)
    decoder: str = "auto"
    # retry frames the decoder misses with the steps the benchmark shows pay off
    fallback: bool = True
    # a missed frame stops trying fallback steps once this much time is spent on it
    fallback_budget_ms: float = 40.0
    # "auto" (first webcam, else the demo camera), "demo", a webcam index ("0"),
    # a device path ("/dev/video2") or a video file
    camera: str = "auto"
    # card codes the demo camera shows; empty means a few made-up ones
    demo_codes: tuple[str, ...] = ()
    frame_width: int = 1280
    frame_height: int = 720
    # a card counts once it is read this many times within confirm_window_s
    confirm_reads: int = 2
    confirm_window_s: float = 1.0
    # the same card is not reported again until it has been out of view this long
    repeat_window_s: float = 2.0
    # how often a missing or lost camera is tried again
    retry_interval_s: float = 2.0
    # keyboard-wedge scanners: keys closer together than this are one burst
    # (scanners: under 10 ms a key; fast typists: 30-60 ms)
    wedge_max_interval_s: float = 0.025
    # a burst shorter than this is typing, not a scan
    wedge_min_length: int = 8

    def __post_init__(self) -> None:
        if self.decoder not in ("auto", *BACKENDS):
            choices = ", ".join(("auto", *BACKENDS))
            raise ValueError(f"The scanner decoder must be one of {choices}, not {self.decoder!r}.")
        if self.confirm_reads < 1:
            raise ValueError("The scanner must read a card at least once before accepting it.")
        for name in ("confirm_window_s", "repeat_window_s", "retry_interval_s", "wedge_max_interval_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"The scanner setting {name} must be more than zero.")
        if self.frame_width <= 0 or self.frame_height <= 0:
            raise ValueError("The camera picture size must be more than zero.")
        if not self.camera.strip():
            raise ValueError('Choose a camera: "auto", "demo", a camera number, a device or a video file.')
