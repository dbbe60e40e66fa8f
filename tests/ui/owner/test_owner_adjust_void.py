"""Owner adjust and void through the UI, checked through the services' ledger and balances."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from terminal.domain.codes import format_code
from terminal.domain.ledger import EntryKind
from terminal.services.reports import HistoryFilter
from tests.ui.conftest import IGNORE_OFFSCREEN

pytestmark = IGNORE_OFFSCREEN  # the confirmations are windows of their own


def _confirm(qtbot, page, settle, expected: str = "") -> str:
    """Say yes to the page's confirmation, when it asks one; returns its text."""
    if page.confirmation is None:
        return ""
    box = page.confirmation
    text = box.text()
    assert expected in text
    qtbot.mouseClick(box.yes_button, Qt.MouseButton.LeftButton)
    settle()
    return text


def _adjust(qtbot, page, settle, card: str, amount: str, reason: str, unit: str = "points",
            expected: str = "") -> str:
    page.card_field.setText(card)
    page.unit.setCurrentIndex(page.unit.findData(unit))
    page.amount_field.setText(amount)
    page.reason_field.setText(reason)
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    settle()
    return _confirm(qtbot, page, settle, expected)


def test_adjust_points_and_stamps(qtbot, area, services, card, settle) -> None:
    page = area.show_page("adjust")
    asked = _adjust(qtbot, page, settle, card.lower(), "+25", "birthday bonus")
    assert f"Ann ({format_code(card)}): 0 → 25 points" in asked and "birthday bonus" in asked
    assert page.feedback.state == "ok", page.feedback.text()
    assert "now has 0 stamps and 25 points" in page.feedback.text()
    _adjust(qtbot, page, settle, card, "2", "missed stamp on Monday", unit="stamps", expected="0 → 2 stamps")
    assert "now has 2 stamps and 25 points" in page.feedback.text()
    balance = services.counter.card(card).balance
    assert (balance.points, balance.stamps) == (25, 2)
    adjusts = services.reports.history(HistoryFilter(card=card, kinds=(EntryKind.ADJUST,)))
    assert [(e.points, e.stamps, e.reason) for e in adjusts] == [(0, 2, "missed stamp on Monday"),
                                                                 (25, 0, "birthday bonus")]


def test_bad_adjust_input_says_what_is_wrong_and_writes_nothing(qtbot, area, services, card, grants,
                                                                settle) -> None:
    page = area.show_page("adjust")
    before = len(services.reports.history())
    for amount, reason, expected in (("ten", "bonus points", "whole number"), ("", "bonus points", "whole number"),
                                     ("10", "", "Say why"), ("10", "  ", "Say why"), ("0", "bonus", "other than zero")):
        _adjust(qtbot, page, settle, card, amount, reason)
        assert page.feedback.state == "error" and expected in page.feedback.text()
    assert _adjust(qtbot, page, settle, card, "-5", "take some away") == ""  # below zero: refused, nothing asked
    assert page.feedback.state == "error" and "0 → -5 points: a balance cannot go below zero" in page.feedback.text()
    _adjust(qtbot, page, settle, "7K3QP-9ZX2N", "5", "typo in the code")
    assert page.feedback.state == "error" and "typo" in page.feedback.text()
    assert len(services.reports.history()) == before
    assert services.counter.card(card).balance.points == 0


