"""Staff and PINs through the owner area: add, reset PIN, unlock, rename, deactivate."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from terminal.domain.errors import ErrorCode, LoyaltyError


def _click(qtbot, button, settle) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()


def _select(page, name: str) -> None:
    page.select(next(s.staff_id for s in page.staff if s.name == name))


def test_add_reset_unlock(qtbot, area, services, settle) -> None:
    page = area.show_page("staff")
    settle()
    assert [page.table.item(r, 0).text() for r in range(page.table.rowCount())] == ["Olga"]
    page.new_name.setText("Rita")
    page.new_pin.setText("3816")
    _click(qtbot, page.add_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    assert page.new_pin.text() == ""  # a PIN never stays on screen
    rita = next(s for s in services.staff.list() if s.name == "Rita")
    assert rita.role == "cashier"
    assert services.auth.verify_pin(rita.staff_id, "3816").name == "Rita"

    for _ in range(services.ctx.settings.pin_max_failed_attempts):
        with pytest.raises(LoyaltyError):
            services.auth.verify_pin(rita.staff_id, "0000")
    with pytest.raises(LoyaltyError) as locked:
        services.auth.verify_pin(rita.staff_id, "3816")
    assert locked.value.code is ErrorCode.STAFF_LOCKED
    page.refresh()
    settle()
    row = next(r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "Rita")
    assert page.table.item(row, 3).text()  # the lock's end is shown

    _select(page, "Rita")
    _click(qtbot, page.unlock_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    assert services.auth.verify_pin(rita.staff_id, "3816").name == "Rita"

    _select(page, "Rita")
    page.reset_field.setText("6093")
    _click(qtbot, page.reset_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    assert services.auth.verify_pin(rita.staff_id, "6093").name == "Rita"
    with pytest.raises(LoyaltyError):
        services.auth.verify_pin(rita.staff_id, "3816")


def test_rename_and_deactivate(qtbot, area, services, cashier, settle) -> None:
    page = area.show_page("staff")
    settle()
    _select(page, "Carl")
    page.rename_field.setText("Carlos")
    _click(qtbot, page.rename_button, settle)
    assert {s.name for s in services.staff.list()} == {"Olga", "Carlos"}
    _select(page, "Carlos")
    _click(qtbot, page.deactivate_button, settle)
    assert {s.name for s in services.staff.list()} == {"Olga"}
    _select(page, "Olga")  # the only owner cannot go
    _click(qtbot, page.deactivate_button, settle)
    assert page.feedback.state == "error" and "only owner" in page.feedback.text()


def test_bad_staff_input_writes_nothing(qtbot, area, services, grants, settle) -> None:
    page = area.show_page("staff")
    settle()
    page.new_name.setText("")
    page.new_pin.setText("3816")
    _click(qtbot, page.add_button, settle)
    assert page.feedback.state == "error" and "name" in page.feedback.text()
    page.new_name.setText("Rita")
    page.new_pin.setText("1234")  # too common: the PIN rules refuse it
    _click(qtbot, page.add_button, settle)
    assert page.feedback.state == "error" and "guess" in page.feedback.text()
    assert [s.name for s in services.staff.list()] == ["Olga"]
