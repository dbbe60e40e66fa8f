"""Program settings: the earning and stamping rules, rewards, and tiers of one program."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.errors import LoyaltyError
from terminal.domain.money import minor_digits, parse_amount
from terminal.domain.programs import Program
from terminal.services.owner_views import ProgramDetails
from terminal.ui.context import window_locale
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.rewards_editor import RewardsEditor
from terminal.ui.owner.tiers_editor import TiersEditor
from terminal.ui.owner.widgets import FeedbackLabel

BIG = 1_000_000


def _spin(minimum: int, maximum: int = BIG, none_text: str | None = None) -> QSpinBox:
    """A number field; with ``none_text`` the value just below ``minimum`` means "not set"."""
    spin = QSpinBox()
    spin.setRange(minimum - 1 if none_text else minimum, maximum)
    if none_text:
        spin.setSpecialValueText(none_text)
    return spin


class ProgramPage(QWidget):
    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.programs: list[ProgramDetails] = []
        self.program_choice = QComboBox()
        self.program_choice.currentIndexChanged.connect(self._show_selected)
        self.stamps_target = _spin(1, 100)
        self.points_per_unit = _spin(0, 10_000)
        self.min_amount = QLineEdit(placeholderText="0")
        self.cap = _spin(1, BIG, self.tr("no cap"))
        self.expiry_days = _spin(1, 3650, self.tr("never"))
        self.cooldown = _spin(0, 24 * 60, self.tr("store default"))
        self.daily_limit = _spin(1, 100, self.tr("store default"))
        self.save_button = QPushButton(self.tr("Save settings"))
        self.save_button.clicked.connect(self.save_settings)
        self.feedback = FeedbackLabel()
        self.rewards = RewardsEditor(ctx, self.feedback)
        self.tiers = TiersEditor(ctx, self.feedback)
        self.rewards.changed.connect(self.refresh)
        self.tiers.changed.connect(self.refresh)

        rules = QGroupBox(self.tr("Rules"))
        form = QFormLayout(rules)
        form.addRow(self.tr("Stamps for a reward"), self.stamps_target)
        form.addRow(self.tr("Points per currency unit"), self.points_per_unit)
        form.addRow(self.tr("Minimum purchase for points"), self.min_amount)
        form.addRow(self.tr("Most points per purchase"), self.cap)
        form.addRow(self.tr("Points expire after (days)"), self.expiry_days)
        form.addRow(self.tr("Minutes between stamps"), self.cooldown)
        form.addRow(self.tr("Stamps per card per day"), self.daily_limit)
        form.addRow(self.save_button)
        top = QHBoxLayout()
        top.addWidget(rules, 1)
        top.addWidget(self.tiers, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.program_choice)
        layout.addLayout(top)
        layout.addWidget(self.rewards, 1)
        layout.addWidget(self.feedback)

    def refresh(self) -> None:
        self.ctx.run(self.ctx.services.owner_views.programs, self._show_programs, self.feedback.show_error, self)

    @property
    def currency(self) -> str:
        return self.ctx.store.currency if self.ctx.store else "EUR"

    def _show_programs(self, programs: list[ProgramDetails]) -> None:
        current = self.program_choice.currentData()
        self.programs = programs
        self.program_choice.blockSignals(True)
        self.program_choice.clear()
        for details in programs:
            self.program_choice.addItem(details.program.name, details.program.program_id)
        index = self.program_choice.findData(current) if current is not None else 0
        self.program_choice.setCurrentIndex(max(index, 0))
        self.program_choice.blockSignals(False)
        self._show_selected()

    def selected(self) -> ProgramDetails | None:
        index = self.program_choice.currentIndex()
        return self.programs[index] if 0 <= index < len(self.programs) else None

    def _show_selected(self) -> None:
        details = self.selected()
        if details is None:
            return
        p = details.program
        self.stamps_target.setValue(p.stamps_target)
        self.points_per_unit.setValue(p.earning.points_per_unit)
        self.min_amount.setText(_plain_money(p.earning.min_amount_minor, self.currency))
        _set_optional(self.cap, p.earning.max_points_per_event)
        _set_optional(self.expiry_days, p.points_expiry_days)
        _set_optional(self.cooldown, p.cooldown_minutes)
        _set_optional(self.daily_limit, p.daily_stamp_limit)
        self.stamps_target.setEnabled(p.kind.has_stamps)
        for widget in (self.points_per_unit, self.min_amount, self.cap, self.expiry_days):
            widget.setEnabled(p.kind.has_points)
        self.rewards.show_program(details)
        self.tiers.show_program(details)

    def changes(self, program: Program) -> dict:
        """The settings the owner changed, as ``edit_program`` takes them (raises on a bad amount)."""
        text = self.min_amount.text().strip()
        minimum = 0 if text in ("", "0") else parse_amount(text, self.currency, 10**12)
        wanted = {
            "stamps_target": self.stamps_target.value(), "points_per_unit": self.points_per_unit.value(),
            "min_amount_minor": minimum, "max_points_per_event": _optional(self.cap),
            "points_expiry_days": _optional(self.expiry_days), "cooldown_minutes": _optional(self.cooldown),
            "daily_stamp_limit": _optional(self.daily_limit),
        }
        current = {
            "stamps_target": program.stamps_target, "points_per_unit": program.earning.points_per_unit,
            "min_amount_minor": program.earning.min_amount_minor,
            "max_points_per_event": program.earning.max_points_per_event,
            "points_expiry_days": program.points_expiry_days, "cooldown_minutes": program.cooldown_minutes,
            "daily_stamp_limit": program.daily_stamp_limit,
        }
        return {name: value for name, value in wanted.items() if value != current[name]}

    def save_settings(self) -> None:
        details = self.selected()
        if details is None:
            return
        try:
            changes = self.changes(details.program)
        except LoyaltyError as exc:
            self.feedback.show_error(self.tr("Minimum purchase: %1").replace("%1", exc.message))
            return
        if not changes:
            self.feedback.show_ok(self.tr("Nothing was changed."))
            return
        program_id = details.program.program_id
        self.ctx.run_granted(lambda g: self.ctx.services.owner.edit_program(g, program_id, **changes),
                             self._saved, self.feedback.show_error, self)

    def _saved(self, _: object) -> None:
        self.feedback.show_ok(self.tr("The program settings were saved."))
        self.refresh()


def _set_optional(spin: QSpinBox, value: int | None) -> None:
    spin.setValue(spin.minimum() if value is None else value)


def _optional(spin: QSpinBox) -> int | None:
    return None if spin.specialValueText() and spin.value() == spin.minimum() else spin.value()


def _plain_money(minor: int, currency: str) -> str:
    digits = minor_digits(currency)
    if minor == 0:
        return "0"
    if not digits:
        return str(minor)
    locale = window_locale()  # 12,50 in Indonesian; parse_amount reads either sign back, without grouping
    return locale.toString(minor / 10**digits, "f", digits).replace(locale.groupSeparator(), "")
