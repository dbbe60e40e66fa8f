"""Changes made on this till that the hub did not take, in the window's language.

The hub answers each refused card, program or staff change with a code
(``record_forbidden``, ``clock_ahead``, ``clock_too_old``,
``record_unservable``); the till keeps them (terminal/store/sync_port.py)
and this list says, per record, what happened and what to do. The hub's
own English sentence is the tooltip, for support.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from terminal.domain.clock import from_iso
from terminal.services.sync_link import RefusedChange, dismiss_refused_changes, refused_changes
from terminal.ui.owner.context import OwnerContext


class HubRefusals(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changes: list[RefusedChange] = []
        self.title = QLabel()
        self.title.setObjectName("RefusalsTitle")
        self.dismiss_button = QPushButton()
        self.dismiss_button.clicked.connect(self.dismiss)
        self.rows = QVBoxLayout()
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addLayout(self.rows)
        self.labels: list[QLabel] = []
        self.show_changes([])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.LanguageChange:
            self.show_changes(self.changes)
        super().changeEvent(event)

    def refresh(self) -> None:
        db_ctx = self.ctx.services.ctx
        self.ctx.run(lambda: refused_changes(db_ctx), on_success=self.show_changes, on_failure=None, owner=self)

    def dismiss(self) -> None:
        db_ctx = self.ctx.services.ctx
        self.ctx.run(lambda: dismiss_refused_changes(db_ctx), on_success=lambda _: self.show_changes([]),
                     on_failure=None, owner=self)

    def show_changes(self, changes: list[RefusedChange]) -> None:
        self.changes = list(changes)
        for label in self.labels:
            self.rows.removeWidget(label)
            label.deleteLater()
        self.labels = []
        self.setVisible(bool(self.changes))
        self.title.setText(self.tr("Changes the hub did not accept"))
        self.dismiss_button.setText(self.tr("Clear this list"))
        for change in self.changes:
            label = QLabel(self.describe(change))
            label.setObjectName("RefusedChange")
            label.setWordWrap(True)
            label.setToolTip(change.message)
            self.rows.addWidget(label)
            self.labels.append(label)

    def describe(self, change: RefusedChange) -> str:
        when = self.ctx.local_time(from_iso(change.refused_at)) if change.refused_at else ""
        record = {"programs": self.tr("Program “%1”"), "staff": self.tr("Staff member “%1”"),
                  "cards": self.tr("Card %1")}.get(change.stream, "%1").replace("%1", change.name)
        if change.code == "record_forbidden" and change.stream == "staff":
            why = self.tr("belongs to another store, so the change made here was not accepted. "
                          "Change this staff member at their own store.")
        elif change.code == "record_forbidden":
            why = self.tr("may be changed only at the stores the owner allows (at first, the store that "
                          "created it), so the change made here was not accepted. Make the change there, "
                          "or ask the owner to allow this store on the hub.")
        elif change.code in ("clock_ahead", "clock_too_old"):
            why = self.tr("was not accepted: this computer's clock was wrong when the change was made. "
                          "Check the computer's clock (date, time and time zone), then make the change again.")
        elif change.code == "record_unservable":
            why = self.tr("has values the hub cannot store, so the change was not accepted. Check them and "
                          "save it again.")
        else:
            why = self.tr("was not accepted by the hub (%1).").replace("%1", change.code)
        text = f"{when} · {record} {why}" if when else f"{record} {why}"
        if change.restored:
            text += " " + self.tr("The hub's version is back on this till.")
        return text
