"""Void a ledger entry: find a card's entries, pick one, give a reason.

A void is a new entry that reverses the old one; the ledger never changes.
The service refuses what cannot be undone (already voided, spent since, not
a voidable kind) and the refusal is shown as it is given.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from terminal.domain.codes import format_code
from terminal.domain.ledger import VOIDABLE_KINDS, Entry
from terminal.services.reports import HistoryFilter
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel, entry_kind_labels, fill_table, make_table

MIN_REASON_LENGTH = 3


class VoidPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entries: list[Entry] = []
        self.voided: set[str] = set()
        self.card_field = QLineEdit(placeholderText=self.tr("Card code"))
        self.card_field.returnPressed.connect(self.find)
        self.find_button = QPushButton(self.tr("Find entries"))
        self.find_button.clicked.connect(self.find)
        self.table = make_table([self.tr("When"), self.tr("What"), self.tr("Stamps"), self.tr("Points"),
                                 self.tr("Reason"), self.tr("Voided")])
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reason_field = QLineEdit(placeholderText=self.tr("Why (required), e.g. stamped the wrong card"))
        self.void_button = QPushButton(self.tr("Void selected entry"))
        self.void_button.clicked.connect(self.void_selected)
        self.feedback = FeedbackLabel()
        search = QHBoxLayout()
        search.addWidget(self.card_field, 1)
        search.addWidget(self.find_button)
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason_field)
        layout = QVBoxLayout(self)
        layout.addLayout(search)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.void_button)
        layout.addWidget(self.feedback)
        self._selection_changed()

    def refresh(self) -> None:
        if self.card_field.text().strip():
            self.find()

    def find(self, keep_message: bool = False) -> None:
        code = self.card_field.text().strip()
        if not code:
            self.feedback.show_error(self.tr("Type or scan the card code."))
            return
        if not keep_message:
            self.feedback.clear_message()
        self.ctx.run(lambda: self.ctx.services.reports.history(HistoryFilter(card=code, limit=200)),
                     self._show, self.feedback.show_error, self)

    def _show(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.voided = {e.reverses for e in entries if e.reverses}
        labels = entry_kind_labels()
        fill_table(self.table, [
            [self.ctx.local_time(e.at), labels[e.kind], f"{e.stamps:+d}" if e.stamps else "",
             f"{e.points:+d}" if e.points else "", e.reason or "",
             self.tr("voided") if e.entry_id in self.voided else ""] for e in entries])
        self._selection_changed()

    def selected(self) -> Entry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows and rows[0].row() < len(self.entries) else None

    def select_entry(self, entry_id: str) -> None:
        for row, entry in enumerate(self.entries):
            if entry.entry_id == entry_id:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        entry = self.selected()
        self.void_button.setEnabled(entry is not None and entry.kind in VOIDABLE_KINDS
                                    and entry.entry_id not in self.voided)

    def void_selected(self) -> None:
        entry, reason = self.selected(), self.reason_field.text().strip()
        if entry is None:
            self.feedback.show_error(self.tr("Pick the entry to void in the list."))
            return
        if len(reason) < MIN_REASON_LENGTH:
            self.feedback.show_error(self.tr("Say why you void this entry; the reason goes in the ledger."))
            return
        self.ctx.run_granted(lambda g: self.ctx.services.owner.void(g, entry.entry_id, reason),
                             self._voided, self.feedback.show_error, self)

    def _voided(self, void: Entry) -> None:
        self.feedback.show_ok(self.tr("The entry on card %1 was voided.").replace("%1", format_code(void.card)))
        self.reason_field.clear()
        self.find(keep_message=True)
