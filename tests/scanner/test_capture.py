"""The capture thread against a webcam that fails, disappears and comes back."""

import threading
import time

import numpy as np

from terminal.scanner.capture import CaptureThread
from terminal.scanner.events import CameraState
from terminal.scanner.sources import CameraSource, FrameSource

from .fakes import FakeWebcam

FRAME = np.full((72, 128, 3), 90, np.uint8)


def wait_for(condition, timeout=3.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def run_capture(source, retry=0.02):
    states, frames = [], []
    thread = CaptureThread(source, frames.append, states.append, retry_interval_s=retry)
    thread.start()
    return thread, states, frames


def test_missing_then_plugged_in_camera_starts_streaming():
    webcam = FakeWebcam([FRAME], plugged=False)
    thread, states, frames = run_capture(CameraSource(0, capture_factory=webcam.capture))
    try:
        wait_for(lambda: any(s.state == CameraState.NO_CAMERA for s in states))
        webcam.plugged = True
        wait_for(lambda: len(frames) > 3)
    finally:
        thread.stop()
    seen = [s.state for s in states]
    assert seen[0] == CameraState.STARTING
    assert CameraState.RETRYING in seen
    assert seen[-2:] == [CameraState.RUNNING, CameraState.STOPPED]
    no_camera = next(s for s in states if s.state == CameraState.NO_CAMERA)
    assert "Trying again in 0.02 seconds" in no_camera.message and "type the card code" in no_camera.message
    # the window words it from the code and params, in its own language
    assert no_camera.code == "no_answer"
    assert dict(no_camera.params) == {"source_kind": "camera", "source_name": "0", "seconds": "0.02"}
    assert [s.code for s in states][:1] == ["starting"] and states[-1].code == "stopped"
    assert webcam.released == webcam.opens  # every handle was given back


def test_unplugged_camera_is_reported_and_recovers():
    webcam = FakeWebcam([FRAME])
    thread, states, frames = run_capture(CameraSource(0, capture_factory=webcam.capture))
    try:
        wait_for(lambda: len(frames) > 2)
        webcam.plugged = False
        wait_for(lambda: states[-1].state in (CameraState.NO_CAMERA, CameraState.RETRYING))
        lost = next(s for s in states if s.state == CameraState.NO_CAMERA)
        assert "stopped" in lost.message
        count = len(frames)
        webcam.plugged = True
        wait_for(lambda: len(frames) > count + 2)
        assert states[-1].state == CameraState.RUNNING
    finally:
        thread.stop()
    assert not thread.is_alive()


class _Exploding(FrameSource):
    description = "test camera"

    def __init__(self):
        self.opens = 0

    def open(self):
        self.opens += 1
        if self.opens == 1:
            raise OSError("driver fault")

    def read(self):
        time.sleep(0.005)
        return FRAME

    def close(self):
        pass


def test_an_unexpected_driver_error_is_retried_not_fatal():
    source = _Exploding()
    thread, states, frames = run_capture(source)
    try:
        wait_for(lambda: len(frames) > 1)
    finally:
        thread.stop()
    fault = next(s for s in states if s.state == CameraState.NO_CAMERA)
    assert "fault" in fault.message and "Traceback" not in fault.message


def test_stop_is_quick_even_while_waiting_to_retry():
    webcam = FakeWebcam([FRAME], plugged=False)
    thread, states, _ = run_capture(CameraSource(0, capture_factory=webcam.capture), retry=30)
    wait_for(lambda: any(s.state == CameraState.NO_CAMERA for s in states))
    started = time.monotonic()
    thread.stop()
    assert time.monotonic() - started < 1.0
    assert thread not in threading.enumerate()
