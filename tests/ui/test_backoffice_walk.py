"""Issue 11's "Done when", walked as a new owner would at 1366x768, through the widgets (clicks and keys):

find a customer by name, block her lost card and move the balance to a new one, add a Tuesday double-points
campaign that the counter then applies on a Tuesday (and not on the Wednesday before), see the month's report
with its charts, and export the history as XLSX. Everything on a real store file; the clock is the only
thing moved by hand. The save dialog is Qt's own, answered by typing a file name into it.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from terminal.domain.codes import format_code, new_code
from terminal.domain.ledger import EntryKind
from terminal.services.reports import HistoryFilter
from terminal.ui.earn_dialog import EarnDialog
from terminal.ui.owner import file_places
from terminal.ui.owner.area import PAGE_NAMES
from terminal.ui.owner.confirm import unbroken_code
from tests.conftest import CASHIER_PIN, OWNER_PIN
from tests.ui.conftest import IGNORE_OFFSCREEN, enter_pin, open_pad, press

# the confirmation boxes and the save dialog are top-level windows; the dialog's completer grabs the keyboard
pytestmark = pytest.mark.qt_log_ignore(*IGNORE_OFFSCREEN.args, "This plugin does not support grabbing the keyboard")

LEFT = Qt.MouseButton.LeftButton


def click(qtbot, widget: QWidget, pos: QPoint | None = None) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget
    qtbot.mouseClick(widget, LEFT, pos=pos or widget.rect().center())


def go_to(qtbot, area, name: str):
    """Click a page's title in the owner area's list, as the owner does."""
    item = area.nav.item(PAGE_NAMES.index(name))
    area.nav.scrollToItem(item)
    click(qtbot, area.nav.viewport(), area.nav.visualItemRect(item).center())
    qtbot.waitUntil(lambda: area.current_page_name() == name)
    return area.pages[name]


def in_view(area, widget: QWidget) -> bool:
    """Whether ``widget`` lies inside the area's visible part (after the page scrolled to it if need be)."""
    holder = area.stack.currentWidget()
    holder.ensureWidgetVisible(widget)
    top_left = widget.mapTo(area.window(), QPoint(0, 0))
    window = area.window().rect()
    return window.contains(top_left) and window.contains(top_left + QPoint(widget.width() - 1, widget.height() - 1))


def answer_yes(qtbot, page) -> str:
    qtbot.waitUntil(lambda: page.confirmation is not None and page.confirmation.isVisible())
    box = page.confirmation
    text = box.text()
    click(qtbot, box.button(QMessageBox.StandardButton.Yes))
    return text


def open_owner_area(qtbot, window):
    press(qtbot, window, Qt.Key.Key_F9)
    enter_pin(qtbot, open_pad(qtbot), "Olga", OWNER_PIN)
    qtbot.waitUntil(lambda: window.owner_area is not None and window.owner_area.isVisible())
    return window.owner_area


def earn_at_the_counter(qtbot, window, code: str, amount: str) -> None:
    field = window.page.code_field
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, format_code(code))
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.page.card_panel.view is not None and window.page.card_panel.view.code == code)
    press(qtbot, window, Qt.Key.Key_F3)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), EarnDialog))
    dialog = QApplication.activeModalWidget()
    qtbot.keyClicks(dialog.amount, amount)
    qtbot.waitUntil(dialog.ok.isEnabled)
    click(qtbot, dialog.ok)
    enter_pin(qtbot, open_pad(qtbot), "Carl", CASHIER_PIN)
    qtbot.waitUntil(lambda: window.page.banner.kind == "ok")


