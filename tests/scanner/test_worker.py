"""CameraScanner end to end: real threads, real pipeline, a simulated webcam or the demo camera."""

import threading

import numpy as np
import pytest

from terminal.scanner.config import ScannerConfig
from terminal.scanner.demo_source import DemoSource
from terminal.scanner.events import CameraState, CardScan
from terminal.scanner.sources import CameraSource
from terminal.scanner.synthetic import Spoilers, background, render
from terminal.scanner.worker import CameraScanner, choose_decoder

from .conftest import CODES, PAYLOADS
from .fakes import FakeWebcam


def card_frames(payload, count=3):
    return [render(payload, Spoilers(symbol_px=200, angle=3 * i), np.random.default_rng(i)).image
            for i in range(count)]


@pytest.fixture
def scanners():
    made = []
    yield made
    for scanner in made:
        scanner.stop()


def make_scanner(scanners, **kwargs):
    config = ScannerConfig(camera="0", retry_interval_s=0.05, repeat_window_s=0.3, **kwargs.pop("config", {}))
    scanner = CameraScanner(config, **kwargs)
    scanners.append(scanner)
    return scanner


def test_demo_camera_scans_its_cards_in_the_gui_thread(qtbot, scanners):
    source = DemoSource([CODES[0]], fps=30, shown_s=2, gap_s=0.2)
    scanner = make_scanner(scanners, source=source)
    threads = []
    scanner.card_scanned.connect(lambda scan: threads.append(threading.current_thread()))
    with qtbot.waitSignal(scanner.card_scanned, timeout=5000) as signal:
        scanner.start()
    scan = signal.args[0]
    assert isinstance(scan, CardScan) and scan.code == CODES[0]
    assert len(scan.points) == 4 and scan.frame_size == (1280, 720)
    assert scan.timings["decode"] > 0
    assert threads == [threading.main_thread()]
    assert scanner.status.state == CameraState.RUNNING


def test_camera_that_fails_disappears_and_comes_back(qtbot, scanners):
    webcam = FakeWebcam(card_frames(PAYLOADS[1]), plugged=False)
    scanner = make_scanner(scanners, source=CameraSource(0, capture_factory=webcam.capture))
    states = []
    scanner.status_changed.connect(lambda status: states.append(status.state))

    with qtbot.waitSignal(scanner.status_changed, timeout=3000,
                          check_params_cb=lambda s: s.state == CameraState.NO_CAMERA):
        scanner.start()
    assert "No camera answered" in scanner.status.message

    with qtbot.waitSignal(scanner.card_scanned, timeout=5000) as first:
        webcam.plugged = True
    assert first.args[0].code == CODES[1]

    with qtbot.waitSignal(scanner.status_changed, timeout=3000,
                          check_params_cb=lambda s: s.state == CameraState.NO_CAMERA):
        webcam.plugged = False
    assert "stopped" in scanner.status.message

    webcam.frames = card_frames(PAYLOADS[2])
    with qtbot.waitSignal(scanner.card_scanned, timeout=5000) as again:
        webcam.plugged = True
    assert again.args[0].code == CODES[2]
    assert states[0] == CameraState.STARTING
    assert {CameraState.RETRYING, CameraState.RUNNING} <= set(states)

    scanner.stop()
    assert scanner.status.state == CameraState.STOPPED
    assert webcam.released == webcam.opens


def test_not_a_card_is_reported_without_a_card_event(qtbot, scanners):
    webcam = FakeWebcam(card_frames("https://example.com/menu"))
    scanner = make_scanner(scanners, source=CameraSource(0, capture_factory=webcam.capture))
    cards = []
    scanner.card_scanned.connect(cards.append)
    with qtbot.waitSignal(scanner.not_a_card, timeout=5000) as signal:
        scanner.start()
    assert "not a loyalty card" in signal.args[0].message
    qtbot.wait(100)
    assert cards == []


def test_preview_frames_come_one_at_a_time_with_outlines(qtbot, scanners):
    webcam = FakeWebcam(card_frames(PAYLOADS[0]))
    scanner = make_scanner(scanners, source=CameraSource(0, capture_factory=webcam.capture))
    previews = []
    scanner.preview_ready.connect(lambda: previews.append(scanner.take_preview()))
    with qtbot.waitSignal(scanner.card_scanned, timeout=5000):
        scanner.start()
    qtbot.waitUntil(lambda: any(p and p.outlines for p in previews), timeout=3000)
    assert all(p is None or p.image.shape == (720, 1280, 3) for p in previews)
    outlined = next(p for p in previews if p and p.outlines)
    assert outlined.outlines[0].kind == "card"
    stats = scanner.stats()
    assert stats["captured"] >= stats["decoded"] > 0


