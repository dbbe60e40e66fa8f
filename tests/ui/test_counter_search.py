"""Finding a customer at the counter without their card: F5, type, arrows, Enter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from terminal.ui.customer_search import CustomerSearchDialog
from tests.ui.conftest import IGNORE_OFFSCREEN, press

pytestmark = IGNORE_OFFSCREEN


def _dialog(qtbot) -> CustomerSearchDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), CustomerSearchDialog))
    return QApplication.activeModalWidget()


def test_f5_finds_by_name_and_enter_puts_the_card_on_the_counter(qtbot, window, services, owner, program_id):
    ana = services.enrollment.enroll(owner, program_id, "Ana Lima").code
    bea = services.enrollment.enroll(owner, program_id, "Bea Lima").code
    press(qtbot, window, Qt.Key.Key_F5)
    dialog = _dialog(qtbot)
    search = dialog.search
    qtbot.waitUntil(lambda: QApplication.focusWidget() is search.field)
    qtbot.keyClicks(search.field, "lima")
    qtbot.waitUntil(lambda: len(search.matches) == 2)
    assert {m.code for m in search.matches} == {ana, bea}
    bea_row = [m.code for m in search.matches].index(bea)
    for _ in range(bea_row):
        qtbot.keyClick(search.field, Qt.Key.Key_Down)
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(search.field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None and window.page.card_panel.view.code == bea)


def test_search_by_phone_and_a_clear_note_when_nothing_matches(qtbot, window, services, owner, card):
    services.customers.update_contact(owner, card, holder="Ann", phone="0812 7777 1234", email=None,
                                      birthday=None, consent=False)
    dialog = window.find_customer()
    search = dialog.search
    qtbot.keyClicks(search.field, "zzqq")
    qtbot.keyClick(search.field, Qt.Key.Key_Return)  # before the typing pause: searches now
    qtbot.waitUntil(lambda: "No customer found" in search.note.text())
    assert search.matches == [] and window.page.card_panel.view is None
    search.field.clear()
    qtbot.keyClicks(search.field, "0812-7777")
    qtbot.waitUntil(lambda: [m.code for m in search.matches] == [card])
    assert search.results.item(0, 2).text() == "0812 7777 1234"
    with qtbot.waitSignal(dialog.finished):
        qtbot.keyClick(search.field, Qt.Key.Key_Escape)
    qtbot.wait(100)
    assert window.page.card_panel.view is None


def test_the_find_customer_button_searches_by_touch(qtbot, window, services, owner, program_id):
    ana = services.enrollment.enroll(owner, program_id, "Ana Lima").code
    button = window.page.find_customer
    assert button.isVisible() and button.isEnabled() and "F5" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = _dialog(qtbot)
    search = dialog.search
    search.field.setText("ana")  # an on-screen keyboard types into the field
    search.search_now()
    qtbot.waitUntil(lambda: [m.code for m in search.matches] == [ana])
    where = search.results.visualItemRect(search.results.item(0, 0)).center()
    with qtbot.waitSignal(dialog.finished):  # a double tap: the press, then the double click
        qtbot.mouseClick(search.results.viewport(), Qt.MouseButton.LeftButton, pos=where)
        qtbot.mouseDClick(search.results.viewport(), Qt.MouseButton.LeftButton, pos=where)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None and window.page.card_panel.view.code == ana)
