"""The counter window end to end: scan, card shown, actions confirmed by PIN, ledger written."""

from __future__ import annotations

import uuid
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from terminal.domain.codes import payload_for
from terminal.domain.ledger import EntryKind
from terminal.scanner.config import ScannerConfig
from terminal.scanner.demo_source import DemoSource
from terminal.scanner.wedge_filter import KeyboardWedge
from terminal.scanner.worker import CameraScanner
from terminal.services.reports import HistoryFilter
from terminal.store import ledger
from terminal.ui.earn_dialog import EarnDialog
from terminal.ui.redeem_dialog import RedeemDialog
from tests.conftest import CASHIER_PIN, OWNER_PIN
from tests.ui.conftest import IGNORE_OFFSCREEN, enter_pin, look_up, open_pad, press

pytestmark = IGNORE_OFFSCREEN


def _entries(services, card: str):
    return services.reports.history(HistoryFilter(card=card))


def test_demo_camera_scan_then_stamp_with_pin(qtbot, window, services, card) -> None:
    scanner = CameraScanner(ScannerConfig(camera="demo", demo_codes=(card,)), source=DemoSource([card]))
    window.attach_scanners(scanner, None)
    scanner.start()
    try:
        qtbot.waitUntil(lambda: window.page.card_panel.view is not None, timeout=10_000)
    finally:
        scanner.stop()
    panel = window.page.card_panel
    assert panel.view.code == card
    assert panel.holder.text() == "Ann"
    assert panel.stamps_caption.text() == "0 of 8 stamps"

    qtbot.mouseClick(window.page.buttons["stamp"], Qt.MouseButton.LeftButton)
    pad = open_pad(qtbot)
    assert "Ann" in pad.title.text()
    enter_pin(qtbot, pad, "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")

    stamps = [e for e in _entries(services, card) if e.kind == "stamp"]
    assert len(stamps) == 1 and stamps[0].stamps == 1
    assert "1 of 8 stamps" in window.page.banner.text()
    assert panel.stamps_caption.text() == "1 of 8 stamps"
    assert panel.stamps.filled == 1
    assert window.status.staff_label.text() == "Last confirmed by Carl"


def test_wedge_scan_shows_card(qtbot, window, card) -> None:
    wedge = KeyboardWedge()
    wedge.install(QApplication.instance())
    window.attach_scanners(None, wedge)
    try:
        qtbot.keyClicks(window.page.code_field, payload_for(card))
        qtbot.keyClick(window.page.code_field, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.page.card_panel.view is not None)
    finally:
        wedge.uninstall()
    assert window.page.card_panel.view.code == card
    assert window.page.code_field.text() == ""  # the wedge swallowed the payload


def test_unknown_or_mistyped_code_is_refused(qtbot, window) -> None:
    window.page.code_field.setText("ABCDE-FGHJK")
    qtbot.keyClick(window.page.code_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.kind == "refused")
    assert window.page.card_panel.view is None
    assert window.page.banner.text()


def test_add_stamp_is_disabled_in_the_cooldown_with_a_live_countdown(qtbot, window, services, card, clock) -> None:
    look_up(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    stamp = window.page.buttons["stamp"]
    assert not stamp.isEnabled()
    next_at = (clock.now() + timedelta(minutes=15)).astimezone(services.ctx.store.tz)
    note = window.page.action_note
    assert note.isVisible() and f"next stamp at {next_at:%H:%M}, in 15 min" in note.text()
    assert f"{next_at:%H:%M}" in stamp.toolTip()

    clock.advance(timedelta(minutes=3, seconds=30))
    qtbot.waitUntil(lambda: "in 12 min" in note.text(), timeout=3000)  # the countdown runs by itself
    press(qtbot, window, Qt.Key.Key_F2)  # disabled: no PIN pad, the reason in the banner
    assert not window.flow.in_flow and QApplication.activeModalWidget() is None
    assert window.page.banner.kind == "refused" and "in 12 min" in window.page.banner.text()

    clock.advance(timedelta(minutes=12))
    qtbot.waitUntil(stamp.isEnabled, timeout=3000)
    assert "stamp" not in note.text().lower()
    assert note.text() == "Redeem: Nothing can be redeemed yet."  # 1 of 8 stamps, no points
    assert not window.page.buttons["redeem"].isEnabled()


def test_the_service_still_refuses_when_the_screen_was_out_of_date(qtbot, window, services, card, clock) -> None:
    look_up(qtbot, window, card)
    with services.ctx.db.write() as s:  # another till stamps the card after it was looked up here
        ledger.append(s, terminal_id=str(uuid.uuid4()), card=card, kind=EntryKind.STAMP,
                      at=clock.now(), stamps=1)
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "refused")
    next_at = (clock.now() + timedelta(minutes=15)).astimezone(services.ctx.store.tz)
    assert f"{next_at:%H:%M}" in window.page.banner.text()
    qtbot.waitUntil(lambda: not window.page.buttons["stamp"].isEnabled())  # the view caught up
    assert len([e for e in _entries(services, card) if e.kind == "stamp"]) == 1


