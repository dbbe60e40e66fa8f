"""The capture thread: reads a frame source, survives cameras coming and going.

A missing, busy or unplugged camera is a normal state here: it is reported
in words and tried again every ``retry_interval_s`` until ``stop()``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from terminal.scanner.events import CameraState, CameraStatus
from terminal.scanner.sources import CameraError, Frame, FrameSource


class CaptureThread(threading.Thread):
    def __init__(self, source: FrameSource, on_frame: Callable[[Frame], None],
                 on_status: Callable[[CameraStatus], None], retry_interval_s: float = 2.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(name="scanner-capture", daemon=True)
        self.source = source
        self._on_frame = on_frame
        self._on_status = on_status
        self.retry_interval_s = retry_interval_s
        self._clock = clock
        self._stop_event = threading.Event()
        self._last_status: CameraStatus | None = None
        self.frames = 0

    def stop(self, timeout: float = 3.0) -> None:
        self._stop_event.set()
        if self.is_alive() and threading.current_thread() is not self:
            self.join(timeout)

    def run(self) -> None:
        self._report(CameraState.STARTING, f"Starting the {self.source.description}…", "starting")
        try:
            while not self._stop_event.is_set():
                self._run_once()
        finally:
            self.source.close()
            self._report(CameraState.STOPPED, "The camera is off.", "stopped")

    def _run_once(self) -> None:
        try:
            self.source.open()
            self._report(CameraState.RUNNING,
                         f"The {self.source.description} is on. Hold the card's QR code up to it.", "running")
            self._stream()
        except CameraError as exc:
            self._wait_and_retry(exc.message, exc.code, exc.params)
        except Exception as exc:  # noqa: BLE001 - a driver fault must not end scanning for the day
            kind = type(exc).__name__
            self._wait_and_retry(f"The camera reported a fault ({kind}).", "fault",
                                 self.source.params(fault=kind))

    def _stream(self) -> None:
        while not self._stop_event.is_set():
            image = self.source.read()
            self.frames += 1
            self._on_frame(Frame(image, self._clock(), self.frames))

    def _wait_and_retry(self, problem: str, code: str, params: tuple[tuple[str, str], ...]) -> None:
        self.source.close()
        if self._stop_event.is_set():
            return
        seconds = f"{self.retry_interval_s:g} second" + ("" if self.retry_interval_s == 1 else "s")
        self._report(CameraState.NO_CAMERA,
                     f"{problem} Trying again in {seconds}; meanwhile, type the card code.",
                     code, (*params, ("seconds", f"{self.retry_interval_s:g}")))
        if not self._stop_event.wait(self.retry_interval_s):
            self._report(CameraState.RETRYING, f"Trying the {self.source.description} again…", "retrying")

    def _report(self, state: CameraState, message: str, code: str,
                params: tuple[tuple[str, str], ...] | None = None) -> None:
        params = self.source.params() if params is None else params
        status = CameraStatus(state, message, self.source.description, code, params)
        if status != self._last_status:
            self._last_status = status
            self._on_status(status)
