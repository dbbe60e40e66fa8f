"""Counter-window fixtures: a real store in a temp dir, the window, and PIN pad helpers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from terminal.services.facade import Services
from terminal.ui.context import UiContext
from terminal.ui.main_window import MainWindow
from terminal.ui.operations import OperationRunner
from terminal.ui.pin_pad import PinPadDialog
from terminal.ui.pyside_compat import make_singletons_immortal

make_singletons_immortal()  # PySide 6.12.0 on Python 3.11 loses references to None/True

# The offscreen platform says these for top-level windows with a layout and for raise(); not our warnings.
IGNORE_OFFSCREEN = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints",
                                             "This plugin does not support raise")


@pytest.fixture
def runner(qtbot) -> Iterator[OperationRunner]:
    r = OperationRunner()
    yield r
    r.shutdown()


@pytest.fixture
def ui(services: Services, runner: OperationRunner) -> UiContext:
    return UiContext(services, runner, services.ctx.store)


@pytest.fixture
def window(qtbot, ui: UiContext, cashier) -> Iterator[MainWindow]:
    w = MainWindow(ui, ui.services.ctx.settings)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    qtbot.waitActive(w)
    yield w
    w.close()


def look_up(qtbot, window: MainWindow, code: str) -> None:
    """Type a code into the code field and wait until its card is on screen."""
    window.page.code_field.setText(code)
    qtbot.keyClick(window.page.code_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None and window.page.card_panel.view.code == code)


def open_pad(qtbot) -> PinPadDialog:
    """The PIN pad on screen, once its staff list has loaded."""
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PinPadDialog))
    pad = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: bool(pad.staff))
    return pad


def enter_pin(qtbot, pad: PinPadDialog, name: str, pin: str) -> None:
    pad.select_staff(name)
    qtbot.keyClicks(pad.pin, pin)
    qtbot.keyClick(pad.pin, Qt.Key.Key_Return)


def press(qtbot, window: MainWindow, key: Qt.Key) -> None:
    """A shortcut key on the counter window (offscreen, a closed dialog does not hand activation back)."""
    window.activateWindow()
    qtbot.waitActive(window)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    qtbot.keyClick(QApplication.focusWidget(), key)