def test_five_wrong_pins_lock_the_member_until_an_owner_unlocks(qtbot, window, services, card, clock) -> None:
    look_up(qtbot, window, card)
    qtbot.mouseClick(window.page.buttons["stamp"], Qt.MouseButton.LeftButton)
    pad = open_pad(qtbot)
    for _ in range(5):
        pad.checking = False
        enter_pin(qtbot, pad, "Carl", "0000")
        qtbot.waitUntil(lambda: not pad.checking)
    until = (clock.now() + timedelta(minutes=30)).astimezone(services.ctx.store.tz)
    assert "locked out" in pad.message.text() and f"{until:%H:%M}" in pad.message.text()
    assert not pad.ok.isEnabled() and pad.unlock.isVisible()

    qtbot.mouseClick(pad.unlock, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is not pad)
    owner_pad = open_pad(qtbot)
    assert [s.name for s in owner_pad.staff] == ["Olga"]
    enter_pin(qtbot, owner_pad, "Olga", OWNER_PIN)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is pad and pad.ok.isEnabled(), timeout=5000)
    assert not next(s for s in services.staff.list() if s.name == "Carl").locked_until
    enter_pin(qtbot, pad, "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")


def test_undo_last_after_the_cashier_window_needs_an_owner_pin(qtbot, window, services, card, clock) -> None:
    look_up(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    window.page.banner.show_info("")
    clock.advance(timedelta(seconds=121))

    qtbot.mouseClick(window.page.buttons["undo"], Qt.MouseButton.LeftButton)
    pad = open_pad(qtbot)
    assert pad.owners_only and "Undo the stamp" in pad.title.text()
    enter_pin(qtbot, pad, "Olga", OWNER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert window.page.banner.text().startswith("Undone: the stamp")
    qtbot.waitUntil(lambda: window.page.card_panel.view.balance.stamps == 0)
    kinds = [e.kind for e in _entries(services, card)]
    assert kinds.count("void") == 1 and kinds.count("stamp") == 1
    assert window.status.staff_label.text() == "Last confirmed by Olga"


def test_earn_shows_points_on_the_keypad_before_confirming(qtbot, window, services, card) -> None:
    look_up(qtbot, window, card)
    qtbot.mouseClick(window.page.buttons["earn"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), EarnDialog))
    dialog = QApplication.activeModalWidget()
    for key in "12.5":
        qtbot.mouseClick(dialog.keys[key], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.preview_points is not None)
    assert dialog.preview_points == services.counter.preview_points(card, 1250) == 125
    assert "12.50 EUR gives 125 points" in dialog.preview.text()
    assert not [e for e in _entries(services, card) if e.kind == "earn"]  # nothing written yet

    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    pad = open_pad(qtbot)
    assert "125 points" in pad.title.text()
    enter_pin(qtbot, pad, "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    earns = [e for e in _entries(services, card) if e.kind == "earn"]
    assert [(e.points, e.amount) for e in earns] == [(125, 1250)]
    assert window.page.card_panel.points.text() == "125"


def test_redeem_greys_unaffordable_rewards_with_the_reason(qtbot, window, services, owner, card) -> None:
    services.owner.adjust(owner, card, 2500, "welcome gift")
    look_up(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RedeemDialog))
    dialog = QApplication.activeModalWidget()
    names = [o.reward.name for o in dialog.view.rewards]
    drink, lunch = names.index("Free drink"), names.index("Free lunch")
    assert not dialog.buttons[drink].isEnabled()
    assert dialog.reasons[drink].text() == "Needs 8 stamps; the card has 0."
    assert dialog.buttons[lunch].isEnabled() and not dialog.reasons[lunch].isVisible()

    qtbot.mouseClick(dialog.buttons[lunch], Qt.MouseButton.LeftButton)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert "Redeemed Free lunch" in window.page.banner.text()
    assert services.counter.card(card).balance.points == 500
