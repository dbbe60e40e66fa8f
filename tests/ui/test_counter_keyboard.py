"""Keyboard alone at the counter: stamp, earn, redeem and undo without touching the screen."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from terminal.services.reports import HistoryFilter
from terminal.ui.earn_dialog import EarnDialog
from terminal.ui.pin_pad import PinPadDialog
from terminal.ui.redeem_dialog import RedeemDialog
from tests.conftest import CASHIER_PIN, OWNER_PIN
from tests.ui.conftest import IGNORE_OFFSCREEN, open_pad, press

pytestmark = IGNORE_OFFSCREEN


def kinds(services, card: str) -> list[str]:
    return [e.kind for e in services.reports.history(HistoryFilter(card=card))]


def typed(qtbot, text: str) -> None:
    """Keys to whatever has the focus, as a cashier types them."""
    for char in text:
        qtbot.keyClick(QApplication.focusWidget(), char)


def key(qtbot, k: Qt.Key) -> None:
    qtbot.keyClick(QApplication.focusWidget(), k)


def pad_with_focus(qtbot) -> PinPadDialog:
    """The PIN pad once its names are there and the keyboard's focus is inside it."""
    pad = open_pad(qtbot)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None and QApplication.focusWidget().window() is pad)
    return pad


def look_up_by_keyboard(qtbot, window, card: str) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    window.page.focus_code_field()  # Ctrl+L
    typed(qtbot, card)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None)


def test_keyboard_only_stamp_picks_the_name_by_its_first_letter(qtbot, window, services, card) -> None:
    look_up_by_keyboard(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    pad = pad_with_focus(qtbot)
    assert pad.selected() is None  # two staff, nobody preselected: the names have the focus
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QPushButton))
    typed(qtbot, "c")
    assert pad.selected().name == "Carl"
    typed(qtbot, CASHIER_PIN)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert kinds(services, card).count("stamp") == 1


def test_arrow_keys_pick_a_name_and_digits_before_a_name_are_kept(qtbot, window, services, card) -> None:
    look_up_by_keyboard(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    pad = pad_with_focus(qtbot)
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), QPushButton))
    focused = QApplication.focusWidget().text()
    typed(qtbot, CASHIER_PIN)
    assert pad.pin.text() == CASHIER_PIN and pad.selected() is None
    pad.submit()  # Confirm before a name: told how to pick one, nothing checked
    assert "arrow keys" in pad.message.text() and not pad.checking
    key(qtbot, Qt.Key.Key_Right)  # the first arrow picks the name that has the focus, keeping the digits
    assert pad.selected().name == focused and pad.pin.text() == CASHIER_PIN
    for _ in range(len(pad.staff)):
        if pad.selected().name == "Carl":
            break
        key(qtbot, Qt.Key.Key_Right)
    assert pad.selected().name == "Carl"
    if focused != "Carl":
        assert pad.pin.text() == ""  # a PIN typed for one name is never sent for another
        typed(qtbot, CASHIER_PIN)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert kinds(services, card).count("stamp") == 1


def test_esc_cancels_the_pin_pad_and_writes_nothing(qtbot, window, services, card) -> None:
    look_up_by_keyboard(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    pad_with_focus(qtbot)
    key(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert "stamp" not in kinds(services, card)
    assert window.page.card_panel.view is not None  # Esc in the pad is not Next customer


def test_keyboard_only_earn_then_redeem(qtbot, window, services, owner, card) -> None:
    look_up_by_keyboard(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), EarnDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.amount)
    typed(qtbot, "250")
    qtbot.waitUntil(lambda: dialog.preview_points == 2500)
    key(qtbot, Qt.Key.Key_Return)
    pad = pad_with_focus(qtbot)
    typed(qtbot, "c" + CASHIER_PIN)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert window.page.card_panel.view.balance.points == 2500

    press(qtbot, window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RedeemDialog))
    redeem = QApplication.activeModalWidget()
    qtbot.waitUntil(lambda: QApplication.focusWidget() in redeem.buttons)
    first = QApplication.focusWidget()
    assert first.isEnabled() and "Free lunch" in first.text()
    key(qtbot, Qt.Key.Key_Return)
    pad = pad_with_focus(qtbot)
    assert pad.selected().name == "Carl"  # the last confirmer is preselected: the PIN field has the focus
    typed(qtbot, CASHIER_PIN)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Redeemed Free lunch" in window.page.banner.text())
    assert kinds(services, card).count("redeem") == 1


def test_cashier_undoes_their_own_stamp_with_their_own_pin(qtbot, window, services, card, clock) -> None:
    look_up_by_keyboard(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    pad_with_focus(qtbot)
    typed(qtbot, "c" + CASHIER_PIN)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    clock.advance(timedelta(seconds=90))

    press(qtbot, window, Qt.Key.Key_F8)
    pad = pad_with_focus(qtbot)
    assert not pad.owners_only and pad.selected().name == "Carl"
    assert "Undo the stamp" in pad.title.text() and "Carl can confirm with their own PIN" in pad.title.text()
    typed(qtbot, CASHIER_PIN)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.text().startswith("Undone: the stamp"))
    qtbot.waitUntil(lambda: window.page.card_panel.view.balance.stamps == 0)
    assert kinds(services, card).count("void") == 1


def test_after_the_window_the_undo_asks_an_owner_by_keyboard(qtbot, window, services, card, clock) -> None:
    look_up_by_keyboard(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    pad_with_focus(qtbot)
    typed(qtbot, "c" + CASHIER_PIN)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    clock.advance(timedelta(minutes=3))

    press(qtbot, window, Qt.Key.Key_F8)
    pad = pad_with_focus(qtbot)
    assert isinstance(pad, PinPadDialog) and pad.owners_only and "An owner confirms" in pad.title.text()
    typed(qtbot, OWNER_PIN)  # the only owner is preselected
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.text().startswith("Undone: the stamp"))
    assert kinds(services, card).count("void") == 1


def test_another_cashier_cannot_undo_in_the_window(qtbot, window, services, owner, card, clock) -> None:
    from terminal.domain.staff import Role

    services.staff.add(owner, "Dina", Role.CASHIER, "8462")
    look_up_by_keyboard(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    pad_with_focus(qtbot)
    typed(qtbot, "c" + CASHIER_PIN)
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")

    press(qtbot, window, Qt.Key.Key_F8)
    pad = pad_with_focus(qtbot)
    typed(qtbot, "d8462")
    assert pad.selected().name == "Dina"
    key(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.kind == "refused")
    assert "void" not in kinds(services, card)


def test_touch_only_stamp_and_cashier_undo(qtbot, window, services, card) -> None:
    from tests.ui.conftest import look_up

    look_up(qtbot, window, card)
    tap = Qt.MouseButton.LeftButton
    qtbot.mouseClick(window.page.buttons["stamp"], tap)
    pad = open_pad(qtbot)
    carl = next(b for b in pad.staff_buttons.buttons() if b.text() == "Carl")
    qtbot.mouseClick(carl, tap)
    for digit in CASHIER_PIN:
        qtbot.mouseClick(pad.keys[digit], tap)
    qtbot.mouseClick(pad.ok, tap)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")

    qtbot.mouseClick(window.page.buttons["undo"], tap)
    pad = open_pad(qtbot)
    assert pad.selected().name == "Carl"
    for digit in CASHIER_PIN:
        qtbot.mouseClick(pad.keys[digit], tap)
    qtbot.mouseClick(pad.ok, tap)
    qtbot.waitUntil(lambda: window.page.banner.text().startswith("Undone: the stamp"))
    assert kinds(services, card).count("void") == 1