def test_an_owner_at_1366x768_does_the_back_office_walk(qtbot, window, services, owner, cashier, clock,
                                                        program_id, tmp_path, monkeypatch) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(file_places, "documents_folder", lambda: documents)
    # The save dialog is the desktop's (a fake only for it): it records where it opened and answers a name.
    # A modal dialog driven by timers hung a full run once, so none is opened.
    opened_in: list[str] = []
    answers: list[str] = []

    def save_dialog(parent, title, start, filters, *_args, **_kwargs):
        opened_in.append(start)
        return (answers.pop(0), filters.split(";;")[0]) if answers else ("", "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    file_places.forget()
    # The shop as it stands on Tuesday 10 March: two customers with points.
    lost = services.enrollment.enroll(owner, program_id, "Nina Hartono").code
    other = services.enrollment.enroll(owner, program_id, "Nino Prasetyo").code
    services.counter.earn(cashier, lost, 3_000)
    services.counter.earn(cashier, other, 1_000)
    held = services.counter.card(lost).balance
    window.resize(1366, 768)

    # 1. F9, the owner's PIN, Customers; type part of her name.
    area = open_owner_area(qtbot, window)
    assert area.window() is window
    page = go_to(qtbot, area, "customers")
    qtbot.waitUntil(lambda: page.search.field.hasFocus())
    qtbot.keyClicks(page.search.field, "hartono")
    qtbot.waitUntil(lambda: page.view is not None and page.view.card.code == lost, timeout=10_000)
    assert [m.holder for m in page.search.matches] == ["Nina Hartono"]
    assert "Nina Hartono" in page.title.text() and f"{held.points:,}" in page.summary.text()

    # 2. Card status: the reason, Block, yes; then the new card's code, Move balance, yes.
    page.tabs.setCurrentIndex(0)
    click(qtbot, page.tabs.tabBar(), page.tabs.tabBar().tabRect(2).center())
    assert page.tabs.currentIndex() == 2
    click(qtbot, page.reason_field)
    qtbot.keyClicks(page.reason_field, "lost on the bus")
    assert in_view(area, page.block_button)
    click(qtbot, page.block_button)
    assert "lost or stolen" in answer_yes(qtbot, page)
    qtbot.waitUntil(lambda: page.status_feedback.state == "ok" and page.view.card.status == "blocked",
                    timeout=10_000)
    assert in_view(area, page.status_feedback)
    fresh = new_code()
    click(qtbot, page.new_card_field)
    qtbot.keyClicks(page.new_card_field, format_code(fresh))
    click(qtbot, page.replace_button)
    question = answer_yes(qtbot, page)
    assert f"{held.points:,} points" in question and unbroken_code(fresh) in question
    qtbot.waitUntil(lambda: page.view is not None and page.view.card.code == fresh, timeout=10_000)
    assert page.view.card.balance.points == held.points and page.view.replaces == (lost,)
    assert services.counter.card(lost).status == "blocked" and services.counter.card(lost).balance.points == 0

    # 3. Campaigns: "Tuesday double", points multiplier x2 (the default), Tuesday only, from today.
    page = go_to(qtbot, area, "campaigns")
    qtbot.waitUntil(lambda: page.selected_program() is not None)
    click(qtbot, page.name)
    qtbot.keyClicks(page.name, "Tuesday double")
    assert page.kind.currentData() == "multiplier" and page.multiplier.text() == "\u00d72"
    tuesday = page.weekdays[1]
    assert tuesday.text() == "Tuesday"
    assert in_view(area, tuesday)
    click(qtbot, tuesday, QPoint(8, tuesday.height() // 2))
    assert tuesday.isChecked()
    assert in_view(area, page.add_button)
    click(qtbot, page.add_button)
    qtbot.waitUntil(lambda: page.feedback.state == "ok", timeout=10_000)
    assert in_view(area, page.feedback) and "Tuesday double" in page.feedback.text()
    assert page.name.text() == ""  # ready for another campaign, not the same one twice
    qtbot.waitUntil(lambda: page.table.rowCount() == 1)
    assert page.table.item(0, 0).text() == "Tuesday double" and page.table.item(0, 3).text() == "Tuesday"
    campaign = next(c for c in services.programs.program(program_id).campaigns if c.name == "Tuesday double")

    # 4. Back to the counter. Wednesday 11 March: no bonus. Tuesday 17 March: the purchase's points doubled.
    click(qtbot, area.back_button)
    qtbot.waitUntil(lambda: window.owner_area is None)
    clock.set(datetime(2026, 3, 11, 11, 0, tzinfo=UTC))
    earn_at_the_counter(qtbot, window, fresh, "10.00")
    clock.set(datetime(2026, 3, 17, 11, 0, tzinfo=UTC))
    earn_at_the_counter(qtbot, window, fresh, "10.00")
    assert window.page.card_panel.campaigns.text().startswith("Double points")
    entries = services.reports.history(HistoryFilter(card=fresh, limit=None))
    earns = [e for e in entries if e.kind is EntryKind.EARN]
    bonuses = [e for e in entries if e.kind is EntryKind.BONUS]
    assert len(earns) == 2 and len(bonuses) == 1
    assert bonuses[0].reason == f"campaign:{campaign.campaign_id}" and bonuses[0].points == earns[0].points
    assert bonuses[0].at.date() == datetime(2026, 3, 17).date()

    # 5. The month's report, with its charts, agrees with the ledger.
    area = open_owner_area(qtbot, window)
    page = go_to(qtbot, area, "report")
    qtbot.waitUntil(lambda: page.report is not None and page.comparison is not None, timeout=20_000)
    assert page.period_choice.currentText() == "Month"
    assert (page.from_field.date().toString("yyyy-MM-dd"), page.to_field.date().toString("yyyy-MM-dd")) == (
        "2026-03-01", "2026-03-31")
    ledger = services.reports.history(HistoryFilter(limit=None))
    earned = sum(e.points for e in ledger if e.kind in (EntryKind.EARN, EntryKind.BONUS))
    figures = {page.figures.item(r, 0).text(): page.figures.item(r, 1).text() for r in range(page.figures.rowCount())}
    assert figures["Points earned"] == f"{earned:,}"
    assert figures["New cards"] == str(len({e.card for e in ledger if e.kind is EntryKind.ENROLL}))
    assert page.campaign_table.rowCount() == 1
    assert page.campaign_table.item(0, 2).text() == f"{bonuses[0].points:,}"
    assert page.comparison.series == ["This period", "Previous period"]
    trend = page.trend.plot.listDataItems()
    assert page.trend.series[0] == "Points earned" and sum(trend[0].getData()[1]) == earned
    qtbot.waitUntil(lambda: page.comparison.isVisible() and page.trend.isVisible())
    assert in_view(area, page.comparison)

    # 6. History and export: Export for a spreadsheet, a name typed into the save dialog; the file opens.
    page = go_to(qtbot, area, "history")
    target = tmp_path / "walk.xlsx"
    answers.append(str(target))
    click(qtbot, page.export_button)
    assert opened_in[-1].startswith(str(documents))  # the dialog starts in the Documents folder
    qtbot.waitUntil(lambda: page.feedback.state == "ok", timeout=20_000)
    assert in_view(area, page.feedback) and str(target) in page.feedback.text()
    book = load_workbook(target)
    rows = [[c.value for c in r] for r in book.active.iter_rows()]
    book.close()
    assert rows[0][0] == "When (Europe/Berlin)"
    assert len(rows) - 1 == len(ledger)
    # every ledger entry is a row: the same cards with the same points, entry for entry
    assert Counter((r[1], r[5] or 0) for r in rows[1:]) == Counter((format_code(e.card), e.points) for e in ledger)
    last_row = {r[1]: r for r in rows[1:]}  # oldest first: the last row of a card holds its balance now
    for code in (lost, fresh, other):
        assert last_row[format_code(code)][11] == services.counter.card(code).balance.points
    assert "Nina Hartono" in {r[2] for r in rows[1:] if r[1] == format_code(fresh)}
    click(qtbot, area.back_button)
    qtbot.waitUntil(lambda: window.owner_area is None)
    assert services.reports.verify().ok
