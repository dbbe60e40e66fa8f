"""A replaced card at the counter names the card that took over and offers to serve it."""

from __future__ import annotations

from PySide6.QtCore import Qt

from terminal.domain.codes import format_code
from tests.ui.conftest import IGNORE_OFFSCREEN, look_up, press

pytestmark = IGNORE_OFFSCREEN


def test_a_replaced_card_names_its_replacement_and_opens_it_on_request(qtbot, window, services, owner, card,
                                                                        program_id):
    new = services.enrollment.enroll(owner, program_id, "Ann").code
    services.owner.adjust(owner, card, 40, "opening balance")
    services.card_status.block(owner, card, "lost on the bus")
    services.replace.replace(owner, card, new, "lost on the bus")
    look_up(qtbot, window, card)
    offer = window.page.switch_offer
    qtbot.waitUntil(lambda: offer.isVisible())
    assert f"replaced by {format_code(new)}" in window.page.banner.text()
    assert format_code(new) in offer.label.text() and "Open that card" in offer.button.text()
    qtbot.mouseClick(offer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None and window.page.card_panel.view.code == new)
    assert window.page.card_panel.view.balance.points == 40
    assert not offer.isVisible()


def test_f6_opens_the_replacement_and_esc_drops_the_offer(qtbot, window, services, owner, card, program_id):
    new = services.enrollment.enroll(owner, program_id, "Ann").code
    services.card_status.block(owner, card, "stolen")
    services.replace.replace(owner, card, new, "stolen")
    look_up(qtbot, window, card)
    offer = window.page.switch_offer
    qtbot.waitUntil(lambda: offer.isVisible())
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not offer.isVisible() and window.page.card_panel.view is None
    look_up(qtbot, window, card)
    qtbot.waitUntil(lambda: offer.isVisible())
    press(qtbot, window, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None and window.page.card_panel.view.code == new)


def test_a_blocked_card_that_was_not_replaced_offers_nothing(qtbot, window, services, owner, card):
    services.card_status.block(owner, card, "lost")
    look_up(qtbot, window, card)
    qtbot.wait(300)  # time enough for the replacement's look-up
    assert not window.page.switch_offer.isVisible()
    assert "blocked" in window.page.banner.text()