def test_decoder_never_works_on_a_backlog(qtbot, scanners):
    webcam = FakeWebcam([background(np.random.default_rng(1))], frame_interval_s=0.001)
    scanner = make_scanner(scanners, source=CameraSource(0, capture_factory=webcam.capture))
    scanner.start()
    qtbot.waitUntil(lambda: scanner.stats()["captured"] > 200, timeout=5000)
    stats = scanner.stats()
    # frames arrive faster than they decode: the extra ones are skipped, not queued
    assert stats["skipped"] > 0
    assert stats["decoded"] + stats["skipped"] <= stats["captured"]


def test_stop_leaves_no_threads_and_start_again_works(qtbot, scanners):
    scanner = make_scanner(scanners, source=DemoSource([CODES[3]], fps=30))
    before = set(threading.enumerate())
    for _ in range(2):
        with qtbot.waitSignal(scanner.card_scanned, timeout=5000):
            scanner.start()
        scanner.stop()
        assert not scanner.is_running
    assert set(threading.enumerate()) <= before


def test_an_unavailable_decoder_setting_falls_back_with_a_note(monkeypatch):
    from terminal.scanner import decoders

    def no_zbar():
        raise decoders.DecoderUnavailable("zbar", decoders.ZBAR_INSTALL_HINT)

    monkeypatch.setitem(decoders._CLASSES, "zbar", no_zbar)
    decoder, note = choose_decoder("zbar")
    assert decoder.name == "zxing"
    assert "libzbar0" in note


def test_a_frame_that_breaks_the_decoder_does_not_stop_scanning(qtbot, scanners):
    from terminal.scanner.decoders import Decoder, make_decoder

    class Flaky(Decoder):
        name = "flaky"

        def __init__(self):
            self.inner = make_decoder("zxing")
            self.calls = 0

        def decode(self, gray):
            self.calls += 1
            if self.calls <= 3:
                raise RuntimeError("bad frame")
            return self.inner.decode(gray)

    webcam = FakeWebcam(card_frames(PAYLOADS[4]))
    scanner = make_scanner(scanners, source=CameraSource(0, capture_factory=webcam.capture), decoder=Flaky())
    with qtbot.waitSignal(scanner.card_scanned, timeout=5000) as signal:
        scanner.start()
    assert signal.args[0].code == CODES[4]
    assert scanner.stats()["failed"] >= 1


def test_decoder_failures_are_logged_but_not_on_every_frame(caplog):
    from terminal.scanner.worker import FailureLog

    now = [0.0]
    failures = FailureLog(interval_s=60.0, clock=lambda: now[0])
    with caplog.at_level("ERROR", logger="terminal.scanner.worker"):
        for second in range(130):  # one bad frame a second for a little over two minutes
            now[0] = float(second)
            failures.failed(RuntimeError(f"bad frame {second}"))
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 3  # at 0 s with the traceback, then at 60 s and 120 s with counts
    assert caplog.records[0].exc_info is not None
    assert "60 more camera frames" in messages[1] and "bad frame 60" in messages[1]
    assert "60 more" in messages[2]


def test_a_failing_decoder_is_logged_by_the_running_scanner(qtbot, scanners, caplog):
    from terminal.scanner.decoders import Decoder

    class Broken(Decoder):
        name = "broken"

        def decode(self, gray):
            raise RuntimeError("the decoder library crashed")

    webcam = FakeWebcam(card_frames(PAYLOADS[4]))
    scanner = make_scanner(scanners, source=CameraSource(0, capture_factory=webcam.capture), decoder=Broken())
    with caplog.at_level("ERROR", logger="terminal.scanner.worker"):
        scanner.start()
        qtbot.waitUntil(lambda: scanner.stats()["failed"] >= 5, timeout=5000)
        scanner.stop()
    logged = [r for r in caplog.records if r.name == "terminal.scanner.worker"]
    assert len(logged) == 1 and "the decoder library crashed" in str(logged[0].exc_info[1])


def test_an_empty_counter_is_decoded_every_other_frame_and_its_cost_recorded(qtbot, scanners):
    blank = background(np.random.default_rng(2))
    webcam = FakeWebcam([blank])
    scanner = make_scanner(scanners, source=CameraSource(0, capture_factory=webcam.capture))
    assert scanner.idle_decode_ms() is None
    scanner.start()
    qtbot.waitUntil(lambda: scanner.stats()["decoded"] >= 20, timeout=5000)
    median, mean = scanner.idle_decode_ms()
    assert median >= 0 and mean > 0
    frame_decoder = scanner._decode._pipeline.frame_decoder
    assert frame_decoder.skipped >= 8 and frame_decoder.stage_runs["primary"] >= 8
