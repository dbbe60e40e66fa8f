"""One customer at a time: the camera offers, the cashier decides; sounds at the right moments."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from terminal.domain.codes import format_code
from terminal.domain.ledger import EntryKind
from terminal.scanner.events import CardScan, Rejection
from terminal.store import ledger
from tests.conftest import CASHIER_PIN
from tests.ui.conftest import IGNORE_OFFSCREEN, enter_pin, look_up, open_pad, press

pytestmark = IGNORE_OFFSCREEN


class RecordingSounds:
    """The sound port as the counter sees it; the real one plays QSoundEffects."""

    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, event: str) -> None:
        self.played.append(event)


@pytest.fixture
def sounds(window) -> RecordingSounds:
    window.flow.sounds = RecordingSounds()
    return window.flow.sounds


@pytest.fixture
def other_card(services, owner, program_id) -> str:
    return services.enrollment.enroll(owner, program_id, "Bea").code


def camera(code: str) -> CardScan:
    return CardScan(code=code, source="camera")


def shown(window) -> str | None:
    view = window.page.card_panel.view
    return view.code if view is not None else None


def test_another_card_in_the_camera_is_offered_not_swapped(qtbot, window, card, other_card) -> None:
    look_up(qtbot, window, card)
    offer = window.page.switch_offer
    assert not offer.isVisible()
    window.flow.on_scan(camera(other_card))
    qtbot.wait(200)  # time enough for a look-up, had one started
    assert shown(window) == card
    assert offer.isVisible() and format_code(other_card) in offer.label.text()
    qtbot.waitUntil(lambda: "of Bea" in offer.label.text())  # the holder, once looked up

    press(qtbot, window, Qt.Key.Key_F6)  # one key switches
    qtbot.waitUntil(lambda: shown(window) == other_card)
    assert not offer.isVisible()
    assert window.page.card_panel.holder.text() == "Bea"


def test_the_switch_offer_is_one_tap_too(qtbot, window, card, other_card) -> None:
    look_up(qtbot, window, card)
    window.flow.on_scan(camera(other_card))
    qtbot.mouseClick(window.page.switch_offer.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: shown(window) == other_card)


def test_the_same_card_seen_again_changes_nothing(qtbot, window, card) -> None:
    look_up(qtbot, window, card)
    window.flow.on_scan(camera(card))
    assert not window.page.switch_offer.isVisible()


def test_a_typed_code_beats_the_camera(qtbot, window, card, other_card) -> None:
    window.page.code_field.setText(card)
    qtbot.keyClick(window.page.code_field, Qt.Key.Key_Return)
    window.flow.on_scan(camera(other_card))  # the camera answers before the typed look-up is back
    qtbot.waitUntil(lambda: shown(window) == card)
    qtbot.wait(200)
    assert shown(window) == card
    assert window.page.switch_offer.code == other_card


def test_a_wedge_scan_replaces_the_card_a_camera_scan_does_not(qtbot, window, card, other_card) -> None:
    window.flow.on_scan(camera(card))  # nothing on screen: the camera's card is shown
    qtbot.waitUntil(lambda: shown(window) == card)
    window.flow.on_scan(CardScan(code=other_card, source="wedge"))
    qtbot.waitUntil(lambda: shown(window) == other_card)
    window.flow.on_scan(camera(card))
    qtbot.wait(200)
    assert shown(window) == other_card and window.page.switch_offer.code == card


def test_next_customer_ends_the_card_and_esc_does_the_same(qtbot, window, card, other_card) -> None:
    look_up(qtbot, window, card)
    assert window.page.next_customer.isEnabled()
    qtbot.mouseClick(window.page.next_customer, Qt.MouseButton.LeftButton)
    assert shown(window) is None and not window.page.next_customer.isEnabled()
    look_up(qtbot, window, card)
    window.flow.on_scan(camera(other_card))
    press(qtbot, window, Qt.Key.Key_Escape)
    assert shown(window) is None
    assert window.page.switch_offer.isVisible()  # the card in view is still offered to the next customer
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.page.switch_offer.isVisible()


def test_after_an_action_the_card_leaves_when_the_counter_is_idle(qtbot, window, card) -> None:
    look_up(qtbot, window, card)
    assert not window.flow.idle.isActive()  # looking only: the card stays
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert window.flow.idle.isActive() and window.flow.idle.interval() == 30_000  # counter_idle_seconds
    window.flow.idle.start(50)
    qtbot.waitUntil(lambda: shown(window) is None)


def test_typing_at_the_counter_keeps_the_card_on_screen(qtbot, window, card) -> None:
    look_up(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    window.flow.idle.start(600)
    qtbot.wait(400)
    qtbot.keyClicks(window.page.code_field, "D")  # the cashier starts typing: the idle time starts again
    assert window.flow.idle.remainingTime() > 400
    assert shown(window) is not None


def test_pin_pad_and_banner_name_the_card_and_holder(qtbot, window, card) -> None:
    look_up(qtbot, window, card)
    subject = f"Ann · {format_code(card)}"
    assert window.page.banner.subject.text() == subject
    press(qtbot, window, Qt.Key.Key_F2)
    pad = open_pad(qtbot)
    assert pad.subject.text() == subject and "Ann" in pad.title.text()
    enter_pin(qtbot, pad, "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert window.page.banner.subject.text() == subject
    assert window.page.banner.mark.text() == "✓" and window.page.banner.mark.isVisible()


def test_sounds_for_card_read_success_and_refusal(qtbot, window, services, sounds, card, clock) -> None:
    look_up(qtbot, window, card)
    assert sounds.played == ["card_read"]
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    assert sounds.played == ["card_read", "success"]

    window.flow.on_scan(camera(card))  # the same card again: no new read
    window.flow.on_rejection(Rejection(source="wedge", error_code="NOT_A_LOYALTY_CARD", message="Not a card."))
    assert sounds.played == ["card_read", "success", "refusal"]

    window.flow.on_rejection(Rejection(source="camera", error_code="NOT_A_LOYALTY_CARD", message="Not a card."))
    assert sounds.played[-1] == "refusal" and len(sounds.played) == 3  # the camera's noise while serving: silent


def test_a_refused_action_sounds_a_refusal(qtbot, window, services, sounds, card, clock) -> None:
    look_up(qtbot, window, card)
    with services.ctx.db.write() as s:  # another till stamps it meanwhile
        ledger.append(s, terminal_id=str(uuid.uuid4()), card=card, kind=EntryKind.STAMP, at=clock.now(), stamps=1)
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "refused")
    assert sounds.played == ["card_read", "refusal"]


def test_an_unknown_code_refuses_without_naming_the_card_on_screen(qtbot, window, sounds, card) -> None:
    look_up(qtbot, window, card)
    window.page.code_field.setText("ABCDE-FGHJK")
    qtbot.keyClick(window.page.code_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.banner.kind == "refused")
    assert window.page.banner.subject.text() == ""
    assert sounds.played[-1] == "refusal"
    assert QApplication.activeModalWidget() is None


def test_no_scan_swaps_the_card_while_an_owner_confirms_its_undo(qtbot, window, card, other_card, clock) -> None:
    from datetime import timedelta

    look_up(qtbot, window, card)
    press(qtbot, window, Qt.Key.Key_F2)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")
    clock.advance(timedelta(minutes=3))
    press(qtbot, window, Qt.Key.Key_F8)
    pad = open_pad(qtbot)
    assert pad.owners_only and pad.subject.text() == f"Ann · {format_code(card)}"
    window.flow.on_scan(CardScan(code=other_card, source="wedge"))
    window.flow.on_scan(camera(other_card))
    qtbot.wait(200)
    assert shown(window) == card
    pad.reject()
