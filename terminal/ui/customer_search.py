"""Finding a customer without their card: type a name, phone number or part of the code, pick a match.

Used at the counter (F5 or Ctrl+F: the picked card goes on the counter) and
in the owner's Customers page. The search runs in the worker, a moment after
the last key, and an answer to an older query is dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.codes import format_code
from terminal.domain.errors import LoyaltyError
from terminal.services.customers import CustomerMatch
from terminal.ui.customer_refusals import describe_customer
from terminal.ui.operations import OperationRunner

TYPING_PAUSE_MS = 200
Search = Callable[[str], list[CustomerMatch]]


def status_text(status: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return {"active": QCoreApplication.translate("CardStatus", "Active"),
            "suspended": QCoreApplication.translate("CardStatus", "Suspended"),
            "blocked": QCoreApplication.translate("CardStatus", "Blocked")}.get(status, status)


class CustomerSearch(QWidget):
    """A search field over a table of matches. ``picked(code)`` on Enter or a double click."""

    picked = Signal(str)

    def __init__(self, runner: OperationRunner, search: Search, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._search = search
        self._asked = 0
        self.matches: list[CustomerMatch] = []
        self.field = QLineEdit()
        self.field.setObjectName("customerSearchField")
        self.field.setClearButtonEnabled(True)
        self.field.setPlaceholderText(self.tr("Name, phone number or card code"))
        self.field.setToolTip(self.field.placeholderText())
        self.results = QTableWidget(0, 4)
        self.results.setObjectName("customerSearchResults")
        self.results.setHorizontalHeaderLabels([self.tr("Card"), self.tr("Name"), self.tr("Phone"),
                                                self.tr("Status")])
        self.results.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.results.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.results.verticalHeader().setVisible(False)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.results.doubleClicked.connect(lambda _: self.pick_current())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.search_now)
        self.field.textEdited.connect(lambda _: self._timer.start())
        self.field.returnPressed.connect(self._enter)
        self.field.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.field)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.note)
        self._say(self.tr("Type at least 2 characters."))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Up and Down in the field move through the matches, so the hands stay on the keys.
        if watched is self.field and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.matches:
                row = max(0, min(len(self.matches) - 1, self.results.currentRow() + step))
                self.results.selectRow(row)
                return True
        return super().eventFilter(watched, event)

    def search_now(self) -> None:
        self._timer.stop()
        text = self.field.text()
        self._asked += 1
        asked = self._asked
        if len(text.strip()) < 2:
            self._show([], self.tr("Type at least 2 characters."))
            return

        def found(matches: list[CustomerMatch]) -> None:
            if asked == self._asked:
                self._show(matches, self.tr("No customer found. Check the spelling, or search by phone or "
                                            "card code.") if not matches else "")

        def failed(error: LoyaltyError) -> None:
            if asked == self._asked:
                self._show([], describe_customer(error))

        self._runner.run(lambda: self._search(text), on_success=found, on_failure=failed, owner=self)

    def _show(self, matches: list[CustomerMatch], note: str) -> None:
        self.matches = matches
        self.results.setRowCount(len(matches))
        for row, m in enumerate(matches):
            for column, value in enumerate((format_code(m.code), m.holder or self.tr("(no name)"),
                                            m.phone or "", status_text(m.status))):
                self.results.setItem(row, column, _item(value))
        self.results.resizeColumnsToContents()
        if matches:
            self.results.selectRow(0)
        self._say(note)

    def _say(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _enter(self) -> None:
        if self._timer.isActive() or not self.matches:
            self.search_now()  # Enter before the pause: search first, pick with the next Enter
            return
        self.pick_current()

    def pick_current(self) -> None:
        row = self.results.currentRow()
        if 0 <= row < len(self.matches):
            self.picked.emit(self.matches[row].code)


def _item(text: str) -> Any:
    from PySide6.QtWidgets import QTableWidgetItem

    item = QTableWidgetItem(text)
    item.setToolTip(text)
    return item


class CustomerSearchDialog(QDialog):
    """The counter's search: the picked card is handed to ``on_pick`` and the dialog closes."""

    def __init__(self, runner: OperationRunner, search: Search, on_pick: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("customerSearchDialog")
        self.setWindowTitle(self.tr("Find a customer"))
        self.search = CustomerSearch(runner, search)
        self._on_pick = on_pick
        self.search.picked.connect(self._picked)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        for button in buttons.findChildren(QPushButton):  # Enter in the field picks a match, not Cancel
            button.setAutoDefault(False)
            button.setDefault(False)
        hint = QLabel(self.tr("↑ ↓ choose; Enter puts the card on the counter."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self.search.field.setFocus()

    def _picked(self, code: str) -> None:
        self._on_pick(code)
        self.accept()
