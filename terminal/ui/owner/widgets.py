"""Small pieces the owner pages share: a message line, labels for kinds, input parsing."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QLabel, QTableWidget, QTableWidgetItem, QWidget

from terminal.domain.errors import LoyaltyError
from terminal.domain.ledger import EntryKind
from terminal.ui.refusals import describe

_SIGNED_WHOLE = re.compile(r"^[+-]?\d{1,9}$")


def entry_kind_labels() -> dict[EntryKind, str]:
    return {
        EntryKind.ENROLL: QCoreApplication.translate("EntryKind", "Enrolled"),
        EntryKind.STAMP: QCoreApplication.translate("EntryKind", "Stamp"),
        EntryKind.STAMP_REDEEM: QCoreApplication.translate("EntryKind", "Stamp reward"),
        EntryKind.EARN: QCoreApplication.translate("EntryKind", "Points earned"),
        EntryKind.REDEEM: QCoreApplication.translate("EntryKind", "Points reward"),
        EntryKind.ADJUST: QCoreApplication.translate("EntryKind", "Adjustment"),
        EntryKind.VOID: QCoreApplication.translate("EntryKind", "Void"),
        EntryKind.EXPIRE: QCoreApplication.translate("EntryKind", "Points expired"),
        EntryKind.BONUS: QCoreApplication.translate("EntryKind", "Campaign bonus"),
        EntryKind.TRANSFER_OUT: QCoreApplication.translate("EntryKind", "Moved to new card"),
        EntryKind.TRANSFER_IN: QCoreApplication.translate("EntryKind", "Moved from old card"),
    }


def parse_signed_whole(text: str) -> int | None:
    """``+25``, ``-3`` or ``40`` as an int; None when it is not a whole number."""
    cleaned = (text or "").strip().replace(" ", "")
    return int(cleaned) if _SIGNED_WHOLE.match(cleaned) else None


_COLOURS = {("ok", False): "#1b6e34", ("ok", True): "#7ee2a0",
            ("error", False): "#a3211a", ("error", True): "#ff9d94"}


class FeedbackLabel(QLabel):
    """One line under a form: what went well, or what is wrong and what to do.

    ``shown()`` after a message appears, so a scrolling page can bring it into view.
    """

    shown = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setObjectName("ownerFeedback")
        self.clear_message()

    def show_ok(self, text: str) -> None:
        self._show(text, "ok")

    def show_error(self, text: str | LoyaltyError) -> None:
        # owner pages have no store time zone at hand: refusals naming a time keep the services' wording
        self._show(describe(text) if isinstance(text, LoyaltyError) else text, "error")

    def clear_message(self) -> None:
        self._show("", "none")

    @property
    def state(self) -> str:
        return self.property("state")

    def _show(self, text: str, state: str) -> None:
        self.setText(text)
        self.setProperty("state", state)  # for the QSS theme
        colour = _COLOURS.get((state, self.palette().window().color().lightness() < 128))
        # Picked by the window's brightness so the message stays readable in light and dark themes.
        self.setStyleSheet(f"color: {colour}; font-weight: 600;" if colour else "")
        if text:
            self.shown.emit()


def fill_table(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            item = QTableWidgetItem(value)
            item.setToolTip(value)  # a narrow screen elides long cells; the full text stays a hover away
            table.setItem(r, c, item)
    table.resizeColumnsToContents()


def make_table(headers: list[str], parent: QWidget | None = None) -> QTableWidget:
    table = QTableWidget(0, len(headers), parent)
    table.setHorizontalHeaderLabels(headers)
    for column, header in enumerate(headers):
        item = table.horizontalHeaderItem(column)
        if item is not None:
            item.setToolTip(header)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    return table
