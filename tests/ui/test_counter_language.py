"""Counter wording: plurals right, numbers in the window's locale, reasons for disabled actions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QApplication

from terminal.ui.i18n import Translations
from tests.conftest import CASHIER_PIN
from tests.ui.conftest import IGNORE_OFFSCREEN, enter_pin, look_up, open_pad, press

pytestmark = IGNORE_OFFSCREEN


@pytest.fixture
def indonesian(window) -> Iterator[Translations]:
    translations = Translations(QApplication.instance())
    translations.set_language("id")
    yield translations
    translations.set_language("en")
    QLocale.setDefault(QLocale(QLocale.Language.C))


def test_one_more_stamp_is_singular(qtbot, window, services, owner, card) -> None:
    services.owner.adjust(owner, card, 0, "paper card carried over", stamps=7)
    look_up(qtbot, window, card)
    assert window.page.card_panel.next_reward.text() == "1 more stamp for Free drink"
    window.flow.clear_card()
    services.owner.void(owner, services.owner.last_entry(card).entry_id, "wrong count")
    services.owner.adjust(owner, card, 0, "paper card carried over", stamps=6)
    look_up(qtbot, window, card)
    assert window.page.card_panel.next_reward.text() == "2 more stamps for Free drink"


def test_english_numbers_are_grouped_the_english_way(qtbot, window, services, owner, card) -> None:
    services.owner.adjust(owner, card, 1500, "welcome gift")
    look_up(qtbot, window, card)
    assert window.page.card_panel.points.text() == "1,500"
    assert window.page.card_panel.next_reward.text() == "500 more points for Free lunch"


def test_indonesian_numbers_and_reasons(qtbot, window, services, owner, card, indonesian, clock) -> None:
    services.owner.adjust(owner, card, 1500, "welcome gift")
    look_up(qtbot, window, card)
    panel, page = window.page.card_panel, window.page
    assert panel.points.text() == "1.500"
    assert page.buttons["stamp"].text() == "Tambah stempel (F2)"
    assert "1.500" not in page.action_note.text() and page.action_note.text().startswith("Tukar")
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: page.banner.kind == "ok")
    next_at = (clock.now() + timedelta(minutes=15)).astimezone(services.ctx.store.tz)
    assert f"stempel berikutnya pukul {next_at:%H:%M}, dalam 15 menit" in page.action_note.text()
    assert "stamp" not in page.action_note.text().lower()


def test_the_daily_limit_is_the_reason_when_it_is_reached(qtbot, window, services, owner, program_id, card) -> None:
    services.owner.edit_program(owner, program_id, cooldown_minutes=0, daily_stamp_limit=1)
    look_up(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert not window.page.buttons["stamp"].isEnabled()
    assert "Add stamp: today's limit of 1 stamp is reached; next stamp from 00:00." in window.page.action_note.text()


def test_a_late_cashier_undo_is_refused_in_indonesian(services, cashier, card, clock, indonesian) -> None:
    from terminal.domain.errors import LoyaltyError
    from terminal.ui.refusals import describe

    stamp = services.counter.stamp(cashier, card).entry
    clock.advance(timedelta(minutes=3))
    fresh = services.auth.verify_pin(cashier.staff_id, CASHIER_PIN)
    with pytest.raises(LoyaltyError) as late:
        services.owner.undo(fresh, stamp.entry_id)
    assert describe(late.value) == ("Kasir dapat membatalkan tindakannya sendiri selama 2 menit sesudahnya; "
                                    "sekarang pemilik mengonfirmasi.")
