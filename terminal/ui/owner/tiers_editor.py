"""The tiers of one program: name, lifetime points to reach it, and its earning multiplier (shown as x1.25).

The program page's one Save button saves the tiers with the rest of the program.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout

from terminal.domain.errors import LoyaltyError
from terminal.domain.programs import parse_multiplier
from terminal.services.owner_views import ProgramDetails
from terminal.ui.campaign_text import multiplier
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel


class TiersEditor(QGroupBox):
    def __init__(self, ctx: OwnerContext, feedback: FeedbackLabel) -> None:
        super().__init__()
        self.setTitle(self.tr("Tiers"))
        self.ctx = ctx
        self.feedback = feedback
        self.program_id: str | None = None
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels([self.tr("Tier"), self.tr("From lifetime points"),
                                              self.tr("Points multiplier")])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setToolTip(self.tr("A multiplier is written like %1: a member of that tier earns a quarter more.")
                              .replace("%1", multiplier(125)))
        self.add_button = QPushButton(self.tr("Add tier"))
        self.add_button.clicked.connect(lambda: self.add_row("", 0, 125))
        self.remove_button = QPushButton(self.tr("Remove tier"))
        self.remove_button.clicked.connect(self.remove_row)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)

    def show_program(self, details: ProgramDetails) -> None:
        self.program_id = details.program.program_id
        self.table.setRowCount(0)
        for tier in details.program.tiers:
            self.add_row(tier.name, tier.min_lifetime_points, tier.multiplier_percent)

    def add_row(self, name: str, threshold: int, multiplier_percent: int) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, value in enumerate((name, str(threshold), multiplier(multiplier_percent))):
            self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def remove_row(self) -> None:
        row = self.table.currentRow()
        if row >= 0:
            self.table.removeRow(row)

    def tiers(self) -> list[tuple[str, int, int]] | None:
        """The table as (name, threshold, multiplier percent); None after telling the owner what is wrong."""
        result = []
        for row in range(self.table.rowCount()):
            name, threshold, factor = (self._text(row, c) for c in range(3))
            if not name:
                self.feedback.show_error(self.tr("Tier %1 needs a name.").replace("%1", str(row + 1)))
                return None
            if not threshold.isdigit():
                self.feedback.show_error(self.tr("Tier %1: lifetime points are a whole number, like 1000.")
                                         .replace("%1", name))
                return None
            try:
                percent = parse_multiplier(factor)
            except LoyaltyError:
                percent = 0
            if percent < 100:
                self.feedback.show_error(self.tr("Tier %1: the multiplier is %2 or more, like %3.")
                                         .replace("%1", name).replace("%2", multiplier(100))
                                         .replace("%3", multiplier(125)))
                return None
            result.append((name, int(threshold), percent))
        return result

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item else ""
