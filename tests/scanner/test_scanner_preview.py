"""The preview widget (terminal/ui/scanner_preview.py), drawn offscreen."""

import numpy as np
import pytest
from PySide6.QtGui import QColor

from terminal.scanner.config import ScannerConfig
from terminal.scanner.demo_source import DemoSource
from terminal.scanner.events import CameraState, CameraStatus, Outline, PreviewFrame
from terminal.scanner.worker import CameraScanner
from terminal.ui.scanner_preview import ScannerPreview

from .conftest import CODES


@pytest.fixture
def preview(qtbot):
    widget = ScannerPreview()
    widget.resize(640, 360)
    qtbot.addWidget(widget)
    return widget


def running(widget):
    widget.set_status(CameraStatus(CameraState.RUNNING, "The demo camera is on."))


@pytest.mark.parametrize("state,words", [
    (CameraState.STARTING, "Starting camera"),
    (CameraState.NO_CAMERA, "No camera"),
    (CameraState.RETRYING, "Retrying camera"),
    (CameraState.STOPPED, "Camera off"),
    (CameraState.RUNNING, "Camera running – searching for a card"),
])
def test_state_in_words(preview, state, words):
    preview.set_status(CameraStatus(state, "Details for the cashier."))
    assert preview.status_text() == words
    assert preview.accessibleDescription() == preview.full_text()
    assert preview.full_text().startswith(words)


def test_the_code_is_outlined_on_the_scaled_picture(preview):
    running(preview)
    image = np.full((720, 1280, 3), 128, np.uint8)
    square = ((320.0, 180.0), (960.0, 180.0), (960.0, 540.0), (320.0, 540.0))
    preview.show_frame(PreviewFrame(image, (Outline(square, "card"),), 0.0))
    assert preview.status_text() == "Camera running – card in view"
    shot = preview.grab().toImage()
    # the widget is half the frame's size: the outline's left edge is at x = 160
    edge = QColor(shot.pixel(160, 150))
    inside = QColor(shot.pixel(320, 150))
    assert edge.green() > 150 and edge.red() < 100
    assert abs(inside.red() - 128) < 10


def test_a_stopped_camera_clears_the_picture(preview):
    running(preview)
    preview.show_frame(PreviewFrame(np.zeros((72, 128, 3), np.uint8), (), 0.0))
    preview.set_status(CameraStatus(CameraState.NO_CAMERA, "No camera answered."))
    assert preview.status_text() == "No camera"
    assert not preview.grab().isNull()


def test_attached_to_a_running_scanner(qtbot, preview):
    scanner = CameraScanner(ScannerConfig(camera="demo"), source=DemoSource([CODES[0]], fps=30))
    preview.attach(scanner)
    try:
        scanner.start()
        qtbot.waitUntil(lambda: preview.status_text().endswith("card in view"), timeout=5000)
    finally:
        scanner.stop()
    assert preview.status_text() == "Camera off"
    preview.detach()


def no_camera_status(seconds: str = "2") -> CameraStatus:
    """What the capture thread reports when no webcam answers: a real CameraError's code and params."""
    from terminal.scanner.sources import CameraError, CameraSource

    from .fakes import FakeWebcam

    try:
        CameraSource(0, capture_factory=FakeWebcam([], plugged=False).capture).open()
    except CameraError as exc:
        return CameraStatus(CameraState.NO_CAMERA, exc.message, "camera 0", exc.code,
                            (*exc.params, ("seconds", seconds)))
    raise AssertionError("the unplugged webcam opened")


@pytest.fixture
def indonesian(qapp):
    from terminal.ui.i18n import Translations

    translations = Translations(qapp)
    assert translations.set_language("id")
    yield
    translations.set_language("en")


def test_the_scanner_message_is_worded_by_the_window(preview):
    preview.set_status(no_camera_status())
    assert preview.detail_text() == ("No camera answered at camera 0. Check that it is plugged in and that no "
                                     "other program is using it. Trying again in 2 seconds; meanwhile, type "
                                     "the card code.")
    preview.set_status(no_camera_status("1"))
    assert "Trying again in 1 second;" in preview.detail_text()


def test_camera_messages_in_indonesian(preview, indonesian):
    preview.set_status(no_camera_status())
    detail = preview.detail_text()
    assert detail.startswith("Tidak ada kamera yang menjawab di kamera 0.")
    assert "2 detik" in detail and "answered" not in detail and "Trying" not in detail
    preview.set_status(CameraStatus(CameraState.STARTING, "Starting the demo camera…", "demo camera", "starting",
                                    (("source_kind", "demo"), ("source_name", ""))))
    assert preview.detail_text() == "Menyalakan kamera demo…"
    running(preview)
    assert preview.status_text() == "Kamera aktif – mencari kartu"


def test_a_long_message_wraps_on_a_wide_preview_and_is_elided_with_a_tooltip_on_a_small_one(qtbot, preview):
    preview.resize(640, 360)
    preview.set_status(no_camera_status())
    preview.grab()
    assert preview.status_fits and preview.toolTip() == ""
    small = ScannerPreview()
    qtbot.addWidget(small)
    small.resize(240, 160)
    small.set_status(no_camera_status())
    small.grab()
    assert not small.status_fits
    assert small.toolTip() == "No camera\n" + small.detail_text()


def test_an_unknown_code_falls_back_to_the_scanners_words(preview):
    preview.set_status(CameraStatus(CameraState.NO_CAMERA, "Something new happened.", code="brand_new"))
    assert preview.detail_text() == "Something new happened."
