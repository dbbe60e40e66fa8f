"""The rewards of one program: add, change (cost, stock, validity) and retire."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from terminal.domain.programs import Reward
from terminal.services.daily_report import day_bounds_utc
from terminal.services.owner_views import ProgramDetails
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel, fill_table, make_table


class RewardsEditor(QGroupBox):
    changed = Signal()

    def __init__(self, ctx: OwnerContext, feedback: FeedbackLabel) -> None:
        super().__init__()
        self.setTitle(self.tr("Rewards"))
        self.ctx = ctx
        self.feedback = feedback
        self.program_id: str | None = None
        self.rewards: tuple[Reward, ...] = ()
        self.table = make_table([self.tr("Reward"), self.tr("Stamps"), self.tr("Points"), self.tr("Stock"),
                                 self.tr("From"), self.tr("Last day")])
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.horizontalHeader().setStretchLastSection(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)  # names in full
        self.table.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        self.name = QLineEdit(placeholderText=self.tr("e.g. Free coffee"))
        self.cost_stamps = QSpinBox(maximum=1000)
        self.cost_points = QSpinBox(maximum=10_000_000)
        self.stock = QSpinBox(minimum=-1, maximum=1_000_000)
        self.stock.setSpecialValueText(self.tr("unlimited"))
        self.stock.setValue(-1)
        self.valid_from = QLineEdit(placeholderText=self.tr("YYYY-MM-DD (optional)"))
        self.valid_until = QLineEdit(placeholderText=self.tr("YYYY-MM-DD (optional)"))
        self.add_button = QPushButton(self.tr("Add reward"))
        self.add_button.clicked.connect(lambda: self.save(new=True))
        self.update_button = QPushButton(self.tr("Change selected"))
        self.update_button.clicked.connect(lambda: self.save(new=False))
        self.retire_button = QPushButton(self.tr("Retire selected"))
        self.retire_button.clicked.connect(self.retire)
        form = self.form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Cost in stamps"), self.cost_stamps)
        form.addRow(self.tr("Cost in points"), self.cost_points)
        form.addRow(self.tr("Stock"), self.stock)
        form.addRow(self.tr("Available from"), self.valid_from)
        form.addRow(self.tr("Last day"), self.valid_until)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.update_button, self.retire_button):
            buttons.addWidget(button)
        side = QVBoxLayout()
        side.addLayout(form)
        side.addLayout(buttons)
        side.addWidget(feedback)  # each reward action answers right under these buttons
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(side)
        self._selection_changed()

    def show_program(self, details: ProgramDetails) -> None:
        self.program_id = details.program.program_id
        self.rewards = details.rewards
        kind = details.program.kind
        # only the costs the program's kind can have: no stamps on a points program, no points on a stamp card
        self.form.setRowVisible(self.cost_stamps, kind.has_stamps)
        self.form.setRowVisible(self.cost_points, kind.has_points)
        self.table.setColumnHidden(1, not kind.has_stamps)
        self.table.setColumnHidden(2, not kind.has_points)
        self.name.setPlaceholderText(self.tr("e.g. Free coffee") if kind.has_stamps
                                     else self.tr("e.g. 5.00 off your next purchase"))
        fill_table(self.table, [
            [r.name, str(r.cost_stamps or ""), str(r.cost_points or ""),
             self.tr("unlimited") if r.stock is None else str(r.stock),
             self._local_day(r.valid_from), self._local_day(r.valid_until, last=True)] for r in self.rewards])
        self._selection_changed()

    def _local_day(self, when: datetime | None, last: bool = False) -> str:
        if when is None or self.ctx.store is None:
            return ""
        local = when.astimezone(self.ctx.store.tz)
        return (local - timedelta(days=1) if last else local).strftime("%Y-%m-%d")

    def selected(self) -> Reward | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rewards[rows[0].row()] if rows and rows[0].row() < len(self.rewards) else None

    def _selection_changed(self) -> None:
        reward = self.selected()
        self.update_button.setEnabled(reward is not None)
        self.retire_button.setEnabled(reward is not None)
        if reward is not None:
            self.name.setText(reward.name)
            self.cost_stamps.setValue(reward.cost_stamps)
            self.cost_points.setValue(reward.cost_points)
            self.stock.setValue(-1 if reward.stock is None else reward.stock)
            self.valid_from.setText(self._local_day(reward.valid_from))
            self.valid_until.setText(self._local_day(reward.valid_until, last=True))

    def _day_start(self, text: str, next_day: bool = False) -> datetime | None:
        """A typed local date as the UTC instant its day starts (None when blank; ValueError when bad)."""
        if not text.strip():
            return None
        day = date.fromisoformat(text.strip())
        return day_bounds_utc(day, self.ctx.store.tz)[1 if next_day else 0]

    def save(self, new: bool) -> None:
        reward = None if new else self.selected()
        if self.program_id is None or (not new and reward is None):
            return
        try:
            starts = self._day_start(self.valid_from.text())
            ends = self._day_start(self.valid_until.text(), next_day=True)  # the last day counts in full
        except ValueError:
            self.feedback.show_error(self.tr("Type dates as YYYY-MM-DD, for example 2026-12-31, or leave them empty."))
            return
        program_id, name = self.program_id, self.name.text().strip()
        # a cost the program's kind cannot have (its field hidden) stays 0
        stamps = self.cost_stamps.value() if self.form.isRowVisible(self.cost_stamps) else 0
        points = self.cost_points.value() if self.form.isRowVisible(self.cost_points) else 0
        stock = None if self.stock.value() < 0 else self.stock.value()
        reward_id = reward.reward_id if reward else None
        self.ctx.run_granted(
            lambda g: self.ctx.services.owner.save_reward(g, program_id, name, stamps, points, stock, starts, ends,
                                                          reward_id),
            lambda _: self._done(self.tr("Reward %1 saved.").replace("%1", name)), self.feedback.show_error, self)

    def retire(self) -> None:
        reward = self.selected()
        if reward is not None:
            self.ctx.run_granted(lambda g: self.ctx.services.owner.retire_reward(g, reward.reward_id),
                                 lambda _: self._done(self.tr("%1 is no longer offered.").replace("%1", reward.name)),
                                 self.feedback.show_error, self)

    def _done(self, message: str) -> None:
        self.feedback.show_ok(message)
        self.changed.emit()
