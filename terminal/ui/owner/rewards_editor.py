"""The rewards of one program: add, change (cost, stock, validity) and retire, saved with the page.

Add, Change and Retire only put the change on the list (marked "not saved yet"); the program
page's one Save writes them with the rest of the page, after the same PIN. Each change is checked
here first, as the service checks it, so a Save does not stop half-way on a reward typed wrong.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
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

from terminal.domain.errors import LoyaltyError
from terminal.domain.programs import Reward
from terminal.domain.text import check_label
from terminal.services.daily_report import day_bounds_utc
from terminal.services.owner_views import ProgramDetails
from terminal.services.reward_changes import RewardChange
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.widgets import FeedbackLabel, fill_table, make_table

SAVED, NEW, CHANGED, RETIRED = "saved", "new", "changed", "retired"


@dataclass(frozen=True)
class RewardDraft:
    """A reward as the table shows it: saved, or a change waiting for the page's Save."""

    # a new reward's id is made when it goes on the list: a Save tried again after a failure
    # changes the reward the first try wrote instead of adding a second one
    reward_id: str
    name: str
    cost_stamps: int
    cost_points: int
    stock: int | None
    valid_from: datetime | None
    valid_until: datetime | None
    state: str = SAVED
    kept_state: str = SAVED  # what "Keep selected" brings back on a reward marked to be retired

    @classmethod
    def of(cls, reward: Reward) -> RewardDraft:
        return cls(reward.reward_id, reward.name, reward.cost_stamps, reward.cost_points, reward.stock,
                   reward.valid_from, reward.valid_until)


def reward_changes_of(drafts: list[RewardDraft]) -> list[RewardChange]:
    """The rewards' waiting changes, for the page's one Save (``ProgramService.save``)."""
    return [RewardChange(reward_id=d.reward_id, retire=True) if d.state == RETIRED else
            RewardChange(d.name, d.cost_stamps, d.cost_points, d.stock, d.valid_from, d.valid_until, d.reward_id)
            for d in drafts if d.state in (RETIRED, NEW, CHANGED)]


