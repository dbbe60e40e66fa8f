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
