"""Where frames come from: a webcam, a video file, or the demo camera.

A source is opened, read and closed by the capture thread only. A camera
that is missing, busy or unplugged raises ``CameraError`` with a sentence
for the cashier; the capture thread shows it and tries again later.
"""

from __future__ import annotations

import abc
import dataclasses
import os
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np

# OpenCV prints a warning to stderr for every camera index it cannot open;
# the capture thread already tells the cashier in words.
cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)


class CameraError(Exception):
    """``message`` in English for logs; ``code`` and ``params`` for the window to word it."""

    def __init__(self, message: str, code: str = "fault", params: tuple[tuple[str, str], ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = params


@dataclasses.dataclass(frozen=True)
class Frame:
    image: np.ndarray  # BGR uint8; never modified after capture
    captured_at: float  # monotonic seconds
    index: int


class FrameSource(abc.ABC):
    """Opened, read and closed from one thread; ``read`` blocks for about one frame."""

    description: str = "camera"
    # what kind of camera, and which, for the window to name it in its language:
    # ("camera", "0"), ("demo", ""), ("demo_fallback", ""), ("video", "clip.mp4")
    label: tuple[str, str] = ("camera", "")

    def params(self, **extra: str) -> tuple[tuple[str, str], ...]:
        kind, name = self.label
        return (("source_kind", kind), ("source_name", name), *extra.items())

    @abc.abstractmethod
    def open(self) -> None:
        """Get ready to read, or raise ``CameraError``."""

    @abc.abstractmethod
    def read(self) -> np.ndarray:
        """The next frame (BGR), or raise ``CameraError`` when the source is gone."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release the device; safe to call more than once."""


class Pacer:
    """Sleeps so frames come at ``fps``, like a camera that blocks until the next one."""

    def __init__(self, fps: float, sleep: Callable[[float], object] = time.sleep) -> None:
        self.interval = 1.0 / fps
        self._sleep = sleep
        self._next = 0.0

    def wait(self) -> None:
        now = time.monotonic()
        if self._next > now:
            self._sleep(self._next - now)
        # after a long stall start afresh rather than rushing to catch up
        self._next = max(self._next, now) + self.interval


class CameraSource(FrameSource):
    """A webcam through OpenCV, by index (0, 1...) or device path (/dev/video2)."""

    # webcams drop a frame now and then; this many misses in a row means it is gone
    MAX_MISSES = 5

    def __init__(self, device: int | str, size: tuple[int, int] = (1280, 720),
                 capture_factory: Callable[..., object] = cv2.VideoCapture) -> None:
        self.device = device
        self.size = size
        self._factory = capture_factory
        self._capture = None
        self.description = f"camera {device}"
        self.label = ("camera", str(device))

    def open(self) -> None:
        self.close()
        capture = self._factory(self.device)
        if not capture.isOpened():
            capture.release()
            raise CameraError(
                f"No camera answered at {self.description}. "
                "Check that it is plugged in and that no other program is using it.",
                "no_answer", self.params(),
            )
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, self.size[0])
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self.size[1])
        # one buffered frame: older ones would only add latency
        capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self._capture = capture
        try:
            self.read()
        except CameraError:
            self.close()
            raise CameraError(
                f"{self.description.capitalize()} is there but sends no picture. "
                "Close other programs that may be using it.",
                "no_picture", self.params(),
            ) from None

    def read(self) -> np.ndarray:
        if self._capture is None:
            raise CameraError(f"{self.description.capitalize()} is not open.", "not_open", self.params())
        for _ in range(self.MAX_MISSES):
            ok, image = self._capture.read()
            if ok and image is not None and image.size:
                return image
        raise CameraError(
            f"The picture from {self.description} stopped. Check that its cable is plugged in.",
            "picture_stopped", self.params(),
        )

    def close(self) -> None:
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()


class VideoFileSource(FrameSource):
    """A recorded clip, played at its own frame rate and looped (for trials and demos)."""

    def __init__(self, path: str | os.PathLike[str], realtime: bool = True,
                 capture_factory: Callable[..., object] = cv2.VideoCapture) -> None:
        self.path = Path(path)
        self.realtime = realtime
        self._factory = capture_factory
        self._capture = None
        self._pacer: Pacer | None = None
        self.description = f"video {self.path.name}"
        self.label = ("video", self.path.name)

    def open(self) -> None:
        self.close()
        if not self.path.is_file():
            raise CameraError(f"The video file {self.path} does not exist. Check the camera setting.",
                              "video_missing", self.params(path=str(self.path)))
        capture = self._factory(str(self.path))
        if not capture.isOpened():
            capture.release()
            raise CameraError(f"The video file {self.path.name} cannot be played. Use an MP4 or AVI file.",
                              "video_unplayable", self.params())
        fps = capture.get(cv2.CAP_PROP_FPS) or 25.0
        self._pacer = Pacer(fps if 1 <= fps <= 240 else 25.0) if self.realtime else None
        self._capture = capture

    def read(self) -> np.ndarray:
        if self._capture is None:
            raise CameraError(f"The {self.description} is not open.", "not_open", self.params())
        if self._pacer:
            self._pacer.wait()
        ok, image = self._capture.read()
        if not ok:  # end of the clip: start again
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._capture.read()
        if not ok or image is None:
            raise CameraError(f"The {self.description} cannot be read any more.", "video_unreadable",
                              self.params())
        return image

    def close(self) -> None:
        capture, self._capture = self._capture, None
        if capture is not None:
            capture.release()


class CameraOrDemoSource(FrameSource):
    """A webcam when one answers, else the demo camera, decided when opened.

    Probing a webcam can take a second, so this happens in the capture
    thread, never while the window waits.
    """

    def __init__(self, camera: FrameSource, demo: FrameSource) -> None:
        self.camera = camera
        self.demo = demo
        self.active: FrameSource = camera
        self.description = camera.description
        self.label = camera.label
        self.fell_back = False

    def open(self) -> None:
        try:
            self.camera.open()
            self.active, self.fell_back = self.camera, False
        except CameraError:
            self.demo.open()
            self.active, self.fell_back = self.demo, True
        self.description = self.active.description + (" (no webcam answered)" if self.fell_back else "")
        self.label = ("demo_fallback", "") if self.fell_back else self.active.label

    def read(self) -> np.ndarray:
        return self.active.read()

    def close(self) -> None:
        self.camera.close()
        self.demo.close()


def open_source(spec: str | int, demo_codes: Sequence[str] = (),
                size: tuple[int, int] = (1280, 720)) -> FrameSource:
    """The frame source a camera setting names (not yet opened).

    "demo" is the demo camera; "auto" the first webcam, else the demo camera;
    a number a webcam index; ``/dev/video*`` a device; anything else a video file.
    """
    from terminal.scanner.demo_source import DemoSource

    text = str(spec).strip()
    if text == "demo":
        return DemoSource(demo_codes, size=size)
    if text == "auto":
        return camera_or_demo(0, demo_codes, size)
    if text.isdigit():
        return CameraSource(int(text), size)
    if text.startswith("/dev/video"):
        return CameraSource(text, size)
    return VideoFileSource(text)


def camera_or_demo(device: int | str = 0, demo_codes: Sequence[str] = (),
                   size: tuple[int, int] = (1280, 720)) -> CameraOrDemoSource:
    """The webcam ``device``, falling back to the demo camera when no webcam answers."""
    from terminal.scanner.demo_source import DemoSource

    return CameraOrDemoSource(CameraSource(device, size), DemoSource(demo_codes, size=size))
