"""The owner area as a window of the counter: F9 raises it without a second PIN; it fits a 1024x600 till."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from terminal.ui.owner import OwnerArea
from terminal.ui.owner_entry import owner_area_class
from terminal.ui.pin_pad import PinPadDialog
from terminal.ui.theme import apply_theme
from tests.ui.conftest import IGNORE_OFFSCREEN, press

pytestmark = IGNORE_OFFSCREEN


def test_f9_while_the_owner_area_is_open_raises_it_without_asking_for_the_pin_again(qtbot, window) -> None:
    area = window.show_owner_area(owner_area_class(), "staff")  # as after the owner's PIN
    qtbot.waitUntil(area.isVisible)
    press(qtbot, window, Qt.Key.Key_F9)
    qtbot.wait(200)
    assert not isinstance(QApplication.activeModalWidget(), PinPadDialog)
    assert window.owner_area is area and area.isVisible()
    window.open_owner_area("report")  # the settings dialog's "Hub and sync…" goes the same way
    assert not isinstance(QApplication.activeModalWidget(), PinPadDialog)
    assert area.current_page_name() == "report"
    area.close()
    qtbot.waitUntil(lambda: window.owner_area is None)
    press(qtbot, window, Qt.Key.Key_F9)  # closed: the next visit asks for the PIN again
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PinPadDialog))
    QApplication.activeModalWidget().reject()


def test_every_page_scrolls_inside_the_area_and_the_area_fits_a_1024x600_till(qtbot, area: OwnerArea, qapp) -> None:
    apply_theme(qapp, "light", scale=0.78)  # the theme as a 600 px high screen gets it
    try:
        for name in area.pages:
            area.show_page(name)
            holder = area.stack.currentWidget()
            assert isinstance(holder, QScrollArea) and holder.widget() is area.pages[name]
        needed = area.minimumSizeHint()
        assert needed.width() <= 1024 and needed.height() <= 600 - 40, needed  # 40: a window frame and a panel
    finally:
        qapp.setStyleSheet("")


def test_a_page_message_is_scrolled_into_view(qtbot, area: OwnerArea) -> None:
    area.resize(900, 300)
    area.show()
    page = area.show_page("program")  # the tallest page
    holder = area.stack.currentWidget()
    qtbot.waitUntil(lambda: holder.verticalScrollBar().maximum() > 0)
    holder.verticalScrollBar().setValue(0)
    page.feedback.show_error("Type or scan the card code.")
    qtbot.waitUntil(lambda: holder.verticalScrollBar().value() > 0)
    top = page.feedback.mapTo(holder.viewport(), page.feedback.rect().topLeft()).y()
    assert top >= 0 and top + page.feedback.height() <= holder.viewport().height()
