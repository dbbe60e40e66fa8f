"""Void a ledger entry: find a card's entries, pick one, give a reason.

A void is a new entry that reverses the old one; the ledger never changes.
The service refuses what cannot be undone (already voided, spent since, not
a voidable kind) and the refusal is shown as it is given. Before anything is
written the owner sees what the void makes of the card ("Ana Lima: 6 → 5
stamps") and confirms; after it, nothing is selected, so the new Void row is
never one click from being voided in turn.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QVBoxLayout, QWidget

from terminal.domain.codes import format_code
from terminal.domain.ledger import VOIDABLE_KINDS, Entry, purchase_amount
from terminal.services.counter import CardView
from terminal.services.reports import HistoryFilter
from terminal.ui.context import money
from terminal.ui.owner.confirm import ConfirmBox, balance_change, balance_now, goes_below_zero
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel, entry_kind_labels, fill_table, make_table

MIN_REASON_LENGTH = 3


class VoidPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entries: list[Entry] = []
        self.voided: set[str] = set()
        self.names: dict[str, str] = {}
        self.confirmation: ConfirmBox | None = None
        self._filled_in = ""
        self.card_field = QLineEdit(placeholderText=self.tr("Card code"))
        self.card_field.returnPressed.connect(self.find)
        self.find_button = QPushButton(self.tr("Find entries"))
        self.find_button.clicked.connect(self.find)
        self.table = make_table([self.tr("When"), self.tr("What"), self.tr("Stamps"), self.tr("Points"),
                                 self.tr("Amount"), self.tr("Staff"), self.tr("Reason"), self.tr("Voided")])
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reason_field = QLineEdit(placeholderText=self.tr("Why (required), e.g. stamped the wrong card"))
        self.void_button = QPushButton(self.tr("Void selected entry…"))
        self.void_button.clicked.connect(self.void_selected)
        self.feedback = FeedbackLabel()
        search = QHBoxLayout()
        search.addWidget(self.card_field, 1)
        search.addWidget(self.find_button)
        form = QFormLayout()
        form.addRow(self.tr("Reason"), self.reason_field)
        action = QHBoxLayout()  # the answer sits beside the button that asked
        action.addWidget(self.void_button)
        action.addWidget(self.feedback, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(search)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(action)
        self._selection_changed()

    def refresh(self) -> None:
        code = self.ctx.counter_card()
        current = self.card_field.text().strip()
        if code and (not current or current == self._filled_in):
            self._filled_in = format_code(code)
            self.card_field.setText(self._filled_in)
        if self.card_field.text().strip():
            self.find()

    def find(self, keep_message: bool = False) -> None:
        code = self.card_field.text().strip()
        if not code:
            self.feedback.show_error(self.tr("Type or scan the card code."))
            return
        if not keep_message:
            self.feedback.clear_message()
        services = self.ctx.services

        def read() -> tuple[list[Entry], dict[str, str]]:
            names = {s.staff_id: s.name for s in services.staff.list(include_inactive=True)}
            return services.reports.history(HistoryFilter(card=code, limit=200)), names

        self.ctx.run(read, self._show, self.feedback.show_error, self)

    def _show(self, found: tuple[list[Entry], dict[str, str]]) -> None:
        self.entries, self.names = found
        self.voided = {e.reverses for e in self.entries if e.reverses}
        labels = entry_kind_labels()
        currency = self.ctx.store.currency if self.ctx.store else ""
        self.table.clearSelection()  # rows moved: a kept selection would point at another entry
        fill_table(self.table, [
            [self.ctx.local_time(e.at), labels[e.kind], f"{e.stamps:+d}" if e.stamps else "",
             f"{e.points:+d}" if e.points else "",
             money(paid, currency) if (paid := purchase_amount(e.kind, e.amount)) else "",
             self.names.get(e.staff_id or "", ""), e.reason or "",
             self.tr("voided") if e.entry_id in self.voided else ""] for e in self.entries])
        self.table.clearSelection()
        self.table.setCurrentCell(-1, -1)
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
        self.feedback.clear_message()
        self.ctx.run(lambda: self.ctx.services.counter.card(entry.card),
                     lambda view: self._confirm(view, entry, reason), self.feedback.show_error, self)

    def _confirm(self, view: CardView, entry: Entry, reason: str) -> None:
        if goes_below_zero(view, -entry.stamps, -entry.points):  # e.g. the points were spent since
            self.feedback.show_error(self.tr(
                "%1: a balance cannot go below zero (spent since?). Adjust instead. Nothing was changed.")
                .replace("%1", balance_change(view, -entry.stamps, -entry.points)))
            return
        what = entry_kind_labels()[entry.kind]
        staff = self.names.get(entry.staff_id or "", "")
        text = (self.tr("Void this entry?\n\n%1 of %2%3\n%4\n\nReason: %5")
                .replace("%1", what).replace("%2", self.ctx.local_time(entry.at))
                .replace("%3", self.tr(" by %1").replace("%1", staff) if staff else "")
                .replace("%4", balance_change(view, -entry.stamps, -entry.points)).replace("%5", reason))
        self.confirmation = ConfirmBox(self, self.tr("Void an entry"), text, self.tr("Void entry"),
                                       lambda: self._write(entry, reason))
        self.confirmation.finished.connect(self._confirmation_closed)
        self.confirmation.open()

    def _confirmation_closed(self) -> None:
        self.confirmation = None

    def _write(self, entry: Entry, reason: str) -> None:
        services = self.ctx.services

        def void_and_read(grant) -> CardView:  # noqa: ANN001
            services.owner.void(grant, entry.entry_id, reason)
            return services.counter.card(entry.card)

        self.ctx.run_granted(void_and_read, self._voided, self.feedback.show_error, self)

    def _voided(self, view: CardView) -> None:
        self.feedback.show_ok(self.tr("Voided. %1").replace("%1", balance_now(view)))
        self.reason_field.clear()
        self.find(keep_message=True)
