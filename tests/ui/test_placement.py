"""Placing a dialog before it is on screen moves it without resizing it."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QFormLayout, QLabel, QWidget

from terminal.ui.placement import centre_on
from tests.ui.conftest import IGNORE_OFFSCREEN

pytestmark = IGNORE_OFFSCREEN


def test_a_dialog_placed_as_it_shows_keeps_its_own_size(qtbot) -> None:
    """The placer centres a dialog from its Show event, when the native window still has the size it was
    created with (Qt hands the widget's size over just after). Placing it then must ask for the dialog's
    size: a window manager that got the stale size instead fitted the dialog to its minimum size, and
    its check box was squashed (the settings dialog, one time in thirty under openbox)."""
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.resize(800, 600)
    dialog = QDialog(parent)
    form = QFormLayout(dialog)
    for row in range(3):
        form.addRow(QLabel(f"Row {row}"), QCheckBox(f"Choice {row}"))
    dialog.winId()  # the native window exists, as it does when the Show event arrives
    dialog.adjustSize()
    stale = dialog.windowHandle().geometry().size()
    assert stale != dialog.size()  # what the test is about: the native window lags behind the widget

    centre_on(dialog, parent)

    assert dialog.windowHandle().geometry().size() == dialog.size()
