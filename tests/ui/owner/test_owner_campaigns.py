"""Programs and campaigns through the owner area: add, retire, kind-specific fields, a Tuesday campaign."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from terminal.domain.ledger import EntryKind
from terminal.domain.programs import format_multiplier


def _click(qtbot, button, settle) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()


def test_editor_shows_only_what_fits_the_kind_and_adds_then_retires(qtbot, area, services, settle) -> None:
    page = area.show_page("program")
    settle()
    assert page.stamps_box.isVisibleTo(page) and page.points_box.isVisibleTo(page)  # the hybrid template
    page.add_program_button.click()
    page.template_choice.setCurrentIndex(4)  # blank points program
    _click(qtbot, page.create_button, settle)
    assert page.feedback.state == "error" and "needs a name" in page.feedback.text()
    page.new_name.setText("Workshop points")
    _click(qtbot, page.create_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    assert page.selected().program.name == "Workshop points"
    assert not page.stamps_box.isVisibleTo(page)  # no "Stamps for a reward" on a points program
    assert page.points_box.isVisibleTo(page) and page.tiers.isVisibleTo(page)
    assert not page.rewards.form.isRowVisible(page.rewards.cost_stamps)
    # one Save: the rate, points as money and a tier together
    page.points_per_unit.setValue(1)
    page.rate_amount.setText("0.50")
    assert "12.50 EUR earns 25 points" in page.rate_example.text()
    page.money_box.setChecked(True)
    page.money_points.setValue(100)
    page.money_value.setText("1.00")
    page.money_percent.setValue(30)
    page.tiers.add_row("Gold", 500, 150)
    _click(qtbot, page.save_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    program = page.selected().program
    assert (program.earning.points_per_unit, program.earning.per_minor) == (1, 50)
    assert (program.points_money.points, program.points_money.value_minor, program.points_money.max_percent) == \
        (100, 100, 30)
    assert page.tiers.table.item(0, 2).text() == format_multiplier(150)
    # retire asks first, then says what happened
    page.retire_button.click()
    assert page.retire_box.isVisibleTo(page) and "keep their history" in page.retire_question.text()
    _click(qtbot, page.confirm_retire_button, settle)
    assert page.feedback.state == "ok" and "retired" in page.feedback.text()
    assert "(retired)" in page.program_choice.currentText()
    assert page.retired_note.isVisibleTo(page) and not page.save_button.isEnabled()


def test_a_tuesday_double_points_campaign_from_the_page(qtbot, area, services, cashier, card, program_id,
                                                        settle) -> None:
    page = area.show_page("campaigns")
    settle()
    page.name.setText("Double Tuesday")
    page.kind.setCurrentIndex(page.kind.findData("multiplier"))
    assert page.form.isRowVisible(page.multiplier) and not page.form.isRowVisible(page.min_spend)
    page.weekdays[1].setChecked(True)
    page.first_day.setDate(QDate(2026, 3, 1))
    page.last_day.setDate(QDate(2026, 3, 31))
    page.some_hours.setChecked(True)
    assert format_multiplier(200) in page.rules_note.text() and "Europe/Berlin" in page.rules_note.text()
    page.kind.setCurrentIndex(page.kind.findData("spend_bonus"))
    assert page.form.isRowVisible(page.min_spend) and not page.form.isRowVisible(page.multiplier)
    page.kind.setCurrentIndex(page.kind.findData("multiplier"))
    page.multiplier.setText("two")
    _click(qtbot, page.add_button, settle)
    assert page.feedback.state == "error" and "not a multiplier" in page.feedback.text()
    page.multiplier.setText(format_multiplier(200))
    _click(qtbot, page.add_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    assert page.table.rowCount() == 1 and page.table.item(0, 1).text() == "Double points"
    assert page.table.item(0, 5).text() == "running"  # Tuesday 10 March, 10:00 in Berlin
    result = services.counter.earn(cashier, card, 1000)
    assert [b.kind for b in result.bonuses] == [EntryKind.BONUS]
    void = area.show_page("void")  # the bonus has its own row, named
    void.card_field.setText(card)
    void.find()
    settle()
    assert any(void.table.item(r, 1).text() == "Campaign bonus" for r in range(void.table.rowCount()))
    area.show_page("campaigns")
    settle()
    page.table.selectRow(0)
    _click(qtbot, page.end_button, settle)
    assert page.feedback.state == "ok" and page.table.item(0, 5).text() == "over"
