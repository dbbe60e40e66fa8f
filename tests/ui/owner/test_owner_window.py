"""The owner area as a page of the counter window: F9 opens it behind the PIN, "Back to counter" and the
idle lock leave it, and it fits a 1024x600 till."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollArea

from terminal.domain.codes import format_code
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
    window.close_owner_area()
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


def test_the_owner_area_is_a_page_of_the_counter_window_with_a_way_back(qtbot, window, card) -> None:
    from tests.ui.conftest import look_up

    look_up(qtbot, window, card)
    area = window.show_owner_area(owner_area_class(), "adjust")
    assert area.window() is window and not area.isWindow()
    assert window.pages.currentWidget() is area and not window.page.isVisible()
    assert not window.owner_button.isVisible()  # "Back to counter" is the way out
    assert area.pages["adjust"].card_field.text() == format_code(card)  # the counter's card, ready to adjust
    press(qtbot, window, Qt.Key.Key_F2)  # the counter's keys rest while the owner works
    qtbot.wait(100)
    assert QApplication.activeModalWidget() is None
    qtbot.mouseClick(area.back_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.owner_area is None)
    assert window.pages.currentWidget() is window.page and window.page.isVisible()
    assert window.owner_button.isVisible()
    assert not window.owner_lock.active
    press(qtbot, window, Qt.Key.Key_F2)  # and work again once it is gone
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PinPadDialog))
    QApplication.activeModalWidget().reject()


def test_the_owner_area_locks_itself_when_left_alone(qtbot, window) -> None:
    area = window.show_owner_area(owner_area_class(), "staff")
    assert window.owner_lock.active
    assert window.owner_lock.timer.interval() == window.settings.owner_idle_seconds * 1000
    window.owner_lock.set_seconds(1)
    window.owner_lock.start()
    qtbot.wait(600)
    qtbot.mouseClick(area.nav.viewport(), Qt.MouseButton.LeftButton)  # a touch restarts the wait
    qtbot.wait(600)
    assert window.owner_area is area
    qtbot.waitUntil(lambda: window.owner_area is None, timeout=3000)
    assert window.pages.currentWidget() is window.page
    assert "locked itself after 1 s" in window.page.banner.text()
    press(qtbot, window, Qt.Key.Key_F9)  # the next visit asks for the PIN again
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PinPadDialog))
    QApplication.activeModalWidget().reject()


def test_an_open_dialog_postpones_the_idle_lock(qtbot, window) -> None:
    window.show_owner_area(owner_area_class(), "staff")
    window.owner_lock.set_seconds(1)
    window.owner_lock.start()
    window.request_owner_grant(lambda grant: None)  # e.g. the PIN pad of an action, waiting for the owner
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PinPadDialog))
    qtbot.wait(1500)
    assert window.owner_area is not None
    QApplication.activeModalWidget().reject()
    qtbot.waitUntil(lambda: window.owner_area is None, timeout=3000)


def test_the_idle_time_is_a_setting_with_a_range() -> None:
    import pytest

    from terminal.settings import SettingsError, load_settings

    assert load_settings(environ={"LOYALTY_OWNER_IDLE_SECONDS": "120"}).owner_idle_seconds == 120
    for bad in ("5", "100000", "soon"):
        with pytest.raises(SettingsError, match="owner_idle_seconds"):
            load_settings(environ={"LOYALTY_OWNER_IDLE_SECONDS": bad})


def test_closing_the_window_with_the_owner_area_open_is_quiet(qtbot, ui) -> None:
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication as App

    from terminal.ui.main_window import MainWindow

    w = MainWindow(ui, ui.services.ctx.settings)
    w.show()
    w.show_owner_area(owner_area_class(), "staff")
    w.close()
    w.deleteLater()
    App.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # raises here if a slot met a deleted part
    qtbot.wait(50)