def test_void_an_entry_and_refusals(qtbot, area, services, owner, card, settle) -> None:
    stamp = services.counter.stamp(owner, card).entry
    services.owner.adjust(owner, card, 50, "welcome gift")
    spend = services.owner.adjust(owner, card, -30, "spent at the counter")
    page = area.show_page("void")
    page.card_field.setText(card)
    qtbot.mouseClick(page.find_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.table.rowCount() == 4

    page.select_entry(stamp.entry_id)
    page.reason_field.setText("")
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    assert page.feedback.state == "error" and "Say why" in page.feedback.text()
    page.reason_field.setText("stamped the wrong card")
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    settle()
    asked = _confirm(qtbot, page, settle)
    assert f"Ann ({format_code(card)}): 1 → 0 stamps" in asked and "by Olga" in asked
    assert page.feedback.state == "ok", page.feedback.text()
    assert "now has 0 stamps and 20 points" in page.feedback.text()
    assert page.selected() is None and not page.void_button.isEnabled()  # the new Void row is not picked
    assert services.counter.card(card).balance.stamps == 0
    voids = services.reports.history(HistoryFilter(card=card, kinds=(EntryKind.VOID,)))
    assert [(v.reverses, v.stamps, v.reason) for v in voids] == [(stamp.entry_id, -1, "stamped the wrong card")]
    page.select_entry(stamp.entry_id)
    assert not page.void_button.isEnabled()  # already voided

    # Voiding the +50 would leave -30: refused with the service's reason, nothing written.
    gift = next(e for e in page.entries if e.reason == "welcome gift")
    page.select_entry(gift.entry_id)
    page.reason_field.setText("gift was a mistake")
    qtbot.mouseClick(page.void_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.confirmation is None  # refused before asking
    assert page.feedback.state == "error" and "20 → -30 points: a balance cannot go below zero" in page.feedback.text()
    assert len(services.reports.history(HistoryFilter(card=card))) == 5
    assert services.counter.card(card).balance.points == 20
    assert spend.points == -30


def test_expired_grant_asks_for_the_pin_again(qtbot, area, services, card, grants, clock, settle) -> None:
    page = area.show_page("adjust")
    _adjust(qtbot, page, settle, card, "5", "first bonus")
    _adjust(qtbot, page, settle, card, "5", "second bonus")
    assert grants.count == 1  # the grant is kept while it lasts
    clock.advance(timedelta(seconds=services.ctx.settings.grant_seconds + 1))
    _adjust(qtbot, page, settle, card, "5", "third bonus")
    assert page.feedback.state == "ok", page.feedback.text()
    assert grants.count == 2
    assert services.counter.card(card).balance.points == 15


# Showing a window on the offscreen platform logs this; it says nothing about our code.
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_leaving_the_owner_area_forgets_the_grant(qtbot, area, services, card, grants, settle) -> None:
    area.show()
    page = area.show_page("adjust")
    _adjust(qtbot, page, settle, card, "5", "first bonus")
    area.hide()
    area.show()
    _adjust(qtbot, page, settle, card, "5", "second bonus")
    assert grants.count == 2
    area.hide()


def test_cancelling_a_confirmation_writes_nothing(qtbot, area, services, owner, card, settle) -> None:
    services.counter.stamp(owner, card)
    before = len(services.reports.history())
    page = area.show_page("adjust")
    page.card_field.setText(card)
    page.amount_field.setText("3")
    page.unit.setCurrentIndex(page.unit.findData("stamps"))
    page.reason_field.setText("missed stamps")
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    settle()
    box = page.confirmation
    assert box is not None and "1 → 4 stamps" in box.text()
    assert box.defaultButton() is box.cancel_button  # Enter alone changes nothing
    qtbot.mouseClick(box.cancel_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.confirmation is None
    void = area.show_page("void")
    void.card_field.setText(card)
    void.find()
    settle()
    void.select_entry(void.entries[0].entry_id)
    void.reason_field.setText("wrong card")
    qtbot.mouseClick(void.void_button, Qt.MouseButton.LeftButton)
    settle()
    assert "1 → 0 stamps" in void.confirmation.text()
    void.confirmation.reject()
    settle()
    assert len(services.reports.history()) == before
    assert services.counter.card(card).balance.stamps == 1


def test_the_void_list_names_the_staff_and_the_amount(qtbot, area, services, cashier, card, settle) -> None:
    services.counter.earn(cashier, card, 1250)
    page = area.show_page("void")
    page.card_field.setText(card)
    page.find()
    settle()
    headers = [page.table.horizontalHeaderItem(c).text() for c in range(page.table.columnCount())]
    row = {h: page.table.item(0, c).text() for c, h in enumerate(headers)}
    assert row["Staff"] == "Carl" and row["Amount"] == "12.50 EUR" and row["Points"].startswith("+")
