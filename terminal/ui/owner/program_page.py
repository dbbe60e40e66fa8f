"""Program settings: add or retire a program; its rules, points as money, tiers and rewards.

Only what fits the program's kind is shown (no stamp settings on a points program). One Save
button saves the name, the rules, points as money, the tiers and the rewards added, changed or
retired in their box (marked "not saved yet" until then).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from terminal.domain.errors import LoyaltyError
from terminal.domain.money import minor_digits, parse_amount
from terminal.domain.points_money import PointsMoney
from terminal.domain.programs import EarningRule, Program, ProgramKind, scaled_points
from terminal.services.auth import Grant
from terminal.services.expiry import ExpiryMode
from terminal.services.expiry_mode import expiry_modes
from terminal.services.facade import Services
from terminal.services.owner_views import ProgramDetails
from terminal.ui.context import money, number, window_locale
from terminal.ui.owner.context import OwnerContext
from terminal.ui.owner.feedback_spots import FeedbackSpots
from terminal.ui.owner.rewards_editor import RewardsEditor, reward_changes_of
from terminal.ui.owner.tiers_editor import TiersEditor
from terminal.ui.owner.widgets import FeedbackLabel

BIG = 1_000_000
TEMPLATE_CHOICES = (("coffee", None), ("points", None), ("hybrid", None),
                    ("blank", ProgramKind.STAMPS), ("blank", ProgramKind.POINTS), ("blank", ProgramKind.HYBRID))


def _spin(minimum: int, maximum: int = BIG, none_text: str | None = None) -> QSpinBox:
    """A number field; with ``none_text`` the value just below ``minimum`` means "not set"."""
    spin = QSpinBox()
    spin.setRange(minimum - 1 if none_text else minimum, maximum)
    if none_text:
        spin.setSpecialValueText(none_text)
    return spin


def load_programs(services: Services) -> list[tuple[ProgramDetails, int, ExpiryMode]]:
    """Every program (retired ones last) with its offered rewards, its number of cards and how its
    points expire."""
    details = {d.program.program_id: d for d in services.owner_views.programs()}
    modes = expiry_modes(services.ctx)
    return [(details.get(s.program.program_id) or ProgramDetails(s.program, ()), s.cards,
             modes.get(s.program.program_id, ExpiryMode.AGE))
            for s in services.programs.summaries(include_retired=True)]


class ProgramPage(QWidget):
    choice_row: QHBoxLayout
    add_box: QGroupBox
    retire_box: QGroupBox
    retired_note: QLabel

    def __init__(self, ctx: OwnerContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.programs: list[ProgramDetails] = []
        self.cards: dict[str, int] = {}
        self.modes: dict[str, ExpiryMode] = {}
        # Each action answers beside its button: adding or retiring a program under the program choice,
        # Save beside Save, the rewards inside their box; the page's ``feedback`` is the one that spoke last.
        self.save_feedback = FeedbackLabel()
        self.choice_feedback = FeedbackLabel()  # under Add a program… and Retire, at the row's right end
        self.add_feedback = FeedbackLabel()  # in the new-program box, under Create program
        self.rewards_feedback = FeedbackLabel()
        for label in (self.choice_feedback, self.add_feedback):
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.spots = FeedbackSpots(self, self.save_feedback, self.choice_feedback, self.add_feedback,
                                   self.rewards_feedback)
        self._build_choice()
        self._build_rules()
        self.tiers = TiersEditor(ctx, self.save_feedback)  # its table is checked when Save is pressed
        self.rewards = RewardsEditor(ctx, self.rewards_feedback)
        self.save_button = QPushButton(self.tr("Save program"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_settings)

        left = QVBoxLayout()
        left.addWidget(self.general)
        left.addWidget(self.stamps_box)
        left.addWidget(self.points_box)
        left.addWidget(self.money_box)
        left.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(left, 1)
        top.addWidget(self.tiers, 1)
        save_row = QHBoxLayout()
        save_row.addWidget(self.save_button)
        save_row.addWidget(self.save_feedback, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.choice_row)
        layout.addWidget(self.choice_feedback)
        layout.addWidget(self.add_box)
        layout.addWidget(self.retire_box)
        layout.addWidget(self.retired_note)
        layout.addLayout(top)
        layout.addLayout(save_row)
        layout.addWidget(self.rewards, 1)

    # -- building ------------------------------------------------------------------
    def _build_choice(self) -> None:
        self.program_choice = QComboBox()
        self.program_choice.currentIndexChanged.connect(self._show_selected)
        self.add_program_button = QPushButton(self.tr("Add a program…"))
        self.add_program_button.clicked.connect(lambda: self.add_box.setVisible(not self.add_box.isVisible()))
        self.retire_button = QPushButton(self.tr("Retire this program…"))
        self.retire_button.clicked.connect(self._ask_retire)
        self.choice_row = QHBoxLayout()
        self.choice_row.addWidget(self.program_choice, 1)
        self.choice_row.addWidget(self.add_program_button)
        self.choice_row.addWidget(self.retire_button)

        self.add_box = QGroupBox(self.tr("New program"))
        self.template_choice = QComboBox()
        for text in (self.tr("Coffee stamp card (10 stamps for a free coffee)"),
                     self.tr("Points (with a discount and a tote bag)"),
                     self.tr("Stamps and points (free drink, free lunch)"),
                     self.tr("Blank stamp card"), self.tr("Blank points program"),
                     self.tr("Blank stamps and points program")):
            self.template_choice.addItem(text)
        self.new_name = QLineEdit(placeholderText=self.tr("Name (optional for a template)"))
        self.create_button = QPushButton(self.tr("Create program"))
        self.create_button.clicked.connect(self.add_program)
        form = QHBoxLayout()
        form.addWidget(self.template_choice, 1)
        form.addWidget(self.new_name, 1)
        form.addWidget(self.create_button)
        add_layout = QVBoxLayout(self.add_box)
        add_layout.addLayout(form)
        add_layout.addWidget(self.add_feedback)
        self.add_box.hide()

        self.retire_box = QGroupBox(self.tr("Retire the program"))
        self.retire_question = QLabel(wordWrap=True)
        self.confirm_retire_button = QPushButton(self.tr("Retire it"))
        self.confirm_retire_button.clicked.connect(self.retire_program)
        self.keep_button = QPushButton(self.tr("Keep it"))
        self.keep_button.clicked.connect(self.retire_box.hide)
        row = QHBoxLayout(self.retire_box)
        row.addWidget(self.retire_question, 1)
        row.addWidget(self.confirm_retire_button)
        row.addWidget(self.keep_button)
        self.retire_box.hide()
        self.retired_note = QLabel(wordWrap=True)
        self.retired_note.setObjectName("ownerFeedback")
        self.retired_note.hide()

    def _build_rules(self) -> None:
        self.general = QGroupBox(self.tr("Program"))
        self.name = QLineEdit()
        self.kind_label = QLabel()
        general = QFormLayout(self.general)
        general.addRow(self.tr("Name"), self.name)
        general.addRow(self.tr("Kind"), self.kind_label)

        self.stamps_box = QGroupBox(self.tr("Stamps"))
        self.stamps_target = _spin(1, 100)
        self.cooldown = _spin(0, 24 * 60, self.tr("store default"))
        self.daily_limit = _spin(1, 100, self.tr("store default"))
        stamps = QFormLayout(self.stamps_box)
        stamps.addRow(self.tr("Stamps for a reward"), self.stamps_target)
        stamps.addRow(self.tr("Minutes between stamps"), self.cooldown)
        stamps.addRow(self.tr("Stamps per card per day"), self.daily_limit)

        self.points_box = QGroupBox(self.tr("Points"))
        self.points_per_unit = _spin(0, 10_000)
        self.rate_amount = QLineEdit()
        self.rate_amount.setMinimumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.rate_currency = QLabel()
        rate = QHBoxLayout()
        rate.addWidget(self.points_per_unit)
        self.rate_per_label = QLabel(self.tr("points for every"))
        rate.addWidget(self.rate_per_label)
        rate.addWidget(self.rate_amount)
        rate.addWidget(self.rate_currency)
        rate.addStretch(1)
        self.rate_example = QLabel(wordWrap=True)
        self.points_per_unit.valueChanged.connect(self._show_rate_example)
        self.rate_amount.textChanged.connect(self._show_rate_example)
        self.min_amount = QLineEdit(placeholderText="0")
        self.cap = _spin(1, BIG, self.tr("no cap"))
        self.expiry_days = _spin(1, 3650, self.tr("never"))
        self.expiry_days.valueChanged.connect(self._show_expiry_mode)
        self.expiry_mode = QComboBox()
        self.expiry_mode.addItem(self.tr("the day they were earned (oldest first)"), ExpiryMode.AGE)
        self.expiry_mode.addItem(self.tr("the card's last visit (the whole balance)"), ExpiryMode.INACTIVITY)
        self.expiry_mode.setToolTip(self.tr(
            "From the day they were earned: each day's points expire that many days later, the oldest "
            "spent first. From the last visit: the whole balance expires once the card has not been used "
            "for that many days."))
        points = QFormLayout(self.points_box)
        self.points_form = points
        points.addRow(self.tr("Earning rate"), rate)
        points.addRow("", self.rate_example)
        points.addRow(self.tr("Minimum purchase for points"), self.min_amount)
        points.addRow(self.tr("Most points per purchase"), self.cap)
        points.addRow(self.tr("Points expire after (days)"), self.expiry_days)
        points.addRow(self.tr("Days counted from"), self.expiry_mode)

        self.money_box = QGroupBox(self.tr("Points can pay part of a bill"))
        self.money_box.setCheckable(True)
        self.money_points = _spin(1, BIG)
        self.money_value = QLineEdit()
        self.money_value.setMinimumWidth(self.fontMetrics().averageCharWidth() * 16)
        self.money_currency = QLabel()
        self.money_percent = _spin(1, 100)
        self.money_percent.setSuffix(" %")
        worth = QHBoxLayout()
        worth.addWidget(self.money_points)
        worth.addWidget(QLabel(self.tr("points are worth")))
        worth.addWidget(self.money_value)
        worth.addWidget(self.money_currency)
        worth.addStretch(1)
        money = QFormLayout(self.money_box)
        money.addRow(self.tr("Value"), worth)
        money.addRow(self.tr("At most, of a bill"), self.money_percent)

    @property
    def feedback(self) -> FeedbackLabel:
        return self.spots.latest

    # -- reading ---------------------------------------------------------------------
    def refresh(self) -> None:
        self.ctx.run(lambda: load_programs(self.ctx.services), self._show_programs, self.save_feedback.show_error,
                     self)

    @property
    def currency(self) -> str:
        return self.ctx.store.currency if self.ctx.store else "EUR"

    def _show_programs(self, programs: list[tuple[ProgramDetails, int, ExpiryMode]]) -> None:
        current = self.program_choice.currentData()
        self.programs = [d for d, _, _ in programs]
        self.cards = {d.program.program_id: n for d, n, _ in programs}
        self.modes = {d.program.program_id: mode for d, _, mode in programs}
        self.program_choice.blockSignals(True)
        self.program_choice.clear()
        for details in self.programs:
            p = details.program
            text = p.name if p.active else self.tr("%1 (retired)").replace("%1", p.name)
            self.program_choice.addItem(text, p.program_id)
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
        self.retire_box.hide()
        self.name.setText(p.name)
        self.kind_label.setText({ProgramKind.STAMPS: self.tr("Stamp card"), ProgramKind.POINTS: self.tr("Points"),
                                 ProgramKind.HYBRID: self.tr("Stamps and points")}[p.kind])
        self.stamps_target.setValue(p.stamps_target)
        _set_optional(self.cooldown, p.cooldown_minutes)
        _set_optional(self.daily_limit, p.daily_stamp_limit)
        self.points_per_unit.setValue(p.earning.points_per_unit)
        self.rate_amount.setText(_plain_money(p.earning.spend_step(minor_digits(self.currency)), self.currency))
        self.min_amount.setText(_plain_money(p.earning.min_amount_minor, self.currency))
        _set_optional(self.cap, p.earning.max_points_per_event)
        _set_optional(self.expiry_days, p.points_expiry_days)
        self.expiry_mode.setCurrentIndex(self.expiry_mode.findData(self.modes.get(p.program_id, ExpiryMode.AGE)))
        for label in (self.rate_currency, self.money_currency):
            label.setText(self.currency)
        pm = p.points_money
        self.money_box.setChecked(pm is not None)
        self.money_points.setValue(pm.points if pm else 100)
        self.money_value.setText(_plain_money(pm.value_minor if pm else 10 ** minor_digits(self.currency),
                                              self.currency))
        self.money_percent.setValue(pm.max_percent if pm else 50)
        self.stamps_box.setVisible(p.kind.has_stamps)
        for box in (self.points_box, self.money_box, self.tiers):
            box.setVisible(p.kind.has_points)
        self.rewards.show_program(details)
        self.tiers.show_program(details)
        self._show_rate_example()
        self._show_expiry_mode()
        editable = p.active
        for widget in (self.general, self.stamps_box, self.points_box, self.money_box, self.tiers, self.rewards,
                       self.save_button, self.retire_button):
            widget.setEnabled(editable)
        self.retired_note.setVisible(not editable)
        self.retired_note.setText(self.tr("%1 is retired: its cards keep their history but take no new stamps, "
                                          "points or rewards.").replace("%1", p.name))

    def _show_expiry_mode(self) -> None:
        """The mode only matters for a points program whose points expire at all."""
        details = self.selected()
        has_points = details is not None and details.program.kind.has_points
        self.points_form.setRowVisible(self.expiry_mode, has_points and _optional(self.expiry_days) is not None)

    def _rate(self) -> EarningRule:
        """The earning rate as typed (raises LoyaltyError on a bad amount)."""
        step = parse_amount(self.rate_amount.text(), self.currency, 10**12)
        return EarningRule(self.points_per_unit.value(), per_minor=step)

    def _show_rate_example(self) -> None:
        try:
            rule = self._rate()
        except LoyaltyError as exc:
            self.rate_example.setText(exc.message)
            return
        digits = minor_digits(self.currency)
        example = max(rule.spend_step(digits), 10**digits) * 25 // 2  # 12.50 EUR, 12,500 IDR
        points = scaled_points(rule, example, digits)
        self.rate_example.setText(self.tr("A purchase of %1 earns %2 points (rounded down).")
                                  .replace("%1", money(example, self.currency)).replace("%2", number(points)))

    # -- writing -----------------------------------------------------------------------
    def changes(self, program: Program) -> dict:
        """The rules as ``ProgramService.save`` takes them (raises LoyaltyError on a bad amount)."""
        rules = {"stamps_target": self.stamps_target.value(), "cooldown_minutes": _optional(self.cooldown),
                 "daily_stamp_limit": _optional(self.daily_limit)} if program.kind.has_stamps else {}
        if program.kind.has_points:
            text = self.min_amount.text().strip()
            rate = self._rate()
            rules.update({
                "points_per_unit": rate.points_per_unit, "earn_per_minor": rate.per_minor,
                "min_amount_minor": 0 if text in ("", "0") else parse_amount(text, self.currency, 10**12),
                "max_points_per_event": _optional(self.cap), "points_expiry_days": _optional(self.expiry_days),
            })
        return rules

    def save_settings(self) -> None:
        details = self.selected()
        if details is None:
            return
        program = details.program
        try:
            rules = self.changes(program)
            money = None
            if program.kind.has_points and self.money_box.isChecked():
                money = PointsMoney(self.money_points.value(),
                                    parse_amount(self.money_value.text(), self.currency, 10**12),
                                    self.money_percent.value()).check()
        except LoyaltyError as exc:
            self.save_feedback.show_error(exc.message)
            return
        tiers = self.tiers.tiers() if program.kind.has_points else None
        if program.kind.has_points and tiers is None:
            return
        name, program_id = self.name.text(), program.program_id
        mode = self._changed_mode(program, rules)
        rewards = reward_changes_of(self.rewards.pending())  # each checked when it was put on the list
        services = self.ctx.services

        def save(grant: Grant) -> None:  # one transaction: all of the page is saved, or none of it
            services.programs.save(grant, program_id, name=name, rules=rules, tiers=tiers, points_money=money,
                                   points_money_set=program.kind.has_points,
                                   expiry_mode=mode.value if mode is not None else None, rewards=rewards)

        self.ctx.run_granted(save, self._saved, self.save_feedback.show_error, self)

    def _changed_mode(self, program: Program, rules: dict) -> ExpiryMode | None:
        """The expiry mode to write with this Save, or None when it stays as it is."""
        if not program.kind.has_points or rules.get("points_expiry_days") is None:
            return None
        mode = ExpiryMode(self.expiry_mode.currentData())
        return None if mode is self.modes.get(program.program_id, ExpiryMode.AGE) else mode

    def _saved(self, _: object) -> None:
        self.save_feedback.show_ok(self.tr("The program was saved."))
        self.rewards_feedback.clear_message()
        self.refresh()

    def add_program(self) -> None:
        template, kind = TEMPLATE_CHOICES[self.template_choice.currentIndex()]
        name = self.new_name.text().strip() or None
        if template == "blank" and name is None:
            self.add_feedback.show_error(self.tr("A blank program needs a name."))
            return
        self.ctx.run_granted(lambda g: self.ctx.services.programs.add(g, template, name, kind),
                             self._added, self.add_feedback.show_error, self)

    def _added(self, program_id: str) -> None:
        self.add_box.hide()
        self.new_name.clear()
        self.choice_feedback.show_ok(self.tr("The program was added. Set its rules, then save."))
        self.program_choice.blockSignals(True)
        self.program_choice.addItem("", program_id)  # so the refresh selects the new program
        self.program_choice.setCurrentIndex(self.program_choice.count() - 1)
        self.program_choice.blockSignals(False)
        self.refresh()

    def _ask_retire(self) -> None:
        details = self.selected()
        if details is None:
            return
        p = details.program
        self.retire_question.setText(
            self.tr("Retire %1? Its %2 cards keep their history but take no new stamps, points or rewards, "
                    "and no new cards are enrolled in it.").replace("%1", p.name)
            .replace("%2", window_locale().toString(self.cards.get(p.program_id, 0))))
        self.retire_box.show()

    def retire_program(self) -> None:
        details = self.selected()
        if details is None:
            return
        program_id, name = details.program.program_id, details.program.name
        self.ctx.run_granted(lambda g: self.ctx.services.programs.retire(g, program_id),
                             lambda _: self._retired(name), self.choice_feedback.show_error, self)

    def _retired(self, name: str) -> None:
        self.retire_box.hide()
        self.choice_feedback.show_ok(self.tr("%1 is retired.").replace("%1", name))
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
