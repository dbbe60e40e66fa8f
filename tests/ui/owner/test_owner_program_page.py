"""Program settings through the owner area: rules, rewards with stock and validity, tiers."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt

from terminal.services.catalog import load_program


def _click(qtbot, button, settle) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle()


def _program(services, program_id):
    with services.ctx.db.read() as session:
        return load_program(session, program_id)


def test_edit_rules(qtbot, area, services, program_id, settle) -> None:
    page = area.show_page("program")
    settle()
    assert page.stamps_target.value() == _program(services, program_id).stamps_target
    page.stamps_target.setValue(8)
    page.min_amount.setText("2.50")
    page.cap.setValue(500)
    page.cooldown.setValue(30)
    page.daily_limit.setValue(page.daily_limit.minimum())  # back to the store default
    _click(qtbot, page.save_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    program = _program(services, program_id)
    assert (program.stamps_target, program.earning.min_amount_minor, program.earning.max_points_per_event,
            program.cooldown_minutes, program.daily_stamp_limit) == (8, 250, 500, 30, None)
    assert page.min_amount.text() == "2.50" and page.cap.value() == 500

    page.min_amount.setText("two euros")
    _click(qtbot, page.save_button, settle)
    assert page.feedback.state == "error" and "not an amount" in page.feedback.text()
    assert _program(services, program_id).earning.min_amount_minor == 250


def test_rewards_and_tiers(qtbot, area, services, program_id, settle) -> None:
    page = area.show_page("program")
    settle()
    rewards = page.rewards
    before = rewards.table.rowCount()
    rewards.name.setText("Tote bag")
    rewards.cost_points.setValue(300)
    rewards.stock.setValue(12)
    rewards.valid_from.setText("2026-04-01")
    rewards.valid_until.setText("2026-04-30")
    _click(qtbot, rewards.add_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    _click(qtbot, page.save_button, settle)  # rewards are saved with the page
    assert page.feedback.state == "ok", page.feedback.text()
    tote = next(r for r in services.owner_views.programs()[0].rewards if r.name == "Tote bag")
    # store-local days (Berlin, UTC+2 in April); the last day counts in full
    assert (tote.cost_points, tote.stock, tote.valid_from, tote.valid_until) == (
        300, 12, datetime(2026, 3, 31, 22, tzinfo=UTC), datetime(2026, 4, 30, 22, tzinfo=UTC))
    assert rewards.table.rowCount() == before + 1
    row = next(r for r in range(rewards.table.rowCount()) if rewards.table.item(r, 0).text() == "Tote bag")
    assert rewards.table.item(row, 5).text() == "2026-04-30"

    rewards.table.selectRow(row)
    assert rewards.valid_until.text() == "2026-04-30"
    rewards.stock.setValue(rewards.stock.minimum())  # unlimited
    rewards.valid_until.setText("30 April")
    _click(qtbot, rewards.update_button, settle)
    assert page.feedback.state == "error" and "YYYY-MM-DD" in page.feedback.text()
    rewards.valid_until.setText("")
    _click(qtbot, rewards.update_button, settle)
    _click(qtbot, page.save_button, settle)
    tote = next(r for r in services.owner_views.programs()[0].rewards if r.name == "Tote bag")
    assert (tote.stock, tote.valid_until) == (None, None)
    row = next(r for r in range(rewards.table.rowCount()) if rewards.table.item(r, 0).text() == "Tote bag")
    rewards.table.selectRow(row)
    _click(qtbot, rewards.retire_button, settle)
    _click(qtbot, page.save_button, settle)
    assert "Tote bag" not in {r.name for r in services.owner_views.programs()[0].rewards}

    tiers = page.tiers
    tiers.add_row("Silver", 1000, 125)
    tiers.add_row("Gold", 5000, 150)
    assert tiers.table.item(0, 2).text() == "\u00d71.25"  # a multiplier reads as one, not as "125"
    _click(qtbot, page.save_button, settle)  # one Save for the whole page
    assert page.feedback.state == "ok", page.feedback.text()
    assert [(t.name, t.min_lifetime_points, t.multiplier_percent)
            for t in _program(services, program_id).tiers] == [("Silver", 1000, 125), ("Gold", 5000, 150)]
    tiers.add_row("Platinum", 0, 100)
    tiers.table.item(2, 1).setText("lots")
    _click(qtbot, page.save_button, settle)
    assert page.feedback.state == "error" and "whole number" in page.feedback.text()
    tiers.table.item(2, 1).setText("9000")
    tiers.table.item(2, 2).setText("0.5")
    _click(qtbot, page.save_button, settle)
    assert page.feedback.state == "error" and "\u00d71 or more" in page.feedback.text()
    tiers.table.item(2, 2).setText("x2")
    _click(qtbot, page.save_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    assert [t.multiplier_percent for t in _program(services, program_id).tiers] == [125, 150, 200]


def test_expiry_mode_shows_only_with_expiry_days_and_saves_with_the_page(qtbot, area, services, program_id,
                                                                         settle) -> None:
    from terminal.services.expiry_mode import expiry_mode

    page = area.show_page("program")
    settle()
    page.expiry_days.setValue(page.expiry_days.minimum())  # never
    assert not page.expiry_mode.isVisibleTo(page)
    page.expiry_days.setValue(180)
    assert page.expiry_mode.isVisibleTo(page) and page.expiry_mode.currentData() == "age"
    page.expiry_mode.setCurrentIndex(page.expiry_mode.findData("inactivity"))
    _click(qtbot, page.save_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    assert expiry_mode(services.ctx, program_id) == "inactivity"
    assert _program(services, program_id).points_expiry_days == 180
    page.refresh()
    settle()
    assert page.expiry_mode.currentData() == "inactivity" and page.expiry_mode.isVisibleTo(page)


def test_rewards_wait_for_the_pages_one_save(qtbot, area, services, program_id, settle) -> None:
    def offered() -> dict:
        return {r.name: r for r in services.owner_views.programs()[0].rewards}

    page = area.show_page("program")
    settle()
    rewards = page.rewards
    before = offered()
    rewards.name.setText("Tote bag")
    rewards.cost_points.setValue(300)
    _click(qtbot, rewards.add_button, settle)
    assert "Save program" in page.feedback.text() and rewards.isAncestorOf(page.feedback)
    assert "Tote bag" not in offered()  # nothing written yet
    row = next(r for r in range(rewards.table.rowCount()) if rewards.table.item(r, 0).text() == "Tote bag")
    assert rewards.table.item(row, 6).text() == "new"
    rewards.name.setText("")
    _click(qtbot, rewards.add_button, settle)
    assert page.feedback.state == "error" and "needs a name" in page.feedback.text()

    first = next(iter(before))  # a saved reward: change its stock, then mark another to be retired
    row = next(r for r in range(rewards.table.rowCount()) if rewards.table.item(r, 0).text() == first)
    rewards.table.selectRow(row)
    rewards.stock.setValue(7)
    _click(qtbot, rewards.update_button, settle)
    assert rewards.table.item(row, 6).text() == "changed"
    others = [n for n in before if n != first]
    assert others, "the hybrid template offers two rewards"
    other = next(r for r in range(rewards.table.rowCount()) if rewards.table.item(r, 0).text() == others[0])
    rewards.table.selectRow(other)
    _click(qtbot, rewards.retire_button, settle)
    assert rewards.table.item(other, 6).text() == "to be retired" and others[0] in offered()
    assert rewards.retire_button.text() == "Keep selected"
    assert offered()[first].stock == before[first].stock

    _click(qtbot, page.save_button, settle)
    assert page.feedback.state == "ok", page.feedback.text()
    now = offered()
    assert now["Tote bag"].cost_points == 300 and now[first].stock == 7
    assert others[0] not in now
    assert all(rewards.table.item(r, 6).text() == "" for r in range(rewards.table.rowCount()))


def test_a_save_that_fails_half_way_writes_nothing_and_can_be_tried_again(qtbot, area, services, program_id,
                                                                          settle, monkeypatch) -> None:
    """Rules, tiers, the expiry mode and the rewards are one transaction: a refusal in the last part
    (here the rewards, as when the disk fails) leaves the program as it was, and the page as typed."""
    import sqlite3

    from terminal.domain.errors import ErrorCode, LoyaltyError
    from terminal.services import reward_changes
    from terminal.services.expiry_mode import expiry_mode

    def dump() -> list[str]:
        with sqlite3.connect(services.ctx.db.path) as conn:
            return list(conn.iterdump())

    page = area.show_page("program")
    settle()
    page.stamps_target.setValue(9)
    page.expiry_days.setValue(120)
    page.expiry_mode.setCurrentIndex(page.expiry_mode.findData("inactivity"))
    page.rewards.name.setText("Tote bag")
    page.rewards.cost_points.setValue(300)
    _click(qtbot, page.rewards.add_button, settle)
    real_write = reward_changes.write

    def failing_write(*args, **kwargs):
        raise LoyaltyError(ErrorCode.INVALID_INPUT, "The store could not write the reward.")

    monkeypatch.setattr(reward_changes, "write", failing_write)
    before = dump()
    _click(qtbot, page.save_button, settle)
    assert page.feedback.state == "error" and "could not write the reward" in page.feedback.text()
    assert dump() == before  # not even the rules and the mode written before the rewards
    assert page.stamps_target.value() == 9 and [d.name for d in page.rewards.pending()] == ["Tote bag"]

    monkeypatch.setattr(reward_changes, "write", real_write)
    _click(qtbot, page.save_button, settle)  # the same Save again: now all of it
    assert page.feedback.state == "ok", page.feedback.text()
    program = _program(services, program_id)
    assert (program.stamps_target, program.points_expiry_days) == (9, 120)
    assert expiry_mode(services.ctx, program_id) == "inactivity"
    assert "Tote bag" in {r.name for r in services.owner_views.programs()[0].rewards}
