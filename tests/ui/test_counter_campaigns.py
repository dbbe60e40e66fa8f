"""The counter's campaign line and a retired program's card, in the real window."""

from __future__ import annotations

from datetime import date, time

from terminal.domain.campaigns import Campaign, CampaignKind
from tests.ui.conftest import IGNORE_OFFSCREEN, look_up

pytestmark = IGNORE_OFFSCREEN


def _tuesday_double() -> Campaign:
    return Campaign("", "Double Tuesday", CampaignKind.MULTIPLIER, date(2026, 3, 1), date(2026, 3, 31),
                    weekdays=(1,), starts_at=time(9), ends_at=time(17), multiplier_percent=200)


def test_counter_shows_the_campaigns_running_now(qtbot, window, services, owner, card, program_id) -> None:
    services.campaigns.add(owner, program_id, _tuesday_double())
    look_up(qtbot, window, card)
    line = window.page.card_panel.campaigns
    assert line.isVisible() and line.text() == "Double points until 17:00"


def test_no_line_without_a_campaign_and_a_retired_program_says_so(qtbot, window, services, owner, card,
                                                                   program_id) -> None:
    look_up(qtbot, window, card)
    assert not window.page.card_panel.campaigns.isVisible()
    services.programs.add(owner, "coffee")
    services.programs.retire(owner, program_id)
    window.page.card_panel.clear()
    look_up(qtbot, window, card)
    line = window.page.card_panel.campaigns
    assert line.isVisible() and "was retired" in line.text()
    assert not any(window.page.buttons[name].isEnabled() for name in ("stamp", "earn", "redeem"))


def test_points_pay_part_of_a_bill_in_one_confirmed_action(qtbot, window, services, owner, card,
                                                            program_id) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from terminal.domain.points_money import PointsMoney
    from terminal.ui.points_payment_dialog import PointsPaymentDialog
    from terminal.ui.redeem_dialog import RedeemDialog
    from tests.conftest import CASHIER_PIN
    from tests.ui.conftest import enter_pin, open_pad, press

    services.programs.save(owner, program_id, points_money=PointsMoney(10, 100, 50))  # 10 points = 1.00 EUR
    services.owner.adjust(owner, card, 120, "welcome gift")
    look_up(qtbot, window, card)
    assert window.page.buttons["redeem"].isEnabled()  # no reward affordable, but points pay
    press(qtbot, window, Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), RedeemDialog))
    redeem = QApplication.activeModalWidget()
    assert redeem.pay_points.isVisible()
    qtbot.mouseClick(redeem.pay_points, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PointsPaymentDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.keyClicks(dialog.amount, "30.00")
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    assert "Take 12.00 EUR off the bill for 120 points" in dialog.preview.text()  # the balance, not the cap
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert "Take 12.00 EUR off the bill. Left: 0 points." in window.page.banner.text()
    assert services.counter.card(card).balance.points == 0


def test_the_keypad_and_the_banner_count_the_campaign_points(qtbot, window, services, owner, card,
                                                              program_id) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from terminal.ui.earn_dialog import EarnDialog
    from tests.conftest import CASHIER_PIN
    from tests.ui.conftest import enter_pin, open_pad, press

    services.campaigns.add(owner, program_id, _tuesday_double())
    look_up(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), EarnDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.keyClicks(dialog.amount, "12.50")
    qtbot.waitUntil(lambda: dialog.ok.isEnabled())
    assert dialog.preview.text() == "12.50 EUR gives 250 points."  # 125, doubled
    qtbot.mouseClick(dialog.ok, Qt.MouseButton.LeftButton)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert window.page.banner.text().startswith("+250 points.")
    assert services.counter.card(card).balance.points == 250
