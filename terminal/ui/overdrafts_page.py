"""Owner view: rules broken when terminals' offline entries met at the hub.

Each flag has a kind (a card below zero, an entry voided on two tills, stamps
beyond the daily limit, a reward beyond its stock), the card, what the flagged
entries did and which entries they are. The list comes from
``OverdraftService.list`` through the OperationRunner (it asks the hub;
offline it shows the flags last received, and says so).
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
        self.title = QLabel(self.tr("Flagged cards"), self)
        self.title.setObjectName("PageTitle")
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        # the first six columns as before kinds came (balances at the hub when flagged, then now)
        self.table = QTableWidget(0, 9, self)
        self.table.setHorizontalHeaderLabels([self.tr("Card"), self.tr("Holder"), self.tr("Stamps"),
                                              self.tr("Points"), self.tr("Flagged"), self.tr("Now"),
                                              self.tr("Kind"), self.tr("What happened"), self.tr("Entries")])
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
                     self._now(flag), self._kind(flag.kind), self._effect(flag),
                     ", ".join(entry_id[:8] for entry_id in flag.entry_ids))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 8:
                    item.setToolTip("\n".join(flag.entry_ids))
                self.table.setItem(row, column, item)
        if not listing.from_hub:
            self.note.setText(self.tr("The hub cannot be reached: these are the flags last received."))
        elif listing.flags:
            self.note.setText(self.tr("When offline tills' entries met at the hub, these broke a rule no "
                                      "single till could see. Talk to the customer, then adjust the card "
                                      "if needed."))
        else:
            self.note.setText(self.tr("Nothing has been flagged."))

    def _kind(self, kind: str) -> str:
        names = {"overdraft": self.tr("Overdrawn"), "double_void": self.tr("Voided twice"),
                 "daily_limit": self.tr("Daily stamp limit"), "stock": self.tr("Beyond stock")}
        return names.get(kind, kind)

    def _effect(self, flag) -> str:  # noqa: ANN001
        d = flag.detail
        if flag.kind == "double_void":
            text = self.tr("Voided on two tills: the second void changed the card by %1 stamps, %2 points again")
            return text.replace("%1", _signed(flag.effect_stamps)).replace("%2", _signed(flag.effect_points))
        if flag.kind == "daily_limit":
            text = self.tr("%1 stamps beyond the daily limit of %2 on %3 (%4 that day)")
            return (text.replace("%1", number(flag.effect_stamps)).replace("%2", number(d.get("limit", 0)))
                    .replace("%3", str(d.get("day", ""))).replace("%4", number(d.get("count", 0))))
        if flag.kind == "stock":
            text = self.tr("%1 redeemed %2 times against a stock of %3")
            return (text.replace("%1", flag.reward_name or d.get("reward", "") or "?")
                    .replace("%2", number(d.get("redeemed", 0))).replace("%3", number(d.get("stock", 0))))
        text = self.tr("Below zero: %1 stamps, %2 points")
        return text.replace("%1", number(flag.effect_stamps)).replace("%2", number(flag.effect_points))

    def _now(self, flag) -> str:  # noqa: ANN001
        if flag.stamps_now is None:
            return self.tr("not on this till")
        balance = self.tr("%1 stamps, %2 points").replace("%1", str(flag.stamps_now)).replace(
            "%2", number(flag.points_now))
        return self.tr("settled (%1)").replace("%1", balance) if flag.settled else balance

    def _failed(self, error: LoyaltyError) -> None:
        self.refresh_button.setEnabled(True)
        self.note.setText(describe(error))


def _signed(n: int) -> str:
    return ("+" if n > 0 else "") + number(n)
