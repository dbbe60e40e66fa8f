"""The PIN pad's answers to the hub's staff changes: a new PIN chosen (twice) before anything else,
and a first PIN for a member added at the hub, only with an owner's PIN (tests/services/test_pin_reset.py
has the rules; here, the dialogs)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from sync.unset_pin import is_unset_pin_hash, unset_pin_hash
from terminal.store.models import StaffRow
from terminal.ui.new_pin_dialog import NewPinDialog
from terminal.ui.pin_pad import PinPadDialog
from tests.conftest import CASHIER_PIN, OWNER_PIN
from tests.ui.conftest import IGNORE_OFFSCREEN, enter_pin

pytestmark = IGNORE_OFFSCREEN


def _row(services, staff_id):
    with services.ctx.db.read() as session:
        row = session.get(StaffRow, staff_id)
        return row.pin_hash, row.pin_reset_required


def _modal(qtbot, kind):
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind))
    return QApplication.activeModalWidget()


def _approval_pad(qtbot, pad: PinPadDialog) -> PinPadDialog:
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() not in (None, pad))
    approve = _modal(qtbot, PinPadDialog)
    qtbot.waitUntil(lambda: bool(approve.staff))
    return approve


def _type_twice(qtbot, dialog: NewPinDialog, first: str, second: str) -> None:
    dialog.pin.setText(first)
    dialog.again.setText(second)
    qtbot.keyClick(dialog.again, Qt.Key.Key_Return)


def _pad(qtbot, ui, purpose="Add a stamp") -> PinPadDialog:
    pad = PinPadDialog(ui, purpose)
    qtbot.addWidget(pad)
    pad.open()
    qtbot.waitUntil(lambda: bool(pad.staff))
    return pad


def test_a_new_pin_asked_at_the_hub_comes_before_the_grant(qtbot, ui, services, cashier):
    with services.ctx.db.write() as session:
        session.get(StaffRow, cashier.staff_id).pin_reset_required = True
    pad = _pad(qtbot, ui)
    granted = []
    pad.granted.connect(granted.append)
    enter_pin(qtbot, pad, "Carl", CASHIER_PIN)
    choose = _modal(qtbot, NewPinDialog)
    _type_twice(qtbot, choose, "6183", "6184")
    assert "differ" in choose.message.text() and _row(services, cashier.staff_id)[1] is True
    _type_twice(qtbot, choose, CASHIER_PIN, CASHIER_PIN)   # the old PIN again: refused by the service
    qtbot.waitUntil(lambda: "different from your old one" in choose.message.text())
    choose.reject()
    qtbot.waitUntil(lambda: "must choose a new PIN" in pad.message.text())
    assert not granted and _row(services, cashier.staff_id)[1] is True
    enter_pin(qtbot, pad, "Carl", CASHIER_PIN)
    _type_twice(qtbot, _modal(qtbot, NewPinDialog), "6183", "6183")
    qtbot.waitUntil(lambda: bool(granted))
    assert granted[0].staff_id == cashier.staff_id and _row(services, cashier.staff_id)[1] is False
    services.auth.verify_pin(cashier.staff_id, "6183")


def test_a_member_with_no_pin_gets_one_only_with_an_owners_pin(qtbot, ui, services, owner):
    nadia = str(uuid.uuid4())
    with services.ctx.db.write() as session:   # as a pull of a member added at the console stores them
        session.add(StaffRow(staff_id=nadia, name="Nadia", role="cashier", active=True, pin_hash=unset_pin_hash(),
                             failed_attempts=0, locked_until=None, updated_at=services.ctx.clock.now(),
                             pin_reset_required=True))
    pad = _pad(qtbot, ui)
    pad.select_staff("Nadia")
    assert not pad.ok.isEnabled() and not pad.first_pin.isHidden() and "no PIN yet" in pad.message.text()
    assert "needs a PIN" in pad.staff_buttons.checkedButton().text()
    pad.first_pin.click()
    approve = _approval_pad(qtbot, pad)
    assert [s.name for s in approve.staff] == ["Olga"]            # owners only
    enter_pin(qtbot, approve, "Olga", "9999")                       # a wrong owner PIN approves nothing
    qtbot.waitUntil(lambda: "Wrong PIN" in approve.message.text())
    assert approve.isVisible() and is_unset_pin_hash(_row(services, nadia)[0])
    enter_pin(qtbot, approve, "Olga", OWNER_PIN)
    choose = _modal(qtbot, NewPinDialog)
    choose.reject()                                                 # cancelled: still no PIN
    assert is_unset_pin_hash(_row(services, nadia)[0])
    pad.first_pin.click()
    enter_pin(qtbot, _approval_pad(qtbot, pad), "Olga", OWNER_PIN)
    _type_twice(qtbot, _modal(qtbot, NewPinDialog), "6183", "6183")
    qtbot.waitUntil(lambda: "PIN saved" in pad.message.text())
    assert _row(services, nadia)[1] is False and not is_unset_pin_hash(_row(services, nadia)[0])
    assert pad.selected().name == "Nadia" and pad.ok.isEnabled()
    granted = []
    pad.granted.connect(granted.append)
    qtbot.keyClicks(pad.pin, "6183")
    qtbot.keyClick(pad.pin, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(granted))
    assert granted[0].staff_id == nadia
