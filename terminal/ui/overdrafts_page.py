"""Owner view: cards overdrawn when terminals' offline entries met at the hub.

The list comes from ``OverdraftService.list`` through the OperationRunner
(it asks the hub; offline it shows the flags last received, and says so).
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.errors import LoyaltyError
from terminal.services.overdrafts import OverdraftList, OverdraftService
from terminal.ui.context import number
from terminal.ui.operations import OperationRunner
from terminal.ui.refusals import describe


class OverdraftsPage(QWidget):
    def __init__(self, service: OverdraftService, runner: OperationRunner, tz,  # noqa: ANN001
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service = service
        self._runner = runner
        self.tz = tz
        self._grant = None
        self.title = QLabel(self.tr("Overdrawn cards"), self)
        self.title.setObjectName("PageTitle")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels([self.tr("Card"), self.tr("Holder"), self.tr("Stamps"),
                                              self.tr("Points"), self.tr("Flagged"), self.tr("Now")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.note, self.table, self.refresh_button):
            layout.addWidget(widget)

    def show_for(self, grant) -> None:  # noqa: ANN001
        """Load the flags with an owner's grant."""
        self._grant = grant
        self.refresh()

    def refresh(self) -> None:
        if self._grant is None:
            return
        grant = self._grant
        self.refresh_button.setEnabled(False)
        self.note.setText(self.tr("Asking the hub…"))
        self._runner.run(lambda: self._service.list(grant), on_success=self._show,
                         on_failure=self._failed, owner=self)

    def _show(self, listing: OverdraftList) -> None:
        self.refresh_button.setEnabled(True)
        self.table.setRowCount(len(listing.flags))
        for row, flag in enumerate(listing.flags):
            cells = (f"{flag.card[:5]}-{flag.card[5:]}", flag.holder or "", str(flag.stamps_balance),
                     str(flag.points_balance), flag.flagged_at.astimezone(self.tz).strftime("%Y-%m-%d %H:%M"),
                     self._now(flag))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if not listing.from_hub:
            self.note.setText(self.tr("The hub cannot be reached: these are the flags last received."))
        elif listing.flags:
            self.note.setText(self.tr("These cards went below zero when offline redemptions on several "
                                      "tills met at the hub. Talk to the customer, then adjust the card."))
        else:
            self.note.setText(self.tr("No card has been overdrawn."))

    def _now(self, flag) -> str:  # noqa: ANN001
        if flag.stamps_now is None:
            return self.tr("not on this till")
        balance = self.tr("%1 stamps, %2 points").replace("%1", str(flag.stamps_now)).replace(
            "%2", number(flag.points_now))
        return self.tr("settled (%1)").replace("%1", balance) if flag.settled else balance

    def _failed(self, error: LoyaltyError) -> None:
        self.refresh_button.setEnabled(True)
        self.note.setText(describe(error))