class RewardsEditor(QGroupBox):
    """``changed()`` whenever the list of waiting changes changes."""

    changed = Signal()

    def __init__(self, ctx: OwnerContext, feedback: FeedbackLabel) -> None:
        super().__init__()
        self.setTitle(self.tr("Rewards (saved with Save program)"))
        self.ctx = ctx
        self.feedback = feedback
        self.program_id: str | None = None
        self.drafts: list[RewardDraft] = []
        self.table = make_table([self.tr("Reward"), self.tr("Stamps"), self.tr("Points"), self.tr("Stock"),
                                 self.tr("From"), self.tr("Last day"), self.tr("Not saved yet")])
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
        self.add_button.clicked.connect(lambda: self.stage(new=True))
        self.update_button = QPushButton(self.tr("Change selected"))
        self.update_button.clicked.connect(lambda: self.stage(new=False))
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
        """Show ``details``' saved rewards; changes waiting for Save are dropped."""
        self.program_id = details.program.program_id
        self.drafts = [RewardDraft.of(r) for r in details.rewards]
        kind = details.program.kind
        # only the costs the program's kind can have: no stamps on a points program, no points on a stamp card
        self.form.setRowVisible(self.cost_stamps, kind.has_stamps)
        self.form.setRowVisible(self.cost_points, kind.has_points)
        self.table.setColumnHidden(1, not kind.has_stamps)
        self.table.setColumnHidden(2, not kind.has_points)
        self.name.setPlaceholderText(self.tr("e.g. Free coffee") if kind.has_stamps
                                     else self.tr("e.g. 5.00 off your next purchase"))
        self._fill()
        self.changed.emit()

    def pending(self) -> list[RewardDraft]:
        """The changes the page's Save writes: added, changed and retired rewards."""
        return [d for d in self.drafts if d.state != SAVED]

    def _fill(self, select: int | None = None) -> None:
        states = {SAVED: "", NEW: self.tr("new"), CHANGED: self.tr("changed"), RETIRED: self.tr("to be retired")}
        self.table.blockSignals(True)
        fill_table(self.table, [
            [r.name, str(r.cost_stamps or ""), str(r.cost_points or ""),
             self.tr("unlimited") if r.stock is None else str(r.stock),
             self._local_day(r.valid_from), self._local_day(r.valid_until, last=True), states[r.state]]
            for r in self.drafts])
        if select is not None:
            self.table.selectRow(select)
        self.table.blockSignals(False)
        self._selection_changed()

    def _local_day(self, when: datetime | None, last: bool = False) -> str:
        if when is None or self.ctx.store is None:
            return ""
        local = when.astimezone(self.ctx.store.tz)
        return (local - timedelta(days=1) if last else local).strftime("%Y-%m-%d")

    def _selected_row(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows and rows[0].row() < len(self.drafts) else None

    def selected(self) -> RewardDraft | None:
        row = self._selected_row()
        return None if row is None else self.drafts[row]

    def _selection_changed(self) -> None:
        reward = self.selected()
        self.update_button.setEnabled(reward is not None and reward.state != RETIRED)
        self.retire_button.setEnabled(reward is not None)
        self.retire_button.setText(self.tr("Keep selected") if reward is not None and reward.state == RETIRED
                                   else self.tr("Retire selected"))
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

    def stage(self, new: bool) -> None:
        """Put the form's reward on the list (Add) or over the selected one (Change), checked, not saved."""
        row = None if new else self._selected_row()
        if self.program_id is None or (not new and row is None):
            return
        try:
            starts = self._day_start(self.valid_from.text())
            ends = self._day_start(self.valid_until.text(), next_day=True)  # the last day counts in full
        except ValueError:
            self.feedback.show_error(self.tr("Type dates as YYYY-MM-DD, for example 2026-12-31, or leave them empty."))
            return
        # a cost the program's kind cannot have (its field hidden) stays 0
        stamps = self.cost_stamps.value() if self.form.isRowVisible(self.cost_stamps) else 0
        points = self.cost_points.value() if self.form.isRowVisible(self.cost_points) else 0
        stock = None if self.stock.value() < 0 else self.stock.value()
        try:
            name = check_label(self.name.text(), "The reward name", "A reward needs a name.")
        except LoyaltyError as exc:
            self.feedback.show_error(exc)
            return
        if not stamps and not points:
            self.feedback.show_error(self.tr("Give the reward a cost in stamps or points."))
            return
        if starts and ends and ends <= starts:
            self.feedback.show_error(self.tr("The last day must come on or after the first day."))
            return
        if new:
            self.drafts.append(RewardDraft(str(uuid.uuid4()), name, stamps, points, stock, starts, ends, NEW))
            row = len(self.drafts) - 1
        else:
            assert row is not None
            old = self.drafts[row]
            self.drafts[row] = replace(old, name=name, cost_stamps=stamps, cost_points=points, stock=stock,
                                       valid_from=starts, valid_until=ends,
                                       state=NEW if old.state == NEW else CHANGED)
        self._fill(select=row)
        self.feedback.show_ok(self.tr("%1 is on the list. Press Save program to save it.").replace("%1", name))
        self.changed.emit()

    def retire(self) -> None:
        """Mark the selected reward to be retired by Save (a reward not saved yet just leaves the list);
        on a reward already marked, keep it after all."""
        row = self._selected_row()
        if row is None:
            return
        reward = self.drafts[row]
        if reward.state == NEW:
            del self.drafts[row]
            self._fill()
            self.feedback.show_ok(self.tr("%1 is off the list.").replace("%1", reward.name))
        elif reward.state == RETIRED:
            self.drafts[row] = replace(reward, state=reward.kept_state)
            self._fill(select=row)
            self.feedback.show_ok(self.tr("%1 stays offered.").replace("%1", reward.name))
        else:
            self.drafts[row] = replace(reward, state=RETIRED, kept_state=reward.state)
            self._fill(select=row)
            self.feedback.show_ok(self.tr("%1 will no longer be offered once you press Save program.")
                                  .replace("%1", reward.name))
        self.changed.emit()
