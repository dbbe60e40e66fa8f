"""Staff and PINs: who works here, and adding, renaming, resetting, deactivating, unlocking."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.staff import Role
from terminal.services.staff import StaffInfo
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.feedback_spots import FeedbackSpots
from terminal.ui.owner.widgets import FeedbackLabel, fill_table, make_table


class StaffPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.staff: list[StaffInfo] = []
        self.table = make_table([self.tr("Name"), self.tr("Role"), self.tr("Active"), self.tr("Locked until")])
        self.table.itemSelectionChanged.connect(self._selection_changed)
        # The new-member form and the selected-member buttons each answer on their own line, right under
        # them; the page's ``feedback`` is the one that spoke last.
        self.add_feedback = FeedbackLabel()
        self.edit_feedback = FeedbackLabel()
        self.spots = FeedbackSpots(self, self.add_feedback, self.edit_feedback)

        self.new_name = QLineEdit(placeholderText=self.tr("Name"))
        self.new_role = QComboBox()
        self.new_role.addItem(self.tr("Cashier"), Role.CASHIER)
        self.new_role.addItem(self.tr("Owner"), Role.OWNER)
        self.new_pin = _pin_field(self.tr("PIN (4 to 8 digits)"))
        self.add_button = QPushButton(self.tr("Add staff member"))
        self.add_button.clicked.connect(self.add)
        add_box = QGroupBox(self.tr("New staff member"))
        add_form = QFormLayout(add_box)
        add_form.addRow(self.tr("Name"), self.new_name)
        add_form.addRow(self.tr("Role"), self.new_role)
        add_form.addRow(self.tr("PIN"), self.new_pin)
        add_form.addRow(self.add_button)
        add_form.addRow(self.add_feedback)

        self.rename_field = QLineEdit(placeholderText=self.tr("New name"))
        self.rename_button = QPushButton(self.tr("Rename"))
        self.rename_button.clicked.connect(self.rename)
        self.reset_field = _pin_field(self.tr("New PIN"))
        self.reset_button = QPushButton(self.tr("Reset PIN"))
        self.reset_button.clicked.connect(self.reset_pin)
        self.unlock_button = QPushButton(self.tr("Unlock"))
        self.unlock_button.clicked.connect(self.unlock)
        self.deactivate_button = QPushButton(self.tr("Deactivate"))
        self.deactivate_button.clicked.connect(self.deactivate)
        edit_box = QGroupBox(self.tr("Selected staff member"))
        edit_form = QFormLayout(edit_box)
        edit_form.addRow(_row(self.rename_field, self.rename_button))
        edit_form.addRow(_row(self.reset_field, self.reset_button))
        edit_form.addRow(_row(self.unlock_button, self.deactivate_button))
        edit_form.addRow(self.edit_feedback)

        forms = QHBoxLayout()
        forms.addWidget(add_box)
        forms.addWidget(edit_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(forms)
        self._selection_changed()

    @property
    def feedback(self) -> FeedbackLabel:
        return self.spots.latest

    # -- reading -----------------------------------------------------------
    def refresh(self) -> None:
        self.ctx.run(lambda: self.ctx.services.staff.list(include_inactive=True), self._show_staff,
                     self.edit_feedback.show_error, self)

    def _show_staff(self, staff: list[StaffInfo]) -> None:
        selected = self.selected()
        self.staff = staff
        roles = {Role.CASHIER: self.tr("Cashier"), Role.OWNER: self.tr("Owner")}
        now = self.ctx.now()
        fill_table(self.table, [
            [s.name, roles[s.role], self.tr("yes") if s.active else self.tr("no"),
             self.ctx.local_time(s.locked_until) if s.locked_until and s.locked_until > now else ""]
            for s in staff])
        if selected is not None:
            self.select(selected.staff_id)
        self._selection_changed()

    def selected(self) -> StaffInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.staff[rows[0].row()] if rows and rows[0].row() < len(self.staff) else None

    def select(self, staff_id: str) -> None:
        for row, info in enumerate(self.staff):
            if info.staff_id == staff_id:
                self.table.selectRow(row)

    def _selection_changed(self) -> None:
        chosen = self.selected()
        usable = chosen is not None and chosen.active
        for widget in (self.rename_field, self.rename_button, self.reset_field, self.reset_button,
                       self.unlock_button, self.deactivate_button):
            widget.setEnabled(usable)
        if usable:
            self.rename_field.setText(chosen.name)

    # -- actions -----------------------------------------------------------
    def add(self) -> None:
        name, pin, role = self.new_name.text().strip(), self.new_pin.text(), self.new_role.currentData()
        if not name:
            self.add_feedback.show_error(self.tr("Type the new staff member's name."))
            return
        if not pin:
            self.add_feedback.show_error(self.tr("Type a PIN for the new staff member (4 to 8 digits)."))
            return
        self._granted(lambda g: self.ctx.services.staff.add(g, name, role, pin),
                      lambda info: self.tr("%1 was added.").replace("%1", info.name), clear=[self.new_name],
                      feedback=self.add_feedback)
        self.new_pin.clear()  # a PIN never stays on screen

    def rename(self) -> None:
        chosen, name = self.selected(), self.rename_field.text().strip()
        if chosen is None:
            return
        if not name:
            self.edit_feedback.show_error(self.tr("Type the new name."))
            return
        self._granted(lambda g: self.ctx.services.staff.rename(g, chosen.staff_id, name),
                      lambda info: self.tr("Renamed to %1.").replace("%1", info.name))

    def reset_pin(self) -> None:
        chosen, pin = self.selected(), self.reset_field.text()
        if chosen is None:
            return
        if not pin:
            self.edit_feedback.show_error(self.tr("Type the new PIN (4 to 8 digits)."))
            return
        self.reset_field.clear()
        self._granted(lambda g: self.ctx.services.staff.reset_pin(g, chosen.staff_id, pin),
                      lambda _: self.tr("%1 has a new PIN and is unlocked.").replace("%1", chosen.name))

    def unlock(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._granted(lambda g: self.ctx.services.staff.unlock(g, chosen.staff_id),
                          lambda _: self.tr("%1 is unlocked.").replace("%1", chosen.name))

    def deactivate(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self._granted(lambda g: self.ctx.services.staff.deactivate(g, chosen.staff_id),
                          lambda _: self.tr("%1 can no longer confirm actions.").replace("%1", chosen.name))

    def _granted(self, call, message, clear=(), feedback=None) -> None:  # noqa: ANN001
        line = feedback or self.edit_feedback  # the new-member form's own, or the selected member's
        self.spots.clear()

        def done(value) -> None:  # noqa: ANN001
            line.show_ok(message(value))
            for field in clear:
                field.clear()
            self.refresh()

        self.ctx.run_granted(call, done, line.show_error, self)


def _pin_field(placeholder: str) -> QLineEdit:
    field = QLineEdit(placeholderText=placeholder)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMaxLength(8)
    return field


def _row(*widgets: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return holder
