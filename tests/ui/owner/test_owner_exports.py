"""Exports an owner can open: the history as XLSX or CSV from the page, save dialogs that start in
Documents and then the last folder, and a clear word when no printer is set up."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import QApplication, QFileDialog

from terminal.domain.codes import format_code
from terminal.ui.owner import file_places
from terminal.ui.owner.card_print import NoPrinterBox
from tests.ui.conftest import IGNORE_OFFSCREEN

pytestmark = IGNORE_OFFSCREEN


@pytest.fixture(autouse=True)
def _fresh_places(tmp_path, monkeypatch):
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(file_places, "documents_folder", lambda: documents)
    file_places.forget()
    yield documents
    file_places.forget()


class SaveDialog:
    """Stands in for the save dialog: records where it opened and answers with ``answer``."""

    def __init__(self, answer: Path, chosen_filter: str = "") -> None:
        self.answer, self.chosen_filter, self.opened_at = answer, chosen_filter, []

    def __call__(self, _parent, _title, start, filters, *a, **k):
        self.opened_at.append((start, filters))
        return str(self.answer), self.chosen_filter


def test_history_exports_as_a_workbook_with_balances_and_local_times(qtbot, area, services, owner, card, tmp_path,
                                                                      monkeypatch, settle, _fresh_places) -> None:
    services.counter.stamp(owner, card)
    services.counter.earn(owner, card, 1234)
    page = area.show_page("history")
    settle()
    target = tmp_path / "out" / "history.xlsx"
    target.parent.mkdir()
    dialog = SaveDialog(target)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    settle()
    assert page.feedback.state == "ok", page.feedback.text()
    assert dialog.opened_at[0][0] == str(_fresh_places / "loyalty-history.xlsx")  # Documents, not the cwd
    rows = [[c.value for c in r] for r in load_workbook(target).active.iter_rows()]
    assert rows[0][0] == "When (Europe/Berlin)"
    assert [r[1] for r in rows[1:]] == [format_code(card)] * 3
    assert [r[3] for r in rows[1:]] == ["Enrolled", "Stamp", "Points earned"]
    assert [r[10] for r in rows[1:]] == [0, 1, 1]  # stamps after each entry
    assert rows[1][0].hour == 10  # 09:00 UTC shown as Berlin's 10:00
    assert f"3 entries written to {target}" in page.feedback.text()

    csv_target = tmp_path / "out" / "again"  # no suffix: the chosen filter decides, and it is added
    second = SaveDialog(csv_target, page.tr("CSV, comma-separated (*.csv)"))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", second)
    page.card_field.setText(card)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    settle()
    assert second.opened_at[0][0] == str(target.parent / "loyalty-history.xlsx")  # the last folder used
    written = csv_target.with_suffix(".csv")
    rows = list(csv.reader(written.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[-1][3] == "Points earned" and rows[-1][6] == "12.34" and rows[-1][7] == "EUR"


def test_a_ledger_export_is_labelled_for_auditors(area) -> None:
    page = area.show_page("history")
    assert "auditors" in page.ledger_button.text() and "spreadsheet" in page.export_button.text()


def test_print_without_a_printer_says_so_and_offers_the_pdf(qtbot, area, services, owner, card, tmp_path,
                                                            monkeypatch, settle) -> None:
    monkeypatch.setattr(QPrinterInfo, "availablePrinterNames", staticmethod(lambda: []))
    page = area.show_page("enroll")
    page.reprint_field.setText(card)
    page.show_existing()
    settle()
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), NoPrinterBox))
    box = QApplication.activeModalWidget()
    assert "No printer is set up" in box.text() and box.pdf_button is not None
    target = tmp_path / "card.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", SaveDialog(target))
    qtbot.mouseClick(box.pdf_button, Qt.MouseButton.LeftButton)
    settle()
    qtbot.waitUntil(target.exists)
    assert target.read_bytes().startswith(b"%PDF")
