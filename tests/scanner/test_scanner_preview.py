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
    assert preview.accessibleDescription() == words


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
