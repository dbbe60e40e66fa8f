"""The tiers of one program: name, lifetime points to reach it, and its earning multiplier."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout

from terminal.services.owner_views import ProgramDetails
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel


class TiersEditor(QGroupBox):
    changed = Signal()

    def __init__(self, ctx: OwnerContext, feedback: FeedbackLabel) -> None:
        super().__init__()
        self.setTitle(self.tr("Tiers"))
        self.ctx = ctx
        self.feedback = feedback
        self.program_id: str | None = None
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Tier"), self.tr("From lifetime points"),
                                              self.tr("Points multiplier (%)")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton(self.tr("Add tier"))
        self.add_button.clicked.connect(lambda: self.add_row("", 0, 100))
        self.remove_button = QPushButton(self.tr("Remove tier"))
        self.remove_button.clicked.connect(self.remove_row)
        self.save_button = QPushButton(self.tr("Save tiers"))
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.save_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def show_program(self, details: ProgramDetails) -> None:
        self.program_id = details.program.program_id
        self.table.setRowCount(0)
        for tier in details.program.tiers:
            self.add_row(tier.name, tier.min_lifetime_points, tier.multiplier_percent)
        self.setEnabled(details.program.kind.has_points)

    def add_row(self, name: str, threshold: int, multiplier: int) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate((name, str(threshold), str(multiplier))):
            self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def tiers(self) -> list[tuple[str, int, int]] | None:
        """The table as (name, threshold, multiplier); None after telling the owner what is wrong."""
        result = []
        for row in range(self.table.rowCount()):
            name, threshold, multiplier = (self._text(row, c) for c in range(3))
            if not name:
                self.feedback.show_error(self.tr("Tier %1 needs a name.").replace("%1", str(row + 1)))
                return None
            if not threshold.isdigit() or not multiplier.isdigit():
                self.feedback.show_error(self.tr(
                    "Tier %1: lifetime points and multiplier are whole numbers, like 1000 and 125.")
                    .replace("%1", name))
                return None
            result.append((name, int(threshold), int(multiplier)))
        return result

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item else ""

    def save(self) -> None:
        tiers = self.tiers()
        if tiers is None or self.program_id is None:
            return
        program_id = self.program_id
        self.ctx.run_granted(lambda g: self.ctx.services.owner.set_tiers(g, program_id, tiers),
                             self._saved, self.feedback.show_error, self)

    def _saved(self, _: object) -> None:
        self.feedback.show_ok(self.tr("The tiers were saved."))
        self.changed.emit()
