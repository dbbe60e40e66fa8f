"""The counter's card panel names the points that expire within 30 days."""

from __future__ import annotations

from datetime import timedelta

from terminal.ui.card_panel import CardPanel
from tests.conftest import OWNER_PIN
from tests.ui.conftest import IGNORE_OFFSCREEN

pytestmark = IGNORE_OFFSCREEN


def test_points_expiring_soon_are_shown_and_hidden_when_none(qtbot, services, owner, card, program_id, clock):
    panel = CardPanel()
    qtbot.addWidget(panel)
    services.owner.edit_program(owner, program_id, points_expiry_days=40)
    services.counter.earn(owner, card, 1000)  # 100 points, expiring on day 40
    panel.show()
    panel.show_card(services.counter.card(card))
    assert not panel.expiring.isVisible()  # 40 days away
    clock.advance(timedelta(days=15))
    services.auth.verify_pin(owner.staff_id, OWNER_PIN)
    view = services.counter.card(card)
    assert view.expiring.points == 100
    panel.show_card(view)
    assert panel.expiring.isVisible()
    assert panel.expiring.text().startswith("100 points expire within 30 days")
