"""A stand-in for the physical webcam behind ``cv2.VideoCapture``.

Everything from ``CameraSource`` up is the real code; only the device is
simulated: it can be unplugged, busy, or plugged back in at any time.
"""

from __future__ import annotations

import threading
import time

import numpy as np


class FakeWebcam:
    def __init__(self, frames: list[np.ndarray], plugged: bool = True, busy: bool = False,
                 frame_interval_s: float = 0.01) -> None:
        self.frames = frames
        self.plugged = plugged
        self.busy = busy  # opens, but another program holds the picture
        self.frame_interval_s = frame_interval_s
        self.opens = 0
        self.released = 0
        self._lock = threading.Lock()
        self._index = 0

    def capture(self, device) -> FakeCapture:  # the cv2.VideoCapture stand-in
        self.opens += 1
        return FakeCapture(self)

    def next_frame(self) -> np.ndarray:
        with self._lock:
            frame = self.frames[self._index % len(self.frames)]
            self._index += 1
            return frame


class FakeCapture:
    def __init__(self, webcam: FakeWebcam) -> None:
        self.webcam = webcam
        self.opened = webcam.plugged
        self.released = False
        self.settings: dict[int, float] = {}

    def isOpened(self) -> bool:  # noqa: N802 (OpenCV's name)
        return self.opened

    def set(self, prop: int, value: float) -> bool:
        self.settings[prop] = value
        return True

    def get(self, prop: int) -> float:
        return self.settings.get(prop, 0.0)

    def read(self):
        time.sleep(self.webcam.frame_interval_s)
        if not (self.opened and self.webcam.plugged) or self.webcam.busy:
            return False, None
        return True, self.webcam.next_frame().copy()

    def release(self) -> None:
        if not self.released:
            self.webcam.released += 1
        self.released = True
        self.opened = False
