"""Transaction history: filter by card, staff, kind and store-local dates; export it.

Two exports: one for people (XLSX or CSV with local times, money, holders and each card's balance after
every entry, in the window's language) and the raw signed ledger for auditors.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.codes import format_code
from terminal.domain.errors import ErrorCode, LoyaltyError
from terminal.domain.ledger import Entry, EntryKind, purchase_amount
from terminal.services.daily_report import day_bounds_utc
from terminal.services.history_export import HistoryLabels, export_history
from terminal.services.private_files import open_private_text
from terminal.services.reports import HistoryFilter
from terminal.services.staff import StaffInfo
from terminal.ui.context import money
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.file_places import remember, suggested_path
from terminal.ui.owner.widgets import FeedbackLabel, entry_kind_labels, fill_table, make_table

SHOWN_LIMIT = 500


class HistoryPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entries: list[Entry] = []
        self.names: dict[str, str] = {}
        self.card_field = QLineEdit(placeholderText=self.tr("Any card"))
        self.staff_choice = QComboBox()
        self.kind_choice = QComboBox()
        self.kind_choice.addItem(self.tr("Everything"), None)
        for kind, label in entry_kind_labels().items():
            self.kind_choice.addItem(label, kind)
        self.from_field = QLineEdit(placeholderText=self.tr("YYYY-MM-DD"))
        self.to_field = QLineEdit(placeholderText=self.tr("YYYY-MM-DD"))
        self.search_button = QPushButton(self.tr("Show"))
        self.search_button.clicked.connect(self.search)
        self.export_button = QPushButton(self.tr("Export for a spreadsheet…"))
        self.export_button.setToolTip(self.tr("Excel (XLSX) or CSV: local times, amounts, holders and each "
                                              "card's balance after every entry."))
        self.export_button.clicked.connect(self.export_for_people)
        self.ledger_button = QPushButton(self.tr("Raw ledger for auditors…"))
        self.ledger_button.setToolTip(self.tr("The signed ledger as stored: UTC times, minor units, hashes. "
                                              "For an auditor or an accountant's tools."))
        self.ledger_button.clicked.connect(self.export)
        self.table = make_table([self.tr("When"), self.tr("Card"), self.tr("What"), self.tr("Stamps"),
                                 self.tr("Points"), self.tr("Amount"), self.tr("Staff"), self.tr("Reason")])
        self.feedback = FeedbackLabel()
        filters = QGridLayout()
        filters.addWidget(QLabel(self.tr("Card")), 0, 0)
        filters.addWidget(self.card_field, 0, 1)
        filters.addWidget(QLabel(self.tr("Staff")), 0, 2)
        filters.addWidget(self.staff_choice, 0, 3)
        filters.addWidget(QLabel(self.tr("Kind")), 0, 4)
        filters.addWidget(self.kind_choice, 0, 5)
        filters.addWidget(QLabel(self.tr("From day")), 1, 0)
        filters.addWidget(self.from_field, 1, 1)
        filters.addWidget(QLabel(self.tr("To day (included)")), 1, 2)
        filters.addWidget(self.to_field, 1, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        filters.addLayout(buttons, 1, 4, 1, 2)
        exports = QHBoxLayout()  # the answer sits beside the buttons that asked
        exports.addWidget(self.export_button)
        exports.addWidget(self.ledger_button)
        exports.addWidget(self.feedback, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(exports)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        self.ctx.run(lambda: self.ctx.services.staff.list(include_inactive=True), self._show_staff,
                     self.feedback.show_error, self)
        self.search()

    def _show_staff(self, staff: list[StaffInfo]) -> None:
        current = self.staff_choice.currentData()
        self.names = {s.staff_id: s.name for s in staff}
        self.staff_choice.clear()
        self.staff_choice.addItem(self.tr("Everyone"), None)
        for info in staff:
            self.staff_choice.addItem(info.name, info.staff_id)
        if current is not None and (index := self.staff_choice.findData(current)) >= 0:
            self.staff_choice.setCurrentIndex(index)

    def current_filter(self, limit: int | None = SHOWN_LIMIT) -> HistoryFilter:
        """The filter the fields describe; raises LoyaltyError on a bad date."""
        tz = self.ctx.store.tz if self.ctx.store else None
        start = self._day(self.from_field.text(), self.tr("From day"))
        end = self._day(self.to_field.text(), self.tr("To day"))
        kind = self.kind_choice.currentData()
        return HistoryFilter(
            card=self.card_field.text().strip() or None, staff_id=self.staff_choice.currentData(),
            kinds=(EntryKind(kind),) if kind else (), start=day_bounds_utc(start, tz)[0] if start else None,
            end=day_bounds_utc(end, tz)[1] if end else None, limit=limit)

    def _day(self, text: str, label: str) -> date | None:
        if not text.strip():
            return None
        try:
            return date.fromisoformat(text.strip())
        except ValueError:
            raise LoyaltyError(ErrorCode.INVALID_INPUT, self.tr(
                "%1: type a date as YYYY-MM-DD, for example 2026-03-10, or leave it empty.").replace("%1", label)
            ) from None

    def search(self) -> None:
        try:
            f = self.current_filter()
        except LoyaltyError as exc:
            self.feedback.show_error(exc)
            return
        self.feedback.clear_message()
        self.ctx.run(lambda: self.ctx.services.reports.history(f), self._show, self.feedback.show_error, self)

    def _show(self, entries: list[Entry]) -> None:
        self.entries = entries
        labels = entry_kind_labels()
        currency = self.ctx.store.currency if self.ctx.store else ""
        fill_table(self.table, [
            [self.ctx.local_time(e.at), format_code(e.card), labels[e.kind], f"{e.stamps:+d}" if e.stamps else "",
             f"{e.points:+d}" if e.points else "",
             money(paid, currency) if (paid := purchase_amount(e.kind, e.amount)) else "",
             self.names.get(e.staff_id or "", ""), e.reason or ""] for e in entries])
        if len(entries) == SHOWN_LIMIT:
            self.feedback.show_ok(self.tr("Showing the newest %1 entries; narrow the filter, or export them all.")
                                  .replace("%1", str(SHOWN_LIMIT)))

    def export(self) -> None:
        try:
            f = dataclasses.replace(self.current_filter(), limit=None)
        except LoyaltyError as exc:
            self.feedback.show_error(exc)
            return
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the raw ledger (for auditors)"),
                                              suggested_path("loyalty-ledger.csv"), self.tr("CSV files (*.csv)"))
        if not path:
            return
        remember(path)
        reports = self.ctx.services.reports

        def write(grant) -> int:  # noqa: ANN001
            try:
                with open_private_text(path) as out:
                    return reports.export_csv(grant, out, f)
            except OSError as exc:
                raise LoyaltyError(ErrorCode.INVALID_INPUT, str(exc), unwritable=path) from None

        self.ctx.run_granted(write, lambda count: self.feedback.show_ok(
            self.tr("%1 entries written to %2.").replace("%1", str(count)).replace("%2", path)),
            lambda error: self._export_failed(error, path), self)

    def labels(self) -> HistoryLabels:
        """The export's words in the window's language."""
        return HistoryLabels(
            when=self.tr("When (%1)"), card=self.tr("Card"), holder=self.tr("Holder"), what=self.tr("What"),
            stamps=self.tr("Stamps"), points=self.tr("Points"), amount=self.tr("Amount"),
            currency=self.tr("Currency"), staff=self.tr("Staff"), reason=self.tr("Reason"),
            stamps_after=self.tr("Stamps after"), points_after=self.tr("Points after"),
            sheet_title=self.tr("History"), kinds=entry_kind_labels())

    def export_for_people(self) -> None:
        try:
            f = dataclasses.replace(self.current_filter(), limit=None)
        except LoyaltyError as exc:
            self.feedback.show_error(exc)
            return
        xlsx, csv_filter = self.tr("Excel workbook (*.xlsx)"), self.tr("CSV, comma-separated (*.csv)")
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export history for a spreadsheet"),
                                                   suggested_path("loyalty-history.xlsx"), f"{xlsx};;{csv_filter}")
        if not path:
            return
        suffix = Path(path).suffix.lower()
        fmt = suffix[1:] if suffix in (".xlsx", ".csv") else "csv" if chosen == csv_filter else "xlsx"
        if suffix != f".{fmt}":
            path += f".{fmt}"
        remember(path)
        reports, labels = self.ctx.services.reports, self.labels()

        def write(grant) -> int:  # noqa: ANN001
            try:
                return export_history(reports, grant, path, fmt, f, labels)
            except OSError as exc:
                raise LoyaltyError(ErrorCode.INVALID_INPUT, str(exc), unwritable=path) from None

        self.feedback.clear_message()
        self.ctx.run_granted(write, lambda count: self.feedback.show_ok(
            self.tr("%1 entries written to %2.").replace("%1", str(count)).replace("%2", path)),
            lambda error: self._export_failed(error, path), self)

    def _export_failed(self, error: LoyaltyError, path: str) -> None:
        if error.details.get("unwritable"):
            self.feedback.show_error(self.tr("Could not write %1. Pick a folder you can write to.")
                                     .replace("%1", path))
        else:
            self.feedback.show_error(error)
